using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace LmToLlm.Embeddings;

/// <summary>
/// Reads and writes word2vec.c vector files. Input: a file whose first line is <c>"count dimensions"</c>.
/// Output: <see cref="WordVectors"/> in file order; writing gives the bytes word2vec.c writes for the same floats.
/// </summary>
/// <remarks>
/// Binary rows are <c>word ' ' float32[dim]</c> followed by <c>\n</c> (word2vec.c) or not (gensim 4); the reader
/// skips newlines before a word, so both load. Text rows are the word and <c>dim</c> numbers separated by spaces
/// (word2vec.c ends each with a space, gensim does not).
/// </remarks>
internal static class Word2VecFormat
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    internal static WordVectors Load(string path, WordVectorFileFormat? format)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        if (format is null && FastText.FastTextModel.IsModelFile(path)) return FastText.FastTextModel.Load(path).ToWordVectors();
        if (format is null or WordVectorFileFormat.Text && path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return FastText.FastTextVecFormat.Load(path);
        if (format is null && IsHeaderlessText(path)) format = WordVectorFileFormat.GloVeText;
        format ??= Detect(path);
        using var stream = new BufferedStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), 1 << 16);
        return Read(stream, path, format.Value);
    }

    /// <summary>Reads vectors in <paramref name="format"/> from the rest of <paramref name="source"/> (copied into memory first).</summary>
    internal static WordVectors Load(Stream source, WordVectorFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(source);
        var stream = new MemoryStream();
        source.CopyTo(stream);
        stream.Position = 0;
        return Read(stream, "(stream)", format);
    }

    /// <summary>Reads a seekable stream in a known format; errors name <paramref name="path"/>.</summary>
    private static WordVectors Read(Stream stream, string path, WordVectorFileFormat format)
    {
        if (format == WordVectorFileFormat.GloVeText)
            return ReadHeaderlessText(new LmToLlm.Corpora.LineLengthGuardStream(stream, path, LmToLlm.Corpora.TextLines.MaxLineBytes), path);
        var (count, dimensions) = ReadHeader(stream, path);
        bool binary = format == WordVectorFileFormat.Binary;
        CheckHeaderAgainstLength(path, count, dimensions, binary, stream.Length - stream.Position);
        return binary ? ReadBinary(stream, path, count, dimensions) : ReadGuardedText(stream, path, count, dimensions);
    }

    /// <summary>
    /// Reads a text vector file (header line, then one row per word) from an open stream; errors name <paramref name="path"/>.
    /// <paramref name="maxBytesAfterHeader"/> bounds what the stream can still hold (for gzip: the compressed length
    /// times deflate's largest ratio), so that a hostile header cannot ask for a huge allocation.
    /// </summary>
    internal static WordVectors LoadText(Stream stream, string path, long maxBytesAfterHeader)
    {
        var (count, dimensions) = ReadHeader(stream, path);
        CheckHeaderAgainstLength(path, count, dimensions, binary: false, maxBytesAfterHeader);
        return ReadGuardedText(stream, path, count, dimensions);
    }

    private static WordVectors ReadGuardedText(Stream stream, string path, int count, int dimensions) =>
        ReadText(new LmToLlm.Corpora.LineLengthGuardStream(stream, path, LmToLlm.Corpora.TextLines.MaxLineBytes, linesBefore: 1), path, count, dimensions);

    // The header is checked against the file before it is trusted with an allocation: a binary vector takes at
    // least a 1-byte word, a space and 4 bytes per value; a text one a 1-character word and a space and digit per value.
    private static void CheckHeaderAgainstLength(string path, int count, int dimensions, bool binary, long remaining)
    {
        long minimum = count * (binary ? 2L + 4L * dimensions : 1L + 2L * dimensions);
        if (minimum > remaining + 1)
            ThrowHelper.Format(path, 1, $"the header announces {count} vectors of {dimensions} dimensions, at least {minimum} bytes, but only {remaining} bytes follow it; the file is truncated or the header is wrong");
    }

    /// <summary>
    /// Text when the first row after the header is a word followed by exactly <c>dim</c> numbers, or when the first
    /// 4 KB after the header hold no control byte (raw float32 values almost always contain one); otherwise binary.
    /// </summary>
    internal static WordVectorFileFormat Detect(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var (count, dimensions) = ReadHeader(stream, path);
        if (count == 0) return WordVectorFileFormat.Binary;
        byte[] head = new byte[4096];
        int length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        ReadOnlySpan<byte> sample = head.AsSpan(0, length);
        bool controlBytes = false;
        foreach (byte b in sample) controlBytes |= b < 0x20 && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t';
        if (!controlBytes) return WordVectorFileFormat.Text;
        int newline = sample.IndexOf((byte)'\n');
        ReadOnlySpan<byte> line = newline >= 0 ? sample[..newline] : sample;
        string text;
        try { text = StrictUtf8.GetString(line); }
        catch (DecoderFallbackException) { return WordVectorFileFormat.Binary; }
        string[] parts = text.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != dimensions + 1) return WordVectorFileFormat.Binary;
        for (int i = 1; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return WordVectorFileFormat.Binary;
        }
        return WordVectorFileFormat.Text;
    }

    /// <summary>
    /// True when the first line is not a word2vec header (two integers) but a word followed by at least one number:
    /// GloVe's text output, which has no header.
    /// </summary>
    private static bool IsHeaderlessText(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        byte[] head = new byte[1 << 16];
        int length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        ReadOnlySpan<byte> sample = head.AsSpan(0, length);
        int newline = sample.IndexOf((byte)'\n');
        if (newline >= 0) sample = sample[..newline];
        string line;
        try { line = StrictUtf8.GetString(sample); }
        catch (DecoderFallbackException) { return false; }
        string[] parts = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) return false;
        if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return false;
        for (int i = 1; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return false;
        }
        return true;
    }

    /// <summary>GloVe text: no header; every line is a word and the same number of values (taken from the first line).</summary>
    private static WordVectors ReadHeaderlessText(Stream stream, string path)
    {
        var words = new List<string>();
        var values = new List<float>();
        int dimensions = -1;
        using var reader = new StreamReader(stream, StrictUtf8, false, 1 << 16);
        long lineNumber = 0;
        while (true)
        {
            string? line;
            try { line = reader.ReadLine(); }
            catch (DecoderFallbackException e) { throw new LmToLlmFormatException(path, lineNumber + 1, "invalid UTF-8 in a word", e); }
            if (line is null) break;
            lineNumber++;
            ReadOnlySpan<char> rest = line.AsSpan().TrimEnd(" \t\r");
            if (rest.IsEmpty) continue;
            int space = rest.IndexOfAny(' ', '\t');
            if (space <= 0) ThrowHelper.Format(path, lineNumber, "a word without values; a GloVe text file has the word and its values on every line");
            string word = rest[..space].ToString();
            rest = rest[(space + 1)..];
            int d = 0;
            foreach (Range r in rest.SplitAny(" \t"))
            {
                ReadOnlySpan<char> token = rest[r];
                if (token.IsEmpty) continue;
                if (!float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                    ThrowHelper.Format(path, lineNumber, $"'{token}' is not a number");
                values.Add(value);
                d++;
            }
            if (dimensions < 0) dimensions = d;
            else if (d != dimensions)
                ThrowHelper.Format(path, lineNumber, $"{d} values for '{word}', but the first line has {dimensions}; every line of a GloVe text file needs the same number of values");
            words.Add(word);
        }
        if (words.Count == 0) ThrowHelper.Format(path, 1, "the file has no vectors");
        return WordVectors.Wrap([.. words], [.. values], dimensions);
    }

    private static (int Count, int Dimensions) ReadHeader(Stream stream, string path)
    {
        var bytes = new List<byte>();
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n')
        {
            bytes.Add((byte)b);
            if (bytes.Count > 100) break;
        }
        string header = Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
        string[] parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (b < 0 && bytes.Count == 0) ThrowHelper.Format(path, 1, "the file is empty; a word2vec file starts with the line \"<count> <dimensions>\"");
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int dimensions) || dimensions <= 0)
        {
            string shown = header.Length > 40 ? header[..40] + "…" : header;
            return ThrowHelper.Format<(int, int)>(path, 1, $"bad header '{shown}'; a word2vec file starts with the line \"<count> <dimensions>\" (two positive integers)");
        }
        if (dimensions > WordVectors.MaxDimensions)
            ThrowHelper.Format(path, 1, $"header says {dimensions} dimensions, above the supported maximum {WordVectors.MaxDimensions} (WordVectors.MaxDimensions, a compile-time limit); is this a word2vec file?");
        if ((long)count * dimensions > Array.MaxLength)
            ThrowHelper.Format(path, 1, $"header says {count} words × {dimensions} dimensions, more than the {Array.MaxLength.ToString("N0", CultureInfo.InvariantCulture)} values one array can hold (the vocabulary-size limit at this dimension); keep fewer words (a higher --min-count) or fewer dimensions");
        return (count, dimensions);
    }

    private static WordVectors ReadBinary(Stream stream, string path, int count, int dimensions)
    {
        var words = new string[count];
        var matrix = new float[(long)count * dimensions];
        var word = new List<byte>(64);
        byte[] row = new byte[dimensions * sizeof(float)];
        for (int i = 0; i < count; i++)
        {
            word.Clear();
            int b;
            while ((b = stream.ReadByte()) == '\n' || b == '\r') { }
            while (b >= 0 && b != ' ')
            {
                word.Add((byte)b);
                if (word.Count > 1 << 16) ThrowHelper.Format(path, 0, $"vector {i + 1}: no space after the word within 65536 bytes; is this a word2vec binary file?");
                b = stream.ReadByte();
            }
            if (b < 0) Truncated(path, i, count);
            words[i] = DecodeWord(word, path, 0, i);
            int read = stream.ReadAtLeast(row, row.Length, throwOnEndOfStream: false);
            if (read < row.Length) Truncated(path, i, count);
            var target = matrix.AsSpan(i * dimensions, dimensions);
            for (int d = 0; d < dimensions; d++) target[d] = BinaryPrimitives.ReadSingleLittleEndian(row.AsSpan(d * sizeof(float)));
        }
        return WordVectors.Wrap(words, matrix, dimensions);
    }

    private static void Truncated(string path, int index, int count) =>
        ThrowHelper.Format(path, 0, $"the file ends inside vector {index + 1} of {count} (the header promises {count}); the binary file is truncated or the header is wrong");

    private static WordVectors ReadText(Stream stream, string path, int count, int dimensions)
    {
        var words = new string[count];
        var matrix = new float[(long)count * dimensions];
        using var reader = new StreamReader(stream, StrictUtf8, false, 1 << 16);
        long lineNumber = 1;
        int i = 0;
        while (true)
        {
            string? line;
            try { line = reader.ReadLine(); }
            catch (DecoderFallbackException e) { throw new LmToLlmFormatException(path, lineNumber + 1, "invalid UTF-8 in a word", e); }
            if (line is null) break;
            lineNumber++;
            ReadOnlySpan<char> rest = line.AsSpan().TrimEnd(" \t\r");
            if (rest.IsEmpty) continue;
            if (i == count) ThrowHelper.Format(path, lineNumber, $"more vectors than the {count} the header announces; fix the header");
            int space = rest.IndexOfAny(' ', '\t');
            if (space <= 0) ThrowHelper.Format(path, lineNumber, $"a word without values; expected the word and {dimensions} numbers");
            words[i] = rest[..space].ToString();
            rest = rest[(space + 1)..];
            var target = matrix.AsSpan(i * dimensions, dimensions);
            int d = 0;
            foreach (Range r in rest.SplitAny(" \t"))
            {
                ReadOnlySpan<char> token = rest[r];
                if (token.IsEmpty) continue;
                if (d == dimensions) ThrowHelper.Format(path, lineNumber, $"more than {dimensions} values (the header's dimensions) for '{words[i]}'");
                if (!float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out target[d]))
                    ThrowHelper.Format(path, lineNumber, $"'{token}' is not a number");
                d++;
            }
            if (d != dimensions) ThrowHelper.Format(path, lineNumber, $"{d} values for '{words[i]}', but the header says {dimensions} dimensions");
            i++;
        }
        if (i != count) ThrowHelper.Format(path, lineNumber + 1, $"the file ends after {i} vectors, but the header announces {count}; the file is truncated or the header is wrong");
        return WordVectors.Wrap(words, matrix, dimensions);
    }

    private static string DecodeWord(List<byte> bytes, string path, long line, int index)
    {
        try
        {
            return StrictUtf8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
        }
        catch (DecoderFallbackException e)
        {
            throw new LmToLlmFormatException(path, line, $"vector {index + 1}: the word is not valid UTF-8", e);
        }
    }

    internal static void Save(WordVectors vectors, string path, WordVectorFileFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        AtomicFile.Write(path, stream => Write(vectors, stream, format), cancellationToken);
    }

    internal static void Write(WordVectors vectors, Stream stream, WordVectorFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(stream);
        var output = new BufferedStream(stream, 1 << 16);
        bool glove = format == WordVectorFileFormat.GloVeText;
        if (!glove) WriteAscii(output, $"{vectors.Count} {vectors.Dimensions}\n");
        byte[] wordBytes = new byte[256];
        byte[] row = new byte[vectors.Dimensions * sizeof(float)];
        Span<char> number = stackalloc char[64];
        Span<byte> numberBytes = stackalloc byte[64];
        for (int i = 0; i < vectors.Count; i++)
        {
            string word = vectors.Word(i);
            int needed = Encoding.UTF8.GetMaxByteCount(word.Length);
            if (needed > wordBytes.Length) wordBytes = new byte[needed];
            int length = Encoding.UTF8.GetBytes(word, wordBytes);
            output.Write(wordBytes, 0, length);
            if (!glove) output.WriteByte((byte)' ');
            ReadOnlySpan<float> vector = vectors.Vector(i);
            if (format == WordVectorFileFormat.Binary)
            {
                for (int d = 0; d < vector.Length; d++) BinaryPrimitives.WriteSingleLittleEndian(row.AsSpan(d * sizeof(float)), vector[d]);
                output.Write(row);
            }
            else
            {
                foreach (float value in vector)
                {
                    // C "%lf" of the float widened to double: correctly rounded to 6 decimals, "-0.000000" kept.
                    ((double)value).TryFormat(number, out int written, "F6", CultureInfo.InvariantCulture);
                    if (glove) output.WriteByte((byte)' '); // glove.c: " %lf" per value, no trailing space
                    for (int c = 0; c < written; c++) numberBytes[c] = (byte)number[c];
                    numberBytes[written] = (byte)' ';
                    output.Write(numberBytes[..(glove ? written : written + 1)]);
                }
            }
            output.WriteByte((byte)'\n');
        }
        output.Flush();
    }

    private static void WriteAscii(Stream stream, string text) => stream.Write(Encoding.ASCII.GetBytes(text));
}
