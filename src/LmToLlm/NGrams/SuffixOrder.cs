namespace LmToLlm.NGrams;

/// <summary>
/// lmplz's order of the n-grams of one order: by last word, then the word before it, …, then the first word (word ids
/// compared). The ARPA writers use it so that a file is the same for any thread count, in memory or on disk, and equal to
/// lmplz's byte for byte. Input: the table of order k and the ranks of order k−1 in this order. Output: the ids in order.
/// </summary>
internal static class SuffixOrder
{
    /// <summary>
    /// The ids of <paramref name="table"/>'s first <paramref name="count"/> n-grams in suffix order: a counting sort on the
    /// rank of each n-gram's suffix (<paramref name="lowerRanks"/>, null for bigrams, whose suffix is a word), then a sort
    /// of each suffix's few n-grams by first word, in parallel. Besides the result it needs one int per (k−1)-gram.
    /// </summary>
    internal static int[] Permutation(NGramTable table, int count, int[]? lowerRanks, int lowerCount)
    {
        ulong[] keys = table.Keys;
        int[] ends = new int[lowerCount + 1]; // bucket r is [ends[r − 1], ends[r]) once the ids are placed
        for (int id = 0; id < count; id++) ends[Rank(keys[id], lowerRanks) + 1]++;
        for (int r = 0; r < lowerCount; r++) ends[r + 1] += ends[r];
        int[] permutation = new int[count];
        for (int id = 0; id < count; id++) permutation[ends[Rank(keys[id], lowerRanks)]++] = id;
        const int slice = 1 << 14;
        Parallel.For(0, (lowerCount + slice - 1) / slice, s =>
        {
            int last = Math.Min(lowerCount, (s + 1) * slice);
            for (int r = s * slice; r < last; r++)
            {
                int begin = r == 0 ? 0 : ends[r - 1];
                if (ends[r] - begin > 1) permutation.AsSpan(begin, ends[r] - begin).Sort(new ByFirstWord(keys));
            }
        });
        return permutation;
    }

    private static int Rank(ulong key, int[]? lowerRanks) => lowerRanks is null ? NGramTable.Suffix(key) : lowerRanks[NGramTable.Suffix(key)];

    /// <summary>Ids with the same suffix, by first word (unique within a suffix).</summary>
    private readonly struct ByFirstWord(ulong[] keys) : IComparer<int>
    {
        public int Compare(int x, int y) => NGramTable.First(keys[x]).CompareTo(NGramTable.First(keys[y]));
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
        for (int k = 2; k <= probabilities.Length; k++)
        {
            int count = probabilities[k - 1].Length;
            int[] permutation = Permutation(tables[k - 1]!, count, ranks, probabilities[k - 2].Length);
            tables[k - 1] = NGramTable.Adopt(GatherKeys(tables[k - 1]!.Keys, permutation, ranks));
            ranks = null;
            LargeMemory.Collect(count * 12L); // the old keys and ranks: their space takes the new probabilities
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
        Parallel.For(0, (permutation.Length + (1 << 16) - 1) >> 16, block =>
        {
            int end = Math.Min(permutation.Length, (block + 1) << 16);
            for (int i = block << 16; i < end; i++)
            {
                ulong key = keys[permutation[i]];
                target[i] = lowerRanks is null ? key : NGramTable.Key(lowerRanks[NGramTable.Suffix(key)], NGramTable.First(key));
            }
        });
        return target;
    }

    private static T[] Gather<T>(T[] source, int[] permutation)
    {
        var target = new T[permutation.Length];
        Parallel.For(0, (permutation.Length + (1 << 16) - 1) >> 16, block =>
        {
            int end = Math.Min(permutation.Length, (block + 1) << 16);
            for (int i = block << 16; i < end; i++) target[i] = source[permutation[i]];
        });
        return target;
    }
}
