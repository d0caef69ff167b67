// Topic classification with ML.NET on the built-in collections: ML.NET's FeaturizeText against LmToLlm's TF-IDF,
// dense (Word2Vec + SIF) vectors and both, each followed by SdcaMaximumEntropy.
// Usage: dotnet run -c Release --project samples/TopicClassification [-- --lang en|ko|both] [--out DIR] [--train-tokens N]
using System.Diagnostics;
using System.Globalization;
using LmToLlm.Samples;
using LmToLlm;
using LmToLlm.Samples.Synthetic;
using LmToLlm.Embeddings;
using LmToLlm.ML;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Spectre.Console;

if (args is ["--help" or "-h"])
{
    Console.WriteLine("usage: TopicClassification [--lang en|ko|both] [--out DIR] [--train-tokens N]");
    Console.WriteLine("Uses the built-in collections (corpora/en, corpora/ko) and a training text generated here; nothing is downloaded.");
    return 0;
}
var options = SampleOptions.Parse(args);
var clock = Stopwatch.StartNew();
// Plain text (no colours, 140 columns) when redirected, so the output pastes into a README as printed.
var console = AnsiConsole.Create(new AnsiConsoleSettings
{
    Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
    ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
});
if (Console.IsOutputRedirected) console.Profile.Width = 140;
Directory.CreateDirectory(options.Output);
foreach (string language in options.Languages)
    Experiment.Run(console, language, options);
console.WriteLine($"total {clock.Elapsed.TotalSeconds:0.0} s; files in {options.Output}");
return 0;

internal sealed record SampleOptions(string[] Languages, string Output, long TrainTokens)
{
    public static SampleOptions Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'; options: --lang en|ko|both --out DIR --train-tokens N");
            map[args[i][2..]] = args[++i];
        }
        string[] languages = map.GetValueOrDefault("lang", "both") switch
        {
            "both" => ["en", "ko"], "en" => ["en"], "ko" => ["ko"],
            var other => throw new ArgumentException($"--lang must be en, ko or both, got '{other}'"),
        };
        return new SampleOptions(languages, map.GetValueOrDefault("out", Path.Combine("artifacts", "topic-classification")),
            long.Parse(map.GetValueOrDefault("train-tokens", "500000"), CultureInfo.InvariantCulture));
    }
}

/// <summary>One labelled document.</summary>
public sealed class TopicRow
{
    public string Text { get; set; } = "";
    public string Label { get; set; } = "";
}

/// <summary>A prediction read back from ML.NET.</summary>
public sealed class TopicPrediction
{
    public string Topic { get; set; } = "";
    public string PredictedTopic { get; set; } = "";
    public float[] Score { get; set; } = [];
}

/// <summary>ML.NET's multiclass metrics of one feature set on one test set.</summary>
internal sealed record Scores(double MacroAccuracy, double MicroAccuracy, double LogLoss);

internal sealed record Outcome(string Features, int Slots, int Used, Scores Documents, Scores Lexical, Scores Semantic, Scores All, double Seconds,
    ITransformer Model, TopicPrediction[] Predictions);

internal static class Experiment
{
    private const ulong SplitSeed = 42;
    private const double TestFraction = 0.3;

