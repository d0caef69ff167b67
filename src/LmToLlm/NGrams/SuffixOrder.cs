using LmToLlm.Primitives;

namespace LmToLlm.NGrams;

/// <summary>
/// lmplz's order of the n-grams of one order: by last word, then the word before it, …, then the first word (word ids
/// compared). The ARPA writers use it so that a file is the same for any thread count, in memory or on disk, and equal to
/// lmplz's byte for byte. Input: the table of order k and the ranks of order k−1 in this order. Output: the ids in order.
/// </summary>
internal static class SuffixOrder
{
    /// <summary>
    /// The ids of <paramref name="table"/>'s first <paramref name="count"/> n-grams in suffix order: by the rank of each
    /// n-gram's suffix (<paramref name="lowerRanks"/>, null for bigrams, whose suffix is a word), then by first word.
    /// </summary>
    /// <remarks>
    /// A counting sort over all ranks would make two passes of scattered reads and writes over one counter per
    /// (k−1)-gram, on one thread. Instead the ids go, with their ranks, to coarse buckets of
    /// 2^<see cref="BucketBits"/> consecutive ranks (few enough for every thread to keep its own counters), and each
    /// bucket is sorted on its own with counters that stay in cache: every pass runs on all cores. Besides the result
    /// it needs 8 bytes per n-gram.
    /// </remarks>
    internal static int[] Permutation(NGramTable table, int count, int[]? lowerRanks, int lowerCount)
    {
        ulong[] keys = table.Keys;
        int buckets = (lowerCount >> BucketBits) + 1;
        int chunks = Math.Clamp(count >> 16, 1, 4 * Environment.ProcessorCount);
        var next = new int[chunks * buckets]; // chunk c's next slot in bucket b: next[c * buckets + b]
        Parallel.For(0, chunks, c =>
        {
            var (from, to) = Chunk(count, chunks, c);
            Span<int> mine = next.AsSpan(c * buckets, buckets);
            for (int id = from; id < to; id++) mine[Rank(keys[id], lowerRanks) >> BucketBits]++;
        });
        var bucketStart = new int[buckets + 1];
        for (int b = 0, slot = 0; b < buckets; b++)
        {
            bucketStart[b] = slot;
            for (int c = 0; c < chunks; c++)
            {
                int size = next[c * buckets + b];
                next[c * buckets + b] = slot;
                slot += size;
            }
            bucketStart[b + 1] = slot;
        }
        // Each id with its suffix's rank above it, in its bucket.
        ulong[] ranked = GC.AllocateUninitializedArray<ulong>(count);
        Parallel.For(0, chunks, c =>
        {
            var (from, to) = Chunk(count, chunks, c);
            Span<int> mine = next.AsSpan(c * buckets, buckets);
            for (int id = from; id < to; id++)
            {
                uint rank = (uint)Rank(keys[id], lowerRanks);
                ranked[mine[(int)(rank >> BucketBits)]++] = (ulong)rank << 32 | (uint)id;
            }
        });
        int[] permutation = new int[count];
        Parallel.For(0, buckets, () => new Scratch(), (b, _, scratch) =>
        {
            int begin = bucketStart[b], end = bucketStart[b + 1];
            if (begin == end) return scratch;
            int[] starts = scratch.Starts;
            uint lowest = (uint)b << BucketBits;
            // Counting sort by rank within the bucket: starts[r] is where rank lowest + r begins.
            starts.AsSpan().Clear();
            for (int i = begin; i < end; i++) starts[(int)((ranked[i] >> 32) - lowest)]++;
            for (int r = 0, slot = begin; r < 1 << BucketBits; r++) (starts[r], slot) = (slot, slot + starts[r]);
            for (int i = begin; i < end; i++) permutation[starts[(int)((ranked[i] >> 32) - lowest)]++] = (int)ranked[i];
            // starts[r] now ends rank lowest + r: sort each rank's few n-grams by first word.
            for (int r = 0, from = begin; r < 1 << BucketBits && from < end; r++)
            {
                int to = starts[r];
                if (to - from > 1) scratch.SortByFirstWord(permutation.AsSpan(from, to - from), keys);
                from = to;
            }
            return scratch;
        }, static _ => { });
        return permutation;
    }

    /// <summary>Ranks per coarse bucket of <see cref="Permutation"/>, as a power of two: its counters take 64 KB.</summary>
    private const int BucketBits = 14;

    /// <summary>Chunk <paramref name="chunk"/> of <paramref name="chunks"/> of [0, count).</summary>
    private static (int From, int To) Chunk(int count, int chunks, int chunk)
        => ((int)((long)count * chunk / chunks), (int)((long)count * (chunk + 1) / chunks));

