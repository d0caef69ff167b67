using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LmToLlm.Corpora;
using LmToLlm.Data;
using LmToLlm.NGrams;
using LmToLlm.SuffixArrays;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm sa build|count|find|next|ppl|contamination</c>: suffix-array indexes — counts of any length, occurrences,
/// the ∞-gram language model and test-set contamination.
/// </summary>
internal static class SaCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var command = new Command("sa", "Suffix-array indexes: counts of any length, occurrences, ∞-gram, contamination");
        command.Subcommands.Add(Build());
        command.Subcommands.Add(Count());
        command.Subcommands.Add(Find());
        command.Subcommands.Add(Next());
        command.Subcommands.Add(Ppl());
        command.Subcommands.Add(ContaminationCommand());
        return command;
    }

    private static Option<string> IndexOption() => new("--index") { Description = "Index built by 'lmtollm sa build'", Required = true };

    private static Command Build()
    {
        var text = new Option<string>("--text") { Description = "Text, one document per line (.gz read transparently)", Required = true };
        var output = new Option<string>("--out") { Description = "Index file (written atomically)", Required = true };
        var analyzer = new Option<string>("--analyzer") { Description = "whitespace (split on white space, as KenLM), bytes (the raw UTF-8 bytes) or an analyzer: simple, english, nori, spm:MODEL, …; queries are split by the same analyzer", DefaultValueFactory = _ => "whitespace" };
        var memory = new Option<string?>("--memory") { Description = "Memory budget of the construction, e.g. 2G, 500M, 64k (a bare number is bytes; default: no limit); a larger corpus is built as several shards" };
        var threads = new Option<int>("--threads") { Description = "Threads that sort the suffixes (default 1; -1 or 0: all cores; the index does not depend on it)", DefaultValueFactory = _ => 1 }.Within(-1, 1024);
        var command = new Command("build", "Build a suffix-array index of a text") { text, output, analyzer, memory, threads };
        command.SetAction(parse =>
        {
            string textPath = parse.GetValue(text)!, outPath = parse.GetValue(output)!, name = parse.GetValue(analyzer)!;
            if (!File.Exists(textPath)) throw new FileNotFoundException($"{textPath}: file not found", textPath);
            if (Path.GetFullPath(textPath) == Path.GetFullPath(outPath)) throw new UsageException($"{outPath}: the index would overwrite the text; choose another --out");
            long budget = parse.GetValue(memory) is { } size ? MemorySize.Parse("--memory", size, BareNumber.Bytes) : 0;
            if (name is not ("whitespace" or "bytes"))
            {
                try
                {
                    name = AnalyzerNames.Parse(name).Name;
                }
                catch (UsageException e)
                {
                    throw new UsageException($"{e.Message}, whitespace, bytes");
                }
            }
            int sortThreads = Math.Max(0, parse.GetValue(threads));
            var options = name == "bytes" ? new SuffixArrayBuildOptions { Mode = SuffixArrayMode.Bytes, MemoryBudget = budget, MaxDegreeOfParallelism = sortThreads }
                : new SuffixArrayBuildOptions { Tokenizer = name, MemoryBudget = budget, Analyzers = AnalyzerNames.Optional, MaxDegreeOfParallelism = sortThreads };
            var clock = Stopwatch.StartNew();
            var report = StageProgressBar.Run(parse.InvocationConfiguration.Error, "sa build", (StageProgress p) => (p.Stage, p.Done, p.Total),
                progress => SuffixArrayBuilder.Build(textPath, outPath, options, progress, CliApp.Cancellation));
            parse.InvocationConfiguration.Output.WriteLine(string.Create(Inv,
                $"indexed {report.Documents:N0} documents, {report.Tokens:N0} tokens ({report.VocabularySize:N0} distinct) in {report.Shards} shard(s): {report.FileBytes:N0} bytes ({report.FileBytes / (double)Math.Max(1, report.Tokens):F2} per token), {clock.Elapsed.TotalSeconds:F1} s"));
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Count()
    {
        var index = IndexOption();
        var queries = new Option<string>("--queries") { Description = "Queries, one per line ('-': standard input)", Required = true };
        var command = new Command("count", "Count each query; prints COUNT<TAB>QUERY per line, in input order") { index, queries };
        command.SetAction(parse =>
        {
            using var sa = OpenIndex(parse.GetValue(index)!);
            var stdout = parse.InvocationConfiguration.Output;
            foreach (string query in ReadQueries(parse.GetValue(queries)!))
            {
                CliApp.Cancellation.ThrowIfCancellationRequested();
                stdout.WriteLine(string.Create(Inv, $"{sa.Count(query)}\t{query}"));
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Find()
    {
        var index = IndexOption();
        var query = new Option<string>("--query") { Description = "Text to find", Required = true };
        var skip = new Option<long>("--skip") { Description = "Occurrences to skip (paging)", DefaultValueFactory = _ => 0 }.Within(0L, long.MaxValue);
        var take = new Option<int>("--take") { Description = "Occurrences to print", DefaultValueFactory = _ => 10 }.Within(0, 1_000_000);
        var context = new Option<int>("--context") { Description = "Tokens (bytes) of context each side", DefaultValueFactory = _ => 8 }.Within(0, 10_000);
        var command = new Command("find", "Print occurrences: LINE<TAB>OFFSET<TAB>SNIPPET (line 1-based, offset in tokens)") { index, query, skip, take, context };
        command.SetAction(parse =>
        {
            long s = parse.GetValue(skip);
            int t = parse.GetValue(take), c = parse.GetValue(context);
            if (s < 0 || t < 0 || c < 0) throw new UsageException("--skip, --take and --context must be ≥ 0");
            using var sa = OpenIndex(parse.GetValue(index)!);
            var stdout = parse.InvocationConfiguration.Output;
            string q = parse.GetValue(query)!;
            stdout.WriteLine(string.Create(Inv, $"# {sa.Count(q)} occurrences"));
            foreach (var o in sa.Find(q, s, t, c)) stdout.WriteLine(string.Create(Inv, $"{o.Document + 1}\t{o.Offset}\t{o.Snippet}"));
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Next()
    {
        var index = IndexOption();
        var context = new Option<string>("--context") { Description = "The context whose next token is predicted", Required = true };
        var start = new Option<bool>("--sentence-start") { Description = "The context starts a document" };
        var top = new Option<int>("--top") { Description = "Continuations to print", DefaultValueFactory = _ => 10 }.Within(0, 1_000_000);
        var command = new Command("next", "∞-gram next-token distribution: the longest suffix of the context that occurs, and its continuations") { index, context, start, top };
        command.SetAction(parse =>
        {
            using var sa = OpenIndex(parse.GetValue(index)!);
            var model = new InfiniGram(sa);
            var tokens = sa.Tokenize(parse.GetValue(context)!);
            var d = model.NextTokens(tokens, parse.GetValue(start), Math.Max(0, parse.GetValue(top)));
            var stdout = parse.InvocationConfiguration.Output;
            stdout.WriteLine(string.Create(Inv, $"# suffix used: {d.SuffixLength} token(s) \"{string.Join(' ', tokens.Skip(Math.Max(0, tokens.Count - d.SuffixLength)))}\", followed {d.SuffixCount} times"));
            foreach (var c in d.Continuations) stdout.WriteLine(string.Create(Inv, $"{c.Probability:F6}\t{c.Count}\t{c.Token}"));
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Ppl()
    {
        var index = IndexOption();
        var model = new Option<string>("--model") { Description = "n-gram model to interpolate with (ARPA or binary)", Required = true };
        var heldOut = new Option<string>("--held-out") { Description = "Held-out text choosing λ, one sentence per line", Required = true };
        var test = new Option<string>("--test") { Description = "Test text, one sentence per line", Required = true };
        var command = new Command("ppl", "Perplexity of an n-gram model alone and interpolated with the ∞-gram (λ chosen on held-out text)") { index, model, heldOut, test };
        command.SetAction(parse =>
        {
            using var sa = OpenIndex(parse.GetValue(index)!);
            string modelPath = parse.GetValue(model)!;
            var lm = new FileCheck().Detect(modelPath).Name == "arpa" ? BackoffModel.ReadArpa(modelPath) : BackoffModel.Load(modelPath);
            var result = new InfiniGram(sa).Interpolate(lm, TextLines.Read(parse.GetValue(heldOut)!).Select(l => l.Text),
                TextLines.Read(parse.GetValue(test)!).Select(l => l.Text), CliApp.Cancellation);
            var stdout = parse.InvocationConfiguration.Output;
            stdout.WriteLine(string.Create(Inv, $"tokens\t{result.Tokens}"));
            stdout.WriteLine(string.Create(Inv, $"lambda\t{result.Lambda:F2}\t(held-out perplexity {result.HeldOutPerplexity:F2})"));
            stdout.WriteLine(string.Create(Inv, $"ngram\t{result.NGramPerplexity:F2}"));
            stdout.WriteLine(string.Create(Inv, $"interpolated\t{result.InterpolatedPerplexity:F2}"));
            stdout.WriteLine(string.Create(Inv, $"infinigram-zero-share\t{result.InfiniGramZeroShare:F4}"));
            return CliApp.Ok;
        });
        return command;
    }

    private static Command ContaminationCommand()
    {
        var index = IndexOption();
        var eval = new Option<string>("--eval") { Description = "Evaluation set: text (one example per line) or JSON lines with _id and text", Required = true };
        var n = new Option<int>("--n") { Description = "n of the n-gram overlap (GPT-3: 13)", DefaultValueFactory = _ => Contamination.DefaultN }.Within(1, 1_000_000);
        var threshold = new Option<double>("--threshold") { Description = "Share of n-grams found from which an example is contaminated (0: any)", DefaultValueFactory = _ => 0 }.Within(0.0, 1.0);
        var csv = new Option<string?>("--csv") { Description = "Per-example CSV: id,tokens,longest_span,ngrams,found,share,contaminated" };
        var command = new Command("contamination", "Per evaluation example: longest span found in training and share of its n-grams; clean/contaminated split") { index, eval, n, threshold, csv };
        command.SetAction(parse =>
        {
            int order = parse.GetValue(n);
            double t = parse.GetValue(threshold);
            if (order < 1) throw new UsageException($"--n must be ≥ 1, got {order}");
            if (!(t >= 0 && t <= 1)) throw new UsageException(string.Create(Inv, $"--threshold must be in [0, 1], got {t}"));
            string evalPath = parse.GetValue(eval)!;
            if (!File.Exists(evalPath)) throw new FileNotFoundException($"{evalPath}: file not found", evalPath);
            using var sa = OpenIndex(parse.GetValue(index)!);
            var examples = CorpusDocuments.Read(evalPath).Select(d => (d.Line.ToString(Inv), d.Text));
            var results = Contamination.Check(sa, examples, order, t, CliApp.Cancellation).ToList();
            if (parse.GetValue(csv) is { } csvPath)
            {
                AtomicFile.WriteText(csvPath, w =>
                {
                    w.WriteLine("id,tokens,longest_span,ngrams,found,share,contaminated");
                    foreach (var r in results)
                        w.WriteLine(string.Create(Inv, $"{r.Id},{r.Tokens},{r.LongestSpan},{r.NGrams},{r.NGramsFound},{r.Share:F4},{(r.Contaminated ? 1 : 0)}"));
                }, CliApp.Cancellation);
            }
            var stdout = parse.InvocationConfiguration.Output;
            stdout.WriteLine("line\ttokens\tlongest\tshare\tstatus");
            foreach (var r in results.Where(r => r.Contaminated))
                stdout.WriteLine(string.Create(Inv, $"{r.Id}\t{r.Tokens}\t{r.LongestSpan}\t{r.Share:F3}\tcontaminated"));
            int dirty = results.Count(r => r.Contaminated);
            stdout.WriteLine(string.Create(Inv, $"examples {results.Count}, contaminated {dirty}, clean {results.Count - dirty} ({order}-grams, threshold {t})"));
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>
    /// <c>lmtollm dedup --mode substring</c>: removes every span of ≥ <paramref name="minLength"/> tokens that occurs
    /// earlier, writing each line cleaned (lines stay aligned; a fully repeated line becomes empty).
    /// </summary>
    internal static int Deduplicate(string input, string output, string? report, int minLength, int threads, TextWriter stdout, TextWriter stderr)
    {
        if (minLength < 1) throw new UsageException($"--min-length must be ≥ 1, got {minLength}");
        DedupCommand.CheckPaths(input, output, report);
        var clock = Stopwatch.StartNew();
        var lines = TextLines.Read(input).Select(l => l.Text).ToList();
        if (lines.Count == 0) throw new LmToLlmException($"{input}: the corpus has no documents; nothing to deduplicate");
        var result = StageProgressBar.Run(stderr, "substring dedup", (StageProgress p) => (p.Stage, p.Done, p.Total),
            progress => SubstringDeduplicator.Find(lines, minLength, progress, threads <= 0 ? 0 : threads, CliApp.Cancellation));
        if (report is not null)
        {
            AtomicFile.WriteText(report, w =>
            {
                w.WriteLine("line\toffset\tlength\toccurrences\tfirst_line\tfirst_offset\tdocuments\ttext");
                foreach (var s in result.Spans)
                    w.WriteLine(string.Create(Inv, $"{s.Document + 1}\t{s.Offset}\t{s.Length}\t{s.Occurrences}\t{s.FirstDocument + 1}\t{s.FirstOffset}\t{s.Documents}\t{s.Text}"));
            }, CliApp.Cancellation);
        }
        AtomicFile.WriteText(output, w =>
        {
            for (int d = 0; d < lines.Count; d++) w.WriteLine(result.Clean(d, lines[d]));
        }, CliApp.Cancellation);
        stdout.WriteLine(string.Create(Inv, $"dedup: substring (spans of ≥ {minLength} tokens occurring earlier removed)"));
        stdout.WriteLine(string.Create(Inv,
            $"read {lines.Count} lines, {result.Tokens} tokens; removed {result.RemovedTokens} tokens ({100.0 * result.RemovedTokens / Math.Max(1, result.Tokens):F2}%) in {result.Spans.Count} spans from {result.DocumentsChanged} lines, time {clock.Elapsed.TotalSeconds:F1} s"));
        return CliApp.Ok;
    }

    /// <summary>Opens an index with the analyzers the tool carries (nori, spm:MODEL), so queries are split as its text was.</summary>
    private static SuffixArrayIndex OpenIndex(string path) => SuffixArrayIndex.Open(path, verify: false, AnalyzerNames.Optional);

    private static IEnumerable<string> ReadQueries(string path)
    {
        if (path == "-")
        {
            string? line;
            while ((line = CliApp.Input.ReadLine()) is not null) yield return line;
            yield break;
        }
        foreach (var (_, text) in TextLines.Read(path)) yield return text;
    }
}
