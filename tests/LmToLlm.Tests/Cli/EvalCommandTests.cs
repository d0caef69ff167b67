using LmToLlm.Cli;

namespace LmToLlm.Tests.Cli;

public sealed class EvalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [SharedFact("reference/cacm/qrels.trec", "reference/cacm/lucene-bm25.run", "reference/cacm/lucene-bm25.run.trec_eval")]
    public void Eval_prints_exactly_the_trec_eval_reference()
    {
        string qrels = SharedData.File("reference", "cacm", "qrels.trec");
        string run = SharedData.File("reference", "cacm", "lucene-bm25.run");
        var (code, output, error) = Run("eval", "--qrels", qrels, "--run", run, "-m", "all_trec");
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllText(run + ".trec_eval"), output);
    }

    [SharedFact("reference/cranfield/qrels.trec", "reference/cranfield/lucene-bm25.run")]
    public void Selected_measures_with_parameters_print_in_trec_eval_order()
    {
        string qrels = SharedData.File("reference", "cranfield", "qrels.trec");
        string run = SharedData.File("reference", "cranfield", "lucene-bm25.run");
        var (code, output, _) = Run("eval", "--qrels", qrels, "--run", run, "-m", "ndcg_cut.10", "-m", "map");
        Assert.Equal(0, code);
        Assert.Equal("map                   \tall\t0.2721\nndcg_cut_10           \tall\t0.3429\n", output);
    }

    [SharedFact("reference/cranfield/qrels.trec", "reference/cranfield/lucene-bm25.run", "reference/cranfield/lucene-bm25-k0.9-b0.4.run")]
    public void Two_runs_give_means_differences_and_p_values()
    {
        string qrels = SharedData.File("reference", "cranfield", "qrels.trec");
        string a = SharedData.File("reference", "cranfield", "lucene-bm25.run");
        string b = SharedData.File("reference", "cranfield", "lucene-bm25-k0.9-b0.4.run");
        var (code, output, error) = Run("eval", "--qrels", qrels, "--run", a, "--run", b, "--permutations", "2000");
        Assert.True(code == 0, error);
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("A = lucene-bm25", lines[0]);
        Assert.Equal("B = lucene-bm25-k0.9-b0.4", lines[1]);
        string map = lines.Single(l => l.StartsWith("map "));
        Assert.Contains("0.2721", map); // same means as the .trec_eval files
        Assert.Contains("0.2616", map);
        Assert.Contains("-0.0105", map);
    }

    [Fact]
    public void Malformed_run_exits_1_with_file_and_line()
    {
        string qrels = Path.Combine(_dir, "q.trec");
        File.WriteAllText(qrels, "1 0 d1 1\n");
        string run = Path.Combine(_dir, "r.run");
        File.WriteAllText(run, "1 Q0 d1 1 1.0 t\n1 Q0 d1 2 0.5 t\n");
        var (code, _, error) = Run("eval", "--qrels", qrels, "--run", run);
        Assert.Equal(CliApp.BadInput, code);
        Assert.Contains("r.run:2:", error);
    }

    [Fact]
    public void Unknown_measure_is_a_usage_error()
    {
        string qrels = Path.Combine(_dir, "q.trec");
        File.WriteAllText(qrels, "1 0 d1 1\n");
        string run = Path.Combine(_dir, "r.run");
        File.WriteAllText(run, "1 Q0 d1 1 1.0 t\n");
        var (code, _, error) = Run("eval", "--qrels", qrels, "--run", run, "-m", "mapp");
        Assert.Equal(CliApp.Usage, code);
        Assert.Contains("unknown measure 'mapp'", error);
    }
}
