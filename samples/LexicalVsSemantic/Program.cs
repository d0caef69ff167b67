// Lexical vs semantic retrieval. By default on the real collections (corpora/real; Real/RealComparison.cs); this file's
// main flow is the controlled experiment on the generated collections: BM25, TF-IDF, LSA, dense (Word2Vec + SIF), hybrids.
// Usage: dotnet run --project samples/LexicalVsSemantic [-- --full | --collection DIR | --collection synthetic [--lang ko]] [--embedding word2vec|fasttext|glove [--bucket 200000]] [--corpus C --queries Q --qrels R [--kinds K] --train-text T] [--out DIR]
using System.Diagnostics;
using System.Globalization;
using LmToLlm.Samples;
using LmToLlm;
using LmToLlm.Corpora;
using LmToLlm.Samples.Synthetic;
using LmToLlm.Embeddings;
using LmToLlm.Embeddings.FastText;
using LmToLlm.Evaluation;
using LmToLlm.Experiments;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Retrieval.Fusion;
using LmToLlm.Text;
using Spectre.Console;

if (args is ["--help" or "-h"])
{
    Console.WriteLine("usage: LexicalVsSemantic [--lang en|ko] [--embedding word2vec|fasttext|glove [--bucket N]] [--corpus C --queries Q --qrels R [--kinds K] --train-text T]");
    Console.WriteLine("       [--vectors V] [--out DIR] [--analyzer A] [--dims N] [--epochs N] [--pooling mean|tfidf|sif] [--lsa-dims N]");
    Console.WriteLine("Without options: the built-in English collection (corpora/en) and a training text generated here; nothing is downloaded.");
    return 0;
}
if (args is ["--export-corpora", var exportFolder])
{
    // Regenerates the committed corpora/<lang> folders (they must not change: see corpora/README.md).
    foreach (string language in BuiltInCollections.Languages)
        BuiltInCollections.Export(BuiltInCollections.ForLanguage(language), Path.Combine(exportFolder, language));
    return 0;
}
// Real collections (the default), or any BEIR folder with --collection DIR; the generated ones with --collection synthetic.
if (LexicalVsSemantic.Real.RealArguments.TryParse(args, out var real, out args))
    return LexicalVsSemantic.Real.RealComparison.Run(real, LexicalVsSemantic.SampleConsole.Create());
var options = SampleOptions.Parse(args);
var clock = Stopwatch.StartNew();
var console = LexicalVsSemantic.SampleConsole.Create();

// 1. The collection: built in (generated, identical to corpora/<lang>) or the user's BEIR files.
IReadOnlyList<Document> corpus;
IReadOnlyList<Query> queries;
Qrels qrels;
IReadOnlyDictionary<string, string> kinds;
string collectionName;
if (options.Corpus is null)
{
    var built = BuiltInCollections.ForLanguage(options.Language);
    corpus = built.Corpus;
    queries = built.Queries.Select(q => q.Query).ToArray();
    qrels = Qrels.FromJudgments(built.Judgments.Select(j => (j.QueryId, j.DocumentId, j.Grade)));
    kinds = built.Queries.ToDictionary(q => q.Query.Id, q => BuiltInCollections.KindName(q.Kind));
    collectionName = $"built-in {options.Language}";
}
else
{
    corpus = BeirJsonl.ReadCorpus(options.Corpus).ToArray();
    queries = BeirJsonl.ReadQueries(options.Queries ?? throw new ArgumentException("--queries is required with --corpus")).ToArray();
    qrels = Qrels.Read(options.Qrels ?? throw new ArgumentException("--qrels is required with --corpus"));
    kinds = options.Kinds is null ? queries.ToDictionary(q => q.Id, _ => "all") : BuiltInCollections.ReadQueryKinds(options.Kinds);
    string folder = Path.GetDirectoryName(Path.GetFullPath(options.Corpus))!;
    collectionName = Path.GetFileName(folder) == "beir" ? Path.GetFileName(Path.GetDirectoryName(folder)!) : Path.GetFileName(folder);
}
string output = options.Output ?? Path.Combine("artifacts", "lexical-vs-semantic-" + (options.Corpus is null ? options.Language : collectionName));
Directory.CreateDirectory(output);
console.MarkupLineInterpolated($"[bold]{collectionName}[/]: {corpus.Count} documents, {queries.Count} queries; output folder [blue]{output}[/]");

