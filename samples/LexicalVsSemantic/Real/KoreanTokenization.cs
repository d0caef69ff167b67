using System.Diagnostics;
using System.Globalization;
using LmToLlm;
using LmToLlm.Corpora;
using LmToLlm.Data;
using LmToLlm.Embeddings;
using LmToLlm.Embeddings.FastText;
using LmToLlm.Evaluation;
using LmToLlm.Experiments;
using LmToLlm.NGrams;
using LmToLlm.Nori;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Retrieval.Feedback;
using LmToLlm.Samples;
using LmToLlm.Text;
using Spectre.Console;

namespace LexicalVsSemantic.Real;

/// <summary>One line of the Korean tokenization table: dev and test nDCG@10, and the test p against BM25 with the <c>korean</c> analyzer.</summary>
/// <param name="Collection">Collection name.</param>
/// <param name="Analyzer">nori, korean or whitespace.</param>
/// <param name="Model">Model name.</param>
/// <param name="DevNdcg">Mean nDCG@10 over the dev queries.</param>
/// <param name="TestNdcg">Mean nDCG@10 over the test queries.</param>
/// <param name="TestPairedTP">Paired t-test p of the test nDCG@10 against BM25 with the <c>korean</c> analyzer.</param>
/// <param name="TestPairedTPSameAnalyzer">The same against BM25 with this row's analyzer.</param>
/// <param name="Chosen">A hybrid's fusion, chosen on the dev queries.</param>
internal sealed record TokenizationRow(string Collection, string Analyzer, string Model, double DevNdcg, double TestNdcg, double TestPairedTP,
    double TestPairedTPSameAnalyzer, string Chosen);

/// <summary>N-gram perplexity of held-out documents under one tokenization.</summary>
internal sealed record PerplexityRow(string Tokenization, long Tokens, long Oovs, long Characters, double PerToken, double PerCharacter, bool CoversAllText);

/// <summary>
/// What the Korean tokenization changes, on the collections with Korean documents. Input: a collection (dev and test
/// queries). Output: BM25 / TF-IDF / RM3 with <c>nori</c> (Lucene's KoreanAnalyzer), <c>korean</c> (words plus syllable
/// bigrams) and <c>whitespace</c>; on the monolingual task also Word2Vec and fastText trained on the collection's nori
/// tokens, their dense rankers and hybrids with nori BM25 (fusion chosen on dev); and n-gram perplexity per character.
/// </summary>
internal static class KoreanTokenization
{
    public static readonly string[] Analyzers = ["nori", "korean", "whitespace"];

    private static Analyzer Create(string name) => name == "nori" ? NoriAnalyzer.Create() : Analyzer.FromName(name);

