using System.Runtime.InteropServices;
using System.Text;
using LmToLlm.Primitives;

namespace LmToLlm.NGrams;

/// <summary>
/// The binary format of a <see cref="BackoffModel"/>. Input: a model. Output: one file, read back bit for bit.
/// Layout, little-endian, inside the shared binary frame (magic <c>LMTLNLM1</c>, int32 format version … checksum):
/// int32 order, int32 vocabulary size and the words (7-bit length + UTF-8), then per order k: int32 count, for k ≥ 2
/// the uint64 n-gram keys, the float32 log10 probabilities and, below the highest order, the float32 log10 backoffs;
/// last the model name.
/// </summary>
public sealed partial class BackoffModel
{
    /// <summary>Version 1 had the same body under a checksum of its own; version 2 uses the library's shared checksum.</summary>
    internal static readonly BinaryFormat FileFormat = new("LMTLNLM1", 2, "an LmToLlm binary n-gram model",
        "save the model again ('lmtollm ngram train --binary'); ARPA files load with ReadArpa / --lm model.arpa");

    /// <summary>Saves the model in this library's binary format (see the type's remarks), atomically.</summary>
    public void Save(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, Save, cancellationToken);
    }

    /// <summary>Writes the model to <paramref name="stream"/> in the binary format of <see cref="Save(string, CancellationToken)"/> (the stream is left open).</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var hashing = FileFormat.StartWriting(stream);
        using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Order);
            writer.Write(_vocabulary.Count);
            for (int i = 0; i < _vocabulary.Count; i++) writer.Write(_vocabulary[i]);
            for (int k = 1; k <= Order; k++)
            {
                int count = _probs[k - 1].Length;
                writer.Write(count);
                if (k >= 2) writer.Write(MemoryMarshal.AsBytes(_tables[k - 1]!.Keys.AsSpan(0, count)));
                writer.Write(MemoryMarshal.AsBytes(_probs[k - 1].AsSpan()));
                if (k < Order) writer.Write(MemoryMarshal.AsBytes(_backoffs[k - 1].AsSpan()));
            }
            writer.Write(Name);
        }
        hashing.WriteChecksum();
    }

    /// <summary>
    /// Loads <paramref name="path"/>, told apart by content: a binary model saved by
    /// <see cref="Save(string, CancellationToken)"/>, or an ARPA file (KenLM <c>lmplz</c>, <c>.gz</c> transparently;
    /// <paramref name="progress"/> and <paramref name="cancellationToken"/> serve its parse).
    /// </summary>
    /// <exception cref="LmToLlmFormatException">
    /// Neither kind of file; a binary model of another format version, truncated, or whose checksum does not match; a
    /// malformed ARPA file (file and line named).
    /// </exception>
    public static BackoffModel Load(string path, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        Span<byte> head = stackalloc byte[4096];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (FileFormat.Recognizes(head[..read])) return Read(path, File.ReadAllBytes(path));
        // ARPA is text: NUL bytes or broken UTF-8 in the first 4 KiB mean another kind of file (word vectors, an index).
        bool compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        if (!compressed && (head[..read].Contains((byte)0)
            || System.Text.Unicode.Utf8.ToUtf16(head[..read], new char[read], out _, out _, replaceInvalidSequences: false, isFinalBlock: read < head.Length) == System.Buffers.OperationStatus.InvalidData))
            throw new LmToLlmFormatException(path, 0, "not a language model file: neither ARPA text nor this library's binary model; give an ARPA file (KenLM lmplz, 'lmtollm ngram train --arpa') or one saved with 'lmtollm ngram train --binary'");
        return ReadArpa(path, progress, cancellationToken);
    }

    /// <summary>Reads a model written by <see cref="Save(Stream)"/> from the rest of <paramref name="stream"/>.</summary>
    /// <exception cref="LmToLlmFormatException">As <see cref="Load(string, IProgress{StageProgress}?, CancellationToken)"/> for a binary model.</exception>
    public static BackoffModel Load(Stream stream) => Read("(stream)", BinaryFormat.ReadAll(stream));

    private static BackoffModel Read(string path, byte[] bytes)
    {
        FileFormat.Open(path, bytes);
        // Every count in the file is checked against the bytes that remain before it sizes an allocation, so a
        // corrupt header (even one whose checksum was recomputed) is a format error, never a huge allocation.
        try
        {
            var body = new MemoryStream(bytes, 0, bytes.Length - BinaryFormat.ChecksumBytes) { Position = BinaryFormat.HeaderBytes };
            using var reader = new BinaryReader(body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            long Remaining() => body.Length - body.Position;
            int Count(string what, long bytesEach)
            {
                int n = reader.ReadInt32();
                if (n < 0 || n * bytesEach > Remaining())
                    ThrowHelper.Format(path, 0, $"the file declares {n} {what}, more than its remaining {Remaining()} bytes can hold; the file is corrupt, save the model again");
                return n;
            }
            int order = reader.ReadInt32();
            if (order < 1 || order > NGramCounts.MaxOrder)
                ThrowHelper.Format(path, 0, $"order {order} is outside 1..{NGramCounts.MaxOrder} (the supported maximum n-gram order); the file is corrupt");
            int vocabularyCount = Count("vocabulary words", 1);
            var vocabulary = new NGramVocabulary(withMarkers: false);
            for (int i = 0; i < vocabularyCount; i++)
            {
                string word = reader.ReadString();
                if (vocabulary.TryFind(word, out _)) ThrowHelper.Format(path, 0, $"the vocabulary lists '{word}' twice; the file is corrupt");
                vocabulary.Add(word);
            }
            var tables = new NGramTable?[order];
            var probs = new float[order][];
            var backoffs = new float[order][];
            for (int k = 1; k <= order; k++)
            {
                int count = Count($"{k}-grams", (k >= 2 ? 8 : 0) + 4 + (k < order ? 4 : 0));
                if (k == 1 && count != vocabularyCount)
                    ThrowHelper.Format(path, 0, $"{count} 1-grams for a vocabulary of {vocabularyCount} words; the file is corrupt");
                if (k >= 2)
                {
                    ulong[] keys = new ulong[count];
                    reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(keys.AsSpan()));
                    var table = new NGramTable(count);
                    foreach (ulong key in keys)
                    {
                        table.GetOrAdd(key, out bool added);
                        if (!added) ThrowHelper.Format(path, 0, $"a {k}-gram is stored twice; the file is corrupt");
                    }
                    tables[k - 1] = table;
                }
                probs[k - 1] = new float[count];
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(probs[k - 1].AsSpan()));
                backoffs[k - 1] = k < order ? new float[count] : [];
                if (k < order) reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(backoffs[k - 1].AsSpan()));
            }
            string name = reader.ReadString();
            if (Remaining() != 0) ThrowHelper.Format(path, 0, $"{Remaining()} unexpected bytes after the model; the file is corrupt");
            return new BackoffModel(vocabulary, tables, probs, backoffs, null, name);
        }
        catch (EndOfStreamException e)
        {
            throw new LmToLlmFormatException(path, 0, "truncated model file", e);
        }
        catch (FormatException e) // a string length that is not a valid 7-bit encoded integer
        {
            throw new LmToLlmFormatException(path, 0, $"a malformed string ({e.Message}); the file is corrupt", e);
        }
        catch (DecoderFallbackException e)
        {
            throw new LmToLlmFormatException(path, 0, "invalid UTF-8 in a word; the file is corrupt", e);
        }
    }
}
