using System.IO.Compression;
using LmToLlm.Evaluation;

namespace LmToLlm.Tests.Evaluation;

/// <summary>
/// Every run in ../shared/reference/{cranfield,cacm} evaluated with <c>-m all_trec</c> must reproduce, line for line,
/// the trec_eval 9.0.8 output beside it: <c>&lt;run&gt;.trec_eval</c> (summary) and <c>&lt;run&gt;.perquery.gz</c> (<c>-q</c>).
/// </summary>
public sealed class TrecEvalReferenceTests
{
    public static TheoryData<string, string> Runs()
    {
        var data = new TheoryData<string, string>();
        foreach (string set in new[] { "cranfield", "cacm" })
        {
            // Every run that has trec_eval's output beside it (a run without one, such as lucene8-bm25.run, is a
            // ranking reference for another test, not an evaluation reference).
            var runs = Directory.GetFiles(SharedData.File("reference", set), "*.run.trec_eval")
                .Select(p => Path.GetFileName(p)[..^".trec_eval".Length]).Order(StringComparer.Ordinal).ToArray();
            Assert.NotEmpty(runs);
            foreach (string? run in runs) data.Add(set, run!);
        }
        return data;
    }

    [SharedTheory("reference/cranfield", "reference/cacm")]
    [MemberData(nameof(Runs))]
    public void Summary_matches_trec_eval_line_for_line(string set, string run)
    {
        var result = Evaluate(set, run);
        AssertSameLines(File.ReadAllText(SharedData.File("reference", set, run + ".trec_eval")), result.ToText());
    }

    [SharedTheory("reference/cranfield", "reference/cacm")]
    [MemberData(nameof(Runs))]
    public void Per_query_output_matches_trec_eval_line_for_line(string set, string run)
    {
        var result = Evaluate(set, run);
        using var gz = new GZipStream(File.OpenRead(SharedData.File("reference", set, run + ".perquery.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        AssertSameLines(reader.ReadToEnd(), result.ToText(perQuery: true));
    }

    public static TheoryData<string, string> Version10Runs()
    {
        var data = new TheoryData<string, string>();
        foreach (string set in new[] { "cranfield", "cacm" })
        {
            var outputs = Directory.GetFiles(SharedData.File("reference", set, "trec_eval-10.0"), "*.run.trec_eval").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            Assert.NotEmpty(outputs);
            foreach (string? output in outputs) data.Add(set, output![..^".trec_eval".Length]);
        }
        return data;
    }

    [SharedTheory("reference/cranfield/trec_eval-10.0", "reference/cacm/trec_eval-10.0")]
    [MemberData(nameof(Version10Runs))]
    public void Trec_eval_10_mode_matches_its_summary_and_per_query_output(string set, string run)
    {
        var options = new TrecEvalOptions { Version = TrecEvalVersion.V10_0 };
        var result = TrecEval.Evaluate(
            Qrels.ReadTrec(SharedData.File("reference", set, "qrels.trec")),
            Run.ReadTrec(SharedData.File("reference", set, run)),
            MeasureSelection.Parse(["all_trec"], TrecEvalVersion.V10_0),
            options);
        AssertSameLines(File.ReadAllText(SharedData.File("reference", set, "trec_eval-10.0", run + ".trec_eval")), result.ToText());
        using var gz = new GZipStream(File.OpenRead(SharedData.File("reference", set, "trec_eval-10.0", run + ".perquery.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        AssertSameLines(reader.ReadToEnd(), result.ToText(perQuery: true));
    }

    [SharedFact("data/cranfield/beir/qrels/test.tsv", "reference/cranfield/qrels.trec", "reference/cranfield/lucene-bm25.run")]
    public void Beir_qrels_give_the_same_evaluation_as_trec_qrels()
    {
        var beir = Qrels.ReadBeir(SharedData.File("data", "cranfield", "beir", "qrels", "test.tsv"));
        var trec = Qrels.ReadTrec(SharedData.File("reference", "cranfield", "qrels.trec"));
        var run = Run.ReadTrec(SharedData.File("reference", "cranfield", "lucene-bm25.run"));
        Assert.Equal(TrecEval.Evaluate(trec, run, MeasureSelection.AllTrec).ToText(true), TrecEval.Evaluate(beir, run, MeasureSelection.AllTrec).ToText(true));
    }

    private static TrecEvalResult Evaluate(string set, string run) =>
        TrecEval.Evaluate(
            Qrels.ReadTrec(SharedData.File("reference", set, "qrels.trec")),
            Run.ReadTrec(SharedData.File("reference", set, run)),
            MeasureSelection.AllTrec);

    private static void AssertSameLines(string expected, string actual)
    {
        string[] want = expected.TrimEnd('\n').Split('\n');
        string[] got = actual.TrimEnd('\n').Split('\n');
        for (int i = 0; i < Math.Min(want.Length, got.Length); i++)
            Assert.True(want[i] == got[i], $"line {i + 1}: expected [{want[i]}] got [{got[i]}]");
        Assert.Equal(want.Length, got.Length);
    }
}
