namespace LmToLlm.Retrieval.Fusion;

/// <summary>How a ranking's scores are put on one scale before a convex combination.</summary>
public enum ScoreNormalization
{
    /// <summary>s' = (s − min) / (max − min) over the query's retrieved list; all 1 when max = min.</summary>
    MinMax,

    /// <summary>s' = (s − mean) / σ (population standard deviation) over the query's retrieved list; all 0 when σ = 0.</summary>
    ZScore,
}

/// <summary>
/// Combines the rankings that two or more models returned for one query. Input: per model, its hits best first
/// (document ids of one collection). Output: the fused top k, best first, ties by lower document id.
/// A document missing from a model's list gets nothing from that model (RRF) or that model's minimum normalized
/// score (linear; 0 for min-max).
/// </summary>
internal static class RankFusion
{
    /// <summary>The usual RRF constant (Cormack, Clarke and Büttcher 2009).</summary>
    internal const int DefaultRrfK = 60;

    /// <summary>
    /// Reciprocal rank fusion (Cormack, Clarke and Büttcher 2009): score(d) = Σ_m 1/(k + rank_m(d)), rank from 1.
    /// </summary>
    public static SearchHit[] ReciprocalRank(IReadOnlyList<SearchHit[]> rankings, int depth, int k = DefaultRrfK)
    {
        CheckModels(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var scores = new Dictionary<int, double>();
        foreach (var ranking in rankings)
            for (int r = 0; r < ranking.Length; r++)
                scores[ranking[r].Document] = scores.GetValueOrDefault(ranking[r].Document) + 1.0 / (k + r + 1);
        return Top(scores, depth);
    }

    /// <summary>
    /// Convex combination: score(d) = Σ_m w_m · norm_m(s_m(d)), with weights ≥ 0 summing to 1 (they are divided by
    /// their sum). A document a model did not return gets that model's lowest normalized score.
    /// </summary>
    public static SearchHit[] Linear(IReadOnlyList<SearchHit[]> rankings, IReadOnlyList<double> weights, ScoreNormalization normalization, int depth)
    {
        CheckModels(rankings);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != rankings.Count) throw new ArgumentException($"{weights.Count} weights for {rankings.Count} models", nameof(weights));
        double sum = 0;
        foreach (double w in weights)
        {
            if (!(w >= 0) || double.IsInfinity(w)) throw new ArgumentOutOfRangeException(nameof(weights), w, "weights must be finite and ≥ 0");
            sum += w;
        }
        if (sum <= 0) throw new ArgumentException("the weights sum to 0", nameof(weights));
        var normalized = new double[rankings.Count][];
        var floor = new double[rankings.Count];
        var documents = new HashSet<int>();
        for (int m = 0; m < rankings.Count; m++)
        {
            normalized[m] = Normalize(rankings[m], normalization);
            floor[m] = normalized[m].Length == 0 ? 0 : normalized[m].Min();
            foreach (var hit in rankings[m]) documents.Add(hit.Document);
        }
        var scores = new Dictionary<int, double>();
        foreach (int d in documents)
        {
            double s = 0;
            for (int m = 0; m < rankings.Count; m++) s += weights[m] / sum * floor[m];
            scores[d] = s;
        }
        for (int m = 0; m < rankings.Count; m++)
            for (int r = 0; r < rankings[m].Length; r++)
                scores[rankings[m][r].Document] += weights[m] / sum * (normalized[m][r] - floor[m]);
        return Top(scores, depth);
    }

    /// <summary>The normalized scores of one ranking, in its order.</summary>
    internal static double[] Normalize(ReadOnlySpan<SearchHit> ranking, ScoreNormalization normalization)
    {
        var result = new double[ranking.Length];
        if (ranking.Length == 0) return result;
        switch (normalization)
        {
            case ScoreNormalization.MinMax:
            {
                double min = double.MaxValue, max = double.MinValue;
                foreach (var h in ranking) { min = Math.Min(min, h.Score); max = Math.Max(max, h.Score); }
                for (int i = 0; i < ranking.Length; i++) result[i] = max > min ? (ranking[i].Score - min) / (max - min) : 1.0;
                break;
            }
            case ScoreNormalization.ZScore:
            {
                double mean = 0;
                foreach (var h in ranking) mean += h.Score;
                mean /= ranking.Length;
                double variance = 0;
                foreach (var h in ranking) variance += (h.Score - mean) * (h.Score - mean);
                double sd = Math.Sqrt(variance / ranking.Length);
                for (int i = 0; i < ranking.Length; i++) result[i] = sd > 0 ? (ranking[i].Score - mean) / sd : 0.0;
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(normalization), normalization, "unknown normalization");
        }
        return result;
    }

    private static void CheckModels(IReadOnlyList<SearchHit[]> rankings)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        if (rankings.Count < 2)
            throw new ArgumentException($"fusion needs the rankings of two or more models, got {rankings.Count}; name at least two models (e.g. --fuse bm25,dense)", nameof(rankings));
    }

    private static SearchHit[] Top(Dictionary<int, double> scores, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        var heap = new TopKHeap(Math.Min(depth, scores.Count));
        foreach (var (document, score) in scores) heap.Offer(new SearchHit(document, score));
        return heap.ToSortedArray();
    }
}