    public static void Run(IAnsiConsole console, string language, SampleOptions options)
    {
        // 1. Documents and their topics: the generator writes document i about topic i mod T (corpora/README.md).
        var collection = BuiltInCollections.ForLanguage(language);
        var topics = collection.Lexicon.Topics.Select(t => t.Name).ToArray();
        var rows = collection.Corpus.Select((d, i) => new TopicRow { Text = d.FullText, Label = topics[i % topics.Length] }).ToArray();
        var (train, test) = StratifiedSplit(rows, TestFraction, SplitSeed);
        // The collection's queries, labelled by their topic: lexical ones use document words, semantic ones only
        // synonyms that no document contains (corpora/README.md).
        TopicRow[] Queries(QueryKind kind) => collection.Queries.Where(q => q.Kind == kind).Select(q => new TopicRow { Text = q.Query.Text, Label = q.Topic }).ToArray();
        var lexicalQueries = Queries(QueryKind.Lexical);
        var semanticQueries = Queries(QueryKind.Semantic);
        console.WriteLine();
        console.MarkupLineInterpolated($"[bold]built-in {language}[/]: {rows.Length} documents, {topics.Length} topics; stratified split (seed {SplitSeed}): {train.Length} train, {test.Length} test documents; also tested on the {lexicalQueries.Length} lexical and {semanticQueries.Length} semantic queries");

        // 2. Word vectors, trained the way samples/LexicalVsSemantic does, on a shorter built-in training text
        //    (not on the collection, so neither split leaks into them): CBOW 50 d, 5 epochs, one thread, seed 1.
        string text = Path.Combine(options.Output, $"train-{language}.txt");
        long tokens = BuiltInCollections.WriteTrainingText(language, text, options.TrainTokens);
        var w2v = Word2VecTrainer.Train(text, new Word2VecOptions { Dimensions = 50, Epochs = 5, Window = 5, MinCount = 5, MaxDegreeOfParallelism = 1, Seed = 1 });
        var vectors = w2v.Vectors;
        console.WriteLine($"Word2Vec on the built-in training text: {tokens:N0} tokens, {vectors.Count:N0} words x {vectors.Dimensions}, {w2v.TrainingTime.TotalSeconds:0.0} s");

        string lexicalAnalyzer = language == "ko" ? "korean" : "english";
        if (language == "ko") ShowKoreanTokens(console, train[0].Text);

        // 3. Feature sets, each followed by the same trainer.
        var context = new MLContext(seed: 1).RegisterLmToLlm();
        var text1 = context.Transforms.Text;
        var sets = new List<(string Name, IEstimator<ITransformer> Features)>
        {
            ("FeaturizeText", text1.FeaturizeText("Features", "Text")),
        };
        if (language == "ko")
            sets.Add(("TF-IDF simple", text1.TfIdfVectors("Features", "Text", new LexicalVectorOptions { Analyzer = "simple" })));
        sets.Add(($"TF-IDF {lexicalAnalyzer}", text1.TfIdfVectors("Features", "Text", new LexicalVectorOptions { Analyzer = lexicalAnalyzer })));
        sets.Add(("dense SIF", text1.DocumentEmbeddings("Features", vectors, "Text")));
        sets.Add(($"TF-IDF {lexicalAnalyzer} + dense", text1.TfIdfVectors("Lexical", "Text", new LexicalVectorOptions { Analyzer = lexicalAnalyzer })
            .Append(text1.DocumentEmbeddings("Dense", vectors, "Text"))
            .Append(context.Transforms.Concatenate("Features", "Lexical", "Dense"))));

        var trainView = context.Data.LoadFromEnumerable(train);
        var testView = context.Data.LoadFromEnumerable(test);
        var allTests = test.Concat(lexicalQueries).Concat(semanticQueries).ToArray();
        var outcomes = new List<Outcome>();
        foreach (var (name, features) in sets)
        {
            var watch = Stopwatch.StartNew();
            var pipeline = context.Transforms.CopyColumns("Topic", "Label")
                .Append(context.Transforms.Conversion.MapValueToKey("Label"))
                .Append(features)
                .Append(context.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 }))
                .Append(context.Transforms.Conversion.MapKeyToValue("PredictedTopic", "PredictedLabel"));
            var model = pipeline.Fit(trainView);
            Scores Score(TopicRow[] rows)
            {
                var metrics = context.MulticlassClassification.Evaluate(model.Transform(context.Data.LoadFromEnumerable(rows)));
                return new Scores(metrics.MacroAccuracy, metrics.MicroAccuracy, metrics.LogLoss);
            }
            var scored = model.Transform(context.Data.LoadFromEnumerable(allTests));
            var predictions = context.Data.CreateEnumerable<TopicPrediction>(scored, reuseRowObject: false).ToArray();
            int slots = (scored.Schema["Features"].Type as VectorDataViewType)?.Size ?? 1;
            var ours = LmToLlmStages(model).ToArray();
            int used = ours.Length == 0 ? slots : ours.Sum(t => t.Length);
            outcomes.Add(new Outcome(name, slots, used, Score(test), Score(lexicalQueries), Score(semanticQueries), Score(allTests), watch.Elapsed.TotalSeconds, model, predictions));
        }

        // 4. Side by side, then the confusion matrix of the best (macro accuracy, then log-loss).
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"built-in {language}: SdcaMaximumEntropy trained on {train.Length} documents; accuracy and log-loss (ll) on held-out documents, lexical (lex q) and semantic (sem q) queries");
        table.AddColumn("features").AddColumn(new TableColumn("slots (used)").RightAligned());
        foreach (string header in new[] { "docs macro", "docs micro", "docs ll", "lex q acc", "lex q ll", "sem q acc", "sem q ll", "fit+test s" })
            table.AddColumn(new TableColumn(header).RightAligned());
        foreach (var o in outcomes)
            table.AddRow(Markup.Escape(o.Features), (o.Used == o.Slots ? o.Slots.ToString("N0", CultureInfo.InvariantCulture) : $"{o.Slots:N0} ({o.Used:N0})"), F(o.Documents.MacroAccuracy), F(o.Documents.MicroAccuracy),
                F(o.Documents.LogLoss), F(o.Lexical.MicroAccuracy), F(o.Lexical.LogLoss), F(o.Semantic.MicroAccuracy), F(o.Semantic.LogLoss),
                o.Seconds.ToString("0.0", CultureInfo.InvariantCulture));
        console.Write(table);
        // The best: highest macro accuracy over all test texts (documents and queries), then lowest log-loss.
        var best = outcomes.OrderByDescending(o => o.All.MacroAccuracy).ThenBy(o => o.All.LogLoss).First();
        WriteConfusion(console, best, topics);

        // 5. The best pipeline round-trips through a model zip with identical predictions.
        string modelPath = Path.Combine(options.Output, $"model-{language}.zip");
        context.Model.Save(best.Model, trainView.Schema, modelPath);
        var reloaded = new MLContext(seed: 2).RegisterLmToLlm();
        var loaded = reloaded.Model.Load(modelPath, out _);
        var again = reloaded.Data.CreateEnumerable<TopicPrediction>(loaded.Transform(reloaded.Data.LoadFromEnumerable(allTests)), reuseRowObject: false).ToArray();
        bool identical = again.Zip(best.Predictions).All(p => p.First.PredictedTopic == p.Second.PredictedTopic && p.First.Score.SequenceEqual(p.Second.Score));
        console.WriteLine($"saved the best pipeline to {modelPath} ({new FileInfo(modelPath).Length / 1024.0:0} KB); reloaded: {(identical ? "identical predictions and scores" : "PREDICTIONS DIFFER")}");

        string chart = Path.Combine(options.Output, $"metrics-{language}.png");
        Chart.Write(chart, $"built-in {language}: topic classification (SdcaMaximumEntropy)", outcomes);
        console.WriteLine($"wrote {chart}");
    }

    /// <summary>The LmToLlm featurizers inside a fitted pipeline (chains nest when an estimator chain is appended).</summary>
    private static IEnumerable<TextVectorTransformer> LmToLlmStages(ITransformer transformer) => transformer switch
    {
        TextVectorTransformer ours => [ours],
        IEnumerable<ITransformer> chain => chain.SelectMany(LmToLlmStages),
        _ => [],
    };

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Per topic, a seeded shuffle; the first round(n·fraction) documents go to the test split.</summary>
    private static (TopicRow[] Train, TopicRow[] Test) StratifiedSplit(TopicRow[] rows, double fraction, ulong seed)
    {
        var random = new Random((int)seed);
        var train = new List<TopicRow>();
        var test = new List<TopicRow>();
        foreach (var group in rows.GroupBy(r => r.Label))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            int n = (int)Math.Round(members.Length * fraction, MidpointRounding.AwayFromZero);
            test.AddRange(members[..n]);
            train.AddRange(members[n..]);
        }
        return ([.. train], [.. test]);
    }

    private static void ShowKoreanTokens(IAnsiConsole console, string document)
    {
        string sentence = document.Split('.')[0].Trim();
        console.WriteLine($"tokens of \"{sentence}\":");
        console.WriteLine($"  ML.NET FeaturizeText words (split on spaces): {string.Join(" | ", sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries))}");
        console.WriteLine($"  LmToLlm korean analyzer (words + syllable bigrams): {string.Join(" | ", Analyzer.Korean.Tokenize(sentence))}");
        console.WriteLine("  (FeaturizeText also adds character trigrams by default, which catch the shared stems too)");
    }

    private static void WriteConfusion(IAnsiConsole console, Outcome best, string[] topics)
    {
        var index = topics.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var counts = new int[topics.Length, topics.Length];
        foreach (var p in best.Predictions) counts[index[p.Topic], index[p.PredictedTopic]]++;
        // Hangul syllables take two columns in a terminal.
        static int Width(string s) => s.Sum(c => c is >= '\uAC00' and <= '\uD7A3' ? 2 : 1);
        int width = topics.Max(Width);
        console.WriteLine($"confusion matrix of the best, {best.Features}, over all {best.Predictions.Length} test texts (rows: true topic, columns: predicted topic in the same order, . = 0):");
        for (int r = 0; r < topics.Length; r++)
        {
            var line = new System.Text.StringBuilder(topics[r] + new string(' ', width + 1 - Width(topics[r])));
            int total = 0;
            for (int c = 0; c < topics.Length; c++)
            {
                total += counts[r, c];
                line.Append(counts[r, c] == 0 ? "  ." : counts[r, c].ToString(CultureInfo.InvariantCulture).PadLeft(3));
            }
            line.Append(CultureInfo.InvariantCulture, $"   {counts[r, r]}/{total}");
            console.WriteLine(line.ToString());
        }
    }
}

