using LmToLlm.Embeddings;
using LmToLlm.Embeddings.FastText;
using LmToLlm.Tests.Embeddings;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary>The <c>ft train</c> and <c>glove train</c> commands, and <c>w2v</c> queries of what they write.</summary>
public sealed class EmbeddingTrainingCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-train-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Ft_train_then_w2v_queries_unseen_words()
    {
        string text = Path.Combine(_dir, "corpus.txt");
        File.WriteAllText(text, Word2VecTrainingTests.TopicCorpus(800, 11));
        string prefix = Path.Combine(_dir, "ft");
        var train = Run("ft", "train", "-input", text, "-output", prefix, "-dim", "12", "-ws", "3", "-epoch", "5", "-minCount", "1",
            "-bucket", "2000", "-t", "0", "-thread", "1", "-seed", "5");
        Assert.True(train.Code == 0, train.Err);
        Assert.Contains("trained 44,000 tokens", train.Out); // (800 lines × 10 words + 800 line ends) × 5 epochs
        Assert.True(FastTextModel.IsModelFile(prefix + ".bin"));
        Assert.Equal(16, FastTextVecFormat.Load(prefix + ".vec").Count);

        var similar = Run("w2v", "similar", "--vectors", prefix + ".bin", "cats", "--top", "3");
        Assert.True(similar.Code == 0, similar.Err);
        Assert.Equal(3, similar.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var analogy = Run("w2v", "analogy", "--vectors", prefix + ".bin", "cat", "dogs", "car", "--top", "2");
        Assert.True(analogy.Code == 0, analogy.Err);
        var nn = Run("ft", "nn", prefix + ".bin", "cat", "-k", "4");
        Assert.True(nn.Code == 0, nn.Err);
        var neighbours = nn.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToHashSet();
        Assert.True(neighbours.SetEquals(["dog", "horse", "cow", "sheep"]), nn.Out);
        var vecOnly = Run("w2v", "similar", "--vectors", prefix + ".vec", "cats");
        Assert.Equal(1, vecOnly.Code); // a .vec file has no n-grams: unseen words stay unknown
    }

    [Fact]
    public void Glove_train_and_w2v_queries_the_glove_file()
    {
        string text = Path.Combine(_dir, "corpus.txt");
        File.WriteAllText(text, Word2VecTrainingTests.TopicCorpus(600, 5));
        string vectors = Path.Combine(_dir, "v.txt");
        var train = Run("glove", "train", "--text", text, "--out", vectors, "-vector-size", "10", "-window-size", "3", "-vocab-min-count", "1",
            "-iter", "10", "-threads", "1", "-seed", "5", "-x-max", "10");
        Assert.True(train.Code == 0, train.Err);
        Assert.Contains("iter: 010, cost:", train.Err);
        Assert.Contains("0 spilled run(s)", train.Out);
        var model = WordVectors.Load(vectors);
        Assert.Equal(16, model.Count); // 15 words and <unk>
        var similar = Run("w2v", "similar", "--vectors", vectors, "cat", "--top", "3");
        Assert.True(similar.Code == 0, similar.Err);
        Assert.Equal(3, similar.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var bad = Run("glove", "train", "--text", text, "--out", vectors, "-symmetric", "2");
        Assert.Equal(2, bad.Code);
    }
}
