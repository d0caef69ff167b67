using System.Text;
using LmToLlm.Corpora;
using LmToLlm.Embeddings;
using LmToLlm.Embeddings.FastText;
using LmToLlm.NGrams;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Text;

namespace LmToLlm.Tests.Robustness;

/// <summary>Save(Stream) writes the bytes Save(path) writes, and Load(Stream) reads them back.</summary>
public sealed class StreamOverloadTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private byte[] ViaPath(Action<string> save)
    {
        string path = _dir.File(Guid.NewGuid().ToString("N"));
        save(path);
        return File.ReadAllBytes(path);
    }

    private static byte[] ViaStream(Action<Stream> save)
    {
        var stream = new MemoryStream();
        save(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Inverted_index()
    {
        var index = InvertedIndex.Build([new Document("d1", "", "the cat sat"), new Document("d2", "", "a dog ran")], Analyzer.Simple);
        byte[] bytes = ViaStream(index.Save);
        Assert.Equal(ViaPath(index.Save), bytes);
        Assert.Equal(index.Terms, InvertedIndex.Load(new MemoryStream(bytes)).Terms);
    }

    [Fact]
    public void Backoff_model()
    {
        string arpa = _dir.Write("m.arpa", MutationTests.Arpa);
        var model = BackoffModel.ReadArpa(arpa);
        byte[] bytes = ViaStream(model.Save);
        Assert.Equal(ViaPath(p => model.Save(p)), bytes);
        var loaded = BackoffModel.Load(new MemoryStream(bytes));
        Assert.Equal(model.ScoreSentence("a b"), loaded.ScoreSentence("a b"));
    }

    [Theory]
    [InlineData(WordVectorFileFormat.Binary)]
    [InlineData(WordVectorFileFormat.Text)]
    [InlineData(WordVectorFileFormat.GloVeText)]
    public void Word_vectors(WordVectorFileFormat format)
    {
        var vectors = WordVectors.Create(["cat", "dog", "학교"], [1f, 0f, 0.6f, 0.8f, -0.5f, 0.25f], 2);
        byte[] bytes = ViaStream(s => vectors.Save(s, format));
        Assert.Equal(ViaPath(p => vectors.Save(p, format)), bytes);
        var loaded = WordVectors.Load(new MemoryStream(bytes), format);
        Assert.Equal(["cat", "dog", "학교"], Enumerable.Range(0, loaded.Count).Select(loaded.Word));
        for (int i = 0; i < 3; i++) Assert.Equal(vectors.Vector(i).ToArray(), loaded.Vector(i).ToArray());
    }

    [Fact]
    public void Word_vectors_from_a_stream_name_the_stream_in_errors()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(new MemoryStream("3 x\n"u8.ToArray()), WordVectorFileFormat.Text));
        Assert.Equal("(stream)", e.FilePath);
    }

    [Fact]
    public void FastText_model()
    {
        byte[] text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("the cat sat on the mat\nthe dog sat on the log\n", 20)));
        var model = FastTextTrainer.Train(() => new MemoryStream(text),
            new FastTextOptions { MinCount = 1, Dimensions = 4, Epochs = 1, Bucket = 50, MaxDegreeOfParallelism = 1 }).Model;
        byte[] bytes = ViaStream(model.Save);
        Assert.Equal(ViaPath(model.Save), bytes);
        var loaded = FastTextModel.Load(new MemoryStream(bytes));
        Assert.Equal(model.Count, loaded.Count);
        Assert.Equal(model.ToWordVectors().Vector(1).ToArray(), loaded.ToWordVectors().Vector(1).ToArray());
    }

    [Fact]
    public void Dense_index()
    {
        var index = DenseIndex.Create([1f, 0f, 0.6f, 0.8f], 2);
        byte[] bytes = ViaStream(index.Save);
        Assert.Equal(ViaPath(p => index.Save(p)), bytes);
        Assert.Equal(index.Vector(1).ToArray(), DenseIndex.Load(new MemoryStream(bytes)).Vector(1).ToArray());
    }

    [Fact]
    public void Embedding_cache()
    {
        var cache = new LmToLlm.Contextual.EmbeddingCache("m", 10, 7UL, 2, [1f, 0f, 0.6f, 0.8f]);
        byte[] bytes = ViaStream(cache.Save);
        Assert.Equal(ViaPath(p => cache.Save(p)), bytes);
        Assert.Equal(7UL, LmToLlm.Contextual.EmbeddingCache.Load(new MemoryStream(bytes)).Fingerprint);
    }
}
