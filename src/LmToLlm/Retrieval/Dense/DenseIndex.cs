using System.Buffers.Binary;
using System.Numerics.Tensors;

namespace LmToLlm.Retrieval.Dense;

/// <summary>
/// Exact cosine nearest neighbours over a flat row-major matrix of unit-length document vectors.
/// Input: one vector per document (any length, zero vectors allowed: they score 0). Output: top-k by cosine,
/// ties by lower document id, identical to brute force whatever the batch size or degree of parallelism.
/// </summary>
public sealed class DenseIndex
{
    private const uint Magic = 0x4E45444Cu; // "LDEN" little-endian
    private const int FormatVersion = 1;
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
    /// Saves atomically: magic "LDEN", format version, count, dimensions, the float32 rows (little-endian) and an
    /// FNV-1a 64 checksum of the rows.
    /// </summary>
    internal void Save(string path, CancellationToken cancellation = default) => AtomicFile.Write(path, stream =>
    {
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], Dimensions);
        stream.Write(header);
        var bytes = RowBytes(_unit);
        stream.Write(bytes);
        Span<byte> sum = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(sum, Fnv1a(bytes));
        stream.Write(sum);
    }, cancellation);

    /// <summary>Loads a file written by <see cref="Save"/>; a wrong magic, version, size or checksum is an <see cref="LmToLlmFormatException"/>.</summary>
    internal static DenseIndex Load(string path)
    {
        var data = File.ReadAllBytes(path);
        if (data.Length < 24 || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
            ThrowHelper.Format(path, 1, "not a dense index file (bad magic); write one with DenseIndex.Save");
        int version = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4));
        if (version != FormatVersion) ThrowHelper.Format(path, 1, $"dense index format version {version}; this build reads version {FormatVersion}");
        int count = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(8));
        int dimensions = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(12));
        if (count < 0 || dimensions < 1 || data.Length != 24 + (long)count * dimensions * 4)
            ThrowHelper.Format(path, 1, $"file length {data.Length} does not match {count} vectors of {dimensions} dimensions (truncated?)");
        var rows = data.AsSpan(16, count * dimensions * 4);
        if (Fnv1a(rows) != BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(16 + rows.Length)))
            ThrowHelper.Format(path, 1, "checksum mismatch: the file is corrupt; rebuild the index");
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

    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in bytes) hash = (hash ^ b) * 0x100000001B3UL;
        return hash;
    }
}
