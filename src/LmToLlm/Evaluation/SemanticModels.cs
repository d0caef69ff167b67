using LmToLlm.Embeddings;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Retrieval.Fusion;
using LmToLlm.Retrieval.Lsa;

namespace LmToLlm.Evaluation;

/// <summary>How the <c>hybrid</c> model fuses.</summary>
public enum FusionMethod
{
    /// <summary>Reciprocal rank fusion, k = 60.</summary>
    Rrf,

    /// <summary>Convex combination of per-query normalized scores.</summary>
    Linear,
}

/// <summary>Settings of the <c>dense</c>, <c>lsa</c> and <c>hybrid</c> models (documented defaults).</summary>
public sealed record SemanticModelSettings
{
    /// <summary>Word vectors for <c>dense</c> (null: <c>dense</c> fails with a clear message).</summary>
    public WordVectors? Vectors { get; init; }

    /// <summary>Pooling of <c>dense</c> (default SIF).</summary>
    public Pooling Pooling { get; init; } = Pooling.Sif;

    /// <summary>LSA dimensions (default 200).</summary>
    public int LsaDimensions { get; init; } = 200;

    /// <summary>The models <c>hybrid</c> fuses (default bm25, dense); two or more.</summary>
    public IReadOnlyList<string> Fuse { get; init; } = ["bm25", "dense"];

    /// <summary>Fusion method (default RRF).</summary>
    public FusionMethod Method { get; init; } = FusionMethod.Rrf;

    /// <summary>Linear fusion: the weight of the first model; the others share 1 − weight equally (default 0.5).</summary>
    public double Weight { get; init; } = 0.5;

    /// <summary>Linear fusion: score normalization (default min-max).</summary>
    public ScoreNormalization Normalization { get; init; } = ScoreNormalization.MinMax;

    /// <summary>Depth of each fused model's list (default 1000).</summary>
    public int FusionDepth { get; init; } = 1000;
}

/// <summary>
/// Registers <c>dense</c>, <c>bm25-qe</c>, <c>lsa</c> and <c>hybrid</c> in <see cref="RetrievalModels"/> with the given settings
/// (later calls replace earlier ones). Contract as <see cref="IRetrievalModel"/>.
/// </summary>
public static class SemanticModels
{
    /// <summary>Registers the four models with <paramref name="settings"/>.</summary>
    public static void Register(SemanticModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Fuse.Count < 2)
            throw new ArgumentException($"hybrid needs two or more models to fuse, got '{string.Join(",", settings.Fuse)}'; e.g. --fuse bm25,dense", nameof(settings));
        if (settings.Fuse.Contains("hybrid")) throw new ArgumentException("hybrid cannot fuse itself", nameof(settings));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.LsaDimensions, 1);
        if (!(settings.Weight is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(settings), settings.Weight, "the fusion weight must be in [0, 1]");
        RetrievalModels.Register("dense", $"word-vector {settings.Pooling} pooling, exact cosine", c => CreateDense(c, settings));
        RetrievalModels.Register("bm25-qe", "BM25 with the query expanded by the word vectors' nearest words (centroid, 10 words, original weight 0.5)", c =>
        {
            var vectors = settings.Vectors ?? throw new LmToLlmException("bm25-qe needs word vectors: pass --vectors FILE (word2vec text or binary format, e.g. from `lmtollm w2v train`)");
            var expansion = LmToLlm.Retrieval.Feedback.EmbeddingExpansion.Create(Bm25.Create(c.Index), vectors);
            return new DelegateModel("bm25-qe", (q, k, ct) => expansion.SearchMany(q, k, cancellationToken: ct));
        });
        RetrievalModels.Register("lsa", $"LSA: rank-{settings.LsaDimensions} SVD of TF-IDF, cosine", c =>
        {
            var lsa = LsaModel.Build(TfIdf.Create(c.Index), new LsaOptions { Dimensions = settings.LsaDimensions });
            return new DelegateModel("lsa", (q, k, ct) => lsa.SearchMany(q, k, ct));
        });
        RetrievalModels.Register("hybrid", $"{settings.Method} fusion of {string.Join("+", settings.Fuse)}", c =>
        {
            var models = settings.Fuse.Select(name => RetrievalModels.Create(name, c)).ToArray();
            return new DelegateModel("hybrid", (queries, k, ct) =>
            {
                var lists = models.Select(m => m.SearchMany(queries, Math.Max(k, settings.FusionDepth), ct)).ToArray();
                var fused = new SearchHit[queries.Count][];
                var weights = new double[models.Length];
                weights[0] = settings.Weight;
                for (int m = 1; m < models.Length; m++) weights[m] = (1 - settings.Weight) / (models.Length - 1);
                for (int q = 0; q < queries.Count; q++)
                {
                    var perModel = lists.Select(l => l[q]).ToArray();
                    fused[q] = settings.Method == FusionMethod.Rrf
                        ? RankFusion.ReciprocalRank(perModel, k)
                        : RankFusion.Linear(perModel, weights, settings.Normalization, k);
                }
                return fused;
            });
        });
    }

    /// <summary>The dense model over a collection: encoder fitted on its texts, index of its documents.</summary>
    public static (DenseEncoder Encoder, DenseIndex Index) BuildDense(RetrievalCollection collection, WordVectors vectors, Pooling pooling)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(vectors);
        var texts = collection.Corpus.Select(d => d.FullText).ToArray();
        var encoder = DenseEncoder.Fit(vectors, texts, new DenseEncoderOptions { Pooling = pooling });
        return (encoder, DenseIndex.Create(encoder.EncodeMany(texts), vectors.Dimensions));
    }

    private static IRetrievalModel CreateDense(RetrievalCollection collection, SemanticModelSettings settings)
    {
        var vectors = settings.Vectors ?? throw new LmToLlmException("the dense model needs word vectors: pass --vectors FILE (word2vec text or binary format, e.g. from `lmtollm w2v train`)");
        var (encoder, index) = BuildDense(collection, vectors, settings.Pooling);
        return new DelegateModel("dense", (queries, k, ct) => index.SearchMany(queries.Select(encoder.Encode).ToArray(), k, cancellationToken: ct));
    }
}
