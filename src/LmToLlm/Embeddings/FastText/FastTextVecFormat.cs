using System.Globalization;
using System.Text;
using LmToLlm.Corpora;

namespace LmToLlm.Embeddings.FastText;

/// <summary>
/// The reference's <c>.vec</c> text file (<c>FastText::saveVectors</c>). Input/output: <see cref="WordVectors"/> ↔ a
/// header <c>"V D\n"</c>, then per word <c>word ' '</c>, each value as C++ <c>std::setprecision(5)</c> prints a float
/// (C's <c>"%.5g"</c>: 5 significant digits, trailing zeros dropped, exponent form <c>1.2346e-05</c> below 1e-4) followed
/// by a space, and <c>\n</c>. Gzip when the name ends in <c>.gz</c>.
/// </summary>
/// <remarks>The rows are the word2vec text layout, so <see cref="WordVectors.Load(string, WordVectorFileFormat?)"/> reads an uncompressed <c>.vec</c> too.</remarks>
internal static class FastTextVecFormat
{
    /// <summary>Reads a <c>.vec</c> (or <c>.vec.gz</c>) file; a malformed one raises <see cref="LmToLlmFormatException"/> naming it.</summary>
    internal static WordVectors Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        // Deflate expands at most about 1032:1, which bounds what a .gz file can hold.
        long bound = new FileInfo(path).Length * (gzip ? 1032L : 1L);
        using var stream = new BufferedStream(TextLines.OpenRead(path), 1 << 16);
        try
        {
            return Word2VecFormat.LoadText(stream, path, bound);
        }
        catch (InvalidDataException e)
        {
            throw CheckedGZipStream.FormatError(path, 1, e);
        }
    }

    /// <summary>Writes <paramref name="vectors"/> atomically as the reference does (see the type's summary).</summary>
    internal static void Save(WordVectors vectors, string path)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, stream =>
        {
            if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                Write(vectors, stream);
                return;
            }
            using var gzip = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true);
            Write(vectors, gzip);
        });
    }

    /// <summary>Writes <paramref name="vectors"/> to <paramref name="destination"/> in the <c>.vec</c> layout.</summary>
    internal static void Write(WordVectors vectors, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(destination);
        var output = new BufferedStream(destination, 1 << 16);
        output.Write(Encoding.ASCII.GetBytes($"{vectors.Count} {vectors.Dimensions}\n"));
        Span<byte> number = stackalloc byte[32];
        for (int i = 0; i < vectors.Count; i++)
        {
            output.Write(Encoding.UTF8.GetBytes(vectors.Word(i)));
            output.WriteByte((byte)' ');
            foreach (float value in vectors.Vector(i))
            {
                int length = FormatG5(value, number);
                number[length] = (byte)' ';
                output.Write(number[..(length + 1)]);
            }
            output.WriteByte((byte)'\n');
        }
        output.Flush();
    }

    /// <summary>
    /// One row as the reference prints it (<c>.vec</c> files, <c>print-word-vectors</c>): the word, a space, and each
    /// value in <c>"%.5g"</c> followed by a space (no line end).
    /// </summary>
    internal static string FormatRow(string word, ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(word);
        var text = new StringBuilder(word.Length + vector.Length * 10).Append(word).Append(' ');
        Span<byte> number = stackalloc byte[32];
        foreach (float value in vector)
        {
            int length = FormatG5(value, number);
            for (int c = 0; c < length; c++) text.Append((char)number[c]);
            text.Append(' ');
        }
        return text.ToString();
    }

    /// <summary>
    /// C <c>printf("%.5g", (double)value)</c> in ASCII: .NET's "G5" of the widened value has the same digits and the same
    /// fixed/exponent choice (exponent &lt; −4 or ≥ 5); only the exponent is spelled <c>E-05</c> instead of <c>e-05</c>.
    /// </summary>
    internal static int FormatG5(float value, Span<byte> destination)
    {
        Span<char> chars = stackalloc char[32];
        ((double)value).TryFormat(chars, out int written, "G5", CultureInfo.InvariantCulture);
        for (int c = 0; c < written; c++) destination[c] = chars[c] == 'E' ? (byte)'e' : (byte)chars[c];
        return written;
    }
}
