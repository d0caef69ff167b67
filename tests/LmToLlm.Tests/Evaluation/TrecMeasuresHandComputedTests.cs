using LmToLlm.Evaluation;

namespace LmToLlm.Tests.Evaluation;

/// <summary>
/// Small cases worked out with a pencil. Query q1 is judged d1=1, d2=2, d4=1, d9=3 (relevant, R = 4) and
/// d3, d5, d6 = 0. The run scores d1 5, d3 5, x 4, d2 3, d4 2: d1 and d3 tie, and trec_eval breaks ties by
/// docno descending, so the ranking is d3 d1 x d2 d4 with relevance 0 1 (unjudged) 2 1.
/// q2 is judged but has no relevant document; q3 is judged but not in the run; q4 is in the run but not judged.
/// </summary>
public sealed class TrecMeasuresHandComputedTests
{
    private static readonly double L3 = Math.Log2(3), L5 = Math.Log2(5), L6 = Math.Log2(6);

    private static Qrels Judgments() => Qrels.FromJudgments(
    [
        ("q1", "d1", 1), ("q1", "d2", 2), ("q1", "d3", 0), ("q1", "d4", 1), ("q1", "d5", 0), ("q1", "d6", 0), ("q1", "d9", 3),
        ("q2", "e1", 0), ("q2", "e2", 0),
        ("q3", "f1", 1),
    ]);

    private static Run Ranking() => Run.FromScores("hand",
    [
        ("q1", "d1", 5), ("q1", "d3", 5), ("q1", "x", 4), ("q1", "d2", 3), ("q1", "d4", 2),
        ("q2", "e1", 1.0), ("q2", "e3", 0.5),
        ("q4", "g1", 1.0),
    ]);

    private static TrecEvalResult Evaluate(TrecEvalOptions? options = null, params string[] measures) =>
        TrecEval.Evaluate(Judgments(), Ranking(), MeasureSelection.Parse(measures.Length == 0 ? ["all_trec"] : measures), options);

    private static double Q1(string name, TrecEvalOptions? options = null) => Evaluate(options).Value(name, "q1");

    [Fact]
    public void Ties_are_broken_by_docno_descending_and_the_rank_column_is_ignored()
    {
        Assert.Equal(["d3", "d1", "x", "d2", "d4"], Ranking().Get("q1")!.DocumentIds);
        Assert.Equal("'01-21'", Evaluate().ToText(perQuery: true).Split('\n').Single(l => l.StartsWith("relstring") && l.Contains("\tq1\t")).Split('\t')[2]);
    }

    [Fact]
    public void Scores_are_compared_as_float_like_trec_eval()
    {
        // 1.00000001 and 1.00000002 are different doubles but the same float: docno decides (b before a).
        var run = Run.FromScores("f", [("q", "a", 1.00000002), ("q", "b", 1.00000001)]);
        Assert.Equal(["b", "a"], run.Get("q")!.DocumentIds);
    }

    [Fact]
    public void Counts()
    {
        var r = Evaluate();
        Assert.Equal(5, r.Value("num_ret", "q1"));
        Assert.Equal(4, r.Value("num_rel", "q1"));
        Assert.Equal(3, r.Value("num_rel_ret", "q1"));
        Assert.Equal(1, r.Value("num_nonrel_judged_ret", "q1")); // d3; x is not judged
        Assert.Equal(2, r.Summary("num_q")); // q1 and q2; q3 missing from the run, q4 unjudged
        Assert.Equal(7, r.Summary("num_ret"));
    }

    [Fact]
    public void Average_precision_family()
    {
        // Relevant at ranks 2, 4, 5: (1/2 + 2/4 + 3/5) / R.
        Assert.Equal((0.5 + 0.5 + 0.6) / 4, Q1("map"), 12);
        Assert.Equal((1.0 / 2) / 4, Evaluate(null, "map_cut.2,5").Value("map_cut_2", "q1"), 12); // only rank 2 is inside the cut
        Assert.Equal((0.5 + 0.5 + 0.6) / 4, Evaluate(null, "map_cut.2,5").Value("map_cut_5", "q1"), 12);
        Assert.Equal(2.0 / 4, Q1("Rprec"), 12); // top 4 holds d1 and d2
        Assert.Equal(0.5, Q1("recip_rank"), 12);
        // bpref: N = 3 judged non-relevant; each relevant has 1 of them above: 3 · (1 − 1/min(3,4)) / 4.
        Assert.Equal(3 * (1 - 1.0 / 3) / 4, Q1("bpref"), 12);
        // binG: 1/log2(2 + non-relevant above) = 1/log2 3, 1/log2 4, 1/log2 4.
        Assert.Equal((1 / L3 + 0.5 + 0.5) / 4, Q1("binG"), 12);
    }

