using LmToLlm.Experiments;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Fusion;

namespace LmToLlm.Contextual;

/// <summary>
/// Makes the contextual ranker a model of a <see cref="ModelCatalog"/> (so <see cref="ModelComparison"/>, the
/// <c>compare</c> command and the samples can run it): <c>contextual</c> (cosine of sentence embeddings) and
/// <c>hybrid-contextual</c> (reciprocal rank fusion, k = 60, of <c>bm25</c> and <c>contextual</c>, each to depth 1000).
/// </summary>
public static class ContextualModels
{
    /// <summary>Registers both models in <paramref name="catalog"/>; each collection is encoded once (or read from <see cref="ContextualOptions.CachePath"/>).</summary>
    /// <param name="catalog">The catalog to add them to.</param>
    /// <param name="embedder">The sentence model.</param>
    /// <param name="options">Word limit and cache file.</param>
    /// <param name="progress">Receives the number of documents encoded so far.</param>
    public static void Register(ModelCatalog catalog, ISentenceEmbedder embedder, ContextualOptions? options = null, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(embedder);
        options ??= new ContextualOptions();
        var built = new System.Runtime.CompilerServices.ConditionalWeakTable<RetrievalCollection, ContextualRanker>();
        ContextualRanker RankerFor(RetrievalCollection c) => built.GetValue(c, x => ContextualRanker.Build(x.Corpus, embedder, options, progress));
        catalog.Register("contextual", $"{embedder.Name} sentence embeddings of the first {options.MaxWords} words, cosine", RankerFor);
        catalog.Register("hybrid-contextual", "RRF of bm25 and contextual",
            c => FusedRanker.ReciprocalRank([catalog.Create("bm25", c), RankerFor(c)], depth: 1000));
    }

    /// <summary>
    /// Registers <c>contextual</c> and <c>hybrid-contextual</c> with the bundled all-MiniLM-L6-v2 model: the entry point
    /// the <c>lmtollm</c> tool calls when it is built with this package (<c>-p:WithContextual=true</c>).
    /// </summary>
    /// <param name="catalog">The catalog to add them to.</param>
    /// <param name="cachePath">An embedding cache file (null = none); see <see cref="ContextualOptions.CachePath"/>.</param>
    public static void RegisterMiniLm(ModelCatalog catalog, string? cachePath) =>
        Register(catalog, new MiniLmEmbedder(), new ContextualOptions { CachePath = cachePath });
}
