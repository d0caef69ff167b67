using System.Buffers.Binary;
using System.Numerics.Tensors;
using LmToLlm.Primitives;

namespace LmToLlm.Retrieval.Dense;

/// <summary>
/// Exact cosine nearest neighbours over a flat row-major matrix of unit-length document vectors.
/// Input: one vector per document (any length, zero vectors allowed: they score 0). Output: top-k by cosine,
/// ties by lower document id, identical to brute force whatever the batch size or degree of parallelism.
/// </summary>
public sealed class DenseIndex
{
    /// <summary>Version 1 began with the 4-byte magic <c>LDEN</c> and summed the rows only; version 2 is in the shared frame.</summary>
    internal static readonly BinaryFormat FileFormat = new("LMTLDENS", 2, "an LmToLlm dense index", "rebuild it and save it with DenseIndex.Save", formerMagic: "LDEN");
    private readonly float[] _unit;

    private DenseIndex(float[] unit, int dimensions, int count)
    {
        _unit = unit;
        Dimensions = dimensions;
        Count = count;
    }

    /// <summary>The vector length.</summary>
    internal int Dimensions { get; }

    /// <summary>The number of documents.</summary>
    internal int Count { get; }

    /// <summary>The unit vector of a document (all zeros for a document without any known word).</summary>
    internal ReadOnlySpan<float> Vector(int document) => _unit.AsSpan(document * Dimensions, Dimensions);

    /// <summary>Builds the index from a row-major matrix (rows of <paramref name="dimensions"/> values); rows are L2-normalised into a copy.</summary>
    public static DenseIndex Create(ReadOnlySpan<float> rows, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (rows.Length % dimensions != 0) throw new ArgumentException($"the matrix has {rows.Length} values, not a multiple of {dimensions} dimensions", nameof(rows));
        int count = rows.Length / dimensions;
        var unit = rows.ToArray();
        for (int i = 0; i < count; i++) Normalize(unit.AsSpan(i * dimensions, dimensions));
        return new DenseIndex(unit, dimensions, count);
    }

    /// <summary>Scales <paramref name="vector"/> to unit L2 length in place (a zero vector stays zero).</summary>
    internal static void Normalize(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
    }

    /// <summary>The top <paramref name="k"/> documents by cosine with <paramref name="query"/> (need not be unit length).</summary>
    /// <exception cref="ArgumentException">The query length differs from <see cref="Dimensions"/>.</exception>
    public SearchHit[] Search(ReadOnlySpan<float> query, int k)
    {
        CheckDimensions(query.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var q = query.ToArray();
        Normalize(q);
        var heap = new TopKHeap(Math.Min(k, Count));
        const int Block = 256;
        Span<float> scores = stackalloc float[Block];
        for (int start = 0; start < Count; start += Block)
        {
            int n = Math.Min(Block, Count - start);
            for (int i = 0; i < n; i++) scores[i] = TensorPrimitives.Dot(q, _unit.AsSpan((start + i) * Dimensions, Dimensions));
            for (int i = 0; i < n; i++)
                if (!heap.IsFull || scores[i] >= heap.Worst.Score) heap.Offer(new SearchHit(start + i, scores[i]));
        }
        return heap.ToSortedArray();
    }

    /// <summary>Searches many queries, in parallel over queries (-1 = all cores, 1 = one thread; the result is the same).</summary>
    public SearchHit[][] SearchMany(IReadOnlyList<float[]> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        foreach (var q in queries) CheckDimensions(q.Length);
        var results = new SearchHit[queries.Count][];
        Parallel.For(0, queries.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken },
            i => results[i] = Search(queries[i], k));
        return results;
    }

    /// <summary>Brute force: every cosine computed, fully sorted (the reference the fast path is tested against).</summary>
    internal SearchHit[] SearchExhaustive(ReadOnlySpan<float> query, int k)
    {
        var q = query.ToArray();
        Normalize(q);
        var all = new SearchHit[Count];
        for (int i = 0; i < Count; i++) all[i] = new SearchHit(i, TensorPrimitives.Dot(q, Vector(i)));
        Array.Sort(all, static (a, b) => TopKHeap.Better(a, b) ? -1 : TopKHeap.Better(b, a) ? 1 : 0);
        return all[..Math.Min(k, Count)];
    }

    private void CheckDimensions(int length)
    {
        if (length != Dimensions)
            throw new ArgumentException($"the query vector has {length} dimensions but the index holds {Dimensions}-dimensional vectors; encode queries with the vectors the index was built with");
    }

    /// <summary>
    /// Saves atomically. Layout, little-endian, inside the shared binary frame (magic <c>LMTLDENS</c>, int32 format
    /// version … checksum): int32 count, int32 dimensions, the float32 unit rows.
    /// </summary>
    public void Save(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, Save, cancellationToken);
    }

    /// <summary>Writes the index to <paramref name="stream"/> in the layout of <see cref="Save(string, CancellationToken)"/> (the stream is left open).</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var hashing = FileFormat.StartWriting(stream);
        Span<byte> sizes = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(sizes, Count);
        BinaryPrimitives.WriteInt32LittleEndian(sizes[4..], Dimensions);
        hashing.Write(sizes);
        hashing.Write(RowBytes(_unit));
        hashing.WriteChecksum();
    }

    /// <summary>Loads a file written by <see cref="Save(string, CancellationToken)"/>; a wrong magic, version, size or checksum is an <see cref="LmToLlmFormatException"/>.</summary>
    public static DenseIndex Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(path, File.ReadAllBytes(path));
    }

    /// <summary>Reads an index written by <see cref="Save(Stream)"/> from the rest of <paramref name="stream"/>.</summary>
    public static DenseIndex Load(Stream stream) => Read("(stream)", BinaryFormat.ReadAll(stream));

    private static DenseIndex Read(string path, byte[] data)
    {
        var body = FileFormat.Open(path, data);
        if (body.Length < 8) ThrowHelper.Format(path, 0, $"the file is truncated ({data.Length} bytes, shorter than its sizes); {FileFormat.Remedy}");
        int count = BinaryPrimitives.ReadInt32LittleEndian(body);
        int dimensions = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
        if (count < 0 || dimensions < 1 || body.Length != 8 + (long)count * dimensions * 4)
            ThrowHelper.Format(path, 0, $"file length {data.Length} does not match {count} vectors of {dimensions} dimensions (truncated?)");
        var rows = body[8..];
        var unit = new float[count * dimensions];
        for (int i = 0; i < unit.Length; i++) unit[i] = BinaryPrimitives.ReadSingleLittleEndian(rows[(i * 4)..]);
        return new DenseIndex(unit, dimensions, count);
    }

    private static byte[] RowBytes(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }
}
