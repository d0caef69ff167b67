using System.Text;
using LmToLlm.Embeddings;
using LmToLlm.Embeddings.GloVe;

namespace LmToLlm.Tests.Embeddings;

public sealed class GloVeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-glove-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Func<Stream> Text(string text) => () => new MemoryStream(Encoding.UTF8.GetBytes(text));

    private static GloVeCooccurrence Count(string text, GloVeOptions options, long? maxProduct = null, long? overflow = null)
    {
        var vocabulary = GloVeVocabulary.Build(Text(text), options, null, default);
        return GloVeCooccurrence.Count(Text(text), vocabulary, options, null, default, maxProduct, overflow);
    }

    private static List<(int, int, double)> Cells(GloVeCooccurrence c) =>
        Enumerable.Range(0, c.Length).Select(i => (c.Word1[i], c.Word2[i], c.Values[i])).ToList();

    [Theory]
    [InlineData(100, 1.0)]                  // at x_max: (100/100)^0.75 = 1
    [InlineData(250, 1.0)]                  // above x_max: 1
    [InlineData(50, 0.59460355750136051)]   // 0.5^0.75 = 2^-0.75
    [InlineData(1, 0.031622776601683794)]   // 0.01^0.75 = 10^-1.5
    [InlineData(0, 0.0)]
    public void Weighting_function_on_hand_values(double x, double expected) =>
        Assert.Equal(expected, GloVeTrainer.Weight(x, 100, 0.75), 15);

    [Fact]
    public void Weighting_function_with_other_parameters() => Assert.Equal(0.5, GloVeTrainer.Weight(5, xMax: 10, alpha: 1), 15);

    [Fact]
    public void Vocabulary_sorts_by_count_then_bytes_and_applies_min_count()
    {
        var v = GloVeVocabulary.Build(Text("b a c\nc b\na d d\n"), new GloVeOptions { MinCount = 2 }, null, default);
        Assert.Equal(["a", "b", "c", "d"], v.Words); // all count 2: ties in byte order
        Assert.Equal([2L, 2, 2, 2], v.Counts);
        var top = GloVeVocabulary.Build(Text("x y y z z z\n"), new GloVeOptions { MinCount = 1, MaxVocabulary = 2 }, null, default);
        Assert.Equal(["z", "y"], top.Words);
        Assert.Equal(6, top.CorpusTokens);
    }

    // "a b c / b a", window 2, symmetric, 1/d:
    //   line 1: b sees a (d 1): X[a,b] += 1, X[b,a] += 1; c sees b (d 1) and a (d 2): X[b,c] += 1, X[c,b] += 1, X[a,c] += ½, X[c,a] += ½
    //   line 2 (the window restarts): a sees b (d 1): X[b,a] += 1, X[a,b] += 1
    // Ids by count then bytes: a 0, b 1, c 2.
    [Fact]
    public void Cooccurrences_on_a_hand_made_corpus()
    {
        var c = Count("a b c\nb a\n", new GloVeOptions { MinCount = 1, Window = 2 });
        Assert.Equal([(0, 1, 2.0), (0, 2, 0.5), (1, 0, 2.0), (1, 2, 1.0), (2, 0, 0.5), (2, 1, 1.0)], Cells(c));
    }

    [Fact]
    public void Window_limits_the_distance_and_asymmetric_counts_left_context_only()
    {
        Assert.Equal([(0, 1, 2.0), (1, 0, 2.0), (1, 2, 1.0), (2, 1, 1.0)], Cells(Count("a b c\nb a\n", new GloVeOptions { MinCount = 1, Window = 1 })));
        // Asymmetric: X[context, word] only, context on the left: a→b, b→c, a→c (½), then b→a.
        Assert.Equal([(0, 1, 1.0), (0, 2, 0.5), (1, 0, 1.0), (1, 2, 1.0)], Cells(Count("a b c\nb a\n", new GloVeOptions { MinCount = 1, Window = 2, Symmetric = false })));
        // Without distance weighting a pair at distance 2 adds 1.
        Assert.Equal((0, 2, 1.0), Cells(Count("a b c\nb a\n", new GloVeOptions { MinCount = 1, Window = 2, DistanceWeighting = false }))[1]);
    }

    [Fact]
    public void Out_of_vocabulary_tokens_take_no_place_in_the_window()
    {
        // x and c occur once: with min-count 2 they are skipped, so "a x b" puts a and b at distance 1 (as cooccur does).
        var c = Count("a b c\nb a\na x b\n", new GloVeOptions { MinCount = 2, Window = 1 });
        Assert.Equal([(0, 1, 3.0), (1, 0, 3.0)], Cells(c));
    }

    private static string RandomCorpus(int lines, int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder();
        for (int l = 0; l < lines; l++)
        {
            int n = rng.Next(1, 30);
            for (int i = 0; i < n; i++)
            {
                int w = (int)(300 * Math.Pow(rng.NextDouble(), 3)); // Zipf-like: low ids frequent
                sb.Append('w').Append(w).Append(i == n - 1 ? '\n' : ' ');
            }
        }
        return sb.ToString();
    }

    [Fact]
    public void Tiny_memory_budget_spills_runs_and_gives_the_same_counts_as_a_large_one()
    {
        string text = RandomCorpus(1500, 7);
        string temp = Directory.CreateDirectory(Path.Combine(_dir, "runs")).FullName;
        // Window 2: every weight is 1 or ½, so sums are exact in double whatever the order: the cells must be equal.
        var large = Count(text, new GloVeOptions { MinCount = 1, Window = 2 });
        // 64 KiB: a dense table for rank products ≤ 480 and a buffer of 580 records, so about a hundred runs.
        var tiny = Count(text, new GloVeOptions { MinCount = 1, Window = 2, MemoryBudget = 64 << 10, TempDirectory = temp });
        var sparse = Count(text, new GloVeOptions { MinCount = 1, Window = 2, TempDirectory = temp }, maxProduct: 0, overflow: 2000);
        Assert.Equal(0, large.SpilledRuns);
        Assert.True(tiny.SpilledRuns > 10, $"{tiny.SpilledRuns} runs");
        Assert.True(sparse.SpilledRuns > 10, $"{sparse.SpilledRuns} runs");
        Assert.Equal(Cells(large), Cells(tiny));
        Assert.Equal(Cells(large), Cells(sparse));
        Assert.Empty(Directory.GetFiles(temp)); // the runs are deleted
    }

    [Fact]
    public void Spilling_with_a_wide_window_changes_only_the_summation_order()
    {
        // Window 10: weights 1/3, 1/7 ... are inexact, and runs are summed in another grouping than one table, so
        // values may differ in the last bits (≤ a few ulps); the cells themselves must be identical.
        string text = RandomCorpus(800, 3);
        var large = Count(text, new GloVeOptions { MinCount = 1, Window = 10 });
        var tiny = Count(text, new GloVeOptions { MinCount = 1, Window = 10, MemoryBudget = 256 << 10, TempDirectory = _dir });
        Assert.True(tiny.SpilledRuns > 10, $"{tiny.SpilledRuns} runs");
        Assert.Equal(large.Length, tiny.Length);
        for (int i = 0; i < large.Length; i++)
        {
            Assert.Equal((large.Word1[i], large.Word2[i]), (tiny.Word1[i], tiny.Word2[i]));
            Assert.True(Math.Abs(large.Values[i] - tiny.Values[i]) <= 1e-13 * large.Values[i], $"cell {i}: {large.Values[i]:R} vs {tiny.Values[i]:R}");
        }
    }

    [Fact]
    public void Memory_budget_is_split_as_the_reference_splits_it()
    {
        // cooccur -memory 4.0: rlimit = 0.85 · 4 GiB / 16 = 228,170,137.6 records; n (ln n + 0.1544313298) = rlimit.
        var (maxProduct, overflow) = GloVeCooccurrence.Sizes(4L << 30);
        double n = maxProduct;
        Assert.InRange(n * (Math.Log(n) + 0.1544313298), 0.85 * (4L << 30) / 16 - 20, 0.85 * (4L << 30) / 16 + 1e-3);
        Assert.Equal(38_028_356, overflow); // (long)228,170,137.6 / 6
    }

    private static GloVeOptions Small(ulong seed = 3, int threads = 1) => new()
    {
        MinCount = 2, Window = 4, Dimensions = 8, Iterations = 5, MaxDegreeOfParallelism = threads, Seed = seed,
    };

    [Fact]
    public void Seeded_single_thread_training_is_reproducible()
    {
        string text = RandomCorpus(400, 11);
        var first = GloVeTrainer.Train(Text(text), Small());
        var second = GloVeTrainer.Train(Text(text), Small());
        var other = GloVeTrainer.Train(Text(text), Small(seed: 4));
        Assert.Equal(first.Vectors.Matrix.ToArray(), second.Vectors.Matrix.ToArray());
        Assert.Equal(first.FinalCost, second.FinalCost);
        Assert.NotEqual(first.Vectors.Matrix.ToArray(), other.Vectors.Matrix.ToArray());
        Assert.Equal("<unk>", first.Vectors.Word(first.Vectors.Count - 1));
        Assert.Equal(first.Counts.Count + 1, first.Vectors.Count);
    }

    [Fact]
    public void Training_lowers_the_cost_and_two_threads_reach_the_same_level()
    {
        string text = RandomCorpus(400, 12);
        var progress = new List<GloVeProgress>();
        var one = GloVeTrainer.Train(Text(text), Small() with { Iterations = 8 }, new SyncProgress(progress.Add));
        var costs = progress.Where(p => p.Phase == GloVePhase.Training).Select(p => p.Cost).ToList();
        Assert.Equal(8, costs.Count);
        for (int i = 1; i < costs.Count; i++) Assert.True(costs[i] < costs[i - 1], string.Join(", ", costs));
        var two = GloVeTrainer.Train(Text(text), Small(threads: 2) with { Iterations = 8 });
        Assert.InRange(two.FinalCost, one.FinalCost * 0.8, one.FinalCost * 1.2);
    }

    private sealed class SyncProgress(Action<GloVeProgress> handler) : IProgress<GloVeProgress>
    {
        public void Report(GloVeProgress value) => handler(value);
    }

    [Fact]
    public void Output_is_word_plus_context_and_unk_is_the_mean_of_the_rarest()
    {
        var result = GloVeTrainer.Train(Text("a b\nb a\n"), new GloVeOptions { MinCount = 1, Window = 1, Dimensions = 4, Iterations = 0, Seed = 9, MaxDegreeOfParallelism = 1 });
        // Without training the output is the initialisation: W + W̃ for a and b, <unk> = mean over both words.
        var v = result.Vectors;
        Assert.Equal(["a", "b", "<unk>"], v.Words);
        for (int d = 0; d < 4; d++) Assert.Equal((v.Vector(0)[d] + v.Vector(1)[d]) / 2, v.Vector(2)[d], 6);
        Assert.All(v.Matrix.ToArray(), x => Assert.InRange(x, -1f / 4, 1f / 4)); // two values in [−0.5, 0.5)/dim
    }

    [Fact]
    public void Glove_text_format_round_trips_and_is_detected()
    {
        var vectors = WordVectors.Create(["cat", "dog"], [1f, -0.5f, 0.25f, 2f], 2);
        string path = Path.Combine(_dir, "v.txt");
        vectors.Save(path, WordVectorFileFormat.GloVeText);
        Assert.Equal("cat 1.000000 -0.500000\ndog 0.250000 2.000000\n", File.ReadAllText(path)); // glove.c: "%s" then " %lf" each
        var loaded = WordVectors.Load(path);
        Assert.Equal(vectors.Words, loaded.Words);
        Assert.Equal(vectors.Matrix.ToArray(), loaded.Matrix.ToArray());
    }

    [Theory]
    [InlineData("cat 1 2\ndog 3\n", "v.txt:2: 1 values for 'dog', but the first line has 2")]
    [InlineData("cat 1 2\ndog 3 x\n", "v.txt:2: 'x' is not a number")]
    [InlineData("cat 1 2\ndog\n", "v.txt:2: a word without values")]
    public void Malformed_glove_text_is_a_clear_error(string content, string expected)
    {
        string path = Path.Combine(_dir, "v.txt");
        File.WriteAllText(path, content);
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(path, WordVectorFileFormat.GloVeText));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Bad_training_input_gives_clear_errors()
    {
        Assert.Contains("empty", Assert.Throws<LmToLlmException>(() => GloVeTrainer.Train(Text("\n\n"))).Message);
        Assert.Contains("min-count", Assert.Throws<LmToLlmException>(() => GloVeTrainer.Train(Text("a b c\n"), new GloVeOptions { MinCount = 5 })).Message);
        var unk = Assert.Throws<LmToLlmException>(() => GloVeTrainer.Train(Text("a <unk> b\n"), new GloVeOptions { MinCount = 1, Iterations = 1 }));
        Assert.Contains("<raw_unk>", unk.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => GloVeTrainer.Train(Text("a\n"), new GloVeOptions { XMax = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => GloVeTrainer.Train(Text("a\n"), new GloVeOptions { Window = 0 }));
    }
}