    public static List<TokenizationRow> Run(BeirFolder c, string output, IAnsiConsole console)
    {
        var clock = Stopwatch.StartNew();
        console.Write(new Rule($"[bold]{c.Name}: Korean tokenization (nori vs korean vs whitespace)[/]").LeftJustified());
        var results = new List<(string Analyzer, string Model, ModelResult Dev, ModelResult Test, string Chosen)>();
        foreach (string name in Analyzers)
        {
            var analyzer = Create(name);
            var collection = RetrievalCollection.Build(c.Corpus, analyzer);
            var bm25 = Bm25.Create(collection.Index);
            var models = new Dictionary<string, IRanker>
            {
                ["bm25"] = new Memo(bm25),
                ["tfidf"] = new Memo(TfIdf.Create(collection.Index)),
                ["rm3"] = new Memo(Rm3.Create(bm25)),
            };
            var chosen = new Dictionary<string, string>();
            if (name == "nori" && c.Language == TaskLanguage.Korean)
            {
                var texts = c.Corpus.Select(d => d.FullText).ToArray();
                var (w2v, ft) = Vectors(c, analyzer, output, console);
                foreach (var (label, vectors) in new[] { ("word2vec", w2v), ("fasttext", ft) })
                {
                    var encoder = DenseEncoder.Fit(vectors, texts, new DenseEncoderOptions { Pooling = Pooling.Sif, Analyzer = analyzer });
                    string dense = $"dense-{label}";
                    models[dense] = new Memo(new DenseRanker(encoder, DenseIndex.Create(encoder.EncodeMany(texts), vectors.Dimensions)));
                    // The fusion of each hybrid chosen on the dev queries.
                    var candidates = Fusion.Candidates.ToDictionary(f => $"hybrid-{label}-{f}", f => (IRanker)FusedModel.Create([models["bm25"], models[dense]], f));
                    string best = Best(Evaluate(candidates, collection, c.Dev, c.Qrels));
                    models[$"hybrid-{label}"] = candidates[best];
                    chosen[$"hybrid-{label}"] = best[$"hybrid-{label}-".Length..];
                }
            }
            var dev = Evaluate(models, collection, c.Dev, c.Qrels);
            var test = Evaluate(models, collection, c.Test, c.Qrels);
            foreach (string model in models.Keys)
                results.Add((name, model, dev[model], test[model], chosen.GetValueOrDefault(model, "")));
        }

        var baseline = results.Single(r => r.Analyzer == "korean" && r.Model == "bm25").Test;
        var ids = c.Test.Select(q => q.Id).ToArray();
        double[] PerQuery(ModelResult r) => [.. ids.Select(id => r.Evaluation.PerQuery("ndcg_cut_10").GetValueOrDefault(id))];
        var rows = results.Select(r =>
        {
            var sameBm25 = results.Single(x => x.Analyzer == r.Analyzer && x.Model == "bm25").Test;
            return new TokenizationRow(c.Name, r.Analyzer, r.Model, r.Dev.Evaluation.Summary("ndcg_cut_10"), r.Test.Evaluation.Summary("ndcg_cut_10"),
                ReferenceEquals(r.Test, baseline) ? 1 : P(PerQuery(r.Test), PerQuery(baseline)),
                ReferenceEquals(r.Test, sameBm25) ? 1 : P(PerQuery(r.Test), PerQuery(sameBm25)), r.Chosen);
        }).ToList();

        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{c.Name}[/], nDCG@10 by tokenization — {c.Dev.Count} dev / {c.Test.Count} test queries; † test p < 0.05 vs bm25 with korean (paired t)");
        table.AddColumn("analyzer").AddColumn("model").AddColumn(new TableColumn("dev").RightAligned()).AddColumn(new TableColumn("test").RightAligned())
            .AddColumn(new TableColumn("test p").RightAligned()).AddColumn("fusion (dev)");
        foreach (var r in rows)
            table.AddRow(r.Analyzer, r.Model, F(r.DevNdcg), F(r.TestNdcg) + (r.TestPairedTP < 0.05 ? "†" : " "),
                r.Analyzer == "korean" && r.Model == "bm25" ? "" : r.TestPairedTP.ToString("0.000", CultureInfo.InvariantCulture), r.Chosen);
        console.Write(table);
        console.MarkupLineInterpolated($"[grey]{c.Name} tokenization: {clock.Elapsed.TotalSeconds:0.0} s[/]");
        return rows;
    }

