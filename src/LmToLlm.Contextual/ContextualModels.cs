using LmToLlm.Evaluation;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Fusion;

namespace LmToLlm.Contextual;

/// <summary>
/// Makes the contextual ranker a model of <see cref="RetrievalModels"/> (so <see cref="ModelComparison"/>, the
/// <c>compare</c> command and the samples can run it): <c>contextual</c> (cosine of sentence embeddings) and
/// <c>hybrid-contextual</c> (reciprocal rank fusion, k = 60, of <c>bm25</c> and <c>contextual</c>, each to depth 1000).
/// </summary>
public static class ContextualModels
{
    /// <summary>Registers both models; each collection is encoded once (or read from <see cref="ContextualOptions.CachePath"/>).</summary>
    /// <param name="embedder">The sentence model.</param>
    /// <param name="options">Word limit and cache file.</param>
    /// <param name="progress">Receives the number of documents encoded so far.</param>
    public static void Register(ISentenceEmbedder embedder, ContextualOptions? options = null, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        options ??= new ContextualOptions();
        var built = new System.Runtime.CompilerServices.ConditionalWeakTable<RetrievalCollection, ContextualRanker>();
        ContextualRanker RankerFor(RetrievalCollection c) => built.GetValue(c, x => ContextualRanker.Build(x.Corpus, embedder, options, progress));
        RetrievalModels.Register("contextual", $"{embedder.Name} sentence embeddings of the first {options.MaxWords} words, cosine", c =>
        {
            var ranker = RankerFor(c);
            return new DelegateModel("contextual", (q, k, ct) => ranker.SearchMany(q, k, ct));
        });
        RetrievalModels.Register("hybrid-contextual", "RRF of bm25 and contextual", c =>
        {
            var bm25 = RetrievalModels.Create("bm25", c);
            var ranker = RankerFor(c);
            return new DelegateModel("hybrid-contextual", (q, k, ct) =>
            {
                var lexical = bm25.SearchMany(q, Math.Max(k, 1000), ct);
                var contextual = ranker.SearchMany(q, Math.Max(k, 1000), ct);
                return [.. lexical.Select((l, i) => RankFusion.ReciprocalRank([l, contextual[i]], k))];
            });
        });
    }
}
