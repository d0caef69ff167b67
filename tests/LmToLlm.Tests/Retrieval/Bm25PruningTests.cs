using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval;

/// <summary>
/// MaxScore top-k must equal exhaustive scoring exactly (documents, order, float bits), ties by corpus order:
/// seeded random corpora (with duplicated documents, so exact ties occur), all variants, random k and queries
/// with repeated terms, checked against a naive scorer that scores every document on its own.
/// </summary>
public sealed class Bm25PruningTests
{
    [Theory]
    [InlineData(1, 120)]
    [InlineData(2, 120)]
    [InlineData(3, 120)]
    [InlineData(4, 120)]
    public void Pruned_top_k_equals_naive_scoring(int seed, int cases)
    {
        var random = new Random(seed);
        int checkedQueries = 0, withPruning = 0;
        for (int c = 0; c < cases; c++)
        {
            var corpus = TestCorpora.Random(random, random.Next(1, 400), random.Next(3, 200), random.Next(1, 40));
            var index = InvertedIndex.Build(corpus, Analyzer.Simple, maxDegreeOfParallelism: 1 + (c % 2));
            var options = new Bm25Options
            {
                Variant = (Bm25Variant)random.Next(6),
                K1 = (float)(random.NextDouble() * 3),
                B = random.Next(5) == 0 ? (random.Next(2) == 0 ? 0f : 1f) : (float)random.NextDouble(),
                Delta = random.Next(2) == 0 ? null : (float)(random.NextDouble() * 2),
            };
            var bm25 = Bm25.Create(index, options);
            if (index.TermCount == 0) continue;
            for (int q = 0; q < 5; q++)
            {
                int length = random.Next(1, 10);
                var terms = new int[length];
                for (int i = 0; i < length; i++) terms[i] = random.Next(index.TermCount);
                if (length > 2 && random.Next(3) == 0) terms[^1] = terms[0];   // repeated term
                int k = random.Next(4) == 0 ? random.Next(1, 1000) : random.Next(1, 12);
                var expected = Naive(bm25, terms, k);
                var actual = bm25.Search(terms, k);
                Assert.Equal(expected.Length, actual.Length);
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.True(expected[i] == actual[i],
                        $"case {c} ({options}, k={k}, query [{string.Join(",", terms)}]) rank {i + 1}: {actual[i]} instead of {expected[i]}");
                }
                Assert.Equal(expected, bm25.SearchExhaustive(terms, k));
                checkedQueries++;
                if (k < expected.Length + 5) withPruning++;
            }
        }
        Assert.True(checkedQueries >= cases * 4);
        Assert.True(withPruning > cases, "too few cases where k is small enough for pruning to matter");
    }

    [Fact]
    public void Batch_search_equals_one_by_one()
    {
        var random = new Random(7);
        var corpus = TestCorpora.Random(random, 2000, 300, 30);
        var index = InvertedIndex.Build(corpus, Analyzer.Simple);
        var bm25 = Bm25.Lucene(index);
        var queries = Enumerable.Range(0, 64).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(1, 6)).Select(_ => TestCorpora.Word(random, 300)))).ToList();
        var batch = bm25.SearchMany(queries, 10);
        for (int i = 0; i < queries.Count; i++) Assert.Equal(bm25.Search(queries[i], 10), batch[i]);
    }

    [Fact]
    public void Index_does_not_depend_on_parallelism()
    {
        var corpus = TestCorpora.Random(new Random(11), 5000, 500, 20);
        var one = InvertedIndex.Build(corpus, Analyzer.Simple, maxDegreeOfParallelism: 1);
        var many = InvertedIndex.Build(corpus, Analyzer.Simple, maxDegreeOfParallelism: 4);
        Assert.Equal(one.Terms, many.Terms);
        Assert.Equal(one.PostingDocsArray, many.PostingDocsArray);
        Assert.Equal(one.PostingFreqsArray, many.PostingFreqsArray);
        Assert.Equal(one.DocumentLengths.ToArray(), many.DocumentLengths.ToArray());
    }

    /// <summary>Scores every document independently (binary search per term), sorts by score then corpus order.</summary>
    private static SearchHit[] Naive(Bm25 bm25, int[] terms, int k)
    {
        var hits = new List<SearchHit>();
        for (int d = 0; d < bm25.Index.DocumentCount; d++)
        {
            bool matches = terms.Any(t => bm25.Index.PostingDocuments(t).BinarySearch(d) >= 0);
            if (matches) hits.Add(new SearchHit(d, bm25.Score(terms, d)));
        }
        return hits.OrderByDescending(h => h.Score).ThenBy(h => h.Document).Take(k).ToArray();
    }
}
