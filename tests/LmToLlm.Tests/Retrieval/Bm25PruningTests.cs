using FsCheck.Xunit;
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
                Variant = (Bm25Variant)random.Next(VariantCount),
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

    /// <summary>
    /// Lists that end just before, at and after block boundaries (127, 128, 129, 257 postings) and frequencies up
    /// to 2^20: pruned search, exhaustive search and single-document scores all equal a scorer that reads the
    /// postings from the arrays the index was built from.
    /// </summary>
    [Theory]
    [InlineData(21, 40)]
    [InlineData(22, 40)]
    public void Pruned_top_k_equals_naive_scoring_across_block_boundaries(int seed, int cases)
    {
        var random = new Random(seed);
        int[] lengths = [1, 5, 127, 128, 129, 255, 256, 257, 383, 384, 385];
        for (int c = 0; c < cases; c++)
        {
            int n = random.Next(400, 1500), terms = random.Next(2, 9);
            var tf = new int[terms][];   // dense truth: tf[t][d]
            var termStart = new int[terms + 1];
            var docs = new List<int>();
            var freqs = new List<int>();
            var lengthsOfDocs = new int[n];
            for (int t = 0; t < terms; t++)
            {
                tf[t] = new int[n];
                int df = Math.Min(n, lengths[random.Next(lengths.Length)]);
                int width = random.Next(4) == 0 ? random.Next(1, 21) : random.Next(1, 4);
                foreach (int d in Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(df).Order())
                {
                    // Few distinct values, so that exact score ties occur between documents.
                    long raw = random.NextInt64(1L << width);
                    int f = 1 + (int)(random.Next(2) == 0 ? raw % 3 : raw);
                    tf[t][d] = f;
                    docs.Add(d);
                    freqs.Add(f);
                    lengthsOfDocs[d] += f;
                }
                termStart[t + 1] = docs.Count;
            }
            for (int d = 0; d < n; d++) if (random.Next(3) == 0) lengthsOfDocs[d] = lengthsOfDocs[d] / 4 * 4;   // shared lengths → ties
            var names = Enumerable.Range(0, terms).Select(t => $"t{t:D2}").ToArray();
            var ids = Enumerable.Range(0, n).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var index = InvertedIndex.FromCsr(Analyzer.Simple, InvertedIndexOptions.Default, names, termStart, docs.ToArray(), freqs.ToArray(), ids, lengthsOfDocs);
            var bm25 = Bm25.Create(index, new Bm25Options { Variant = (Bm25Variant)random.Next(VariantCount), K1 = (float)(random.NextDouble() * 3), B = (float)random.NextDouble() });
            for (int q = 0; q < 4; q++)
            {
                var query = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(terms)).ToArray();
                int k = random.Next(3) == 0 ? random.Next(100, 600) : random.Next(1, 12);
                var expected = Enumerable.Range(0, n).Where(d => query.Any(t => tf[t][d] > 0))
                    .Select(d => new SearchHit(d, DenseScore(bm25, query, tf, d)))
                    .OrderByDescending(h => h.Score).ThenBy(h => h.Document).Take(k).ToArray();
                Assert.Equal(expected, bm25.Search(query, k));
                Assert.Equal(expected, bm25.SearchExhaustive(query, k));
                for (int i = 0; i < 5; i++)
                {
                    int d = random.Next(n);
                    Assert.Equal(DenseScore(bm25, query, tf, d), bm25.Score(query, d));
                }
            }
            for (int t = 0; t < terms; t++)
            {
                Assert.Equal(tf[t].Max(), index.MaxTermFrequency(t));
                Assert.Equal(Enumerable.Range(0, n).Where(d => tf[t][d] > 0).ToArray(), index.PostingDocuments(t).ToArray());
            }
        }
    }

    private static readonly int VariantCount = Enum.GetValues<Bm25Variant>().Length;

    /// <summary>
    /// Property: on a random index (sometimes thousands of documents over a small vocabulary, so that lists span
    /// many blocks and whole blocks are skipped) and a random query with repeated terms, MaxScore and
    /// exhaustive search return exactly what scoring every document on its own gives, for every variant.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Max_score_equals_naive_scoring(int seed)
    {
        var random = new Random(seed);
        bool large = random.Next(4) == 0;
        var corpus = large
            ? TestCorpora.Random(random, random.Next(1500, 4000), random.Next(5, 60), random.Next(5, 40))
            : TestCorpora.Random(random, random.Next(1, 500), random.Next(3, 150), random.Next(1, 40));
        var index = InvertedIndex.Build(corpus, Analyzer.Simple, maxDegreeOfParallelism: 1);
        if (index.TermCount == 0) return true;
        var bm25 = Bm25.Create(index, new Bm25Options
        {
            Variant = (Bm25Variant)random.Next(VariantCount),
            K1 = random.Next(8) == 0 ? 0f : (float)(random.NextDouble() * 3),
            B = random.Next(5) == 0 ? random.Next(2) : (float)random.NextDouble(),
        });
        for (int q = 0; q < 3; q++)
        {
            var terms = Enumerable.Range(0, random.Next(1, 7)).Select(_ => random.Next(index.TermCount)).ToArray();
            if (terms.Length > 2 && random.Next(3) == 0) terms[^1] = terms[^2] = terms[0];   // a term three times
            int k = random.Next(4) == 0 ? random.Next(1, 1500) : random.Next(1, 12);
            var expected = Naive(bm25, terms, k);
            if (!expected.AsSpan().SequenceEqual(bm25.Search(terms, k))) return false;
            if (!expected.AsSpan().SequenceEqual(bm25.SearchExhaustive(terms, k))) return false;
        }
        return true;
    }

    /// <summary>
    /// Property for the window skipping of MaxScore: the corpus alternates stretches of short documents (high
    /// scores, high block maxima) and long ones (low block maxima), so that whole windows of the essential lists are
    /// jumped once the top k is full; top-k for k up to 1,500 still equals scoring every document on its own.
    /// </summary>
    [Property(MaxTest = 200)]
    public bool Max_score_window_skipping_equals_naive_scoring(int seed)
    {
        var random = new Random(seed);
        int n = random.Next(1000, 5000), vocabulary = random.Next(3, 25), stretch = random.Next(50, 700);
        var corpus = new List<LmToLlm.Corpora.Document>(n);
        for (int d = 0; d < n; d++)
        {
            bool hot = d / stretch % 3 == 0;
            int length = hot ? random.Next(1, 4) : random.Next(15, 50);
            var words = Enumerable.Range(0, length).Select(_ => TestCorpora.Word(random, vocabulary));
            corpus.Add(new LmToLlm.Corpora.Document(d.ToString(System.Globalization.CultureInfo.InvariantCulture), "", string.Join(' ', words)));
        }
        var index = InvertedIndex.Build(corpus, Analyzer.Simple, maxDegreeOfParallelism: 1);
        var bm25 = Bm25.Create(index, new Bm25Options { Variant = (Bm25Variant)random.Next(VariantCount), K1 = (float)(random.NextDouble() * 3), B = (float)random.NextDouble() });
        for (int q = 0; q < 3; q++)
        {
            var terms = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(index.TermCount)).ToArray();
            if (terms.Length > 2 && random.Next(3) == 0) terms[^1] = terms[0];
            int k = random.Next(2) == 0 ? random.Next(1, 1500) : random.Next(1, 30);
            var expected = Naive(bm25, terms, k);
            if (!expected.AsSpan().SequenceEqual(bm25.Search(terms, k))) return false;
        }
        return true;
    }

    /// <summary>A document's score from dense tf arrays: per occurrence, or (Lucene 8) per distinct term boosted by its count.</summary>
    private static float DenseScore(Bm25 bm25, int[] query, int[][] tf, int d)
    {
        double sum = 0;
        if (bm25.MergesRepeatedTerms)
        {
            foreach (var group in query.GroupBy(t => t))
                if (tf[group.Key][d] > 0) sum += bm25.Boosted(bm25.Weight(group.Key), group.Count()).Score(tf[group.Key][d], bm25.LengthFactor(d));
        }
        else
        {
            foreach (int t in query)
                if (tf[t][d] > 0) sum += bm25.Weight(t).Score(tf[t][d], bm25.LengthFactor(d));
        }
        return (float)sum;
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
        var lists = terms.Select(t => bm25.Index.PostingDocuments(t).ToArray()).ToArray();   // decoded once per query
        for (int d = 0; d < bm25.Index.DocumentCount; d++)
        {
            bool matches = lists.Any(list => Array.BinarySearch(list, d) >= 0);
            if (matches) hits.Add(new SearchHit(d, bm25.Score(terms, d)));
        }
        return hits.OrderByDescending(h => h.Score).ThenBy(h => h.Document).Take(k).ToArray();
    }
}
