using System.Buffers.Binary;
using System.Text;
using LmToLlm.Primitives;

namespace LmToLlm.Contextual;

/// <summary>
/// Document embeddings saved once per collection and model, so a collection is encoded only once.
/// Layout (little-endian) inside the shared binary frame (magic <c>LMTLLMCX</c>, int32 format version … checksum):
/// model-name length and UTF-8 bytes, words per document, collection fingerprint, count, dimensions, the float32 rows.
/// The fingerprint hashes the model name, the word limit and every document's id and encoded text, so a cache made
/// for another collection, model or limit is recognised as stale rather than silently used.
/// </summary>
public sealed class EmbeddingCache
{
    /// <summary>Version 1 had the same body under a checksum of its own; version 2 is in the shared frame.</summary>
    internal static readonly BinaryFormat FileFormat = new("LMTLLMCX", 2, "an LmToLlm embedding cache", "delete it and the documents are encoded again");

    private const int MaxNameBytes = 1024;

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
    public void Save(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, Save, cancellationToken);
    }

    /// <summary>Writes the cache to <paramref name="stream"/> in the layout of <see cref="Save(string, CancellationToken)"/> (the stream is left open).</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var name = Encoding.UTF8.GetBytes(ModelName);
        var body = new byte[4 + name.Length + 4 + 8 + 4 + 4 + Rows.Length * 4];
        var span = body.AsSpan();
        int at = 0;
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
        var hashing = FileFormat.StartWriting(stream);
        hashing.Write(body);
        hashing.WriteChecksum();
    }

    /// <summary>
    /// Reads a file written by <see cref="Save(string, CancellationToken)"/>. A wrong magic, version, size or checksum is an
    /// <see cref="LmToLlmFormatException"/> naming the file (delete it to encode the collection again).
    /// </summary>
    public static EmbeddingCache Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(path, File.ReadAllBytes(path));
    }

    /// <summary>Reads a cache written by <see cref="Save(Stream)"/> from the rest of <paramref name="stream"/>.</summary>
    public static EmbeddingCache Load(Stream stream) => Read("(stream)", BinaryFormat.ReadAll(stream));

    private static EmbeddingCache Read(string path, byte[] data)
    {
        var span = FileFormat.Open(path, data);
        if (span.Length < 4 + 4 + 8 + 4 + 4)
            ThrowHelper.Format(path, 0, $"file length {data.Length} is too short for an embedding cache header (truncated?)");
        int nameLength = BinaryPrimitives.ReadInt32LittleEndian(span);
        if (nameLength is < 1 or > MaxNameBytes || 4 + (long)nameLength + 4 + 8 + 4 + 4 > span.Length)
            ThrowHelper.Format(path, 0, $"model name length {nameLength} is out of range for a file of {data.Length} bytes");
        int at = 4;
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
        if (count < 0 || dimensions < 1 || span.Length != at + (long)count * dimensions * 4)
            ThrowHelper.Format(path, 0, $"file length {data.Length} does not match {count} vectors of {dimensions} dimensions (truncated?)");
        var rows = new float[count * dimensions];
        for (int i = 0; i < rows.Length; i++) rows[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(at + i * 4)..]);
        return new EmbeddingCache(name, maxWords, fingerprint, dimensions, rows);
    }
}
