using System.Diagnostics;
using System.Globalization;
using LmToLlm.Samples;
using LmToLlm;
using LmToLlm.Contextual;
using LmToLlm.Corpora;
using LmToLlm.Embeddings;
using LmToLlm.Evaluation;
using LmToLlm.Experiments;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Retrieval.Feedback;
using LmToLlm.Retrieval.Lsa;
using LmToLlm.Text;
using Spectre.Console;

namespace LexicalVsSemantic.Real;

/// <summary>Options of the real-text comparison.</summary>
/// <param name="Folders">BEIR folders to run, in order.</param>
/// <param name="Full">All test queries and documents, and the contextual model on every collection.</param>
/// <param name="Output">Output folder.</param>
internal sealed record RealOptions(IReadOnlyList<string> Folders, bool Full, string Output);

/// <summary>
/// The comparison on real collections. Per collection: index, word vectors (in-domain Word2Vec, or BWESG bilingual
/// vectors for the cross-lingual task), every model, settings chosen on the dev queries, test queries evaluated
/// once, tables by query kind with paired significance against BM25, side-by-side top 5 with reasons.
/// </summary>
internal static class RealComparison
{
    public const int SampleTestQueries = 300;
    public const int SampleDevQueries = 100;
    /// <summary>Documents of the collections larger than this in the default run (en-revdict: 20,000; the help collections have 2,551 and are kept whole).</summary>
    public const int SampleDocuments = 3000;

    /// <summary>
    /// Documents of a collection the contextual model runs on by default (the English ones): MiniLM encodes each, about
    /// 35 ms of CPU apiece, so this bounds the first run.
    /// </summary>
    public const int SampleContextualDocuments = 1500;

    private static readonly (string Value, string Label)[] Measures = [("ndcg_cut_10", "nDCG@10"), ("map", "MAP"), ("recall_100", "R@100"), ("recip_rank", "MRR")];