    private static double P(double[] a, double[] b)
    {
        double p = SignificanceTests.PairedT(a, b).P;
        return double.IsNaN(p) ? 1 : p;
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Best(Dictionary<string, ModelResult> results) =>
        results.OrderByDescending(r => r.Value.Evaluation.Summary("ndcg_cut_10")).ThenBy(r => r.Key, StringComparer.Ordinal).First().Key;

    private static Dictionary<string, ModelResult> Evaluate(Dictionary<string, IRanker> models, RetrievalCollection collection, IReadOnlyList<Query> queries, Qrels qrels)
    {
        var catalog = new ModelCatalog();
        foreach (var (name, model) in models) catalog.Register(name, name, _ => model);
        return ModelComparison.Run(catalog, collection, queries, qrels, [.. models.Keys]).ToDictionary(r => r.Model);
    }

    /// <summary>Word2Vec (as the main comparison's) and fastText CBOW trained on the nori tokens of every document of the collection; cached.</summary>
    private static (WordVectors Word2Vec, WordVectors FastText) Vectors(BeirFolder c, Analyzer nori, string output, IAnsiConsole console)
    {
        string text = Path.Combine(output, $"train-{c.Name}-nori.txt");
        string w2vPath = Path.Combine(output, $"vectors-{c.Name}-nori.bin"), ftPath = Path.Combine(output, $"fasttext-{c.Name}-nori.bin");
        if (!File.Exists(text))
        {
            var all = BeirJsonl.ReadCorpus(Directory.GetFiles(c.Folder, "corpus.jsonl*")[0]);
            SampleFiles.WriteText(text, w =>
            {
                foreach (var d in all) w.Write(string.Join(' ', nori.Tokenize(d.FullText)) + "\n");
            });
        }
        WordVectors w2v;
        if (File.Exists(w2vPath)) w2v = WordVectors.Load(w2vPath);
        else
        {
            var trained = Word2VecTrainer.Train(text, new Word2VecOptions { Dimensions = 100, Epochs = 20, Window = 5, MinCount = 2, Seed = 1 });
            trained.Vectors.Save(w2vPath);
            console.MarkupLineInterpolated($"word2vec on nori tokens: {trained.Vectors.Count:N0} words, {trained.TrainingTime.TotalSeconds:0.0} s");
            w2v = trained.Vectors;
        }
        FastTextModel model;
        if (File.Exists(ftPath)) model = FastTextModel.Load(ftPath);
        else
        {
            // Subwords of 1–3 characters: a Hangul syllable carries what two or three Latin letters do (not tuned).
            var trained = FastTextTrainer.Train(text, new FastTextOptions
            {
                Architecture = FastTextArchitecture.Cbow, Dimensions = 100, Epochs = 20, Window = 5, MinCount = 2, MinN = 1, MaxN = 3, Bucket = 200_000, Seed = 1,
            });
            trained.Model.Save(ftPath);
            console.MarkupLineInterpolated($"fastText on nori tokens: {trained.Model.Count:N0} words, {trained.TrainingTime.TotalSeconds:0.0} s");
            model = trained.Model;
        }
        // Every nori token of the documents and queries gets a vector, unseen ones from their character n-grams.
        var words = c.Corpus.Select(d => d.FullText).Concat(c.Dev.Concat(c.Test).Select(q => q.Text)).SelectMany(t => nori.Tokenize(t)).Distinct(StringComparer.Ordinal);
        return (w2v, model.ToWordVectors(words));
    }

    /// <summary>
    /// Order-3 modified Kneser–Ney models trained on nine documents in ten and scored on the tenth, per tokenization.
    /// Per character: 10^(−Σ log10 p / characters), the characters being the held-out text's non-space characters, so
    /// that tokenizations with different token counts compare; OOVs included (KenLM's &lt;unk&gt; probability).
    /// </summary>
    public static List<PerplexityRow> Perplexity(BeirFolder c, IAnsiConsole console)
    {
        var clock = Stopwatch.StartNew();
        var train = c.Corpus.Where((_, i) => i % 10 != 0).Select(d => d.FullText).ToArray();
        var heldOut = c.Corpus.Where((_, i) => i % 10 == 0).SelectMany(d => d.FullText.Split('\n')).ToArray();
        long characters = heldOut.Sum(l => (long)l.Count(ch => !char.IsWhiteSpace(ch)));
        var tokenizations = new (string Name, Analyzer Analyzer, bool CoversAll)[]
        {
            ("whitespace (eojeol)", Analyzer.Whitespace, true),
            ("nori morphemes (no stop filter)", NoriAnalyzer.Create(stopTags: new HashSet<NoriTag>()), false),
            ("nori (analyzer: particles, endings dropped)", NoriAnalyzer.Create(), false),
            ("korean-bigrams (overlapping)", Analyzer.FromName("korean-bigrams"), false),
        };
        var rows = new List<PerplexityRow>();
        foreach (var (name, analyzer, all) in tokenizations)
        {
            var model = PerplexityFilter.Train(train, order: 3, analyzer: analyzer);
            double log10 = 0;
            long tokens = 0, oovs = 0;
            foreach (string line in heldOut)
            {
                string words = string.Join(' ', analyzer.Tokenize(line));
                if (words.Length == 0) continue;
                var s = model.ScoreSentence(words);
                log10 += s.Log10Prob;
                tokens += s.Tokens;
                oovs += s.Oovs;
            }
            rows.Add(new PerplexityRow(name, tokens, oovs, characters, Math.Pow(10, -log10 / tokens), Math.Pow(10, -log10 / characters), all));
        }
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{c.Name}[/]: order-3 Kneser–Ney perplexity of held-out documents (every 10th) by tokenization");
        table.AddColumn("tokenization").AddColumn(new TableColumn("tokens").RightAligned()).AddColumn(new TableColumn("OOV").RightAligned())
            .AddColumn(new TableColumn("per token").RightAligned()).AddColumn(new TableColumn("per character").RightAligned());
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Tokenization), r.Tokens.ToString("N0", CultureInfo.InvariantCulture), (r.Oovs / (double)r.Tokens).ToString("0.0%", CultureInfo.InvariantCulture),
                r.PerToken.ToString("0.0", CultureInfo.InvariantCulture), r.PerCharacter.ToString("0.00", CultureInfo.InvariantCulture));
        console.Write(table);
        console.MarkupLineInterpolated($"[grey]{characters:N0} held-out characters (white space not counted); {clock.Elapsed.TotalSeconds:0.0} s[/]");
        return rows;
    }
}
