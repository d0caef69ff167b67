using LmToLlm.Data;

namespace LmToLlm.Tests.Data;

public class LshBandingTests
{
    [Fact]
    public void Candidate_probability_by_hand()
    {
        // b = 2, r = 2, s = 0.5: 1 − (1 − 0.25)² = 1 − 0.5625 = 0.4375.
        Assert.Equal(0.4375, new LshBanding(2, 2).CandidateProbability(0.5), 12);
        // b = 1, r = 1: P(s) = s; ∫₀^0.5 s ds = 0.125; ∫_0.5^1 (1 − s) ds = 0.125.
        Assert.Equal(0.125, new LshBanding(1, 1).FalsePositiveArea(0.5), 12);
        Assert.Equal(0.125, new LshBanding(1, 1).FalseNegativeArea(0.5), 12);
        // b = 2, r = 1: P(s) = 2s − s²; ∫₀^1 = 1 − 1/3 = 2/3.
        Assert.Equal(2.0 / 3, new LshBanding(2, 1).FalsePositiveArea(1.0), 12);
    }

    [Theory]
    // The values datasketch's _optimal_param gives (as quoted in text-dedup's optimal_param docstring).
    [InlineData(0.75, 256, 0.5, 0.5, 21, 12)]
    [InlineData(0.75, 256, 0.1, 0.9, 28, 9)]
    // The values datasketch (GitHub ekzhu/datasketch, commit 8d4bda1, scipy 1.10.1 quad) printed on this machine.
    [InlineData(0.8, 128, 0.5, 0.5, 9, 13)]
    [InlineData(0.8, 256, 0.5, 0.5, 17, 15)]
    [InlineData(0.8, 128, 0.05, 0.95, 16, 8)]
    [InlineData(0.8, 256, 0.05, 0.95, 25, 10)]
    [InlineData(0.5, 128, 0.5, 0.5, 25, 5)]
    [InlineData(0.5, 256, 0.5, 0.5, 42, 6)]
    [InlineData(0.9, 128, 0.5, 0.5, 5, 25)]
    [InlineData(0.9, 256, 0.5, 0.5, 9, 28)]
    [InlineData(0.75, 128, 0.5, 0.5, 11, 11)]
    [InlineData(0.75, 128, 0.1, 0.9, 16, 8)]
    public void Optimal_banding_matches_datasketch(double threshold, int numPerm, double fp, double fn, int bands, int rows) =>
        Assert.Equal(new LshBanding(bands, rows), LshBanding.Optimal(threshold, numPerm, fp, fn));

    [Fact]
    public void Optimal_banding_minimizes_the_weighted_error_over_all_choices()
    {
        var best = LshBanding.Optimal(0.8, 128);
        double Error(LshBanding x) => 0.5 * x.FalsePositiveArea(0.8) + 0.5 * x.FalseNegativeArea(0.8);
        for (int b = 1; b <= 128; b++)
            for (int r = 1; r <= 128 / b; r++)
                Assert.True(Error(best) <= Error(new LshBanding(b, r)));
        Assert.True(best.Bands * best.Rows <= 128);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.0001)]
    [InlineData(double.NaN)]
    public void Threshold_outside_0_1_is_refused(double threshold)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LshBanding.Optimal(threshold, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => NearDuplicates.Find(["a b c"], new NearDuplicateOptions { Threshold = threshold }));
    }

    [Fact]
    public void Threshold_one_is_allowed() => Assert.True(LshBanding.Optimal(1.0, 64).Rows >= 1);
}
