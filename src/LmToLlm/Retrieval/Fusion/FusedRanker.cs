namespace LmToLlm.Retrieval.Fusion;

/// <summary>How a <see cref="FusedRanker"/> combines its rankers' lists.</summary>
internal enum FusionMethod
{
    /// <summary>Reciprocal rank fusion, k = 60 (<see cref="RankFusion.ReciprocalRank"/>).</summary>
    Rrf,

    /// <summary>Convex combination of per-query normalized scores (<see cref="RankFusion.Linear"/>).</summary>
    Linear,
}

/// <summary>
/// Several rankers over the same collection fused into one. Input: rankers (same document ids), each asked for
/// max(k, <see cref="Depth"/>) documents. Output: the fused top k per query (<see cref="RankFusion"/>).
/// </summary>
public sealed class FusedRanker : IRanker
{
    private readonly IRanker[] _rankers;
    private readonly double[] _weights;

    private FusedRanker(IRanker[] rankers, FusionMethod method, double[] weights, ScoreNormalization normalization, int depth)
    {
        _rankers = rankers;
        Method = method;
        _weights = weights;
        Normalization = normalization;
        Depth = depth;
    }

    /// <summary>
    /// Reciprocal rank fusion of <paramref name="rankers"/> (two or more), each list <paramref name="depth"/> deep:
    /// score(d) = Σ_m 1/(60 + rank_m(d)), rank from 1 (Cormack, Clarke and Büttcher 2009); ties by lower document id.
    /// </summary>
    public static FusedRanker ReciprocalRank(IReadOnlyList<IRanker> rankers, int depth = 1000)
    {
        var list = Check(rankers, depth);
        return new FusedRanker(list, FusionMethod.Rrf, [], ScoreNormalization.MinMax, depth);
    }

    /// <summary>
    /// Linear fusion with one weight per ranker (≥ 0, divided by their sum) of the per-query normalized scores,
    /// each list <paramref name="depth"/> deep: score(d) = Σ_m w_m·norm_m(s_m(d)); a document a ranker did not return
    /// gets that ranker's lowest normalized score.
    /// </summary>
    public static FusedRanker Linear(IReadOnlyList<IRanker> rankers, IReadOnlyList<double> weights, ScoreNormalization normalization, int depth = 1000)
    {
        var list = Check(rankers, depth);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != list.Length) throw new ArgumentException($"{weights.Count} weights for {list.Length} rankers", nameof(weights));
        foreach (double w in weights)
            if (!(w >= 0) || double.IsInfinity(w)) throw new ArgumentOutOfRangeException(nameof(weights), w, "weights must be finite and ≥ 0");
        return new FusedRanker(list, FusionMethod.Linear, [.. weights], normalization, depth);
    }

    /// <summary>The fusion method.</summary>
    internal FusionMethod Method { get; }

    /// <summary>Linear fusion: the score normalization.</summary>
    internal ScoreNormalization Normalization { get; }

    /// <summary>How many documents each fused ranker contributes (at least k).</summary>
    internal int Depth { get; }

    /// <inheritdoc />
    public SearchHit[] Search(string query, int k)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return Fuse(_rankers.Select(r => r.Search(query, Math.Max(k, Depth))).ToArray(), k);
    }

    /// <inheritdoc />
    public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var lists = _rankers.Select(r => r.SearchMany(queries, Math.Max(k, Depth), maxDegreeOfParallelism, cancellationToken)).ToArray();
        var fused = new SearchHit[queries.Count][];
        for (int q = 0; q < queries.Count; q++) fused[q] = Fuse(lists.Select(l => l[q]).ToArray(), k);
        return fused;
    }

    private SearchHit[] Fuse(SearchHit[][] perRanker, int k) => Method == FusionMethod.Rrf
        ? RankFusion.ReciprocalRank(perRanker, k)
        : RankFusion.Linear(perRanker, _weights, Normalization, k);

    private static IRanker[] Check(IReadOnlyList<IRanker> rankers, int depth)
    {
        ArgumentNullException.ThrowIfNull(rankers);
        if (rankers.Count < 2) throw new ArgumentException($"fusion needs two or more rankers, got {rankers.Count}", nameof(rankers));
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        var list = rankers.ToArray();
        foreach (var r in list) ArgumentNullException.ThrowIfNull(r, nameof(rankers));
        return list;
    }
}
