using LmToLlm.NGrams;

namespace LmToLlm.Tests.NGrams;

/// <summary>
/// lmplz's line order (<see cref="SuffixOrder.Permutation"/>) against a sort in memory by (rank of the suffix, first
/// word): small tables, tables with many coarse buckets of ranks and many chunks, and suffixes with many n-grams.
/// </summary>
public sealed class SuffixOrderTests
{
    public static TheoryData<int, int, int, bool> Shapes() => new()
    {
        // n-grams, (k−1)-grams, words, ranks given (false: bigrams, whose suffix is a word)
        { 1, 1, 1, false },
        { 50, 10, 20, false },
        { 50, 10, 20, true },
        { 300_000, 100_000, 5_000, true },  // about 7 coarse buckets of ranks, chunks on every thread
        { 300_000, 40_000, 60_000, false }, // bigrams: a few words with many continuations
        { 200_000, 20, 200_000, true },     // few suffixes, each with some 10,000 n-grams
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Permutation_equals_a_sort_by_suffix_rank_then_first_word(int count, int lowerCount, int words, bool ranked)
    {
        var random = new Random(count + lowerCount + words);
        // Distinct (suffix, first) keys; with ranks, the (k−1)-grams' suffix order is a random permutation.
        var keys = new HashSet<ulong>();
        while (keys.Count < count) keys.Add(NGramTable.Key(random.Next(lowerCount), random.Next(words)));
        ulong[] array = [.. keys.OrderBy(_ => random.Next())];
        int[]? ranks = ranked ? [.. Enumerable.Range(0, lowerCount).OrderBy(_ => random.Next())] : null;

        int[] permutation = SuffixOrder.Permutation(NGramTable.Adopt(array), count, ranks, lowerCount);

        int Rank(int id) => ranks is null ? NGramTable.Suffix(array[id]) : ranks[NGramTable.Suffix(array[id])];
        int[] expected = [.. Enumerable.Range(0, count).OrderBy(Rank).ThenBy(id => NGramTable.First(array[id]))];
        Assert.Equal(expected, permutation);
    }
}