// 2. Word vectors: trained here on the built-in training text (generated in seconds), or on --train-text, or loaded.
WordVectors vectors;
// fastText vectors also cover the collection's words unseen in training, from their character n-grams.
IEnumerable<string> CollectionWords() => corpus.Select(d => d.FullText).Concat(queries.Select(q => q.Text)).SelectMany(t => Analyzer.Simple.Tokenize(t));
if (options.Vectors is not null)
{
    vectors = FastTextModel.IsModelFile(options.Vectors) ? FastTextModel.Load(options.Vectors).ToWordVectors(CollectionWords()) : WordVectors.Load(options.Vectors);
}
else
{
    string text = options.TrainText ?? Path.Combine(output, $"train-{options.Language}.txt");
    if (options.TrainText is null)
    {
        long tokens = BuiltInCollections.WriteTrainingText(options.Language, text);
        console.MarkupLineInterpolated($"generated the training text: {tokens:N0} tokens in {text}");
    }
    if (options.Embedding == "glove")
    {
        vectors = GloVeEmbedding.Train(text, options.Dimensions, 4 * options.Epochs, console);
    }
    else if (options.Embedding == "fasttext")
    {
        var ft = new FastTextOptions { Dimensions = options.Dimensions, Epochs = options.Epochs, Window = 5, MinCount = 5, Bucket = options.Bucket, Seed = 1 };
        FastTextResult trained = null!;
        console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"fastText skipgram {ft.Dimensions}d", maxValue: 100);
                trained = FastTextTrainer.Train(text, ft, new Progress<FastTextProgress>(p => task.Value = Math.Min(100, p.Percent)));
                task.Value = 100;
            });
        trained.Model.Save(Path.Combine(output, $"fasttext-{options.Language}.bin"));
        vectors = trained.Model.ToWordVectors(CollectionWords());
        console.MarkupLineInterpolated($"fastText: {trained.Model.Count:N0} words × {vectors.Dimensions} (+{vectors.Count - trained.Model.Count:N0} collection words from n-grams), {trained.Model.Tokens:N0} tokens, {trained.TrainingTime.TotalSeconds:0.0} s");
    }
    else
    {
        var w2v = new Word2VecOptions { Dimensions = options.Dimensions, Epochs = options.Epochs, Window = 5, MinCount = 5, Seed = 1 };
        Word2VecResult trained = null!;
        console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"Word2Vec CBOW {w2v.Dimensions}d", maxValue: 100);
                trained = Word2VecTrainer.Train(text, w2v, new Progress<Word2VecProgress>(p => task.Value = Math.Min(100, p.Percent)));
                task.Value = 100;
            });
        vectors = trained.Vectors;
        console.MarkupLineInterpolated($"Word2Vec: {vectors.Count:N0} words × {vectors.Dimensions}, {trained.CorpusTokens:N0} tokens, {trained.TrainingTime.TotalSeconds:0.0} s");
    }
    vectors.Save(Path.Combine(output, $"vectors-{options.Language}.bin"));
}

// 3. Index and models. Korean uses the korean analyzer (syllable bigrams) when this build has it.
string analyzerName = options.Analyzer ?? (options.Language == "ko" && Analyzer.KnownNames.Contains("korean") ? "korean" : "simple");
var collection = RetrievalCollection.Build(corpus, Analyzer.FromName(analyzerName));
var catalog = new ModelCatalog();
SemanticModels.Register(catalog, new SemanticModelSettings { Vectors = vectors, Pooling = options.Pooling, LsaDimensions = options.LsaDimensions });
// Korean: also BM25 over plain whitespace tokens, to show what particles (학교에서 / 학교를) cost it.
if (analyzerName != "simple")
    catalog.Register("bm25-whitespace", "BM25 over simple (whitespace) tokens", c => Bm25.Create(InvertedIndex.Build(c.Corpus, Analyzer.Simple)));
