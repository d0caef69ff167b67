namespace LmToLlm.NGrams;

/// <summary>
/// lmplz's order of the n-grams of one order: by last word, then the word before it, …, then the first word (word ids
/// compared). The ARPA writers use it so that a file is the same for any thread count, in memory or on disk, and equal to
/// lmplz's byte for byte. Input: the table of order k and the ranks of order k−1 in this order. Output: the ids in order.
/// </summary>
internal static class SuffixOrder
{
    /// <summary>
    /// The ids of <paramref name="table"/>'s first <paramref name="count"/> n-grams in suffix order. A counting sort on the
    /// rank of each n-gram's suffix (<paramref name="lowerRanks"/>, null for bigrams, whose suffix is a word), then a sort
    /// of each suffix's few n-grams by first word, in parallel.
    /// </summary>
    internal static int[] Permutation(NGramTable table, int count, int[]? lowerRanks, int lowerCount)
    {
        ulong[] keys = table.Keys;
        int[] starts = new int[lowerCount + 1];
        for (int id = 0; id < count; id++) starts[Rank(keys[id], lowerRanks) + 1]++;
        for (int r = 0; r < lowerCount; r++) starts[r + 1] += starts[r];
        // Per suffix bucket: (first word << 32 | id), so that sorting a bucket sorts by first word.
        ulong[] sorted = new ulong[count];
        int[] next = (int[])starts.Clone();
        for (int id = 0; id < count; id++)
        {
            ulong key = keys[id];
            sorted[next[Rank(key, lowerRanks)]++] = ((ulong)(uint)NGramTable.First(key) << 32) | (uint)id;
        }
        next = [];
        const int slice = 1 << 14;
        Parallel.For(0, (lowerCount + slice - 1) / slice, s =>
        {
            int end = Math.Min(lowerCount, (s + 1) * slice);
            for (int r = s * slice; r < end; r++)
            {
                int length = starts[r + 1] - starts[r];
                if (length > 1) sorted.AsSpan(starts[r], length).Sort();
            }
        });
        int[] permutation = new int[count];
        for (int i = 0; i < count; i++) permutation[i] = (int)(uint)sorted[i];
        return permutation;
    }

    private static int Rank(ulong key, int[]? lowerRanks) => lowerRanks is null ? NGramTable.Suffix(key) : lowerRanks[NGramTable.Suffix(key)];

    /// <summary>The rank of each id in <paramref name="permutation"/>.</summary>
    internal static int[] Ranks(int[] permutation)
    {
        int[] ranks = new int[permutation.Length];
        for (int i = 0; i < permutation.Length; i++) ranks[permutation[i]] = i;
        return ranks;
    }
}
