using LmToLlm.Primitives;
using System.Buffers.Binary;

namespace LmToLlm.Embeddings.GloVe;

/// <summary>
/// Word-word co-occurrence counts X, as <c>cooccur</c> computes them. Input: the text (second pass) and the vocabulary.
/// Output: the non-zero cells sorted by (word, context), ids 0-based, values summed in double.
/// </summary>
/// <remarks>
/// Per line (a line end resets the window), only in-vocabulary tokens count (out-of-vocabulary tokens are skipped and
/// do not take a place in the window, as in <c>cooccur</c>). For each token <c>w</c> and each of the previous
/// <see cref="GloVeOptions.Window"/> kept tokens <c>c</c> at distance <c>d</c>, <c>X[c,w] += 1/d</c> and, when
/// symmetric, <c>X[w,c] += 1/d</c> (1 instead of 1/d without distance weighting).
/// Memory: cells whose frequency ranks multiply to at most <c>maxProduct</c> live in a dense table; the others go to a
/// buffer that is sorted, summed and spilled to a temporary file when full. The dense table and the runs are merged
/// (k-way) at the end and the temporary files deleted.
/// </remarks>
internal sealed class GloVeCooccurrence
{
    private GloVeCooccurrence(int[] word1, int[] word2, double[] values, int count, int spilledRuns)
    {
        Word1 = word1;
        Word2 = word2;
        Values = values;
        Length = count;
        SpilledRuns = spilledRuns;
    }

    internal int[] Word1 { get; }

    internal int[] Word2 { get; }

    internal double[] Values { get; }

    /// <summary>Number of non-zero cells (the arrays may be longer).</summary>
    internal int Length { get; }

    /// <summary>Number of sorted runs written to disk while counting.</summary>
    internal int SpilledRuns { get; }

    /// <summary>
    /// The reference's split of a memory budget: <c>rlimit = 0.85·budget/16</c> records; <c>maxProduct = n</c> with
    /// <c>n(ln n + 0.1544313298) = rlimit</c>; overflow buffer <c>rlimit/6</c> records.
    /// </summary>
    internal static (long MaxProduct, long OverflowLength) Sizes(long memoryBudget)
    {
        double rlimit = 0.85 * memoryBudget / 16;
        double n = 1e5;
        for (int i = 0; i < 10_000 && Math.Abs(rlimit - n * (Math.Log(n) + 0.1544313298)) > 1e-3; i++)
            n = rlimit / (Math.Log(n) + 0.1544313298);
        return ((long)n, (long)rlimit / 6);
    }

