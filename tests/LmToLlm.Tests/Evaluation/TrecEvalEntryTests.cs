using LmToLlm.Corpora;
using LmToLlm.Evaluation;

namespace LmToLlm.Tests.Evaluation;

/// <summary>
/// The public ways in: a run file and in-process rankings give trec_eval's output, the same as the reader the
/// trec_eval reference tests check. The pencil case of <see cref="TrecMeasuresHandComputedTests"/>: q1 ranks
/// d3 d1 x d2 d4 (relevance 0 1 unjudged 2 1, R = 4), so its average precision is (1/2 + 2/4 + 3/5) / 4.
/// </summary>
public sealed class TrecEvalEntryTests
{
    private static readonly (string Query, string Document, double Score)[] Scores =
    [
        ("q1", "d1", 5), ("q1", "d3", 5), ("q1", "x", 4), ("q1", "d2", 3), ("q1", "d4", 2),
        ("q2", "e1", 1.0), ("q2", "e3", 0.5),
        ("q4", "g1", 1.0),
    ];

    private static Qrels Judgments() => Qrels.FromJudgments(
    [
        ("q1", "d1", 1), ("q1", "d2", 2), ("q1", "d3", 0), ("q1", "d4", 1), ("q1", "d5", 0), ("q1", "d6", 0), ("q1", "d9", 3),
        ("q2", "e1", 0), ("q2", "e2", 0),
        ("q3", "f1", 1),
    ]);

    private static string Text(TrecEvalResult result)
    {
        var writer = new StringWriter();
        result.Write(writer, perQuery: true);
        return writer.ToString();
    }

    [Fact]
    public void Run_file_and_rankings_give_the_output_of_the_checked_path()
    {
        string[] measures = ["all_trec"];
        var expected = TrecEval.Evaluate(Judgments(), Run.FromScores("hand", Scores), MeasureSelection.Parse(measures)).ToText(perQuery: true);
        using var dir = new TempDir();
        string runPath = dir.File("hand.run");
        File.WriteAllLines(runPath, Scores.Select((s, i) => $"{s.Query} Q0 {s.Document} {i + 1} {s.Score} hand"));
        var rankings = Scores.GroupBy(s => s.Query).Select(g => new RunQuery(g.Key, g.Select(s => new RunEntry(s.Document, s.Score)).ToList()));

        var fromFile = TrecEval.Evaluate(Judgments(), runPath, measures);
        var fromRankings = TrecEval.Evaluate(Judgments(), rankings, measures, runName: "hand");
        Assert.Equal(expected, Text(fromFile));
        Assert.Equal(expected, Text(fromRankings));
        Assert.Equal("hand", fromFile.RunName);
        Assert.Equal((0.5 + 0.5 + 0.6) / 4, fromRankings.PerQuery("map")["q1"], 12);
        Assert.Contains("ndcg_cut_10", fromRankings.ValueNames);
    }

    [Fact]
    public void Defaults_are_the_official_measures_and_options_apply()
    {
        var rankings = Scores.GroupBy(s => s.Query).Select(g => new RunQuery(g.Key, g.Select(s => new RunEntry(s.Document, s.Score)).ToList())).ToList();
        var official = TrecEval.Evaluate(Judgments(), rankings);
        Assert.Equal(TrecEval.Evaluate(Judgments(), Run.FromScores("run", Scores)).ToText(), Text(official).Split('\n').Where(l => l.Contains("\tall\t")).Select(l => l + "\n").Aggregate("", string.Concat));
        // -c averages over every judged query: q3 (judged, not run) adds a zero to the mean.
        var complete = TrecEval.Evaluate(Judgments(), rankings, ["map"], new TrecEvalOptions { AverageOverAllJudgedQueries = true });
        Assert.Equal((0.4 + 0 + 0) / 3, complete.Summary("map"), 12);
    }

    [Fact]
    public void An_unknown_measure_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => TrecEval.Evaluate(Judgments(), [new RunQuery("q1", [new RunEntry("d1", 1)])], ["mapp"]));
        Assert.Contains("unknown measure 'mapp'", e.Message);
    }
}
