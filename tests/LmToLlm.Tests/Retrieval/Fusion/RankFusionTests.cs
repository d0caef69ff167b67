using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Fusion;

namespace LmToLlm.Tests.Retrieval.Fusion;

/// <summary>Fusion on hand-made rankings, every number checkable with a pencil.</summary>
public sealed class RankFusionTests
{
    private static readonly SearchHit[] A = [new(0, 4), new(1, 2), new(2, 1)];
    private static readonly SearchHit[] B = [new(2, 10), new(3, 0)];

    [Fact]
    public void Rrf_sums_reciprocal_ranks_with_k_60()
    {
        // doc 0: 1/61 (A rank 1); doc 1: 1/62 (A rank 2); doc 2: 1/63 (A rank 3) + 1/61 (B rank 1); doc 3: 1/62 (B rank 2)
        var fused = RankFusion.ReciprocalRank([A, B], 10);
        Assert.Equal([2, 0, 1, 3], fused.Select(h => h.Document));
        Assert.Equal(1.0 / 63 + 1.0 / 61, fused[0].Score, 15);
        Assert.Equal(1.0 / 61, fused[1].Score, 15);
        // docs 1 and 3 tie at 1/62: lower document id first
        Assert.Equal(1.0 / 62, fused[2].Score, 15);
        Assert.Equal(1.0 / 62, fused[3].Score, 15);
    }

    [Fact]
    public void Rrf_keeps_only_depth_hits()
    {
        Assert.Equal([2, 0], RankFusion.ReciprocalRank([A, B], 2).Select(h => h.Document));
    }

    [Fact]
    public void Min_max_maps_best_to_one_and_worst_to_zero()
    {
        // (4 − 1)/3 = 1, (2 − 1)/3 = 1/3, 0
        Assert.Equal([1.0, 1.0 / 3, 0.0], RankFusion.Normalize(A, ScoreNormalization.MinMax));
        Assert.Equal([1.0, 1.0], RankFusion.Normalize([new SearchHit(5, 3), new SearchHit(6, 3)], ScoreNormalization.MinMax));
    }

    [Fact]
    public void Z_score_uses_the_population_deviation()
    {
        // mean 7/3, variance ((5/3)² + (1/3)² + (4/3)²)/3 = 42/27, σ = 1.2472191
        double sd = Math.Sqrt(42.0 / 27);
        var z = RankFusion.Normalize(A, ScoreNormalization.ZScore);
        Assert.Equal((4 - 7.0 / 3) / sd, z[0], 12);
        Assert.Equal((2 - 7.0 / 3) / sd, z[1], 12);
        Assert.Equal((1 - 7.0 / 3) / sd, z[2], 12);
        Assert.Equal(0.0, z.Sum(), 12);
    }

    [Fact]
    public void Linear_min_max_combination_by_hand()
    {
        // A → 1, 1/3, 0 for docs 0,1,2; B → 1, 0 for docs 2,3; weights ½ each; a missing doc gets the model's minimum (0).
        // doc 0: ½·1 = 0.5; doc 2: ½·0 + ½·1 = 0.5 (tie: doc 0 first); doc 1: ½·⅓; doc 3: 0
        var fused = RankFusion.Linear([A, B], [0.5, 0.5], ScoreNormalization.MinMax, 10);
        Assert.Equal([0, 2, 1, 3], fused.Select(h => h.Document));
        Assert.Equal([0.5, 0.5, 1.0 / 6, 0.0], fused.Select(h => h.Score), (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Linear_weights_are_divided_by_their_sum()
    {
        var a = RankFusion.Linear([A, B], [0.25, 0.75], ScoreNormalization.ZScore, 10);
        var b = RankFusion.Linear([A, B], [1, 3], ScoreNormalization.ZScore, 10);
        Assert.Equal(a.Select(h => h.Document), b.Select(h => h.Document));
        Assert.Equal(a.Select(h => Math.Round(h.Score, 12)), b.Select(h => Math.Round(h.Score, 12)));
    }

    [Fact]
    public void Fusion_of_one_model_is_a_clear_error()
    {
        var rrf = Assert.Throws<ArgumentException>(() => RankFusion.ReciprocalRank([A], 10));
        Assert.Contains("two or more models", rrf.Message);
        Assert.Throws<ArgumentException>(() => RankFusion.Linear([A], [1.0], ScoreNormalization.MinMax, 10));
        Assert.Throws<ArgumentException>(() => RankFusion.Linear([A, B], [1.0], ScoreNormalization.MinMax, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => RankFusion.Linear([A, B], [1.0, -1.0], ScoreNormalization.MinMax, 10));
    }
}
