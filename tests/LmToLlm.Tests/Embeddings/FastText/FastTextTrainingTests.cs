using System.Text;
using LmToLlm.Embeddings.FastText;

namespace LmToLlm.Tests.Embeddings.FastText;

public sealed class FastTextTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-ft-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly FastTextOptions Small = new()
    {
        Dimensions = 12, Window = 3, Epochs = 3, MinCount = 1, Bucket = 2000, Sample = 0, LearningRate = 0.05, MaxDegreeOfParallelism = 1, Seed = 5,
    };

    private static Func<Stream> Open(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return () => new MemoryStream(bytes, writable: false);
    }

    [Fact]
    public void One_thread_and_a_seed_reproduce_the_model_bit_for_bit()
    {
        var text = Open(Word2VecTrainingTests.TopicCorpus(300, 3));
        var first = FastTextTrainer.Train(text, Small).Model;
        var second = FastTextTrainer.Train(text, Small).Model;
        Assert.Equal(first.InputMatrix.ToArray(), second.InputMatrix.ToArray());
        Assert.Equal(first.OutputMatrix.ToArray(), second.OutputMatrix.ToArray());
        var other = FastTextTrainer.Train(text, Small with { Seed = 6 }).Model;
        Assert.NotEqual(first.InputMatrix.ToArray(), other.InputMatrix.ToArray());
    }

    [Theory]
    [InlineData(FastTextArchitecture.SkipGram, 1)]
    [InlineData(FastTextArchitecture.Cbow, 1)]
    [InlineData(FastTextArchitecture.SkipGram, 2)]
    public void Words_of_a_topic_are_nearest_to_each_other(FastTextArchitecture architecture, int threads)
    {
        var result = FastTextTrainer.Train(Open(Word2VecTrainingTests.TopicCorpus(800, 11)), Small with { Architecture = architecture, MaxDegreeOfParallelism = threads, Epochs = 5 });
        var model = result.Model;
        Assert.Equal(16, model.Count); // 15 words and </s>
        Assert.Equal(16 + 2000, model.InputRows);
        // Training stops once the shared count reaches epochs · ntokens (the reference's keepTraining); one thread lands
        // on it exactly, each further thread may finish the line and the unpublished tokens (≤ lrUpdateRate + a line of 11) it holds.
        long total = (800 * 10 + 800) * 5;
        if (threads == 1) Assert.Equal(total, result.TokensProcessed);
        else Assert.InRange(result.TokensProcessed, total, total + threads * (100 + 2 * 11));
        var neighbours = model.MostSimilar("cat", 4).Select(h => h.Word).ToHashSet();
        Assert.True(neighbours.SetEquals(["dog", "horse", "cow", "sheep"]), string.Join(' ', neighbours));
    }

    [Fact]
    public void An_unseen_word_gets_the_mean_of_its_trained_ngram_rows()
    {
        var model = FastTextTrainer.Train(Open(Word2VecTrainingTests.TopicCorpus(300, 3)), Small).Model;
        Assert.False(model.Contains("cats"));
        var rows = model.SubwordRows("cats");
        Assert.Equal(4 + 3 + 2 + 1, rows.Count); // "<cats>": 6 characters, n-grams of 3..6
        var expected = new float[model.Dimensions];
        foreach (int row in rows)
            for (int d = 0; d < expected.Length; d++) expected[d] += model.InputMatrix[row * model.Dimensions + d];
        float[] actual = model.WordVector("cats");
        for (int d = 0; d < expected.Length; d++) Assert.Equal(expected[d] / rows.Count, actual[d], 1e-6f);
        Assert.Contains(actual, v => v != 0);
    }

    [Fact]
    public void A_trained_model_saves_and_loads_with_the_same_vectors()
    {
        var model = FastTextTrainer.Train(Open(Word2VecTrainingTests.TopicCorpus(200, 4)), Small).Model;
        string path = Path.Combine(_dir, "m.bin");
        model.Save(path);
        var back = FastTextModel.Load(path);
        Assert.Equal(model.Words, back.Words);
        Assert.Equal(model.WordVector("cats"), back.WordVector("cats"));
        Assert.Equal(model.Tokens, back.Tokens);
    }

    [Fact]
    public void Subsampling_keeps_a_word_with_probability_sqrt_t_over_f_plus_t_over_f()
    {
        // f = 100 / 1e6 = 1e-4 = t: √1 + 1 = 2 (always kept); f = 1e-2: √0.01 + 0.01 = 0.11.
        Assert.Equal(2f, FastTextSgd.KeepProbability(100, 1e-4, 1_000_000));
        Assert.Equal(0.11f, FastTextSgd.KeepProbability(10_000, 1e-4, 1_000_000), 1e-6f);
    }

    [Fact]
    public void Sigmoid_table_spans_minus_8_to_8()
    {
        float[] table = FastTextSgd.SigmoidTable();
        Assert.Equal(513, table.Length);
        Assert.Equal(0.5f, table[256]);
        Assert.Equal((float)(1 / (1 + Math.Exp(8))), table[0]);
    }

    [Fact]
    public void Negative_table_draws_in_proportion_to_the_square_root_of_counts()
    {
        // counts 4 and 1: √4 = 2 and √1 = 1 of 3 → slots j < 2·10⁷/3 (6,666,667) and j < 10⁷/3 (3,333,334).
        int[] table = FastTextSgd.NegativeTable([4, 1]);
        Assert.Equal(6_666_667, table.Count(x => x == 0));
        Assert.Equal(3_333_334, table.Count(x => x == 1));
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => FastTextTrainer.Train(Open(Word2VecTrainingTests.TopicCorpus(300, 3)), Small, null, cancel.Token));
    }
}
