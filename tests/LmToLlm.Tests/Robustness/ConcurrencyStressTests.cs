using System.Diagnostics;
using LmToLlm.Corpora;
using LmToLlm.Embeddings;
using LmToLlm.NGrams;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Text;
using Xunit.Abstractions;

namespace LmToLlm.Tests.Robustness;

/// <summary>
/// One loaded object, many threads: thousands of queries against one index (BM25, TF-IDF), one n-gram model, one set
/// of word vectors and one dense index, every result equal to the single-threaded result of an identical object that was
/// built separately (so that lazily built state — hash indexes, norms, caches — is first touched under contention).
/// </summary>
[Trait("Category", "Robustness")]
public sealed class ConcurrencyStressTests(ITestOutputHelper output)
{
    private const int Threads = 16; // many more than the 2 cores of CI, so threads interleave inside calls
    private const int Rounds = 2;

    /// <summary>
    /// Runs <paramref name="query"/> for every input index from <see cref="Threads"/> threads released together by a
    /// barrier, each in its own rotated order, <see cref="Rounds"/> times; returns the number of calls and mismatches.
    /// </summary>
    private (int Calls, List<string> Mismatches) Hammer<T>(int count, Func<int, T> query, T[] expected, Func<T, T, bool> equal)
    {
        var mismatches = new List<string>();
        int calls = 0;
        using var barrier = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            barrier.SignalAndWait();
            for (int round = 0; round < Rounds; round++)
            {
                for (int j = 0; j < count; j++)
                {
                    int i = (j + t * 37 + round * 11) % count;
                    T actual = query(i);
                    Interlocked.Increment(ref calls);
                    if (!equal(actual, expected[i])) lock (mismatches) mismatches.Add($"thread {t} input {i}");
                }
            }
        })).ToList();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        return (calls, mismatches);
    }

    private static bool Same<T>(T[] a, T[] b) => a.AsSpan().SequenceEqual(b);

    private static bool Same<T>(IReadOnlyList<T> a, IReadOnlyList<T> b) => a.SequenceEqual(b);

    private static List<Document> Corpus() => [.. Cli.AtomicOutputTests.Sentences(4000, 21).Select((s, i) => new Document("d" + i, "", s))];

    [Fact]
    public void Bm25_and_tfidf_on_one_index_give_the_single_threaded_results_under_many_threads()
    {
        var docs = Corpus();
        string[] queries = [.. Cli.AtomicOutputTests.Sentences(300, 5).Select(s => string.Join(' ', s.Split(' ').Take(4)))];
        var referenceIndex = InvertedIndex.Build(docs, Analyzer.Simple);
        var bm25Expected = queries.Select(q => Bm25.Create(referenceIndex).Search(q, 10)).ToArray();
        var tfidfExpected = queries.Select(q => TfIdf.Create(referenceIndex).Search(q, 10)).ToArray();

        var index = InvertedIndex.Build(docs, Analyzer.Simple);
        var bm25 = Bm25.Create(index);
        var tfidf = TfIdf.Create(index);
        var clock = Stopwatch.StartNew();
        var (bm25Calls, bm25Wrong) = Hammer(queries.Length, i => bm25.Search(queries[i], 10), bm25Expected, Same);
        var (tfidfCalls, tfidfWrong) = Hammer(queries.Length, i => tfidf.Search(queries[i], 10), tfidfExpected, Same);
        output.WriteLine($"BM25 {bm25Calls} and TF-IDF {tfidfCalls} queries on {Threads} threads in {clock.Elapsed.TotalSeconds:F2} s");
        Assert.True(bm25Expected.All(h => h.Length > 0), "every query finds documents");
        Assert.Equal(Threads * Rounds * queries.Length, bm25Calls);
        Assert.Empty(bm25Wrong);
        Assert.Empty(tfidfWrong);
    }

    [Theory]
    [InlineData(Smoothing.ModifiedKneserNey)]
    [InlineData(Smoothing.StupidBackoff)]
    public void One_ngram_model_scores_sentences_as_single_threaded_under_many_threads(Smoothing smoothing)
    {
        var training = Cli.AtomicOutputTests.Sentences(4000, 8);
        string[] sentences = [.. Cli.AtomicOutputTests.Sentences(500, 9)];
        LanguageModel Train() => NGramTrainer.Train(NGramCounts.FromLines(training, new NGramCountOptions { Order = 3 }), new NGramTrainingOptions { Smoothing = smoothing, DiscountFallback = true });
        var reference = Train();
        var expected = sentences.Select(s => reference.ScoreSentence(s)).ToArray();

        var model = Train();
        var clock = Stopwatch.StartNew();
        var (calls, wrong) = Hammer(sentences.Length, i => model.ScoreSentence(sentences[i]), expected, (a, b) => a.Equals(b));
        output.WriteLine($"{smoothing}: {calls} sentences on {Threads} threads in {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(Threads * Rounds * sentences.Length, calls);
        Assert.Empty(wrong);
    }

    [Fact]
    public void One_set_of_word_vectors_answers_similar_and_analogy_as_single_threaded_under_many_threads()
    {
        const int words = 2000, dimensions = 32;
        var rng = new Random(17);
        string[] vocabulary = [.. Enumerable.Range(0, words).Select(i => "w" + i)];
        float[] matrix = [.. Enumerable.Range(0, words * dimensions).Select(_ => (float)(rng.NextDouble() - 0.5))];
        var reference = WordVectors.Create(vocabulary, (float[])matrix.Clone(), dimensions);
        var similarExpected = Enumerable.Range(0, 200).Select(i => reference.MostSimilar(vocabulary[i * 7], 10)).ToArray();
        var analogyExpected = Enumerable.Range(0, 200).Select(i => reference.Analogy(vocabulary[i], vocabulary[i + 600], vocabulary[i + 1200], 5)).ToArray();

        var vectors = WordVectors.Create(vocabulary, matrix, dimensions);
        var clock = Stopwatch.StartNew();
        var (similarCalls, similarWrong) = Hammer(200, i => vectors.MostSimilar(vocabulary[i * 7], 10), similarExpected, Same);
        var (analogyCalls, analogyWrong) = Hammer(200, i => vectors.Analogy(vocabulary[i], vocabulary[i + 600], vocabulary[i + 1200], 5), analogyExpected, Same);
        output.WriteLine($"similar {similarCalls} and analogy {analogyCalls} calls on {Threads} threads in {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Empty(similarWrong);
        Assert.Empty(analogyWrong);
    }

    [Fact]
    public void One_dense_index_answers_as_single_threaded_under_many_threads()
    {
        const int rows = 2000, dimensions = 32;
        var rng = new Random(23);
        float[] matrix = [.. Enumerable.Range(0, rows * dimensions).Select(_ => (float)(rng.NextDouble() - 0.5))];
        float[][] queries = [.. Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, dimensions).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray())];
        var reference = DenseIndex.Create(matrix, dimensions);
        var expected = queries.Select(q => reference.Search(q, 10)).ToArray();

        var index = DenseIndex.Create(matrix, dimensions);
        var clock = Stopwatch.StartNew();
        var (calls, wrong) = Hammer(queries.Length, i => index.Search(queries[i], 10), expected, Same);
        output.WriteLine($"dense: {calls} queries on {Threads} threads in {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Empty(wrong);
    }
}
