using LmToLlm.Embeddings;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Feedback;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Retrieval.Fusion;
using LmToLlm.Retrieval.Lsa;

namespace LmToLlm.Experiments;

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
    internal IReadOnlyList<string> Fuse { get; init; } = ["bm25", "dense"];

    /// <summary>Fusion method (default RRF).</summary>
    internal FusionMethod Method { get; init; } = FusionMethod.Rrf;

    /// <summary>Linear fusion: the weight of the first model; the others share 1 − weight equally (default 0.5).</summary>
    internal double Weight { get; init; } = 0.5;

    /// <summary>Linear fusion: score normalization (default min-max).</summary>
    internal ScoreNormalization Normalization { get; init; } = ScoreNormalization.MinMax;

    /// <summary>Depth of each fused model's list (default 1000).</summary>
    internal int FusionDepth { get; init; } = 1000;

    /// <summary>The defaults.</summary>
    public static SemanticModelSettings Default { get; } = new();
}

/// <summary>
/// Registers <c>dense</c>, <c>bm25-qe</c>, <c>lsa</c> and <c>hybrid</c> in a <see cref="ModelCatalog"/> with the given settings
/// (a later call replaces an earlier one in the same catalog).
/// </summary>
public static class SemanticModels
{
    /// <summary>Registers the four models with <paramref name="settings"/> in <paramref name="catalog"/>.</summary>
    public static void Register(ModelCatalog catalog, SemanticModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Fuse.Count < 2)
            throw new ArgumentException($"hybrid needs two or more models to fuse, got '{string.Join(",", settings.Fuse)}'; e.g. --fuse bm25,dense", nameof(settings));
        if (settings.Fuse.Contains("hybrid")) throw new ArgumentException("hybrid cannot fuse itself", nameof(settings));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.LsaDimensions, 1);
        if (!(settings.Weight is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(settings), settings.Weight, "the fusion weight must be in [0, 1]");
        catalog.Register("dense", $"word-vector {settings.Pooling} pooling, exact cosine", (c, _, cancellationToken) => DenseRanker.Build(
            settings.Vectors ?? throw new LmToLlmException("the dense model needs word vectors: pass --vectors FILE (word2vec text or binary format, e.g. from `lmtollm w2v train`)"),
            c.Corpus.Select(d => d.FullText).ToArray(), new DenseEncoderOptions { Pooling = settings.Pooling }, cancellationToken));
        catalog.Register("bm25-qe", "BM25 with the query expanded by the word vectors' nearest words (centroid, 10 words, original weight 0.5)", c =>
            EmbeddingExpansion.Create(Bm25.Create(c.Index),
                settings.Vectors ?? throw new LmToLlmException("bm25-qe needs word vectors: pass --vectors FILE (word2vec text or binary format, e.g. from `lmtollm w2v train`)")));
        catalog.Register("lsa", $"LSA: rank-{settings.LsaDimensions} SVD of TF-IDF, cosine",
            (c, progress, cancellationToken) => LsaModel.Build(TfIdf.Create(c.Index), new LsaOptions { Dimensions = settings.LsaDimensions }, progress, cancellationToken));
        catalog.Register("hybrid", $"{settings.Method} fusion of {string.Join("+", settings.Fuse)}", (c, progress, cancellationToken) =>
        {
            var rankers = settings.Fuse.Select((name, i) => catalog.Create(name, c,
                progress is null ? null : new FractionOf(progress, i, settings.Fuse.Count), cancellationToken)).ToArray();
            if (settings.Method == FusionMethod.Rrf) return FusedRanker.ReciprocalRank(rankers, settings.FusionDepth);
            var weights = new double[rankers.Length];
            weights[0] = settings.Weight;
            for (int m = 1; m < rankers.Length; m++) weights[m] = (1 - settings.Weight) / (rankers.Length - 1);
            return FusedRanker.Linear(rankers, weights, settings.Normalization, settings.FusionDepth);
        });
    }

    /// <summary>The dense model over a collection: encoder fitted on its texts, index of its documents.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    internal static DenseRanker BuildDense(RetrievalCollection collection, WordVectors vectors, Pooling pooling, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(vectors);
        return DenseRanker.Build(vectors, collection.Corpus.Select(d => d.FullText).ToArray(), new DenseEncoderOptions { Pooling = pooling }, cancellationToken);
    }
}
