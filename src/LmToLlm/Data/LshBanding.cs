namespace LmToLlm.Data;

/// <summary>
/// LSH banding of a MinHash signature into <see cref="Bands"/> bands of <see cref="Rows"/> rows (Leskovec, Rajaraman
/// and Ullman, <i>Mining of Massive Datasets</i>, §3.4): two documents become a candidate pair when all rows of at
/// least one band agree, which for Jaccard similarity s happens with probability P(s) = 1 − (1 − s^r)^b (the S-curve).
/// </summary>
/// <param name="Bands">b ≥ 1.</param>
/// <param name="Rows">r ≥ 1; b·r signature entries are used.</param>
public readonly record struct LshBanding(int Bands, int Rows)
{
    /// <summary>P(s) = 1 − (1 − s^r)^b: the probability that a pair of Jaccard similarity s becomes a candidate.</summary>
    internal double CandidateProbability(double s) => 1 - Math.Pow(1 - Math.Pow(s, Rows), Bands);

    /// <summary>The false-positive area ∫₀^t P(s) ds (candidates below the threshold).</summary>
    internal double FalsePositiveArea(double threshold)
    {
        var self = this;
        return Integrate(s => self.CandidateProbability(s), 0, threshold);
    }

    /// <summary>The false-negative area ∫_t^1 (1 − P(s)) ds (missed pairs above the threshold).</summary>
    internal double FalseNegativeArea(double threshold)
    {
        var self = this;
        return Integrate(s => 1 - self.CandidateProbability(s), threshold, 1);
    }

    /// <summary>
    /// The (b, r) with b·r ≤ <paramref name="numPerm"/> that minimizes
    /// w_fp·∫₀^t P(s) ds + w_fn·∫_t^1 (1 − P(s)) ds — the criterion of datasketch's <c>MinHashLSH</c>
    /// (<c>_optimal_param</c>, default weights 0.5 and 0.5), searched over b = 1..numPerm, r = 1..⌊numPerm/b⌋ in that
    /// order; the first minimum wins. Example: t = 0.75, numPerm = 256 gives (21, 12); with weights 0.1/0.9, (28, 9).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">t outside (0, 1], numPerm &lt; 1, or a negative weight.</exception>
    internal static LshBanding Optimal(double threshold, int numPerm, double falsePositiveWeight = 0.5, double falseNegativeWeight = 0.5)
    {
        CheckThreshold(threshold);
        ArgumentOutOfRangeException.ThrowIfLessThan(numPerm, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(falsePositiveWeight);
        ArgumentOutOfRangeException.ThrowIfNegative(falseNegativeWeight);
        double best = double.PositiveInfinity;
        var chosen = new LshBanding(1, 1);
        for (int b = 1; b <= numPerm; b++)
        {
            for (int r = 1; r <= numPerm / b; r++)
            {
                var candidate = new LshBanding(b, r);
                double error = falsePositiveWeight * candidate.FalsePositiveArea(threshold) + falseNegativeWeight * candidate.FalseNegativeArea(threshold);
                if (error < best) { best = error; chosen = candidate; }
            }
        }
        return chosen;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless 0 &lt; t ≤ 1.</summary>
    internal static void CheckThreshold(double threshold)
    {
        if (!(threshold > 0 && threshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the Jaccard threshold must be in (0, 1], e.g. 0.8");
    }

    /// <summary>Composite Gauss–Legendre quadrature (5 nodes on 64 panels): exact to ~1e-12 for these smooth integrands.</summary>
    private static double Integrate(Func<double, double> f, double from, double to)
    {
        if (to <= from) return 0;
        ReadOnlySpan<double> nodes = [0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640];
        ReadOnlySpan<double> weights = [0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891];
        const int panels = 64;
        double h = (to - from) / panels, sum = 0;
        for (int p = 0; p < panels; p++)
        {
            double mid = from + (p + 0.5) * h;
            for (int k = 0; k < nodes.Length; k++) sum += weights[k] * f(mid + 0.5 * h * nodes[k]);
        }
        return sum * 0.5 * h;
    }
}
