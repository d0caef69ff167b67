using System.Buffers.Binary;
using System.Text;
using LmToLlm.Retrieval;

namespace LmToLlm.Contextual;

/// <summary>
/// Document embeddings saved once per collection and model, so a collection is encoded only once.
/// Layout (little-endian): magic <c>LMTLLMCX</c>, format version, model-name length and UTF-8 bytes, words per
/// document, collection fingerprint, count, dimensions, the float32 rows, and a checksum of everything before it.
/// The fingerprint hashes the model name, the word limit and every document's id and encoded text, so a cache made
/// for another collection, model or limit is recognised as stale rather than silently used.
/// </summary>
public sealed class EmbeddingCache
{
    private const int FormatVersion = 1;
    private const int MaxNameBytes = 1024;
    private static ReadOnlySpan<byte> Magic => "LMTLLMCX"u8;

    internal EmbeddingCache(string modelName, int maxWords, ulong fingerprint, int dimensions, float[] rows)
    {
        ModelName = modelName;
        MaxWords = maxWords;
        Fingerprint = fingerprint;
        Dimensions = dimensions;
        Rows = rows;
    }

    /// <summary>The <see cref="ISentenceEmbedder.Name"/> of the model that wrote the vectors.</summary>
    public string ModelName { get; }

    /// <summary>Words of each document that were encoded (0 = all).</summary>
    public int MaxWords { get; }

    /// <summary>Hash of the model name, the word limit, and each document's id and encoded text.</summary>
    public ulong Fingerprint { get; }

    /// <summary>The vector length.</summary>
    public int Dimensions { get; }

    /// <summary>The number of documents.</summary>
    public int Count => Rows.Length / Dimensions;

    /// <summary>Row-major vectors, one row per document.</summary>
    internal float[] Rows { get; }

    /// <summary>Writes the cache atomically (temporary file, then moved into place).</summary>
    public void Save(string path, CancellationToken cancellationToken = default) => AtomicFile.Write(path, stream => stream.Write(ToBytes()), cancellationToken);

    internal byte[] ToBytes()
    {
        var name = Encoding.UTF8.GetBytes(ModelName);
        int header = 8 + 4 + 4 + name.Length + 4 + 8 + 4 + 4;
        var bytes = new byte[header + Rows.Length * 4 + 8];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        int at = 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], FormatVersion); at += 4;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], name.Length); at += 4;
        name.CopyTo(span[at..]); at += name.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], MaxWords); at += 4;
        BinaryPrimitives.WriteUInt64LittleEndian(span[at..], Fingerprint); at += 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], Count); at += 4;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], Dimensions); at += 4;
        foreach (float value in Rows)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[at..], value);
            at += 4;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(span[at..], Checksum.Compute(span[..at]));
        return bytes;
    }

    /// <summary>
    /// Reads a file written by <see cref="Save"/>. A wrong magic, version, size or checksum is an
    /// <see cref="LmToLlmFormatException"/> naming the file (delete it to encode the collection again).
    /// </summary>
    public static EmbeddingCache Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var data = File.ReadAllBytes(path);
        var span = data.AsSpan();
        if (data.Length < 8 || !span.StartsWith(Magic))
            ThrowHelper.Format(path, 0, "not an embedding cache (bad magic); delete it and the documents are encoded again");
        if (data.Length < 8 + 4 + 4 + 8)
            ThrowHelper.Format(path, 0, $"file length {data.Length} is too short for an embedding cache header (truncated?)");
        int version = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        if (version != FormatVersion) ThrowHelper.Format(path, 0, $"embedding cache format version {version}; this build reads version {FormatVersion}; delete the file to encode again");
        int nameLength = BinaryPrimitives.ReadInt32LittleEndian(span[12..]);
        if (nameLength is < 1 or > MaxNameBytes || 16 + (long)nameLength + 4 + 8 + 4 + 4 + 8 > data.Length)
            ThrowHelper.Format(path, 0, $"model name length {nameLength} is out of range for a file of {data.Length} bytes");
        int at = 16;
        string name;
        try
        {
            name = new UTF8Encoding(false, true).GetString(span.Slice(at, nameLength));
        }
        catch (DecoderFallbackException)
        {
            return ThrowHelper.Format<EmbeddingCache>(path, 0, "the model name is not valid UTF-8");
        }
        at += nameLength;
        int maxWords = BinaryPrimitives.ReadInt32LittleEndian(span[at..]); at += 4;
        ulong fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(span[at..]); at += 8;
        int count = BinaryPrimitives.ReadInt32LittleEndian(span[at..]); at += 4;
        int dimensions = BinaryPrimitives.ReadInt32LittleEndian(span[at..]); at += 4;
        if (maxWords < 0) ThrowHelper.Format(path, 0, $"words per document {maxWords} is negative");
        if (count < 0 || dimensions < 1 || data.Length != at + (long)count * dimensions * 4 + 8)
            ThrowHelper.Format(path, 0, $"file length {data.Length} does not match {count} vectors of {dimensions} dimensions (truncated?)");
        int end = at + count * dimensions * 4;
        if (Checksum.Compute(span[..end]) != BinaryPrimitives.ReadUInt64LittleEndian(span[end..]))
            ThrowHelper.Format(path, 0, "checksum mismatch: the file is corrupt; delete it and the documents are encoded again");
        var rows = new float[count * dimensions];
        for (int i = 0; i < rows.Length; i++) rows[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(at + i * 4)..]);
        return new EmbeddingCache(name, maxWords, fingerprint, dimensions, rows);
    }
}
