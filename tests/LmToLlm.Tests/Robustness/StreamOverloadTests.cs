using LmToLlm.Corpora;
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
