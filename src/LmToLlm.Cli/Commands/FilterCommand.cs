using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LmToLlm.Corpora;
using LmToLlm.Data;
using LmToLlm.NGrams;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm filter --in corpus --out kept [--lm model.arpa | --order 3 [--train text]] [--max-ppl X | --keep-percentile 70 | --keep-bucket head|middle]</c>:
/// CCNet-style perplexity filtering with an n-gram model (trained on the corpus itself, or on --train, when no model is given).
/// </summary>
internal static class FilterCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "Corpus: " + DocumentInputOptions.Layouts, Required = true };
        var output = new Option<string>("--out") { Description = "Kept documents, lines (CSV/TSV: header and rows) copied unchanged, written atomically; for a folder, an output folder receiving the kept files", Required = true };
        var lm = new Option<string?>("--lm") { Description = "n-gram model: ARPA (.arpa, .gz) or this library's binary; none: train one" };
        var train = new Option<string?>("--train") { Description = "Text to train the model on when --lm is not given (default: the corpus itself); any layout --in takes, detected" };
        var order = new Option<int>("--order") { Description = "Order of the model trained when --lm is not given", DefaultValueFactory = _ => 3 }.Within(1, LmToLlm.NGrams.NGramCounts.MaxOrder);
        var maxPpl = new Option<double?>("--max-ppl") { Description = "Keep documents with perplexity ≤ X" }.Within(0.0, double.MaxValue, minExclusive: true);
        var percentile = new Option<double?>("--keep-percentile") { Description = "Keep the documents at or below this perplexity percentile, in (0, 100]" }.Within(0.0, 100.0, minExclusive: true);
        var bucket = new Option<string?>("--keep-bucket") { Description = "Keep through this CCNet bucket: head, or middle (head and middle)" };
        var head = new Option<double>("--head") { Description = "Upper percentile of the head bucket", DefaultValueFactory = _ => 100.0 / 3 }.Within(0.0, 100.0, minExclusive: true);
        var tail = new Option<double>("--tail") { Description = "Lower percentile of the tail bucket", DefaultValueFactory = _ => 200.0 / 3 }.Within(0.0, 100.0);
        var analyzer = new Option<string>("--analyzer") { Description = "Analyzer turning text into the model's words", DefaultValueFactory = _ => "simple" };
        var report = new Option<string?>("--report") { Description = "TSV of every document: line, perplexity, bucket, kept" };
        var command = new Command("filter", "Keep documents by n-gram perplexity (CCNet): threshold, percentile or head/middle/tail bucket")
        {
            input, output, lm, train, order, maxPpl, percentile, bucket, head, tail, analyzer, report,
        };
        var layout = new DocumentInputOptions();
        layout.AddTo(command);
        command.SetAction(parse =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            string? reportPath = parse.GetValue(report), lmPath = parse.GetValue(lm), trainPath = parse.GetValue(train);
            var stdout = CliApp.Summary(parse);
            var stderr = parse.InvocationConfiguration.Error;
            DedupCommand.CheckPaths(inPath, outPath, reportPath);
            int rules = (parse.GetValue(maxPpl) is null ? 0 : 1) + (parse.GetValue(percentile) is null ? 0 : 1) + (parse.GetValue(bucket) is null ? 0 : 1);
            if (rules != 1) throw new UsageException($"give {(rules == 0 ? "one" : "only one")} of --max-ppl X, --keep-percentile P and --keep-bucket head|middle: the rule that decides which documents are kept");
            var options = new PerplexityFilterOptions
            {
                MaxPerplexity = parse.GetValue(maxPpl), KeepPercentile = parse.GetValue(percentile),
                HeadPercentile = parse.GetValue(head), TailPercentile = parse.GetValue(tail),
                Analyzer = AnalyzerNames.Parse(parse.GetValue(analyzer)!),
                KeepThroughBucket = parse.GetValue(bucket) switch
                {
                    null => null,
                    "head" => PerplexityBucket.Head,
                    "middle" => PerplexityBucket.Middle,
                    string other => throw new UsageException($"unknown --keep-bucket '{other}'; use head or middle"),
                },
            };
            options.Validate();
            var source = layout.Open(parse, inPath);
            var clock = Stopwatch.StartNew();
            LanguageModel model;
            string modelNote;
            if (lmPath is not null)
            {
                model = BackoffModel.Load(lmPath);
                modelNote = $"model {lmPath} (order {model.Order})";
            }
            else
            {
                int n = parse.GetValue(order);
                var training = trainPath is null ? source : DocumentSource.Open(trainPath);
                model = PerplexityFilter.Train(training.ReadDocuments().Select(d => d.FullText), n, options.Analyzer, training.Path);
                modelNote = $"modified Kneser-Ney order {n} trained on {training.Path}";
            }
            var lines = new List<long>();
            var result = DataProgressDisplay.Run(stderr, "scoring", progress =>
                PerplexityFilter.Run(model, DedupCommand.Texts(source, lines), options, progress, source.EstimateCount(), inPath, CliApp.Cancellation));
            if (reportPath is not null)
            {
                AtomicFile.WriteText(reportPath, w =>
                {
                    w.WriteLine("line\tperplexity\tbucket\tkept");
                    for (int i = 0; i < result.Count; i++)
                        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lines[i]}\t{result.Perplexity(i):G6}\t{result.Bucket(i).ToString().ToLowerInvariant()}\t{(result.IsKept(i) ? 1 : 0)}"));
                }, CliApp.Cancellation);
            }
            long kept = source.WriteKept(outPath, i => result.IsKept((int)i), CliApp.Cancellation);
            stdout.WriteLine($"filter: {modelNote}");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"perplexity cut-offs: head ≤ {result.HeadCutoff:G6}, tail > {result.TailCutoff:G6}; keep ≤ {(result.KeepCutoff is { } c ? c.ToString("G6", CultureInfo.InvariantCulture) : "any")}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"read {result.Count}, kept {kept}, removed {result.Count - kept}, time {clock.Elapsed.TotalSeconds:F1} s"));
            return CliApp.Ok;
        });
        return command;
    }
}
