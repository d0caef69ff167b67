using MathNet.Numerics.Distributions;

namespace LmToLlm.Evaluation;

/// <summary>Result of a paired t-test: statistic, degrees of freedom and two-sided p-value.</summary>
public readonly record struct TTestResult
{
    internal TTestResult(double T, int DegreesOfFreedom, double P)
    {
        this.T = T; this.DegreesOfFreedom = DegreesOfFreedom; this.P = P;
    }

    /// <summary>t = mean(d) / (sd(d) / √n), d = b − a per query, sd with n − 1 in the denominator.</summary>
    public double T { get; }

    /// <summary>n − 1.</summary>
    public int DegreesOfFreedom { get; }

    /// <summary>Two-sided p-value 2·(1 − F(|t|)) under Student's t with n − 1 degrees of freedom.</summary>
    public double P { get; }
}

/// <summary>
/// Paired significance tests for per-query scores of two systems on the same queries
/// (Smucker, Allan and Carterette, "A comparison of statistical significance tests for information retrieval
/// evaluation", CIKM 2007).
/// </summary>
public static class SignificanceTests
{
    /// <summary>The two-sided paired t-test (Student's t from MathNet.Numerics).</summary>
    /// <remarks>With zero variance of the differences, p is 1 when the mean difference is 0 and 0 otherwise.</remarks>
    public static TTestResult PairedT(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var d = Differences(a, b);
        int n = d.Length;
        if (n < 2) throw new ArgumentException("the paired t-test needs at least 2 queries", nameof(a));
        double mean = d.Average();
        double ss = 0;
        foreach (double x in d) ss += (x - mean) * (x - mean);
        double sd = Math.Sqrt(ss / (n - 1));
        if (sd == 0) return new TTestResult(mean == 0 ? 0 : Math.CopySign(double.PositiveInfinity, mean), n - 1, mean == 0 ? 1 : 0);
        double t = mean / (sd / Math.Sqrt(n));
        double p = 2 * (1 - StudentT.CDF(0, 1, n - 1, Math.Abs(t)));
        return new TTestResult(t, n - 1, Math.Min(1, p));
    }

    /// <summary>
    /// The paired randomization (permutation) test: under the null hypothesis the sign of each per-query difference
    /// is exchangeable, so <paramref name="permutations"/> random sign flips (seeded, reproducible) give the
    /// distribution of the mean difference. p = (1 + #{|mean*| ≥ |mean observed|}) / (1 + permutations), two-sided
    /// (Phipson and Smyth 2010: never 0). Ties are counted with a relative tolerance of 1e-12.
    /// </summary>
    public static double PairedRandomization(IReadOnlyList<double> a, IReadOnlyList<double> b, int permutations = 10_000, ulong seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        var d = Differences(a, b);
        double observed = Math.Abs(d.Sum());
        double threshold = observed - 1e-12 * Math.Max(1, d.Sum(Math.Abs));
        var random = new Random(unchecked((int)seed)); // the seed's low 32 bits, as before seeds became ulong
        int atLeast = 0;
        for (int p = 0; p < permutations; p++)
        {
            double sum = 0;
            ulong bits = 0;
            for (int i = 0; i < d.Length; i++)
            {
                if ((i & 63) == 0) bits = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
                sum += (bits & 1) != 0 ? -d[i] : d[i];
                bits >>= 1;
            }
            if (Math.Abs(sum) >= threshold) atLeast++;
        }
        return (atLeast + 1.0) / (permutations + 1.0);
    }

    private static double[] Differences(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"paired samples differ in length ({a.Count} vs {b.Count})", nameof(b));
        if (a.Count == 0) throw new ArgumentException("no paired values", nameof(a));
        var d = new double[a.Count];
        for (int i = 0; i < d.Length; i++) d[i] = b[i] - a[i];
        return d;
    }
}