    public static int Run(RealOptions options, IAnsiConsole console)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.Output);
        var rows = new List<MetricRow>();
        var tokenization = new List<TokenizationRow>();
        using var embedder = new MiniLmEmbedder();
        foreach (string folder in options.Folders)
        {
            var collection = BeirFolder.Load(folder);
            if (!options.Full)
                collection = collection.Sample(SampleTestQueries, SampleDevQueries, collection.Language == TaskLanguage.English ? SampleContextualDocuments : SampleDocuments);
            rows.AddRange(RunOne(collection, options, embedder, tokenization, console));
        }
        console.Write(new Rule("[bold]Conclusion (computed from the test-split table above)[/]").LeftJustified());
        var findings = Conclusion.Findings(rows);
        var targets = Conclusion.Targets(rows);
        var korean = Conclusion.Tokenization(tokenization);
        foreach (string line in findings) console.WriteLine(line);
        if (korean.Count > 0)
        {
            console.MarkupLine("[bold]Korean tokenization[/]");
            foreach (string line in korean) console.WriteLine(line);
        }
        if (targets.Count > 0)
        {
            console.MarkupLine("[bold]Targets[/]");
            foreach (string line in targets) console.WriteLine(line);
        }
        SampleFiles.WriteText(Path.Combine(options.Output, "metrics.csv"), w =>
        {
            w.Write("collection,queries,count,model,ndcg_cut_10,map,recall_100,recip_rank,ndcg_p_paired_t,ndcg_p_randomization\n");
            foreach (var r in rows)
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Collection},{r.Kind},{r.Queries},{r.Model},{r.Ndcg:0.0000},{r.Map:0.0000},{r.Recall100:0.0000},{r.Mrr:0.0000},{r.PairedTP:0.0000},{r.RandomizationP:0.0000}\n"));
        });
        SampleFiles.WriteText(Path.Combine(options.Output, "conclusion.txt"), w => { foreach (string line in findings.Concat(targets).Concat(korean)) w.Write(line + "\n"); });
        console.MarkupLineInterpolated($"wrote metrics.csv, conclusion.txt and per-collection perquery-*.csv to {options.Output} in {clock.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    private static List<MetricRow> RunOne(BeirFolder c, RealOptions options, MiniLmEmbedder embedder, List<TokenizationRow> tokenization, IAnsiConsole console)
    {
        var clock = Stopwatch.StartNew();
        console.Write(new Rule($"[bold]{c.Name}[/]").LeftJustified());
        console.MarkupLineInterpolated($"{c.Corpus.Count:N0} documents, {c.Dev.Count} dev and {c.Test.Count} test queries{(options.Full ? "" : " (default sample; --full for all)")}; {c.Language}");
        string analyzerName = c.Language == TaskLanguage.English ? "english" : "korean";
        var collection = RetrievalCollection.Build(c.Corpus, Analyzer.FromName(analyzerName));
        var vectors = Vectors(c, options.Output, console);
        var texts = c.Corpus.Select(d => d.FullText).ToArray();

        // Components, each searched once per query (Memo).
        var bm25 = Bm25.Create(collection.Index);
        var models = new Dictionary<string, IRanker>
        {
            ["bm25"] = new Memo(bm25),
        };
        var tfidf = TfIdf.Create(collection.Index);
        models["tfidf"] = new Memo(tfidf);
        var rm3 = Rm3.Create(bm25);
        models["rm3"] = new Memo(rm3);
        var expansion = EmbeddingExpansion.Create(bm25, vectors);
        models["bm25-qe"] = new Memo(expansion);
        var lsa = LsaModel.Build(TfIdf.Create(collection.Index), new LsaOptions { Dimensions = Math.Min(200, c.Corpus.Count - 1) });
        models["lsa"] = new Memo(lsa);
        var encoders = new Dictionary<Pooling, (DenseEncoder Encoder, DenseIndex Index)>();
        foreach (var pooling in new[] { Pooling.Mean, Pooling.Sif })
        {
            var encoder = DenseEncoder.Fit(vectors, texts, new DenseEncoderOptions { Pooling = pooling });
            var index = DenseIndex.Create(encoder.EncodeMany(texts), vectors.Dimensions);
            encoders[pooling] = (encoder, index);
            string name = $"dense-{pooling.ToString().ToLowerInvariant()}";
            models[name] = new Memo(new DenseRanker(encoder, index));
        }
        ContextualRanker? contextual = null;
        if (c.Language == TaskLanguage.English || options.Full)
        {
            contextual = Encode(c, embedder, options.Output, console);
            models["contextual"] = new Memo(contextual);
        }
        var catalog = new ModelCatalog();
        foreach (var (name, model) in models) catalog.Register(name, name, _ => model);

        // Settings chosen on the dev queries: dense pooling, then each hybrid's fusion.
        var choices = new List<string>();
        string Choose(string label, IReadOnlyList<string> candidates)
        {
            if (c.Dev.Count == 0) return candidates[0];
            var dev = ModelComparison.Run(catalog, collection, c.Dev, c.Qrels, candidates);
            var best = dev.OrderByDescending(r => r.Evaluation.Summary("ndcg_cut_10")).First();
            choices.Add($"{label}: {best.Model} (dev nDCG@10 {best.Evaluation.Summary("ndcg_cut_10"):0.000})");
            return best.Model;
        }
        string denseName = Choose("dense pooling", ["dense-sif", "dense-mean"]);
        models["dense"] = models[denseName];
        var denseEncoder = encoders[denseName == "dense-sif" ? Pooling.Sif : Pooling.Mean].Encoder;
        catalog.Register("dense", $"{denseName} word vectors", _ => models["dense"]);
        var hybrids = new List<(string Name, string[] Parts)> { ("hybrid", ["bm25", "dense"]) };
        if (contextual is not null)
        {
            hybrids.Add(("hybrid-contextual", ["bm25", "contextual"]));
            hybrids.Add(("hybrid-all", ["bm25", "dense", "contextual"]));
        }
        foreach (var (name, parts) in hybrids)
        {
            var candidateNames = new List<string>();
            foreach (var fusion in Fusion.Candidates)
            {
                string candidate = $"{name}-{fusion}";
                var fused = FusedModel.Create(parts.Select(p => models[p]).ToArray(), fusion);
                catalog.Register(candidate, candidate, _ => fused);
                candidateNames.Add(candidate);
            }
            string chosen = Choose($"{name} ({string.Join("+", parts)})", candidateNames);
            models[name] = catalog.Create(chosen, collection);
            catalog.Register(name, chosen, _ => models[name]);
        }
        if (choices.Count > 0) console.MarkupLineInterpolated($"[grey]chosen on dev: {string.Join("; ", choices)}[/]");

        // Test queries, once.
        string[] order = ["bm25", "tfidf", "rm3", "lsa", "dense", "bm25-qe", "hybrid", .. contextual is null ? Array.Empty<string>() : ["contextual", "hybrid-contextual", "hybrid-all"]];
        var results = ModelComparison.Run(catalog, collection, c.Test, c.Qrels, order);
        var rows = Table(c, results, console);
        Contrast(c, collection, results, vectors, denseEncoder, contextual, console);
        if (c.Language != TaskLanguage.English) tokenization.AddRange(Korean(c, options.Output, console));
        SampleFiles.WriteText(Path.Combine(options.Output, $"perquery-{c.Name}.csv"), w =>
        {
            w.Write("query,kind,model," + string.Join(",", Measures.Select(m => m.Value)) + "\n");
            foreach (var result in results)
                foreach (var q in c.Test)
                    w.Write($"{q.Id},{c.Kinds.GetValueOrDefault(q.Id, "")},{result.Model},{string.Join(",", Measures.Select(m => Value(result, m.Value, q.Id).ToString("0.0000", CultureInfo.InvariantCulture)))}\n");
        });
        console.MarkupLineInterpolated($"[grey]{c.Name}: {clock.Elapsed.TotalSeconds:0.0} s[/]");
        return rows;
    }

    /// <summary>The Korean section: the tokenization table (and, with Korean queries, perplexity), written to tokenization-*.csv.</summary>
    private static IReadOnlyList<TokenizationRow> Korean(BeirFolder c, string output, IAnsiConsole console)
    {
        var rows = KoreanTokenization.Run(c, output, console);
        var perplexity = c.Language == TaskLanguage.Korean ? KoreanTokenization.Perplexity(c, console) : [];
        SampleFiles.WriteText(Path.Combine(output, $"tokenization-{c.Name}.csv"), w =>
        {
            w.Write("analyzer,model,dev_ndcg_cut_10,test_ndcg_cut_10,test_p_paired_t_vs_korean_bm25,test_p_paired_t_vs_same_analyzer_bm25,fusion\n");
            foreach (var r in rows)
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Analyzer},{r.Model},{r.DevNdcg:0.0000},{r.TestNdcg:0.0000},{r.TestPairedTP:0.0000},{r.TestPairedTPSameAnalyzer:0.0000},{r.Chosen}\n"));
            foreach (var r in perplexity)
                w.Write(string.Create(CultureInfo.InvariantCulture, $"# perplexity,{r.Tokenization},{r.Tokens},{r.Oovs},{r.Characters},{r.PerToken:0.000},{r.PerCharacter:0.0000}\n"));
        });
        return rows;
    }

    /// <summary>A judged query a model retrieved nothing for counts 0 (trec_eval would drop it without -c).</summary>
    private static double Value(ModelResult result, string measure, string queryId) => result.Evaluation.PerQuery(measure).GetValueOrDefault(queryId);

    private static List<MetricRow> Table(BeirFolder c, IReadOnlyList<ModelResult> results, IAnsiConsole console)
    {
        var bm25 = results[0];
        var groups = new List<(string Kind, string[] Ids)> { ("all", c.Test.Select(q => q.Id).ToArray()) };
        foreach (string kind in c.Test.Select(q => c.Kinds.GetValueOrDefault(q.Id)).OfType<string>().Distinct().Order(StringComparer.Ordinal))
            groups.Add((kind, c.Test.Where(q => c.Kinds.GetValueOrDefault(q.Id) == kind).Select(q => q.Id).ToArray()));
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{c.Name}[/], test queries — † p < 0.05 vs bm25 (paired t-test)");
        table.AddColumn("queries").AddColumn("model");
        foreach (var (_, label) in Measures) table.AddColumn(new TableColumn(label).RightAligned());
        table.AddColumn(new TableColumn("p (nDCG, rand.)").RightAligned());
        var rows = new List<MetricRow>();
        foreach (var (kind, ids) in groups)
        {
            foreach (var result in results)
            {
                var means = new double[Measures.Length];
                var cells = new List<string> { $"{kind} ({ids.Length})", result.Model };
                double pT = 1, pRandom = 1;
                for (int m = 0; m < Measures.Length; m++)
                {
                    var mine = ids.Select(id => Value(result, Measures[m].Value, id)).ToArray();
                    var baseline = ids.Select(id => Value(bm25, Measures[m].Value, id)).ToArray();
                    means[m] = mine.Length == 0 ? 0 : mine.Average();
                    double p = result == bm25 || ids.Length < 2 ? 1 : SignificanceTests.PairedT(mine, baseline).P;
                    if (double.IsNaN(p)) p = 1;
                    if (m == 0)
                    {
                        pT = p;
                        pRandom = result == bm25 || ids.Length < 2 ? 1 : SignificanceTests.PairedRandomization(mine, baseline);
                    }
                    cells.Add(means[m].ToString("0.000", CultureInfo.InvariantCulture) + (p < 0.05 ? "†" : " "));
                }
                cells.Add(result == bm25 ? "" : pRandom.ToString("0.000", CultureInfo.InvariantCulture));
                table.AddRow(cells.Select(Markup.Escape).ToArray());
                rows.Add(new MetricRow(c.Name, kind, ids.Length, result.Model, means[0], means[1], means[2], means[3], pT, pRandom));
            }
            if (kind != groups[^1].Kind) table.AddEmptyRow();
        }
        console.Write(table);
        return rows;
    }

    private static WordVectors Vectors(BeirFolder c, string output, IAnsiConsole console)
    {
        string path = Path.Combine(output, $"vectors-{c.Name}.bin");
        if (File.Exists(path))
        {
            console.MarkupLineInterpolated($"[grey]word vectors: {path} (delete it to train again)[/]");
            return WordVectors.Load(path);
        }
        string text = Path.Combine(output, $"train-{c.Name}.txt");
        string parallel = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(c.Folder))!, "en-ko-parallel");
        string what;
        if (c.Language == TaskLanguage.CrossLingual && Directory.Exists(parallel))
        {
            long tokens = Bwesg.WriteTrainingText(parallel, text);
            what = $"BWESG: {tokens:N0} tokens of merged-and-shuffled English–Korean pairs";
        }
        else
        {
            var all = BeirJsonl.ReadCorpus(Directory.GetFiles(c.Folder, "corpus.jsonl*")[0]);
            long tokens = 0;
            SampleFiles.WriteText(text, w =>
            {
                foreach (var d in all)
                {
                    var words = Analyzer.Simple.Tokenize(d.FullText);
                    tokens += words.Count;
                    w.Write(string.Join(' ', words));
                    w.Write('\n');
                }
            });
            what = $"in-domain: {tokens:N0} tokens of the collection's own documents";
        }
        // 20 epochs and min-count 2 (not word2vec.c's 5 and 5): these collections are small (0.6–0.9 M tokens); chosen on
        // ko-help's dev queries, where dense nDCG@10 rose from 0.107 (5 epochs, min-count 3) to 0.292.
        var w2v = new Word2VecOptions { Dimensions = 100, Epochs = 20, Window = 5, MinCount = 2, Seed = 1 };
        Word2VecResult trained = null!;
        console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"Word2Vec CBOW {w2v.Dimensions}d, {c.Name}", maxValue: 100);
                trained = Word2VecTrainer.Train(text, w2v, new Progress<Word2VecProgress>(p => task.Value = Math.Min(100, p.Percent)));
                task.Value = 100;
            });
        trained.Vectors.Save(path);
        console.MarkupLineInterpolated($"word vectors ({what}): {trained.Vectors.Count:N0} words × {trained.Vectors.Dimensions}, {trained.TrainingTime.TotalSeconds:0.0} s");
        return trained.Vectors;
    }

    private static ContextualRanker Encode(BeirFolder c, MiniLmEmbedder embedder, string output, IAnsiConsole console)
    {
        var options = new ContextualOptions { CachePath = Path.Combine(output, $"minilm-{c.Name}-{c.Corpus.Count}.emb") };
        ContextualRanker ranker = null!;
        var clock = Stopwatch.StartNew();
        console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"MiniLM: encoding {c.Corpus.Count:N0} documents", maxValue: c.Corpus.Count);
                ranker = ContextualRanker.Build(c.Corpus, embedder, options, new Progress<int>(n => task.Value = n));
                task.Value = c.Corpus.Count;
            });
        console.MarkupLineInterpolated($"contextual: {embedder.Name}, first {options.MaxWords} words of each document, {(ranker.LoadedFromCache ? "read from " + options.CachePath : $"encoded in {clock.Elapsed.TotalSeconds:0.0} s, cached in {options.CachePath}")}");
        return ranker;
    }

    /// <summary>Side by side: the test query where the best non-lexical model beats BM25 most, and the one where BM25 beats it most.</summary>
    private static void Contrast(BeirFolder c, RetrievalCollection collection, IReadOnlyList<ModelResult> results, WordVectors vectors, DenseEncoder encoder,
        ContextualRanker? contextual, IAnsiConsole console)
    {
        var bm25 = results[0];
        var other = results.Where(r => !Conclusion.IsLexical(r.Model) && !Conclusion.IsHybrid(r.Model))
            .OrderByDescending(r => r.Evaluation.Summary("ndcg_cut_10")).First();
        var gain = c.Test.ToDictionary(q => q.Id, q => Value(other, "ndcg_cut_10", q.Id) - Value(bm25, "ndcg_cut_10", q.Id));
        var picks = new[] { c.Test.MaxBy(q => gain[q.Id])!, c.Test.MinBy(q => gain[q.Id])! }.Distinct();
        var index = collection.Index;
        var position = c.Test.Select((q, i) => (q.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var documentPosition = c.Corpus.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i);
        foreach (var query in picks)
        {
            var judged = c.Qrels.Get(query.Id);
            var table = new Table().Border(TableBorder.Rounded).Title(
                $"[bold]{Markup.Escape(query.Id)}[/] ({c.Kinds.GetValueOrDefault(query.Id, "?")}): \"{Markup.Escape(Shorten(query.Text, 90))}\"   nDCG@10 bm25 {Value(bm25, "ndcg_cut_10", query.Id):0.000} · {other.Model} {Value(other, "ndcg_cut_10", query.Id):0.000}");
            table.AddColumn("#").AddColumn("BM25 top 5 (shared terms)").AddColumn($"{other.Model} top 5 ({(other.Model == "contextual" ? "best-matching sentence" : "nearest query → document words")})");
            var queryTerms = new HashSet<int>(index.AnalyzeQuery(query.Text));
            for (int r = 0; r < 5; r++)
            {
                var left = bm25.Rankings[position[query.Id]].Entries;
                var right = other.Rankings[position[query.Id]].Entries;
                table.AddRow((r + 1).ToString(CultureInfo.InvariantCulture),
                    r < left.Count ? Describe(left[r].DocumentId, SharedTerms(left[r].DocumentId)) : "",
                    r < right.Count ? Describe(right[r].DocumentId, other.Model == "contextual" && contextual is not null ? BestSentence(right[r].DocumentId) : NearestWords(right[r].DocumentId)) : "");
            }
            console.Write(table);

            string Describe(string documentId, string reason)
            {
                int grade = judged?[documentId] ?? 0;
                string mark = grade >= 2 ? "[green]✔✔[/]" : grade == 1 ? "[green]✔[/] " : "[red]✘[/] ";
                return $"{mark} {Markup.Escape(documentId)} {Markup.Escape(reason)}";
            }

            string SharedTerms(string documentId)
            {
                int d = documentPosition[documentId];
                var shared = queryTerms.Where(t => index.PostingDocuments(t).BinarySearch(d) >= 0).Select(index.Term).Order(StringComparer.Ordinal).ToArray();
                return shared.Length == 0 ? "(none)" : "{" + string.Join(", ", shared) + "}";
            }

            string BestSentence(string documentId)
            {
                var (sentence, cosine) = contextual!.BestSentence(query.Text, c.Corpus[documentPosition[documentId]].FullText);
                return $"“{Shorten(sentence, 70)}” {cosine:0.00}";
            }

            string NearestWords(string documentId)
            {
                var docRows = encoder.KnownWords(c.Corpus[documentPosition[documentId]].FullText).Distinct().ToArray();
                var pairs = new List<(string Text, double Weight)>();
                foreach (int qr in encoder.KnownWords(query.Text).Distinct())
                {
                    int best = -1;
                    float bestScore = float.MinValue;
                    foreach (int dr in docRows)
                    {
                        float s = vectors.Similarity(qr, dr);
                        if (s > bestScore) (best, bestScore) = (dr, s);
                    }
                    if (best >= 0) pairs.Add(($"{vectors.Word(qr)}→{vectors.Word(best)} {bestScore:0.00}", encoder.Weight(qr)));
                }
                return pairs.Count == 0 ? "(no known word)" : string.Join(", ", pairs.OrderByDescending(p => p.Weight).Take(3).Select(p => p.Text));
            }
        }
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
