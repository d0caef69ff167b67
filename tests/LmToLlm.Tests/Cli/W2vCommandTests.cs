using LmToLlm.Cli;
using LmToLlm.Embeddings;
using static LmToLlm.Tests.CliRunner;
using LmToLlm.Tests.Embeddings;

namespace LmToLlm.Tests.Cli;

public sealed class W2vCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-w2v-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Train_then_query_and_evaluate()
    {
        string text = Path.Combine(_dir, "corpus.txt");
        File.WriteAllText(text, Word2VecTrainingTests.TopicCorpus(800, 11));
        string vectors = Path.Combine(_dir, "v.txt");
        var train = Run("w2v", "train", "--text", text, "--out", vectors, "--text-format", "--sg", "--size", "12", "--window", "3",
            "--min-count", "1", "--sample", "0", "--iter", "3", "--threads", "1", "--seed", "5");
        Assert.True(train.Code == 0, train.Err);
        Assert.Contains("trained 26,400 words", train.Out); // (800 lines × 10 words + 800 line ends) × 3 epochs
        Assert.Contains("words/s", train.Err);
        var model = WordVectors.Load(vectors, WordVectorFileFormat.Text);
        Assert.Equal(16, model.Count);
        Assert.Equal(12, model.Dimensions);

        var similar = Run("w2v", "similar", "--vectors", vectors, "cat", "--top", "4");
        Assert.Equal(0, similar.Code);
        var neighbours = similar.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToHashSet();
        Assert.True(neighbours.SetEquals(["dog", "horse", "cow", "sheep"]), similar.Out);

        var analogy = Run("w2v", "analogy", "--vectors", vectors, "cat", "dog", "car", "--top", "3");
        Assert.Equal(0, analogy.Code);
        Assert.Equal(3, analogy.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        string questions = Path.Combine(_dir, "q.txt");
        File.WriteAllText(questions, ": animals\ncat dog cow sheep\ncat unknown cow sheep\n");
        string sim = Path.Combine(_dir, "sim.txt");
        File.WriteAllText(sim, "cat dog 9\ncat car 1\nbus train 8\nred nope 3\n");
        var eval = Run("w2v", "eval", "--vectors", vectors, "--analogies", questions, "--similarity", sim);
        Assert.True(eval.Code == 0, eval.Err);
        Assert.Contains("questions seen / total: 1 / 2", eval.Out);
        Assert.Contains("over 3 pairs (1 of 4 out of vocabulary)", eval.Out);
    }

    [Fact]
    public void Bad_vector_file_exits_1_with_one_line()
    {
        string bad = Path.Combine(_dir, "bad.bin");
        File.WriteAllText(bad, "not a header\n");
        var result = Run("w2v", "similar", "--vectors", bad, "cat");
        Assert.Equal(1, result.Code);
        Assert.Contains("bad header", result.Err);
        Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Contradictory_options_exit_2()
    {
        var result = Run("w2v", "train", "--text", "x", "--out", "y", "--sg", "--cbow");
        Assert.Equal(2, result.Code);
        Assert.Equal(2, Run("w2v", "train", "--out", "y").Code);
    }
}