internal static class Chart
{
    /// <summary>Grouped bars: one group per feature set; accuracy on held-out documents, lexical and semantic queries.</summary>
    public static void Write(string path, string title, IReadOnlyList<Outcome> outcomes)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        (string Name, Func<Outcome, double> Value)[] series = [("held-out documents (macro acc)", o => o.Documents.MacroAccuracy), ("lexical queries (acc)", o => o.Lexical.MicroAccuracy), ("semantic queries (acc)", o => o.Semantic.MicroAccuracy)];
        double width = 0.8 / series.Length;
        var bars = new List<ScottPlot.Bar>();
        for (int s = 0; s < series.Length; s++)
        {
            for (int g = 0; g < outcomes.Count; g++)
            {
                double value = series[s].Value(outcomes[g]);
                bars.Add(new ScottPlot.Bar
                {
                    Position = g + (s - (series.Length - 1) / 2.0) * width, Value = value, Size = width * 0.92,
                    FillColor = palette.GetColor(s), LineWidth = 0, Label = value.ToString("0.00", CultureInfo.InvariantCulture),
                });
            }
            plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = series[s].Name, FillColor = palette.GetColor(s) });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, outcomes.Count).Select(i => (double)i).ToArray(), outcomes.Select(o => o.Features.Replace(" + ", " +\n", StringComparison.Ordinal)).ToArray());
        plot.Axes.SetLimitsY(0, 1.25);
        plot.YLabel("accuracy");
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        byte[] png = plot.GetImageBytes(1100, 560, ScottPlot.ImageFormat.Png);
        SampleFiles.Write(path, stream => stream.Write(png));
    }
}
