using LmToLlm.Cli;
using LmToLlm.Corpora;
using LmToLlm.Embeddings;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary><c>search</c>/<c>compare</c> with dense, lsa and hybrid: a tiny end-to-end run and the bad-input errors.</summary>
public sealed class SemanticCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-semantic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_dir, name);

    /// <summary>"auto" is a synonym of "car" only in the vectors: dense finds d1 for it, BM25 cannot.</summary>
    private (string Corpus, string Queries, string Qrels, string Vectors) Collection()
    {
        BeirJsonl.WriteCorpus(Path("corpus.jsonl"), [new Document("d1", "", "car engine"), new Document("d2", "", "sea ship"), new Document("d3", "", "doctor nurse")]);
        BeirJsonl.WriteQueries(Path("queries.jsonl"), [new Query("q1", "auto"), new Query("q2", "ship")]);
        File.WriteAllText(Path("qrels.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n");
        WordVectors.Create(["car", "auto", "engine", "sea", "ship", "doctor", "nurse"],
            [1, 0, 0, 1, 0.1f, 0, 0.9f, 0, 0.1f, 0, 1, 0, 0, 1, 0.1f, 0, 0, 1, 0, 0.1f, 1], 3).Save(Path("v.bin"));
        return (Path("corpus.jsonl"), Path("queries.jsonl"), Path("qrels.tsv"), Path("v.bin"));
    }

    [Fact]
    public void Dense_search_finds_the_synonym_document()
    {
        var (corpus, queries, _, vectors) = Collection();
        var (code, _, error) = Run("search", "--corpus", corpus, "--queries", queries, "--model", "dense", "--vectors", vectors, "--pooling", "mean", "--k", "1", "--run", Path("dense.run"));
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(Path("dense.run"));
        Assert.StartsWith("q1 Q0 d1 1 ", lines[0]);
        Assert.StartsWith("q2 Q0 d2 1 ", lines[1]);
    }

    [Fact]
    public void Compare_runs_every_semantic_model()
    {
        var (corpus, queries, qrels, vectors) = Collection();
        var (code, output, error) = Run("compare", "--corpus", corpus, "--queries", queries, "--qrels", qrels,
            "--models", "bm25,lsa,dense,hybrid", "--vectors", vectors, "--pooling", "mean", "--dims", "2", "--method", "linear", "--weight", "0.3");
        Assert.True(code == 0, error);
        foreach (string model in new[] { "bm25", "lsa", "dense", "hybrid" }) Assert.Contains(model, output);
    }

    [Fact]
    public void Compare_takes_a_beir_folder_with_gzipped_files()
    {
        var (corpus, queries, qrels, _) = Collection();
        string folder = Path("gzipped");
        Directory.CreateDirectory(System.IO.Path.Combine(folder, "qrels"));
        foreach (var (from, to) in new[] { (corpus, "corpus.jsonl.gz"), (queries, "queries.jsonl.gz"), (qrels, System.IO.Path.Combine("qrels", "test.tsv.gz")) })
        {
            using var input = File.OpenRead(from);
            using var gzip = new System.IO.Compression.GZipStream(File.Create(System.IO.Path.Combine(folder, to)), System.IO.Compression.CompressionLevel.Fastest);
            input.CopyTo(gzip);
        }
        var (code, output, error) = Run("compare", "--corpus", folder, "--models", "bm25");
        Assert.True(code == 0, error);
        Assert.Contains("gzipped: ", output);
        Assert.Contains(" queries, 3 documents", output);
    }

    [Fact]
    public void Bad_input_gets_clear_errors()
    {
        var (corpus, queries, qrels, vectors) = Collection();
        var (code, _, error) = Run("compare", "--corpus", corpus, "--queries", queries, "--qrels", qrels, "--models", "bm25,hybrid", "--fuse", "bm25");
        Assert.Equal(2, code);
        Assert.Contains("two or more models", error);
        (code, _, error) = Run("compare", "--corpus", corpus, "--queries", queries, "--qrels", qrels, "--models", "bm25,dense");
        Assert.Equal(2, code);
        Assert.Contains("--vectors", error);
        (code, _, error) = Run("compare", "--corpus", corpus, "--queries", queries, "--qrels", qrels, "--models", "bm25,semantic-magic");
        Assert.Equal(2, code);
        Assert.Contains("unknown model 'semantic-magic'", error);
        (code, _, error) = Run("search", "--corpus", corpus, "--queries", queries, "--model", "densest", "--run", Path("x.run"));
        Assert.Equal(2, code);
        Assert.Contains("unknown model 'densest'", error);
        (code, _, error) = Run("search", "--corpus", corpus, "--queries", queries, "--model", "hybrid", "--fuse", "bm25,nope", "--vectors", vectors, "--run", Path("x.run"));
        Assert.Equal(2, code);
        Assert.Contains("unknown model 'nope'", error);
        (code, _, error) = Run("search", "--corpus", corpus, "--queries", queries, "--model", "dense", "--vectors", vectors, "--pooling", "max", "--run", Path("x.run"));
        Assert.Equal(2, code);
        Assert.Contains("unknown pooling 'max'", error);
    }
}