    [Fact]
    public void Inferred_average_precision()
    {
        const double e = 0.00001;
        // ranks 2, 4, 5 (k = rank − 1): 1/(k+1) + k/(k+1) · (judged above / k) · ((rel above + ε)/(rel above + nonrel above + 2ε))
        double r2 = 1.0 / 2 + 1.0 / 2 * (1.0 / 1) * ((0 + e) / (0 + 1 + 2 * e));
        double r4 = 1.0 / 4 + 3.0 / 4 * (2.0 / 3) * ((1 + e) / (1 + 1 + 2 * e));
        double r5 = 1.0 / 5 + 4.0 / 5 * (3.0 / 4) * ((2 + e) / (2 + 1 + 2 * e));
        Assert.Equal((r2 + r4 + r5) / 4, Q1("infAP"), 12);
    }

    [Fact]
    public void Precision_recall_and_success_at_cutoffs()
    {
        var r = Evaluate(null, "P.1,2,5,10", "recall.2,5", "relative_P.2,5", "success.1,2,10");
        Assert.Equal(0.0, r.Value("P_1", "q1"));
        Assert.Equal(0.5, r.Value("P_2", "q1"));
        Assert.Equal(0.6, r.Value("P_5", "q1"), 12);
        Assert.Equal(0.3, r.Value("P_10", "q1"), 12); // missing ranks count as non-relevant
        Assert.Equal(0.25, r.Value("recall_2", "q1"));
        Assert.Equal(0.75, r.Value("recall_5", "q1"));
        Assert.Equal(1.0 / 2, r.Value("relative_P_2", "q1")); // 1 / min(2, 4)
        Assert.Equal(3.0 / 4, r.Value("relative_P_5", "q1")); // 3 / min(5, 4)
        Assert.Equal(0.0, r.Value("success_1", "q1"));
        Assert.Equal(1.0, r.Value("success_2", "q1"));
        Assert.Equal(1.0, r.Value("success_10", "q1"));
        Assert.Equal(["P_1", "P_2", "P_5", "P_10", "recall_2", "recall_5", "relative_P_2", "relative_P_5", "success_1", "success_2", "success_10"], r.ValueNames);
    }

    [Fact]
    public void Interpolated_precision_uses_trec_eval_cutoffs_of_long_p_R_plus_0_9_relevant()
    {
        // Precision at the relevant ranks 2, 4, 5 is .5, .5, .6; interpolation makes every level up to 3 relevant 0.6.
        // Level p needs (long)(4p + 0.9) relevant: 0.8 → 4 > 3 retrieved, so levels 0.8..1.0 are 0.
        var r = Evaluate();
        foreach (string level in new[] { "0.00", "0.10", "0.20", "0.30", "0.40", "0.50", "0.60", "0.70" })
            Assert.Equal(0.6, r.Value("iprec_at_recall_" + level, "q1"), 12);
        foreach (string level in new[] { "0.80", "0.90", "1.00" })
            Assert.Equal(0.0, r.Value("iprec_at_recall_" + level, "q1"));
        Assert.Equal(8 * 0.6 / 11, r.Value("11pt_avg", "q1"), 12);
    }

    [Fact]
    public void R_precision_multiples()
    {
        // cutoff (long)(m·4 + 0.9): 0.2→1, 0.4→2, 0.6→3, 0.8→4, 1.0→4, 1.2→5, 1.4→6, 1.6→7, 1.8→8, 2.0→8; past rank 5, 3/cutoff.
        var r = Evaluate();
        double[] expected = [0, 1.0 / 2, 1.0 / 3, 2.0 / 4, 2.0 / 4, 3.0 / 5, 3.0 / 6, 3.0 / 7, 3.0 / 8, 3.0 / 8];
        string[] names = ["0.20", "0.40", "0.60", "0.80", "1.00", "1.20", "1.40", "1.60", "1.80", "2.00"];
        for (int i = 0; i < names.Length; i++) Assert.Equal(expected[i], r.Value("Rprec_mult_" + names[i], "q1"), 12);
    }

    [Fact]
    public void Set_measures_and_utility()
    {
        Assert.Equal(3.0 / 5, Q1("set_P"), 12);
        Assert.Equal(3.0 / 4, Q1("set_recall"), 12);
        Assert.Equal(3.0 / 4, Q1("set_relative_P"), 12); // 3 / min(5, 4)
        Assert.Equal(9.0 / 20, Q1("set_map"), 12);
        Assert.Equal(2 * 0.6 * 0.75 / (0.6 + 0.75), Q1("set_F"), 12);
        Assert.Equal(3 - 2, Q1("utility")); // +1 per relevant retrieved, −1 per other retrieved
    }

