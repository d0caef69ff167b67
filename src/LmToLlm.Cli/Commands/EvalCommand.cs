using System.CommandLine;
using System.Globalization;
using LmToLlm.Evaluation;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm eval --qrels Q --run R [-m M]... [-q] [-l L] [-c] [-n] [-M N] [-J] [-N N]</c>: trec_eval 9.0.8 output.
/// With two <c>--run</c>s: per-measure means, difference and paired p-values.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var qrels = new Option<string>("--qrels") { Description = "Qrels file: TREC 'qid 0 docno rel' or BEIR TSV with header", Required = true };
        var runs = new Option<string[]>("--run") { Description = "TREC run file 'qid Q0 docno rank score tag'; give two to compare", Required = true, Arity = ArgumentArity.OneOrMore };
        var measures = new Option<string[]>("--measure", "-m") { Description = "Measure, measure.params or set (official, set, all_trec); repeatable. Default official", Arity = ArgumentArity.ZeroOrMore };
        var perQuery = new Option<bool>("--query-eval", "-q") { Description = "Also print per-query values (trec_eval -q)" };
        var level = new Option<int>("--level-for-rel", "-l") { Description = "Lowest judgement counted as relevant (trec_eval -l)", DefaultValueFactory = _ => 1 }.Within(int.MinValue, int.MaxValue);
        var complete = new Option<bool>("--complete", "-c") { Description = "Average over all judged queries; missing ones score 0 (trec_eval -c)" };
        var noSummary = new Option<bool>("--no-summary", "-n") { Description = "Do not print the summary (trec_eval -n)" };
        var maxDocs = new Option<int?>("--max-retrieved", "-M") { Description = "Evaluate only the top N documents per query (trec_eval -M)" }.Within(0, int.MaxValue);
        var judgedOnly = new Option<bool>("--judged-only", "-J") { Description = "Drop unjudged documents before evaluating (trec_eval -J)" };
        var collectionSize = new Option<long>("--docs-in-collection", "-N") { Description = "Number of documents in the collection, for utility (trec_eval -N)" }.Within(0L, long.MaxValue);
        var test = new Option<string>("--test") { Description = "With two runs: t, randomization or both", DefaultValueFactory = _ => "both" };
        var permutations = new Option<int>("--permutations") { Description = "Randomization test permutations", DefaultValueFactory = _ => 10_000 }.Within(1, 100_000_000);
        var seed = new Option<int>("--seed") { Description = "Randomization test seed", DefaultValueFactory = _ => CliApp.DefaultSeed }.Within(int.MinValue, int.MaxValue);
        var version10 = new Option<bool>("--trec-eval-10") { Description = "Reproduce trec_eval 10.0 instead of 9.0.8 (double scores, rounded recall levels, rbp/unj in all_trec)" };

        var command = new Command("eval", "Evaluate a run as trec_eval 9.0.8 does (same output), or compare two runs with significance tests")
        {
            qrels, runs, measures, perQuery, level, complete, noSummary, maxDocs, judgedOnly, collectionSize, test, permutations, seed, version10,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = new TrecEvalOptions
            {
                RelevanceLevel = parse.GetValue(level),
                AverageOverAllJudgedQueries = parse.GetValue(complete),
                MaxDocumentsPerQuery = parse.GetValue(maxDocs),
                JudgedDocumentsOnly = parse.GetValue(judgedOnly),
                DocumentsInCollection = parse.GetValue(collectionSize),
                Version = parse.GetValue(version10) ? TrecEvalVersion.V10_0 : TrecEvalVersion.V9_0_8,
            };
            if (options.Version == TrecEvalVersion.V10_0 && options.AverageOverAllJudgedQueries)
                throw new UsageException("-c is not supported together with --trec-eval-10");
            string[] runPaths = parse.GetValue(runs)!;
            string[] specs = parse.GetValue(measures) ?? [];
            var judgments = Qrels.Read(parse.GetValue(qrels)!);
            if (runPaths.Length == 1)
            {
                var selection = MeasureSelection.Parse(specs, options.Version);
                var result = TrecEval.Evaluate(judgments, Run.ReadTrec(runPaths[0]), selection, options);
                result.Write(output, parse.GetValue(perQuery), !parse.GetValue(noSummary));
                output.Flush();
                return CliApp.Ok;
            }
            if (runPaths.Length != 2) throw new UsageException("give one --run to evaluate or two to compare");
            var significance = parse.GetValue(test) switch
            {
                "t" => SignificanceTest.T,
                "randomization" => SignificanceTest.Randomization,
                "both" => SignificanceTest.Both,
                var other => throw new UsageException($"--test must be t, randomization or both (got '{other}')"),
            };
            var compared = MeasureSelection.Parse(specs.Length == 0 ? RunComparison.DefaultMeasures : specs, options.Version);
            var runA = Run.ReadTrec(runPaths[0]);
            var runB = Run.ReadTrec(runPaths[1]);
            var rows = RunComparison.Compare(judgments, runA, runB, compared, new RunComparisonOptions
            {
                Evaluation = options,
                Test = significance,
                Permutations = parse.GetValue(permutations),
                Seed = unchecked((ulong)parse.GetValue(seed)),
            });
            WriteComparison(output, runA.Name, runB.Name, rows, significance, parse.GetValue(permutations));
            output.Flush();
            return CliApp.Ok;
        });
        return command;
    }

    private static void WriteComparison(TextWriter output, string nameA, string nameB, IReadOnlyList<MeasureComparison> rows, SignificanceTest test, int permutations)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"A = {nameA}");
        output.WriteLine($"B = {nameB}");
        var header = new List<string> { "measure", "A", "B", "B-A" };
        if (test != SignificanceTest.Randomization) header.AddRange(["t", "p(t)"]);
        if (test != SignificanceTest.T) header.Add($"p(rand,{permutations})");
        var table = new List<string[]> { header.ToArray() };
        foreach (var row in rows)
        {
            var cells = new List<string> { row.Measure, row.MeanA.ToString("F4", inv), row.MeanB.ToString("F4", inv), row.Difference.ToString("+0.0000;-0.0000;0.0000", inv) };
            if (test != SignificanceTest.Randomization)
                cells.AddRange(row.TTest is { } t ? [t.T.ToString("F3", inv), t.P.ToString("F4", inv)] : ["-", "-"]);
            if (test != SignificanceTest.T) cells.Add(row.RandomizationP?.ToString("F4", inv) ?? "-");
            table.Add(cells.ToArray());
        }
        var widths = Enumerable.Range(0, header.Count).Select(c => table.Max(r => r[c].Length)).ToArray();
        foreach (var r in table)
            output.WriteLine(string.Join("  ", r.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
    }
}
