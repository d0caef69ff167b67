using LmToLlm.Evaluation;

namespace LmToLlm.Tests.Evaluation;

public sealed class SignificanceTestsTests
{
    [Fact]
    public void Paired_t_test_by_hand()
    {
        // d = 1, 2, 3, 4 → mean 2.5, sd = sqrt(5/3), t = 2.5 / (sd / 2) = 3.8730, df = 3.
        double[] a = [0, 0, 0, 0];
        double[] b = [1, 2, 3, 4];
        var t = SignificanceTests.PairedT(a, b);
        Assert.Equal(2.5 / (Math.Sqrt(5.0 / 3) / 2), t.T, 12);
        Assert.Equal(3, t.DegreesOfFreedom);
        Assert.Equal(0.030466, t.P, 5); // two-sided, Student t(3) at 3.873 (R: 2*pt(-3.873, 3) = 0.03047)
    }

    [Fact]
    public void Identical_runs_are_not_different()
    {
        double[] a = [0.1, 0.5, 0.3];
        Assert.Equal(1.0, SignificanceTests.PairedT(a, a).P);
        Assert.Equal(1.0, SignificanceTests.PairedRandomization(a, a, 1000, 7));
    }

    [Fact]
    public void Randomization_test_is_seeded_and_close_to_exact_enumeration()
    {
        // 6 differences all positive: of the 2^6 sign patterns only the two extremes reach |sum| = 21, so the exact p is 2/64.
        double[] a = [0, 0, 0, 0, 0, 0];
        double[] b = [1, 2, 3, 4, 5, 6];
        double p = SignificanceTests.PairedRandomization(a, b, 20_000, 1);
        Assert.Equal(p, SignificanceTests.PairedRandomization(a, b, 20_000, 1));
        Assert.InRange(p, 2.0 / 64 - 0.005, 2.0 / 64 + 0.005);
    }

    [Fact]
    public void Unpaired_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => SignificanceTests.PairedT([1.0, 2.0], [1.0]));
        Assert.Throws<ArgumentException>(() => SignificanceTests.PairedRandomization([], []));
    }
}