    [Fact]
    public void Graded_gain_measures()
    {
        // Gains are the levels; the ideal ranking is 3 2 1 1 (d9 d2 d1 d4).
        double dcg = 1 / L3 + 2 / L5 + 1 / L6;
        double ideal = 3 + 2 / L3 + 1.0 / 2 + 1 / L5;
        Assert.Equal(dcg / ideal, Q1("ndcg"), 12);
        var cut = Evaluate(null, "ndcg_cut.1,3,5");
        Assert.Equal(0.0, cut.Value("ndcg_cut_1", "q1"));
        Assert.Equal(1 / L3 / (3 + 2 / L3 + 1.0 / 2), cut.Value("ndcg_cut_3", "q1"), 12);
        Assert.Equal(dcg / ideal, cut.Value("ndcg_cut_5", "q1"), 12);

        // ndcg_rel: nDCG at each relevant rank (2, 4, 5) and once more at the end for the unretrieved d9, over 4.
        double d2 = 1 / L3, i2 = 3 + 2 / L3, d4 = d2 + 2 / L5, i4 = i2 + 0.5 + 1 / L5, d5 = d4 + 1 / L6;
        Assert.Equal((d2 / i2 + d4 / i4 + d5 / i4 + d5 / i4) / 4, Q1("ndcg_rel"), 12);
        // Rndcg: nDCG where the ideal gain drops (before ranks 2, 3 and 5), averaged.
        Assert.Equal((0 / 3.0 + d2 / i2 + d4 / i4) / 3, Q1("Rndcg"), 12);
        // G: cost grows by the ideal gain (min 1); relevant docs at ranks 2, 4, 5 give gain / log2(2 + cost − gain so far)
        // = 1/log2(2+5−1), 2/log2(2+7−3), 1/log2(2+8−4); normalised by the ideal total gain 3+2+1+1.
        Assert.Equal((1 / L6 + 2 / L6 + 1 / L6) / 7, Q1("G"), 12);
    }

    [Fact]
    public void Gain_parameters_override_levels()
    {
        // ndcg.1=0,2=5: level 1 gains nothing, level 2 gains 5; ideal 5 (d2) then 3 (d9).
        var r = Evaluate(null, "ndcg.1=0,2=5");
        Assert.Equal(["ndcg_1=0,2=5"], r.ValueNames);
        Assert.Equal(5 / L5 / (5 + 3 / L3), r.Value("ndcg_1=0,2=5", "q1"), 12);
    }

    [Fact]
    public void Query_without_relevant_documents_scores_zero_and_counts_in_the_mean()
    {
        var r = Evaluate();
        foreach (string name in new[] { "map", "Rprec", "bpref", "recip_rank", "ndcg", "P_5", "recall_5", "infAP", "set_F" })
            Assert.Equal(0.0, r.Value(name, "q2"));
        Assert.Equal(1, r.Value("num_nonrel_judged_ret", "q2"));
        Assert.Equal((0.4 + 0) / 2, r.Summary("map"), 12);
        Assert.Equal(Math.Exp((Math.Log(0.4) + Math.Log(1e-5)) / 2), r.Summary("gm_map"), 12);
    }

    [Fact]
    public void Missing_query_is_skipped_by_default_and_scores_zero_with_c()
    {
        var plain = Evaluate();
        Assert.Equal(["q1", "q2"], plain.Queries.Select(q => q.QueryId));
        Assert.Equal(4, plain.Summary("num_rel"));

        var complete = Evaluate(new TrecEvalOptions { AverageOverAllJudgedQueries = true });
        Assert.Equal(["q1", "q2"], complete.Queries.Select(q => q.QueryId)); // no per-query line for q3
        Assert.Equal(3, complete.Summary("num_q"));
        Assert.Equal(5, complete.Summary("num_rel")); // recounted from the qrels: judgements > 0
        Assert.Equal(0.4 / 3, complete.Summary("map"), 12);
        Assert.Equal(Math.Exp((Math.Log(0.4) + 2 * Math.Log(1e-5)) / 3), complete.Summary("gm_map"), 12);
        Assert.Equal(0.6 / 3, complete.Summary("P_5"), 12);
    }

    [Fact]
    public void Relevance_level_raises_the_bar_but_not_for_gains()
    {
        var options = new TrecEvalOptions { RelevanceLevel = 2 };
        Assert.Equal(2, Q1("num_rel", options)); // d2, d9
        Assert.Equal(1, Q1("num_rel_ret", options));
        Assert.Equal((1.0 / 4) / 2, Q1("map", options), 12);
        Assert.Equal(0.0, Q1("bpref", options)); // d2 has 2 judged non-relevant (d3, d1) above, min(2, R=2)/min(5, 2) = 1
        Assert.Equal(Q1("ndcg"), Q1("ndcg", options)); // nDCG uses every level as gain
    }

