using System.CommandLine;
using System.Globalization;
using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Text;
using Spectre.Console;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm search --index x.lmi | --corpus C (--queries Q --run out.run | --query "text" [--explain]) --model bm25|tfidf ...</c>:
/// ranks every query and writes a TREC run, or ranks one query and prints rank, id, score and a snippet.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var index = new Option<string>("--index") { Description = "Index file made by 'lmtollm index' (with --query, --corpus may be given too, for snippets)" };
        var corpus = new Option<string>("--corpus") { Description = "Documents to index in memory instead of --index: " + DocumentInputOptions.Layouts };
        var analyzer = new Option<string>("--analyzer") { Description = "Analyzer for --corpus", DefaultValueFactory = _ => "simple" };
        var ngram = new Option<string>("--ngram") { Description = "Word n-gram range for --corpus", DefaultValueFactory = _ => "1-1" };
        var queries = new Option<string>("--queries") { Description = "Queries: BEIR queries.jsonl, plain text (one per line, id = line number) or CSV/TSV with id and text columns" };
        var query = new Option<string>("--query") { Description = "One query text: print rank, id, score and a snippet instead of writing a run" };
        var explain = new Option<bool>("--explain") { Description = "With --query and --model bm25: print the Lucene-shaped explanation of each score" };
        var model = new Option<string>("--model") { Description = "bm25, tfidf, dense, lsa or hybrid (dense, lsa and hybrid need --corpus)", DefaultValueFactory = _ => "bm25" };
        var variant = new Option<string>("--variant") { Description = $"BM25 variant: {string.Join(", ", Bm25Options.VariantNames)}", DefaultValueFactory = _ => "lucene" };
        var k1 = new Option<float>("--k1") { Description = "BM25 k1 ≥ 0", DefaultValueFactory = _ => 1.2f }.Within(0f, float.MaxValue);
        var b = new Option<float>("--b") { Description = "BM25 b in [0, 1]", DefaultValueFactory = _ => 0.75f }.Within(0f, 1f);
        var delta = new Option<float?>("--delta") { Description = "BM25L/BM25+ delta ≥ 0 (defaults 0.5 / 1)" }.Within(0f, float.MaxValue);
        var k = new Option<int>("--k") { Description = "Documents per query (more than the corpus holds means all; with --query the default is 10)", DefaultValueFactory = _ => 1000 }.Within(1, int.MaxValue);
        var sublinear = new Option<bool>("--sublinear-tf") { Description = "TF-IDF: 1 + ln tf" };
        var norm = new Option<string>("--norm") { Description = "TF-IDF norm: l2, l1, none", DefaultValueFactory = _ => "l2" };
        var noSmooth = new Option<bool>("--no-smooth-idf") { Description = "TF-IDF: idf = ln(N/df) + 1" };
        var noIdf = new Option<bool>("--no-idf") { Description = "TF-IDF: idf = 1" };
        var minDf = new Option<string>("--min-df") { Description = "TF-IDF: drop terms in fewer documents (count, or proportion like 0.01)", DefaultValueFactory = _ => "1" };
        var maxDf = new Option<string>("--max-df") { Description = "TF-IDF: drop terms in more documents (count, or proportion like 0.5)", DefaultValueFactory = _ => "1.0" };
        var run = new Option<string>("--run") { Description = "TREC run file to write (atomically); required with --queries" };
        var tag = new Option<string>("--tag") { Description = "Run tag (default: model and variant)" };
        var threads = new Option<int>("--threads") { Description = "bm25 and tfidf: queries searched in parallel (-1 or 0: all cores; the run does not depend on it)", DefaultValueFactory = _ => -1 }.Within(-1, 1024);
        var command = new Command("search", "Rank documents for every query (BM25, TF-IDF, dense, LSA or hybrid) and write a TREC run, or print the hits of one --query")
        {
            index, corpus, analyzer, ngram, queries, query, explain, model, variant, k1, b, delta, k, sublinear, norm, noSmooth, noIdf, minDf, maxDf, run, tag, threads,
        };
        var input = new DocumentInputOptions();
        input.AddTo(command);
        var semantic = new SemanticModelOptions();
        semantic.AddTo(command);
        command.SetAction(parse =>
        {
            string? indexPath = parse.GetValue(index), corpusPath = parse.GetValue(corpus), queryText = parse.GetValue(query), queriesPath = parse.GetValue(queries);
            if ((queryText is null) == (queriesPath is null)) throw new UsageException("give exactly one of --queries FILE and --query \"text\"");
            if (queriesPath is not null && parse.GetValue(run) is null) throw new UsageException("--queries needs --run FILE, the TREC run to write");
            if (indexPath is null && corpusPath is null) throw new UsageException("give --index or --corpus");
            if (indexPath is not null && corpusPath is not null && queryText is null)
                throw new UsageException("give exactly one of --index and --corpus (both only with --query, where --corpus supplies the snippets)");
            string modelName = parse.GetValue(model)!;
            if (modelName is not ("bm25" or "tfidf") && !SemanticModelOptions.ModelNames.Contains(modelName))
                throw new UsageException($"unknown model '{modelName}'; known models: bm25, tfidf, {string.Join(", ", SemanticModelOptions.ModelNames)}");
            bool explainScores = parse.GetValue(explain);
            if (explainScores && (queryText is null || modelName != "bm25")) throw new UsageException("--explain needs --query and --model bm25 (the explanation is Lucene's BM25 one)");
            int depth = queryText is not null && parse.GetResult(k) is null ? 10 : parse.GetValue(k);
            if (depth < 1) throw new UsageException("--k must be at least 1");
            var stdout = CliApp.Summary(parse);
            var stderr = parse.InvocationConfiguration.Error;
            var source = corpusPath is null ? null : input.Open(parse, corpusPath);
            var queryList = queryText is not null ? [new Query("query", queryText)] : DocumentInputOptions.ReadQueries(queriesPath!);
            if (SemanticModelOptions.ModelNames.Contains(modelName))
            {
                if (parse.GetResult(threads) is { Implicit: false }) throw new UsageException($"--threads applies to --model bm25 and tfidf; --model {modelName} chooses its own threads");
                if (indexPath is not null) throw new UsageException($"--model {modelName} needs --corpus (it encodes the document texts); an --index file holds no texts");
                return SemanticSearch.Run(parse, semantic, modelName, source, AnalyzerNames.Parse(parse.GetValue(analyzer)!), queryList, depth, queryText is null ? parse.GetValue(run)! : null, parse.GetValue(tag));
            }

            // Validate every parameter before the (possibly long) index build.
            Bm25Options? bm25Options = null;
            TfIdfOptions? tfidfOptions = null;
            try
            {
                var tfidfNorm = ParseNorm(parse.GetValue(norm)!);   // checked whatever the model, so a typo never passes silently
                if (modelName == "bm25")
                {
                    bm25Options = new Bm25Options { Variant = Bm25Options.ParseVariant(parse.GetValue(variant)!), K1 = parse.GetValue(k1), B = parse.GetValue(b), Delta = parse.GetValue(delta) };
                }
                else
                {
                    tfidfOptions = new TfIdfOptions
                    {
                        Norm = tfidfNorm,
                        SublinearTf = parse.GetValue(sublinear),
                        SmoothIdf = !parse.GetValue(noSmooth),
                        UseIdf = !parse.GetValue(noIdf),
                        MinDf = DocumentFrequencyLimit.Parse(parse.GetValue(minDf)!),
                        MaxDf = DocumentFrequencyLimit.Parse(parse.GetValue(maxDf)!),
                    };
                }
            }
            catch (ArgumentException e)
            {
                throw Usage(e);
            }
            var corpusAnalyzer = AnalyzerNames.Parse(parse.GetValue(analyzer)!);
            var corpusNGrams = ParseNGram(parse.GetValue(ngram)!);
            string runTag = parse.GetValue(tag) ?? (bm25Options is not null ? $"lmtollm-bm25-{Bm25Options.VariantName(bm25Options.Variant)}" : "lmtollm-tfidf");
            var theIndex = indexPath is not null
                ? InvertedIndex.Load(indexPath, AnalyzerNames.Optional)
                : BuildIndex(source!, corpusAnalyzer, corpusNGrams, stderr);

            var texts = queryList.Select(q => q.Text).ToList();
            int parallelism = parse.GetValue(threads) is 0 ? -1 : parse.GetValue(threads);
            Bm25? bm25 = bm25Options is null ? null : Bm25.Create(theIndex, bm25Options);
            SearchHit[][] results = bm25 is not null
                ? bm25.SearchMany(texts, depth, parallelism, CliApp.Cancellation)
                : TfIdf.Create(theIndex, tfidfOptions).SearchMany(texts, depth, parallelism, CliApp.Cancellation);
            if (queryText is not null)
            {
                var hits = results[0].Select(h => (theIndex.DocumentId(h.Document), h.Score, explainScores ? bm25!.Explain(queryText, h.Document) : null)).ToList();
                QueryHits.Print(stdout, queryText, hits, source);
                return CliApp.Ok;
            }
            var lists = queryList.Select((q, i) => new RunQuery(q.Id, results[i].Select(h => new RunEntry(theIndex.DocumentId(h.Document), h.Score)).ToList()));
            string runPath = parse.GetValue(run)!;
            TrecRunWriter.Write(runPath, lists, runTag, singlePrecision: bm25Options is not null, CliApp.Cancellation);
            int answered = results.Count(r => r.Length > 0);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{runPath}: {queryList.Count} queries ({answered} with results), {results.Sum(r => r.Length)} lines, model {(bm25Options?.ToString() ?? "tfidf")}, tag {runTag}"));
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>A usage error carrying the argument problem without .NET's "(Parameter 'x')" and "Actual value was" decorations.</summary>
    internal static UsageException Usage(ArgumentException e) => new(CliApp.ArgumentMessage(e));

    internal static TfIdfNorm ParseNorm(string name) => name.ToLowerInvariant() switch
    {
        "l2" => TfIdfNorm.L2,
        "l1" => TfIdfNorm.L1,
        "none" => TfIdfNorm.None,
        _ => throw new UsageException($"unknown norm '{name}'; known norms: l2, l1, none"),
    };

    internal static InvertedIndexOptions ParseNGram(string range)
    {
        var parts = range.Split('-');
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int min)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int max)
            && min >= 1 && max >= min && max <= 16)
            return new InvertedIndexOptions { MinNGram = min, MaxNGram = max };
        throw new UsageException($"bad n-gram range '{range}'; write MIN-MAX with 1 ≤ MIN ≤ MAX ≤ 16, e.g. 1-2");
    }

    /// <summary>
    /// Builds an index from any document source: a moving bar (documents read of the lines or files counted first)
    /// when stderr is a terminal, one plain line per stage when it is redirected.
    /// </summary>
    internal static InvertedIndex BuildIndex(DocumentSource source, Analyzer analyzer, InvertedIndexOptions options, TextWriter stderr)
    {
        if (!Terminal.CanDrawOn(stderr))
        {
            stderr.WriteLine($"indexing {source.Path}: {source.Description}");
            var built = InvertedIndex.Build(source.ReadDocuments(), analyzer, options, cancellationToken: CliApp.Cancellation);
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"indexed {built.DocumentCount} documents"));
            return built;
        }
        long total = source.EstimateCount();
        return StageProgressBar.Run(stderr, "indexing", (int n) => (string.Create(CultureInfo.InvariantCulture, $"indexing: {n:N0} documents"), n, total),
            progress => InvertedIndex.Build(source.ReadDocuments(), analyzer, options, progress, cancellationToken: CliApp.Cancellation));
    }
}
