using LmToLlm.Cli;
using LmToLlm.Corpora;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary><c>lmtollm index</c> and <c>lmtollm search</c>: reference runs end to end and bad input.</summary>
public sealed class RetrievalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_dir, name);

    private (string Corpus, string Queries) SmallCollection()
    {
        string corpus = Path("corpus.jsonl"), queries = Path("queries.jsonl");
        BeirJsonl.WriteCorpus(corpus, [new Document("d1", "Wings", "lift and drag"), new Document("d2", "", "drag drag"), new Document("d3", "", "")]);
        BeirJsonl.WriteQueries(queries, [new Query("q1", "drag"), new Query("q2", "..."), new Query("q3", "zebra unicorn"), new Query("q4", "lift")]);
        return (corpus, queries);
    }

    [SharedFact("data/cranfield/beir", "reference/cranfield/lucene-bm25.run")]
    public void Index_then_search_writes_lucenes_run_byte_for_byte()
    {
        string beir = SharedData.File("data", "cranfield", "beir");
        var (code, output, error) = Run("index", "--corpus", System.IO.Path.Combine(beir, "corpus.jsonl"), "--out", Path("cran.lmi"));
        Assert.True(code == 0, error);
        Assert.Contains("1400 documents (1398 non-empty), 243204 tokens, 7471 terms", output);
        (code, _, error) = Run("search", "--index", Path("cran.lmi"), "--queries", System.IO.Path.Combine(beir, "queries.jsonl"),
            "--model", "bm25", "--k", "100", "--run", Path("bm25.run"), "--tag", "lucene-bm25");
        Assert.True(code == 0, error);
        // Java's Float.toString and .NET's shortest round-trip text agree on every score of this run.
        Assert.Equal(File.ReadAllText(SharedData.File("reference", "cranfield", "lucene-bm25.run")), File.ReadAllText(Path("bm25.run")));
    }

    [SharedFact("data/cranfield/beir", "reference/cranfield/sklearn-tfidf-sublinear.run")]
    public void Search_from_corpus_with_tfidf_ranks_like_sklearn()
    {
        string beir = SharedData.File("data", "cranfield", "beir");
        var (code, _, error) = Run("search", "--corpus", System.IO.Path.Combine(beir, "corpus.jsonl"), "--queries", System.IO.Path.Combine(beir, "queries.jsonl"),
            "--model", "tfidf", "--sublinear-tf", "--k", "100", "--run", Path("tfidf.run"));
        Assert.True(code == 0, error);
        static IEnumerable<string> Ranking(string file) => File.ReadLines(file).Select(l => string.Join(' ', l.Split(' ')[..4]));
        Assert.Equal(Ranking(SharedData.File("reference", "cranfield", "sklearn-tfidf-sublinear.run")), Ranking(Path("tfidf.run")));
    }

    [Fact]
    public void Empty_query_and_unknown_terms_give_no_lines_and_no_error()
    {
        var (corpus, queries) = SmallCollection();
        var (code, output, error) = Run("search", "--corpus", corpus, "--queries", queries, "--run", Path("out.run"));
        Assert.True(code == 0, error);
        Assert.Contains("4 queries (2 with results)", output);
        var lines = File.ReadAllLines(Path("out.run"));
        Assert.Equal(["q1", "q1", "q4"], lines.Select(l => l.Split(' ')[0]));
        Assert.StartsWith("q1 Q0 d2 1 ", lines[0]);
    }

    [Theory]
    [InlineData("--variant", "bm26", "unknown BM25 variant 'bm26'")]
    [InlineData("--k1", "-1", "k1 must be")]
    [InlineData("--b", "1.5", "b must be")]
    [InlineData("--analyzer", "nope", "unknown analyzer 'nope'")]
    [InlineData("--model", "lsi", "unknown model 'lsi'")]
    [InlineData("--norm", "l3", "unknown norm 'l3'")]
    public void Bad_parameters_are_usage_errors(string option, string value, string message)
    {
        var (corpus, queries) = SmallCollection();
        var (code, _, error) = Run("search", "--corpus", corpus, "--queries", queries, "--run", Path("out.run"), option, value);
        Assert.Equal(CliApp.Usage, code);
        Assert.Contains(message, error);
        Assert.DoesNotContain("(Parameter", error);
        Assert.False(File.Exists(Path("out.run")));
    }

    /// <summary>Queries searched in parallel come back in input order: the run is the one thread's, byte for byte.</summary>
    [Theory]
    [InlineData("bm25")]
    [InlineData("tfidf")]
    public void Search_with_threads_writes_the_single_thread_run(string model)
    {
        string corpus = Path("many.txt"), queries = Path("many-queries.txt");
        var random = new Random(20);
        string[] words = ["lift", "drag", "wing", "flow", "shock", "heat", "plate", "wave", "jet", "boundary", "layer", "mach"];
        string Text(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => words[random.Next(words.Length)]));
        File.WriteAllLines(corpus, Enumerable.Range(0, 300).Select(_ => Text(random.Next(1, 30))));
        File.WriteAllLines(queries, Enumerable.Range(0, 200).Select(_ => Text(random.Next(1, 5))));
        var (code, _, error) = Run("index", "--corpus", corpus, "--out", Path("many.lmi"));
        Assert.True(code == 0, error);
        foreach (string threads in new[] { "1", "3" })
        {
            (code, _, error) = Run("search", "--index", Path("many.lmi"), "--queries", queries, "--model", model, "--k", "20",
                "--threads", threads, "--run", Path($"t{threads}.run"));
            Assert.True(code == 0, error);
        }
        var one = File.ReadAllText(Path("t1.run"));
        Assert.Equal(200 * 20, one.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(one, File.ReadAllText(Path("t3.run")));
    }

    [Fact]
    public void Threads_with_a_semantic_model_is_a_usage_error()
    {
        var (corpus, queries) = SmallCollection();
        var (code, _, error) = Run("search", "--corpus", corpus, "--queries", queries, "--model", "lsa", "--threads", "2", "--run", Path("out.run"));
        Assert.Equal(CliApp.Usage, code);
        Assert.Contains("--threads applies to --model bm25 and tfidf", error);
        Assert.False(File.Exists(Path("out.run")));
    }

    [Fact]
    public void Index_and_corpus_together_is_a_usage_error()
    {
        var (corpus, queries) = SmallCollection();
        var (code, _, error) = Run("search", "--corpus", corpus, "--index", Path("x.lmi"), "--queries", queries, "--run", Path("out.run"));
        Assert.Equal(CliApp.Usage, code);
        Assert.Contains("exactly one of --index and --corpus", error);
    }

    [Fact]
    public void Empty_corpus_is_bad_input()
    {
        File.WriteAllText(Path("empty.jsonl"), "");
        var (code, _, error) = Run("index", "--corpus", Path("empty.jsonl"), "--out", Path("x.lmi"));
        Assert.Equal(CliApp.BadInput, code);
        Assert.Contains("no documents", error);
        Assert.False(File.Exists(Path("x.lmi")));
    }

    [Fact]
    public void Corrupt_index_is_bad_input()
    {
        var (corpus, queries) = SmallCollection();
        Assert.Equal(0, Run("index", "--corpus", corpus, "--out", Path("x.lmi")).Code);
        var bytes = File.ReadAllBytes(Path("x.lmi"));
        bytes[^20] ^= 0xFF;
        File.WriteAllBytes(Path("x.lmi"), bytes);
        var (code, _, error) = Run("search", "--index", Path("x.lmi"), "--queries", queries, "--run", Path("out.run"));
        Assert.Equal(CliApp.BadInput, code);
        Assert.Contains("x.lmi: checksum mismatch: the file is corrupt or truncated; rebuild it with 'lmtollm index'", error);
        Assert.False(File.Exists(Path("out.run")));
    }
}
