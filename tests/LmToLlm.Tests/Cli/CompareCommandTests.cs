using System.Globalization;
using LmToLlm.Cli;
using LmToLlm.Evaluation;
using LmToLlm.Experiments;
using LmToLlm.Retrieval;

namespace LmToLlm.Tests.Cli;

public sealed class CompareCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-compare-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ReferenceValue(string run, string measure) =>
        File.ReadLines(SharedData.File("reference", "cranfield", run + ".run.trec_eval"))
            .Select(l => l.Split('\t'))
            .Single(f => f[0].TrimEnd() == measure)[2];

    [SharedFact("data/cranfield/beir", "reference/cranfield/lucene-bm25.run", "reference/cranfield/lucene-bm25.run.trec_eval", "reference/cranfield/sklearn-tfidf.run.trec_eval", "reference/cranfield/sklearn-tfidf-sublinear.run.trec_eval")]
    public void Cranfield_at_depth_100_reproduces_the_reference_runs_and_writes_the_report_files()
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter();
        int code = CliApp.Run(["compare", "--corpus", SharedData.File("data", "cranfield", "beir"), "--models", "bm25,tfidf,tfidf-sublinear", "--depth", "100", "--out", _dir], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        string table = stdout.ToString();

        // Each row shows the numbers trec_eval printed for the reference run of the same model.
        foreach (var (model, run) in new[] { ("bm25", "lucene-bm25"), ("tfidf", "sklearn-tfidf"), ("tfidf-sublinear", "sklearn-tfidf-sublinear") })
        {
            string row = table.Split('\n').Single(l => l.Contains($" {model} "));
            foreach (string measure in new[] { "map", "ndcg_cut_10", "P_10", "recall_100", "recip_rank" })
                Assert.Contains(ReferenceValue(run, measure), row);
        }
        Assert.Contains("0.2749*", table); // tfidf-sublinear has the best MAP
        Assert.Contains("0.3429*", table); // bm25 the best nDCG@10

        string[] metrics = File.ReadAllLines(Path.Combine(_dir, "metrics.csv"));
        Assert.Equal("model,num_q,map,ndcg_cut_10,P_10,recall_100,recip_rank,search_seconds", metrics[0]);
        Assert.Equal(4, metrics.Length);
        Assert.StartsWith("bm25,225,0.272", metrics[1]);
        Assert.Equal(1 + 3 * 225, File.ReadAllLines(Path.Combine(_dir, "perquery.csv")).Length);

        byte[] png = File.ReadAllBytes(Path.Combine(_dir, "metrics.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.True(png.Length > 10_000);

        // The BM25 run file is the Lucene reference run with another tag.
        var ours = File.ReadLines(Path.Combine(_dir, "bm25.run")).Select(l => l[..l.LastIndexOf(' ')]);
        var lucene = File.ReadLines(SharedData.File("reference", "cranfield", "lucene-bm25.run")).Select(l => l[..l.LastIndexOf(' ')]);
        Assert.Equal(lucene, ours);
    }

    [Fact]
    public void List_models_needs_no_collection()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, CliApp.Run(["compare", "--list-models"], stdout, new StringWriter()));
        Assert.Contains("bm25 ", stdout.ToString());
        Assert.Contains("tfidf-sublinear ", stdout.ToString());
        Assert.Equal(CliApp.Usage, CliApp.Run(["compare"], new StringWriter(), new StringWriter()));
    }

    [SharedFact("data/cranfield/beir/corpus.jsonl", "data/cranfield/beir/queries.jsonl", "reference/cranfield/qrels.trec")]
    public void Registered_models_join_the_comparison()
    {
        var catalog = new ModelCatalog();
        catalog.Register("first-documents", "test: the first k documents, scores k..1", _ => new FirstDocuments());
        Assert.Contains("first-documents", catalog.Names);
        Assert.DoesNotContain("first-documents", new ModelCatalog().Names);   // catalogs are independent: no process-wide registry
        var corpus = LmToLlm.Corpora.BeirJsonl.ReadCorpus(SharedData.File("data", "cranfield", "beir", "corpus.jsonl")).ToArray();
        var queries = LmToLlm.Corpora.BeirJsonl.ReadQueries(SharedData.File("data", "cranfield", "beir", "queries.jsonl")).ToArray();
        var qrels = Qrels.ReadTrec(SharedData.File("reference", "cranfield", "qrels.trec"));
        var collection = RetrievalCollection.Build(corpus, LmToLlm.Text.Analyzer.Simple);
        var results = ModelComparison.Run(catalog, collection, queries, qrels, ["first-documents"], new ModelComparisonOptions { Depth = 10 });
        Assert.Equal(225, results[0].Evaluation.Summary("num_q"));
        Assert.Equal(10, results[0].Rankings[0].Entries.Count);
        Assert.Throws<ArgumentException>(() => catalog.Create("no-such-model", collection));
    }

    private sealed class FirstDocuments : IRanker
    {
        public SearchHit[] Search(string query, int k) => Enumerable.Range(0, k).Select(d => new SearchHit(d, k - d)).ToArray();

        public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default) =>
            queries.Select(q => Search(q, k)).ToArray();
    }
}