// A second hybrid: convex combination of per-query z-scores (weight ½ each) instead of RRF.
catalog.Register("hybrid-z", "bm25 + dense, linear fusion of z-scores",
    c => FusedRanker.Linear([catalog.Create("bm25", c), catalog.Create("dense", c)], [0.5, 0.5], ScoreNormalization.ZScore));
string[] models = analyzerName != "simple" ? ["bm25", "tfidf", "lsa", "dense", "hybrid", "hybrid-z", "bm25-whitespace"] : ["bm25", "tfidf", "lsa", "dense", "hybrid", "hybrid-z"];
var results = ModelComparison.Run(catalog, collection, queries, qrels, models);
var bm25 = results[0];
var dense = results[3];
var encoder = DenseEncoder.Fit(vectors, collection.Corpus.Select(d => d.FullText).ToArray(), new DenseEncoderOptions { Pooling = options.Pooling });

// 4. Contrast queries: the semantic queries dense wins most, and the lexical ones BM25 wins most.
// A judged query a model retrieved nothing for counts 0 (trec_eval would drop it without -c).
var judgedIds = queries.Select(q => q.Id).Where(id => qrels.Get(id)?.RelevantCount() > 0).ToArray();
double Measure(ModelResult result, string measure, string queryId) => result.Evaluation.PerQuery(measure).GetValueOrDefault(queryId);
var ndcgBm25 = judgedIds.ToDictionary(id => id, id => Measure(bm25, "ndcg_cut_10", id));
var ndcgDense = judgedIds.ToDictionary(id => id, id => Measure(dense, "ndcg_cut_10", id));
var contrast = queries.Where(q => ndcgBm25.ContainsKey(q.Id))
    .OrderByDescending(q => ndcgDense[q.Id] - ndcgBm25[q.Id]).Take(3)
    .Concat(queries.Where(q => ndcgBm25.ContainsKey(q.Id)).OrderByDescending(q => ndcgBm25[q.Id] - ndcgDense[q.Id]).Take(2))
    .ToArray();
var documentIndex = collection.Index;
foreach (var query in contrast)
{
    var judged = qrels.Get(query.Id);
    var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(query.Id)}[/] ({kinds.GetValueOrDefault(query.Id, "?")}): \"{Markup.Escape(query.Text)}\"   nDCG@10 bm25 {ndcgBm25[query.Id]:0.000} · dense {ndcgDense[query.Id]:0.000}");
    table.AddColumn("#").AddColumn("BM25 top 5 (shared terms)").AddColumn("dense top 5 (nearest query → document words)");
    var queryTerms = new HashSet<int>(documentIndex.AnalyzeQuery(query.Text));
    var queryRows = encoder.KnownWords(query.Text);
    int position = Array.FindIndex(queries.ToArray(), q => q.Id == query.Id);
    for (int r = 0; r < 5; r++)
    {
        string left = r < bm25.Rankings[position].Entries.Count ? Describe(bm25.Rankings[position].Entries[r].DocumentId, id => SharedTerms(id)) : "";
        string right = r < dense.Rankings[position].Entries.Count ? Describe(dense.Rankings[position].Entries[r].DocumentId, id => NearestWords(id)) : "";
        table.AddRow((r + 1).ToString(CultureInfo.InvariantCulture), left, right);
    }
    console.Write(table);

    string Describe(string documentId, Func<string, string> reason)
    {
        int grade = judged?[documentId] ?? 0;
        string mark = grade >= 2 ? "[green]✔✔[/]" : grade == 1 ? "[green]✔[/] " : "[red]✘[/] ";
        return $"{mark} {Markup.Escape(documentId)} {Markup.Escape(reason(documentId))}";
    }

    string SharedTerms(string documentId)
    {
        int d = IndexOf(documentId);
        var shared = new SortedSet<string>(StringComparer.Ordinal);
        foreach (int t in queryTerms)
            foreach (int doc in documentIndex.PostingDocuments(t))
                if (doc == d) shared.Add(documentIndex.Term(t));
        return shared.Count == 0 ? "(none)" : "{" + string.Join(", ", shared) + "}";
    }

    string NearestWords(string documentId)
    {
        var docRows = encoder.KnownWords(corpus[IndexOf(documentId)].FullText).Distinct().ToArray();
        var pairs = new List<string>();
        foreach (int qr in queryRows.Distinct())
        {
            int best = -1;
            float bestScore = float.MinValue;
            foreach (int dr in docRows)
            {
                float s = vectors.Similarity(qr, dr);
                if (s > bestScore) (best, bestScore) = (dr, s);
            }
            if (best >= 0 && encoder.Weight(qr) > 0.05) pairs.Add($"{vectors.Word(qr)}→{vectors.Word(best)} {bestScore:0.00}");
        }
        return pairs.Count == 0 ? "(no known word)" : string.Join(", ", pairs.Take(3));
    }
}