    internal static GloVeCooccurrence Count(
        Func<Stream> open, GloVeVocabulary vocabulary, GloVeOptions options, IProgress<GloVeProgress>? progress, CancellationToken cancellationToken,
        long? maxProductOverride = null, long? overflowOverride = null)
    {
        var (maxProduct, overflowLength) = Sizes(options.MemoryBudget);
        maxProduct = maxProductOverride ?? maxProduct;
        overflowLength = overflowOverride ?? overflowLength;
        int window = options.Window;
        int perToken = options.Symmetric ? 2 * window : window;
        int capacity = (int)Math.Min(Math.Max(overflowLength, perToken + 1), Array.MaxLength / 2);
        int threshold = capacity - perToken;

        long vocabularySize = vocabulary.Count;
        // Dense rows: rank r (1-based) holds the contexts of rank 1..min(maxProduct/r, V).
        var rowStart = new long[vocabularySize + 1];
        for (long r = 1; r <= vocabularySize; r++) rowStart[r] = rowStart[r - 1] + Math.Min(maxProduct / r, vocabularySize);
        if (rowStart[vocabularySize] > Array.MaxLength)
            throw new LmToLlmException($"the memory budget gives a dense table of {rowStart[vocabularySize]:N0} cells, more than one array holds; lower the memory budget");
        var dense = new double[rowStart[vocabularySize]];
        // Written before read: no need to zero up to budget/96 records (the reference mallocs this buffer too).
        var keys = GC.AllocateUninitializedArray<long>(capacity);
        var values = GC.AllocateUninitializedArray<double>(capacity);
        int buffered = 0;
        var runs = new List<string>();
        string folder = options.TempDirectory ?? Path.GetTempPath();
        var history = new int[window];
        bool symmetric = options.Symmetric;
        var weights = new double[window + 1];
        for (int d = 1; d <= window; d++) weights[d] = options.DistanceWeighting ? 1.0 / d : 1.0;
        try
        {
            long tokens = 0;
            using (Stream stream = open())
            {
                var reader = new ByteWordReader(stream);
                ByteStringTable table = vocabulary.Table;
                long j = 0;
                TokenKind kind;
                while ((kind = reader.Next()) != TokenKind.End)
                {
                    if (buffered >= threshold)
                    {
                        buffered = SortAndSum(keys, values, buffered);
                        runs.Add(WriteRun(folder, keys, values, buffered));
                        buffered = 0;
                    }
                    if (kind == TokenKind.LineEnd)
                    {
                        j = 0;
                        continue;
                    }
                    if ((++tokens & 0xFFFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        progress?.Report(new GloVeProgress(GloVePhase.Cooccurrence, tokens, vocabulary.CorpusTokens, 0));
                    }
                    int w2 = table.Find(reader.Word);
                    if (w2 < 0) continue;
                    long r2 = w2 + 1;
                    long first = j > window ? j - window : 0;
                    for (long k = j - 1; k >= first; k--)
                    {
                        int w1 = history[k % window];
                        long r1 = w1 + 1;
                        double weight = weights[j - k];
                        if (r1 * r2 <= maxProduct)
                        {
                            dense[rowStart[r1 - 1] + r2 - 1] += weight;
                            if (symmetric) dense[rowStart[r2 - 1] + r1 - 1] += weight;
                        }
                        else
                        {
                            keys[buffered] = Key(w1, w2);
                            values[buffered++] = weight;
                            if (symmetric)
                            {
                                keys[buffered] = Key(w2, w1);
                                values[buffered++] = weight;
                            }
                        }
                    }
                    history[j % window] = w2;
                    j++;
                }
            }
            buffered = SortAndSum(keys, values, buffered);
            cancellationToken.ThrowIfCancellationRequested();
            return Merge(dense, rowStart, maxProduct, vocabularySize, keys, values, buffered, runs);
        }
        finally
        {
            foreach (string run in runs)
            {
                try { File.Delete(run); } catch (IOException) { } // best effort: never hide the real error
            }
        }
    }

    private static long Key(int word1, int word2) => ((long)word1 << 32) | (uint)word2;

    /// <summary>Sorts the buffer by key and sums equal keys in place; returns the new length.</summary>
    private static int SortAndSum(long[] keys, double[] values, int length)
    {
        if (length == 0) return 0;
        Array.Sort(keys, values, 0, length);
        int write = 0;
        for (int read = 1; read < length; read++)
        {
            if (keys[read] == keys[write]) values[write] += values[read];
            else
            {
                write++;
                keys[write] = keys[read];
                values[write] = values[read];
            }
        }
        return write + 1;
    }

    private static string WriteRun(string folder, long[] keys, double[] values, int length)
    {
        string path = Path.Combine(folder, $"lmtollm-glove-{Environment.ProcessId}-{Guid.NewGuid():N}.run");
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        Span<byte> record = stackalloc byte[16];
        for (int i = 0; i < length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(record, keys[i]);
            BinaryPrimitives.WriteDoubleLittleEndian(record[8..], values[i]);
            stream.Write(record);
        }
        return path;
    }

    /// <summary>A sorted source of (key, value): the dense table in row order, a run file, or the last buffer.</summary>
    private abstract class Source
    {
        public long Key;
        public double Value;

        public abstract bool MoveNext();
    }

    private sealed class DenseSource(double[] dense, long[] rowStart, long vocabularySize) : Source
    {
        private long _row = 1, _cell = -1;

        public override bool MoveNext()
        {
            while (_row <= vocabularySize)
            {
                long end = rowStart[_row];
                while (++_cell + rowStart[_row - 1] < end)
                {
                    double v = dense[rowStart[_row - 1] + _cell];
                    if (v != 0)
                    {
                        Key = GloVeCooccurrence.Key((int)(_row - 1), (int)_cell);
                        Value = v;
                        return true;
                    }
                }
                _row++;
                _cell = -1;
            }
            return false;
        }
    }

    private sealed class BufferSource(long[] keys, double[] values, int length) : Source
    {
        private int _at = -1;

        public override bool MoveNext()
        {
            if (++_at >= length) return false;
            Key = keys[_at];
            Value = values[_at];
            return true;
        }
    }

    private sealed class RunSource(string path) : Source, IDisposable
    {
        private readonly FileStream _stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        private readonly byte[] _record = new byte[16];

        public override bool MoveNext()
        {
            int read = _stream.ReadAtLeast(_record, 16, throwOnEndOfStream: false);
            if (read == 0) return false;
            if (read < 16) throw new LmToLlmException($"{path}: the temporary co-occurrence run is truncated (disk full?)");
            Key = BinaryPrimitives.ReadInt64LittleEndian(_record);
            Value = BinaryPrimitives.ReadDoubleLittleEndian(_record.AsSpan(8));
            return true;
        }

        public void Dispose() => _stream.Dispose();
    }

    private static GloVeCooccurrence Merge(double[] dense, long[] rowStart, long maxProduct, long vocabularySize, long[] keys, double[] values, int buffered, List<string> runs)
    {
        var sources = new List<Source> { new DenseSource(dense, rowStart, vocabularySize), new BufferSource(keys, values, buffered) };
        var files = new List<RunSource>();
        try
        {
            foreach (string run in runs)
            {
                var source = new RunSource(run);
                files.Add(source);
                sources.Add(source);
            }
            var queue = new PriorityQueue<int, (long Key, int Source)>();
            for (int s = 0; s < sources.Count; s++)
                if (sources[s].MoveNext()) queue.Enqueue(s, (sources[s].Key, s));
            int capacity = 1 << 16;
            var word1 = new int[capacity];
            var word2 = new int[capacity];
            var sums = new double[capacity];
            int count = 0;
            long lastKey = -1;
            while (queue.TryDequeue(out int s, out var priority))
            {
                if (priority.Key == lastKey) sums[count - 1] += sources[s].Value;
                else
                {
                    if (count == capacity)
                    {
                        capacity = (int)Math.Min((long)capacity * 2, Array.MaxLength);
                        Array.Resize(ref word1, capacity);
                        Array.Resize(ref word2, capacity);
                        Array.Resize(ref sums, capacity);
                    }
                    word1[count] = (int)(priority.Key >> 32);
                    word2[count] = (int)(uint)priority.Key;
                    sums[count++] = sources[s].Value;
                    lastKey = priority.Key;
                }
                if (sources[s].MoveNext()) queue.Enqueue(s, (sources[s].Key, s));
            }
            return new GloVeCooccurrence(word1, word2, sums, count, runs.Count);
        }
        finally
        {
            foreach (var file in files) file.Dispose();
        }
    }
}
