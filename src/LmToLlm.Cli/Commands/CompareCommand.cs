using System.CommandLine;
using System.Globalization;
using LmToLlm.Cli.Plotting;
using LmToLlm.Corpora;
using LmToLlm.Evaluation;
using LmToLlm.Experiments;
using LmToLlm.Text;
using Spectre.Console;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm compare --corpus C --queries Q --qrels R [--models bm25,tfidf] [--out DIR]</c>: runs every model on one
/// collection and prints MAP, nDCG@10, P@10, Recall@100 and MRR (best per column marked); with --out also writes
/// metrics.csv, perquery.csv, metrics.png and one run file per model.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var corpus = new Option<string?>("--corpus") { Description = "Documents (" + DocumentInputOptions.Layouts + "), or a BEIR folder holding corpus.jsonl (then --queries/--qrels default to its queries.jsonl and qrels/test.tsv, each also as .gz); required unless --list-models" };
        var queries = new Option<string?>("--queries") { Description = "Queries: BEIR queries.jsonl, plain text (one per line, id = line number) or CSV/TSV with id and text columns" };
        var qrels = new Option<string?>("--qrels") { Description = "Qrels: BEIR TSV or TREC" };
        var models = new Option<string>("--models") { Description = "Comma-separated model names (see --list-models)", DefaultValueFactory = _ => "bm25,tfidf" };
        var output = new Option<string?>("--out") { Description = "Folder for metrics.csv, perquery.csv, metrics.png and <model>.run" };
        var analyzer = new Option<string>("--analyzer") { Description = "Analyzer for documents and queries", DefaultValueFactory = _ => "simple" };
        var depth = new Option<int>("--depth") { Description = "Documents retrieved per query (more than the corpus holds means all)", DefaultValueFactory = _ => 1000 }.Within(1, int.MaxValue);
        var list = new Option<bool>("--list-models") { Description = "List the known models and exit" };
        var command = new Command("compare", "Run several retrieval models on one collection and compare them (trec_eval measures, table, CSV, chart)")
        {
            corpus, queries, qrels, models, output, analyzer, depth, list,
        };
        var input = new DocumentInputOptions();
        input.AddTo(command);
        var semantic = new SemanticModelOptions();
        semantic.AddTo(command);
        command.SetAction((parse, _) =>
        {
            CancellationToken cancellationToken = CliApp.Cancellation; // Ctrl+C / SIGTERM, handled in Program
            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(list))
            {
                var known = new ModelCatalog();
                foreach (string name in known.Names) stdout.WriteLine($"{name,-22} {known.Describe(name)}");
                if (ContextualPlugin.IsAvailable()) foreach (string name in ContextualPlugin.ModelNames) stdout.WriteLine($"{name,-22} from LmToLlm.Contextual (all-MiniLM-L6-v2)");
                return Task.FromResult(CliApp.Ok);
            }
            string corpusOption = parse.GetValue(corpus) ?? throw new UsageException("--corpus is required (a BEIR corpus.jsonl or folder)");
            var (corpusPath, queriesPath, qrelsPath) = ResolvePaths(corpusOption, parse.GetValue(queries), parse.GetValue(qrels));
            string[] names = parse.GetValue(models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var catalog = semantic.Catalog(parse, names);
            ContextualPlugin.RegisterIfWanted(catalog, names, parse.GetValue(output));
            foreach (string name in names)
                if (!catalog.Contains(name))
                    throw new UsageException($"unknown model '{name}'; known models: {string.Join(", ", catalog.Names)}");
            var chosenAnalyzer = AnalyzerNames.Parse(parse.GetValue(analyzer)!);
            var documents = input.Open(parse, corpusPath).ReadDocuments().ToArray();
            var queryList = DocumentInputOptions.ReadQueries(queriesPath);
            var judgments = Qrels.Read(qrelsPath);

            IReadOnlyList<ModelResult> results = null!;
            RunWithProgress(names.Length, parse.InvocationConfiguration.Error, progress =>
            {
                var indexing = progress is null ? null : new SyncProgress<int>(n =>
                    progress.Report(new ComparisonProgress("corpus", "indexing", 0, names.Length) { StepFraction = (double)n / documents.Length }));
                var collection = RetrievalCollection.Build(documents, chosenAnalyzer, indexing, cancellationToken);
                results = ModelComparison.Run(catalog, collection, queryList, judgments, names,
                    new ModelComparisonOptions { Depth = parse.GetValue(depth) }, progress, cancellationToken);
            });

            string title = $"{CollectionName(corpusOption)}: {results[0].Evaluation.Summary("num_q")} queries, {documents.Length} documents";
            WriteTable(stdout, results, title);
            if (parse.GetValue(output) is string dir)
            {
                Directory.CreateDirectory(dir);
                foreach (var r in results)
                    TrecRunWriter.Write(Path.Combine(dir, r.Model + ".run"), r.Rankings, r.Model, singlePrecision: r.Model.StartsWith("bm25", StringComparison.Ordinal), cancellationToken);
                ComparisonReport.WriteMetricsCsv(Path.Combine(dir, "metrics.csv"), results, cancellationToken);
                ComparisonReport.WritePerQueryCsv(Path.Combine(dir, "perquery.csv"), results, cancellationToken);
                bool chart = MetricsChart.TryWritePng(Path.Combine(dir, "metrics.png"), results, title, parse.InvocationConfiguration.Error);
                stdout.WriteLine($"wrote {Path.Combine(dir, "metrics.csv")}, perquery.csv, {(chart ? "metrics.png " : "")}and {results.Count} run files");
            }
            stdout.Flush();
            return Task.FromResult(CliApp.Ok);
        });
        return command;
    }

    /// <summary>"cranfield" for ../data/cranfield/beir or ../data/cranfield/beir/corpus.jsonl.</summary>
    private static string CollectionName(string corpus)
    {
        var path = Path.GetFullPath(corpus).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(path)) path = Path.GetDirectoryName(path)!;
        string name = Path.GetFileName(path);
        return name == "beir" ? Path.GetFileName(Path.GetDirectoryName(path)!) : name;
    }

    /// <summary>A folder holding corpus.jsonl(.gz) is a BEIR folder; any other folder is a folder of documents (one per file).</summary>
    private static (string Corpus, string Queries, string Qrels) ResolvePaths(string corpus, string? queries, string? qrels)
    {
        if (Directory.Exists(corpus) && File.Exists(PlainOrGzip(Path.Combine(corpus, "corpus.jsonl"))))
        {
            string folder = corpus;
            corpus = PlainOrGzip(Path.Combine(folder, "corpus.jsonl"));
            queries ??= PlainOrGzip(Path.Combine(folder, "queries.jsonl"));
            qrels ??= PlainOrGzip(Path.Combine(folder, "qrels", "test.tsv"));
        }
        if (queries is null || qrels is null) throw new UsageException("--queries and --qrels are required unless --corpus is a BEIR folder (one holding corpus.jsonl)");
        return (corpus, queries, qrels);
    }

    /// <summary>A BEIR folder may hold its files compressed (corpora/real): <c>corpus.jsonl.gz</c> when there is no <c>corpus.jsonl</c>.</summary>
    private static string PlainOrGzip(string path) => !File.Exists(path) && File.Exists(path + ".gz") ? path + ".gz" : path;

    /// <summary>A Spectre progress bar on stderr when it is a terminal; otherwise one plain line per stage, so a log shows the work moving.</summary>
    private static void RunWithProgress(int models, TextWriter stderr, Action<IProgress<ComparisonProgress>?> work)
    {
        if (!Terminal.CanDrawOn(stderr))
        {
            stderr.WriteLine("compare: indexing the corpus");
            int shown = 0;
            string step = "";
            work(new SyncProgress<ComparisonProgress>(p =>
            {
                // One line per step, and during a long step one per further tenth (lsa: building 40%).
                int tenth = (int)(Math.Clamp(p.StepFraction, 0, 1) * 10);
                string key = p.Model + "\0" + p.Step;
                if (key != step) (step, shown) = (key, 0);
                else if (tenth <= shown) return;
                if (p.StepFraction > 0 && tenth == 0) return;
                shown = Math.Max(shown, tenth);
                lock (stderr) stderr.WriteLine(p.StepFraction > 0 ? $"compare: {p.Model}: {p.Step} {tenth * 10}%" : $"compare: {p.Model}: {p.Step}");
            }));
            return;
        }
        var console = Terminal.LiveConsole(stderr);
        console.Progress().AutoClear(true).Start(context =>
        {
            var task = context.AddTask("indexing", maxValue: models * 3);
            work(new SyncProgress<ComparisonProgress>(p =>
            {
                task.Description = p.Step == "indexing" ? $"indexing {(int)(Math.Clamp(p.StepFraction, 0, 1) * 100)}%" : $"{p.Model}: {p.Step}";
                if (p.Step == "indexing") return;
                task.Value = p.ModelIndex * 3 + (p.Step switch { "building" => 0, "searching" => 1, _ => 2 }) + Math.Clamp(p.StepFraction, 0, 1);
            }));
            task.Value = task.MaxValue;
        });
    }

    private static void WriteTable(TextWriter stdout, IReadOnlyList<ModelResult> results, string title)
    {
        bool plain = !Terminal.IsTerminal(stdout) || Terminal.NoColor;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (plain) console.Profile.Width = 240; // redirected: as wide as the table needs, not the 80 columns of no terminal
        var best = ComparisonReport.BestPerColumn(results);
        var table = new Table().Title(Markup.Escape(title)).AddColumn("model");
        foreach (var (_, label) in ModelComparison.Columns) table.AddColumn(new TableColumn(label).RightAligned());
        table.AddColumn(new TableColumn("search s").RightAligned());
        foreach (var r in results)
        {
            var cells = new List<string> { Markup.Escape(r.Model) };
            foreach (var (name, _) in ModelComparison.Columns)
            {
                string value = r.Evaluation.Summary(name).ToString("0.0000", CultureInfo.InvariantCulture);
                cells.Add(best[name] == r.Model ? $"[bold green]{value}*[/]" : $"{value} ");
            }
            cells.Add(r.SearchTime.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
            table.AddRow(cells.ToArray());
        }
        table.Caption("* best per column; every judged query counts, 0 if nothing found (trec_eval -c)");
        console.Write(table);
    }
}