int IndexOf(string documentId)
{
    for (int i = 0; i < corpus.Count; i++) if (corpus[i].Id == documentId) return i;
    return -1;
}

// 5. The metric table, overall and by kind, with a paired t-test against BM25.
var groups = new List<(string Name, string[] Ids)> { ("all", ndcgBm25.Keys.ToArray()) };
foreach (string kind in kinds.Values.Distinct().Order(StringComparer.Ordinal))
    if (kind != "all") groups.Add((kind, ndcgBm25.Keys.Where(id => kinds.GetValueOrDefault(id) == kind).ToArray()));
(string Value, string Label)[] measures = [("ndcg_cut_10", "nDCG@10"), ("map", "MAP"), ("recall_100", "R@100"), ("recip_rank", "MRR")];
var rows = new List<string[]>();
var metrics = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(collectionName)}[/] — † p < 0.05 vs bm25 (paired t-test)");
metrics.AddColumn("queries").AddColumn("model");
foreach (var (_, label) in measures) metrics.AddColumn(new TableColumn(label).RightAligned());
foreach (var (group, ids) in groups)
{
    foreach (var result in results)
    {
        var cells = new List<string> { $"{group} ({ids.Length})", result.Model };
        var csv = new List<string> { group, ids.Length.ToString(CultureInfo.InvariantCulture), result.Model };
        foreach (var (value, _) in measures)
        {
            var mine = ids.Select(id => Measure(result, value, id)).ToArray();
            var baseline = ids.Select(id => Measure(bm25, value, id)).ToArray();
            double mean = mine.Length == 0 ? 0 : mine.Average();
            double p = result == bm25 || ids.Length < 2 ? 1 : SignificanceTests.PairedT(mine, baseline).P;
            cells.Add(mean.ToString("0.000", CultureInfo.InvariantCulture) + (p < 0.05 ? "†" : " "));
            csv.Add(mean.ToString("0.0000", CultureInfo.InvariantCulture));
            csv.Add(p.ToString("0.0000", CultureInfo.InvariantCulture));
        }
        metrics.AddRow(cells.Select(Markup.Escape).ToArray());
        rows.Add([.. csv]);
    }
    if (group != groups[^1].Name) metrics.AddEmptyRow();
}
console.Write(metrics);

// 6. Files: metrics.csv (by kind), perquery.csv, metrics.png.
SampleFiles.WriteText(Path.Combine(output, "metrics.csv"), w =>
{
    w.Write("queries,count,model," + string.Join(",", measures.Select(m => $"{m.Value},{m.Value}_p_vs_bm25")) + "\n");
    foreach (var row in rows) w.Write(string.Join(",", row) + "\n");
});
SampleFiles.WriteText(Path.Combine(output, "perquery.csv"), w =>
{
    w.Write("query,kind,model," + string.Join(",", measures.Select(m => m.Value)) + "\n");
    foreach (var result in results)
        foreach (string id in ndcgBm25.Keys)
            w.Write($"{id},{kinds.GetValueOrDefault(id, "")},{result.Model},{string.Join(",", measures.Select(m => Measure(result, m.Value, id).ToString("0.0000", CultureInfo.InvariantCulture)))}\n");
});
Chart.Write(Path.Combine(output, "metrics.png"), $"{collectionName}: nDCG@10 by query kind", groups.Select(g => g.Name).ToArray(),
    results.Select(r => (r.Model, groups.Select(g => g.Ids.Length == 0 ? 0 : g.Ids.Average(id => Measure(r, "ndcg_cut_10", id))).ToArray())).ToArray());
