using System.Diagnostics;
using System.Globalization;
using System.Text;
using LmToLlm.Evaluation;

namespace LmToLlm.Benchmarks.Evaluation;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/LmToLlm.Benchmarks -- eval-bench [--trec-eval PATH] [--queries N] [--depth K]</c>:
/// end-to-end time of <c>-q -m all_trec</c> (read qrels and run, evaluate, format every line) on a seeded synthetic
/// collection in artifacts/eval-bench, ours in-process against the trec_eval binary as a process, back to back,
/// median of 5 after a warm-up; also checks that both outputs are identical.
/// </summary>
public static class EvalBench
{
    public static void Run(string[] args)
    {
        string? peer = Arg(args, "--trec-eval");
        int queries = int.Parse(Arg(args, "--queries") ?? "2000", CultureInfo.InvariantCulture);
        int depth = int.Parse(Arg(args, "--depth") ?? "1000", CultureInfo.InvariantCulture);
        string dir = Path.Combine(Retrieval.RetrievalData.RepositoryRoot(), "artifacts", "eval-bench");
        Directory.CreateDirectory(dir);
        string qrelsPath = Path.Combine(dir, $"qrels-{queries}.trec");
        string runPath = Path.Combine(dir, $"run-{queries}x{depth}.run");
        if (!File.Exists(runPath) || !File.Exists(qrelsPath)) Generate(qrelsPath, runPath, queries, depth);
        Console.WriteLine($"data: {queries} queries x {depth} documents ({new FileInfo(runPath).Length / 1e6:F1} MB run), {File.ReadLines(qrelsPath).Count()} judgements");

        string ours = "";
        var selection = MeasureSelection.AllTrec;
        double oursMs = Median(() =>
        {
            var result = TrecEval.Evaluate(Qrels.ReadTrec(qrelsPath), LmToLlm.Evaluation.Run.ReadTrec(runPath), selection);
            ours = result.ToText(perQuery: true);
        });
        var qrels = Qrels.ReadTrec(qrelsPath);
        var run = LmToLlm.Evaluation.Run.ReadTrec(runPath);
        double evaluateMs = Median(() => TrecEval.Evaluate(qrels, run, selection));
        Console.WriteLine($"LmToLlm in-process, read + evaluate + format: {oursMs:F0} ms (evaluate only: {evaluateMs:F0} ms)");
        if (peer is null) return;

        string theirs = "";
        double peerMs = Median(() => theirs = RunPeer(peer, qrelsPath, runPath));
        Console.WriteLine($"trec_eval process: {peerMs:F0} ms");
        Console.WriteLine($"ratio trec_eval / LmToLlm: {peerMs / oursMs:F2}");
        Console.WriteLine($"outputs identical: {(ours == theirs ? "yes" : "NO")} ({ours.Count(c => c == '\n')} lines)");
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static double Median(Action action)
    {
        action();
        var times = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[2];
    }

    private static string RunPeer(string peer, string qrels, string run)
    {
        var info = new ProcessStartInfo(peer) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-q", "-m", "all_trec", qrels, run }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"trec_eval exited with {process.ExitCode}");
        return output;
    }

    /// <summary>Seeded synthetic data: graded judgements (0..3) for 150 documents per query, of which about half are retrieved; scores with ties.</summary>
    private static void Generate(string qrelsPath, string runPath, int queries, int depth)
    {
        var random = new Random(20261128);
        var qrels = new StringBuilder();
        var run = new StringBuilder();
        for (int q = 0; q < queries; q++)
        {
            string qid = (q + 1).ToString(CultureInfo.InvariantCulture);
            var judged = new HashSet<int>();
            while (judged.Count < 150) judged.Add(random.Next(depth * 2));
            foreach (int d in judged.Order())
                qrels.Append(qid).Append(" 0 D").Append(d).Append(' ').Append(random.Next(10) switch { < 6 => 0, < 8 => 1, 8 => 2, _ => 3 }).Append('\n');
            var docs = Enumerable.Range(0, depth * 2).OrderBy(_ => random.Next()).Take(depth).ToArray();
            for (int r = 0; r < depth; r++)
            {
                double score = Math.Round(30.0 - r * 0.025 + random.NextDouble() * 0.01, 3);
                run.Append(qid).Append(" Q0 D").Append(docs[r]).Append(' ').Append(r + 1).Append(' ')
                   .Append(score.ToString("R", CultureInfo.InvariantCulture)).Append(" synthetic\n");
            }
        }
        File.WriteAllText(qrelsPath, qrels.ToString());
        File.WriteAllText(runPath, run.ToString());
    }
}
