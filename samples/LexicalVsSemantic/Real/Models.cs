using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Fusion;

namespace LexicalVsSemantic.Real;

/// <summary>
/// A model whose rankings are kept per query text (depth <see cref="Depth"/>), so that dev-split choices and
/// fusions reuse one search instead of repeating it (the contextual encoder is the costly one).
/// </summary>
internal sealed class Memo(IRanker inner) : IRanker
{
    public const int Depth = 1000;
    private readonly Dictionary<string, SearchHit[]> _cache = new(StringComparer.Ordinal);

    public SearchHit[] Search(string query, int k) => SearchMany([query], k)[0];

    public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        var missing = queries.Distinct().Where(q => !_cache.ContainsKey(q)).ToArray();
        if (missing.Length > 0)
        {
            var hits = inner.SearchMany(missing, Math.Max(k, Depth), maxDegreeOfParallelism, cancellationToken);
            for (int i = 0; i < missing.Length; i++) _cache[missing[i]] = hits[i];
        }
        return [.. queries.Select(q => _cache[q].Take(k).ToArray())];
    }
}

/// <summary>How a hybrid fuses its models: RRF (k = 60) or a convex combination of per-query z-scores.</summary>
/// <param name="Rrf">Reciprocal rank fusion when true.</param>
/// <param name="FirstWeight">Linear fusion: weight of the first (lexical) model; the others share the rest.</param>
internal readonly record struct Fusion(bool Rrf, double FirstWeight)
{
    /// <summary>The fusions a hybrid chooses among on the dev queries: RRF, and z-score fusion with the lexical weight on a grid finer towards 1.</summary>
    public static readonly Fusion[] Candidates =
        [new(true, 0), new(false, 0.3), new(false, 0.5), new(false, 0.7), new(false, 0.8), new(false, 0.9), new(false, 0.95)];

    /// <summary>A name without white space: <c>rrf</c> or <c>z0.3</c> (z-scores, lexical weight 0.3).</summary>
    public override string ToString() => Rrf ? "rrf" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"z{FirstWeight:0.0#}");
}

/// <summary>Fuses the rankings of several models (the first one lexical) per query, each searched to <see cref="Memo.Depth"/>.</summary>
internal static class FusedModel
{
    public static IRanker Create(IReadOnlyList<IRanker> models, Fusion fusion) => fusion.Rrf
        ? FusedRanker.ReciprocalRank(models, Memo.Depth)
        : FusedRanker.Linear(models, [.. models.Select((_, i) => i == 0 ? fusion.FirstWeight : (1 - fusion.FirstWeight) / (models.Count - 1))], ScoreNormalization.ZScore, Memo.Depth);
}