console.MarkupLineInterpolated($"wrote metrics.csv, perquery.csv, metrics.png to {output} in {clock.Elapsed.TotalSeconds:0.0} s");
return 0;

internal sealed record SampleOptions(string Language, string? Corpus, string? Queries, string? Qrels, string? Kinds, string? TrainText, string? Vectors,
    string? Output, string? Analyzer, int Dimensions, int Epochs, Pooling Pooling, int LsaDimensions, string Embedding, int Bucket)
{
    public static SampleOptions Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'; options: --lang en|ko --corpus --queries --qrels --kinds --train-text --vectors --out --analyzer --dims --epochs --pooling mean|tfidf|sif --lsa-dims --embedding word2vec|fasttext|glove --bucket");
            map[args[i][2..]] = args[++i];
        }
        string language = map.GetValueOrDefault("lang", "en");
        if (language is not ("en" or "ko")) throw new ArgumentException($"--lang must be en or ko, got '{language}'");
        string embedding = map.GetValueOrDefault("embedding", "word2vec");
        if (embedding is not ("word2vec" or "fasttext" or "glove")) throw new ArgumentException($"--embedding must be word2vec, fasttext or glove, got '{embedding}'");
        var pooling = map.GetValueOrDefault("pooling", "sif") switch
        {
            "mean" => Pooling.Mean, "tfidf" => Pooling.TfIdf, "sif" => Pooling.Sif,
            var other => throw new ArgumentException($"--pooling must be mean, tfidf or sif, got '{other}'"),
        };
        return new SampleOptions(language, map.GetValueOrDefault("corpus"), map.GetValueOrDefault("queries"), map.GetValueOrDefault("qrels"),
            map.GetValueOrDefault("kinds"), map.GetValueOrDefault("train-text"), map.GetValueOrDefault("vectors"), map.GetValueOrDefault("out"),
            map.GetValueOrDefault("analyzer"), int.Parse(map.GetValueOrDefault("dims", "100"), CultureInfo.InvariantCulture),
            int.Parse(map.GetValueOrDefault("epochs", "5"), CultureInfo.InvariantCulture), pooling,
            int.Parse(map.GetValueOrDefault("lsa-dims", "200"), CultureInfo.InvariantCulture), embedding,
            int.Parse(map.GetValueOrDefault("bucket", "200000"), CultureInfo.InvariantCulture));
    }
}

internal static class Chart
{
    /// <summary>Grouped bars: one group per query kind, one bar per model.</summary>
    public static void Write(string path, string title, string[] groups, (string Model, double[] Values)[] series)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        double width = 0.8 / series.Length;
        var bars = new List<ScottPlot.Bar>();
        for (int m = 0; m < series.Length; m++)
        {
            for (int g = 0; g < groups.Length; g++)
                bars.Add(new ScottPlot.Bar
                {
                    Position = g + (m - (series.Length - 1) / 2.0) * width, Value = series[m].Values[g], Size = width * 0.92,
                    FillColor = palette.GetColor(m), LineWidth = 0, Label = series[m].Values[g].ToString("0.00", CultureInfo.InvariantCulture),
                });
            plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = series[m].Model, FillColor = palette.GetColor(m) });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, groups.Length).Select(i => (double)i).ToArray(), groups);
        plot.Axes.SetLimitsY(0, 1.1);
        plot.Title(title);
        plot.YLabel("nDCG@10");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        byte[] png = plot.GetImageBytes(1000, 560, ScottPlot.ImageFormat.Png);
        SampleFiles.Write(path, stream => stream.Write(png));
    }
}
