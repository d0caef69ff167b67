namespace LmToLlm.Evaluation;

/// <summary>Which paired significance test(s) <see cref="RunComparison"/> runs.</summary>
internal enum SignificanceTest
{
    /// <summary>Paired t-test.</summary>
    T,

    /// <summary>Paired randomization (sign-flip permutation) test.</summary>
    Randomization,

    /// <summary>Both tests.</summary>
    Both,
}

/// <summary>One measure of a two-run comparison.</summary>
/// <param name="Measure">Value name (e.g. <c>map</c>, <c>ndcg_cut_10</c>).</param>
/// <param name="MeanA">Mean of run A over the paired queries.</param>
/// <param name="MeanB">Mean of run B over the paired queries.</param>
/// <param name="Difference">MeanB − MeanA.</param>
/// <param name="TTest">Paired t-test, when requested.</param>
/// <param name="RandomizationP">Randomization-test p-value, when requested.</param>
internal sealed record MeasureComparison(string Measure, double MeanA, double MeanB, double Difference, TTestResult? TTest, double? RandomizationP);

/// <summary>Options of <see cref="RunComparison.Compare"/>.</summary>
internal sealed record RunComparisonOptions
{
    /// <summary>trec_eval options for both runs (with <c>-c</c>, judged queries a run lacks score 0).</summary>
    internal TrecEvalOptions Evaluation { get; init; } = TrecEvalOptions.Default;

    /// <summary>Which test(s) to run. Default <see cref="SignificanceTest.Both"/>.</summary>
    internal SignificanceTest Test { get; init; } = SignificanceTest.Both;

    /// <summary>Number of random sign-flip permutations. Default 10,000.</summary>
    internal int Permutations { get; init; } = 10_000;

    /// <summary>Seed of the randomization test. Default 42.</summary>
    internal ulong Seed { get; init; } = 42;
}

/// <summary>
/// Compares two runs on the same qrels, measure by measure, with paired significance tests.
/// Input: qrels, runs A and B, measures. Output: means over the paired queries, B − A and p-values.
/// Paired queries: those evaluated for both runs; with <c>-c</c>, every judged query (missing ones score 0).
/// </summary>
internal static class RunComparison
{
    /// <summary>The value names compared when none are asked for: MAP, nDCG@10, P@10, recall@100, MRR.</summary>
    internal static IReadOnlyList<string> DefaultMeasures { get; } = ["map", "ndcg_cut.10", "P.10", "recall.100", "recip_rank"];

    /// <summary>Compares <paramref name="a"/> and <paramref name="b"/> on every numeric value of <paramref name="measures"/> that is averaged per query.</summary>
    public static IReadOnlyList<MeasureComparison> Compare(Qrels qrels, Run a, Run b, MeasureSelection measures, RunComparisonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(qrels);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(measures);
        options ??= new RunComparisonOptions();
        var resultA = TrecEval.Evaluate(qrels, a, measures, options.Evaluation);
        var resultB = TrecEval.Evaluate(qrels, b, measures, options.Evaluation);
        var queryIds = options.Evaluation.AverageOverAllJudgedQueries
            ? qrels.QueryIds
            : resultA.Queries.Select(q => q.QueryId).Intersect(resultB.Queries.Select(q => q.QueryId), StringComparer.Ordinal).ToArray();
        if (queryIds.Count == 0) throw new LmToLlmException("the two runs have no evaluated query in common");

        var rows = new List<MeasureComparison>();
        foreach (var instance in measures.Measures)
        {
            if (instance.Definition.Aggregate != Aggregation.Mean) continue;
            foreach (string name in instance.ValueNames)
            {
                var perA = resultA.PerQuery(name);
                var perB = resultB.PerQuery(name);
                var x = queryIds.Select(q => perA.GetValueOrDefault(q)).ToArray();
                var y = queryIds.Select(q => perB.GetValueOrDefault(q)).ToArray();
                TTestResult? t = options.Test != SignificanceTest.Randomization && x.Length >= 2 ? SignificanceTests.PairedT(x, y) : null;
                double? p = options.Test != SignificanceTest.T ? SignificanceTests.PairedRandomization(x, y, options.Permutations, options.Seed) : null;
                double meanA = x.Average(), meanB = y.Average();
                rows.Add(new MeasureComparison(name, meanA, meanB, meanB - meanA, t, p));
            }
        }
        return rows;
    }
}