    private static int Rank(ulong key, int[]? lowerRanks) => lowerRanks is null ? NGramTable.Suffix(key) : lowerRanks[NGramTable.Suffix(key)];

    /// <summary>What one thread of <see cref="Permutation"/> reuses from bucket to bucket.</summary>
    private sealed class Scratch
    {
        /// <summary>Where each rank of a bucket starts (then ends).</summary>
        public readonly int[] Starts = new int[1 << BucketBits];

        private ulong[] _packed = new ulong[64];

        /// <summary>Sorts ids with the same suffix by first word (unique within a suffix), each packed above its id into one ulong.</summary>
        public void SortByFirstWord(Span<int> ids, ulong[] keys)
        {
            if (_packed.Length < ids.Length) _packed = new ulong[Math.Max(ids.Length, 2 * _packed.Length)];
            Span<ulong> packed = _packed.AsSpan(0, ids.Length);
            for (int i = 0; i < ids.Length; i++) packed[i] = (ulong)(uint)NGramTable.First(keys[ids[i]]) << 32 | (uint)ids[i];
            packed.Sort();
            for (int i = 0; i < ids.Length; i++) ids[i] = (int)packed[i];
        }
    }

    /// <summary>The rank of each id in <paramref name="permutation"/>.</summary>
    internal static int[] Ranks(int[] permutation)
    {
        int[] ranks = new int[permutation.Length];
        for (int i = 0; i < permutation.Length; i++) ranks[permutation[i]] = i;
        return ranks;
    }

    /// <summary>
    /// Renumbers a model's n-grams of every order into suffix order: keys (their suffix ids follow the order below),
    /// probabilities and backoffs, each gathered into a new array (the counts may still use the old keys). The ARPA writer
    /// then reads each order front to back, and consecutive n-grams share their lower-order chains, which keeps its
    /// lookups in cache. Each order's old arrays are given back before the next order's new ones are made.
    /// </summary>
    internal static void Renumber(NGramTable?[] tables, float[][] probabilities, float[][] backoffs)
    {
        int[]? ranks = null; // new id of each old id of the order below (null: words keep their ids)
        int largest = 0;     // n-grams of the largest order, where renumbering reaches its peak
        foreach (float[] order in probabilities) largest = Math.Max(largest, order.Length);
        for (int k = 2; k <= probabilities.Length; k++)
        {
            int count = probabilities[k - 1].Length;
            int[] permutation = Permutation(tables[k - 1]!, count, ranks, probabilities[k - 2].Length);
            tables[k - 1] = NGramTable.Adopt(GatherKeys(tables[k - 1]!.Keys, permutation, ranks));
            ranks = null;
            // The old keys and ranks: their space takes the new probabilities. At the largest order they are given back
            // at once: whether a plain collection gave them back before the next arrays were made depended on the
            // collector's timing (peaks of 571–588 MiB on the 8 M-word text). Doing so at every order cost 9 % more time.
            if (count == largest) LargeMemory.Return(count * 12L);
            else LargeMemory.Collect(count * 12L);
            probabilities[k - 1] = Gather(probabilities[k - 1], permutation);
            if (backoffs[k - 1].Length == count) backoffs[k - 1] = Gather(backoffs[k - 1], permutation);
            if (k < probabilities.Length) ranks = Ranks(permutation);
            permutation = [];
            LargeMemory.Return(count * 12L); // without it the freed arrays stay resident and the peak rises by about 100 MB
        }
    }

    /// <summary>The keys in <paramref name="permutation"/>'s order, their suffix ids renumbered by <paramref name="lowerRanks"/>.</summary>
    private static ulong[] GatherKeys(ulong[] keys, int[] permutation, int[]? lowerRanks)
    {
        var target = new ulong[permutation.Length];
        ParallelBlocks.For(permutation.Length, GatherBlock, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                ulong key = keys[permutation[i]];
                target[i] = lowerRanks is null ? key : NGramTable.Key(lowerRanks[NGramTable.Suffix(key)], NGramTable.First(key));
            }
        });
        return target;
    }

    /// <summary>Entries per block of the parallel gathers.</summary>
    private const int GatherBlock = 1 << 16;

    private static T[] Gather<T>(T[] source, int[] permutation)
    {
        var target = new T[permutation.Length];
        ParallelBlocks.For(permutation.Length, GatherBlock, (start, end) =>
        {
            for (int i = start; i < end; i++) target[i] = source[permutation[i]];
        });
        return target;
    }
}