    [Fact]
    public void Max_documents_and_judged_only()
    {
        Assert.Equal(2, Q1("num_ret", new TrecEvalOptions { MaxDocumentsPerQuery = 2 }));
        var judged = new TrecEvalOptions { JudgedDocumentsOnly = true };
        Assert.Equal(4, Q1("num_ret", judged)); // x dropped: d3 d1 d2 d4
        Assert.Equal((1.0 / 2 + 2.0 / 3 + 3.0 / 4) / 4, Q1("map", judged), 12);
    }

    [Fact]
    public void No_common_query_is_an_error_like_trec_eval()
    {
        var run = Run.FromScores("none", [("zz", "d1", 1.0)]);
        var e = Assert.Throws<LmToLlmException>(() => TrecEval.Evaluate(Judgments(), run));
        Assert.Contains("no query has both results", e.Message);
        var empty = Run.FromScores("empty", []);
        Assert.Equal(0, empty.QueryCount);
        Assert.Throws<LmToLlmException>(() => TrecEval.Evaluate(Judgments(), empty, null, new TrecEvalOptions { AverageOverAllJudgedQueries = true }));
    }

    [Fact]
    public void Printed_format_is_trec_eval_s()
    {
        string text = Evaluate(null, "official").ToText(perQuery: true);
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal("num_ret               \tq1\t5", lines[0]);
        Assert.Equal("map                   \tq1\t0.4000", lines[3]);
        Assert.Contains("runid                 \tall\thand", lines);
        Assert.Contains("num_q                 \tall\t2", lines);
        Assert.Contains("gm_map                \tall\t0.0020", lines); // exp((ln 0.4 + ln 1e-5)/2) = 0.0020
        Assert.DoesNotContain(lines, l => l.StartsWith("gm_map") && l.Contains("\tq1\t")); // summary only
    }

    [Fact]
    public void Trec_eval_10_rounds_recall_levels_and_adds_rbp_and_unj()
    {
        // 10.0 needs every judged query in the run: evaluate q1 alone.
        var qrels = Qrels.FromJudgments(Judgments().Get("q1")!.Judgments.Select(j => ("q1", j.Key, j.Value)));
        var options = new TrecEvalOptions { Version = TrecEvalVersion.V10_0 };
        var r = TrecEval.Evaluate(qrels, Ranking(), MeasureSelection.Parse(["all_trec"], TrecEvalVersion.V10_0), options);
        Assert.Equal(["rbp", "rbp_resid", "unj_5", "unj_10", "unj_20"], r.ValueNames.TakeLast(5));
        // lround(0.8 · 4) = 3 relevant, reached at rank 5 (P = 0.6); 9.0.8 needed (long)(4.1) = 4, never reached.
        Assert.Equal(0.6, r.Value("iprec_at_recall_0.80", "q1"), 12);
        Assert.Equal(0.0, r.Value("iprec_at_recall_0.90", "q1")); // lround(3.6) = 4
        // rbp, p = 0.9, gains 0..3 rescaled by 1/3: ranks 2, 4, 5 hold levels 1, 2, 1.
        Assert.Equal(0.1 * (1.0 / 3 * 0.9 + 2.0 / 3 * Math.Pow(0.9, 3) + 1.0 / 3 * Math.Pow(0.9, 4)), r.Value("rbp", "q1"), 12);
        // rbp_resid: p^5 + 0.1 · p^2 (x at rank 3 is unjudged).
        Assert.Equal(Math.Pow(0.9, 5) + 0.1 * 0.81, r.Value("rbp_resid", "q1"), 12);
        Assert.Equal(1.0 / 5, r.Value("unj_5", "q1"), 12);
        Assert.Equal(1.0 / 10, r.Value("unj_10", "q1"), 12);

        var missing = Assert.Throws<LmToLlmException>(() => TrecEval.Evaluate(Judgments(), Ranking(), null, options));
        Assert.Contains("judged query 'q3' has no results", missing.Message);
    }

    [Fact]
    public void Duplicate_documents_are_rejected_in_programmatic_input()
    {
        Assert.Throws<ArgumentException>(() => Run.FromScores("d", [("q", "a", 1.0), ("q", "a", 2.0)]));
        Assert.Throws<ArgumentException>(() => Qrels.FromJudgments([("q", "a", 1), ("q", "a", 0)]));
    }

    [Fact]
    public void Unknown_measures_and_bad_parameters_are_usage_errors()
    {
        Assert.Throws<ArgumentException>(() => MeasureSelection.Parse("nope"));
        Assert.Throws<ArgumentException>(() => MeasureSelection.Parse("P.0"));
        Assert.Throws<ArgumentException>(() => MeasureSelection.Parse("P.5,5"));
        Assert.Throws<ArgumentException>(() => MeasureSelection.Parse("ndcg.1"));
        Assert.Throws<ArgumentException>(() => MeasureSelection.Parse("map.3"));
    }
}
