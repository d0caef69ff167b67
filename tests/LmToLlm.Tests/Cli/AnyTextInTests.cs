using LmToLlm.Cli;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary>
/// Issue 17, "any text in": index, search, compare, dedup and filter read BEIR JSON lines, plain text, CSV/TSV and
/// folders; search takes a query on the command line, shows document text and explains a score; long builds report
/// progress that moves. Each test names the complaint it answers.
/// </summary>
public sealed class AnyTextInTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Folder()
    {
        string folder = _dir.File("notes");
        Directory.CreateDirectory(Path.Combine(folder, "pets"));
        File.WriteAllText(Path.Combine(folder, "pets", "cat.txt"), "The cat sat on the warm mat\nand slept.");
        File.WriteAllText(Path.Combine(folder, "dog.md"), "A dog ran in the park.");
        File.WriteAllText(Path.Combine(folder, "sea.txt"), "Ships sail on the sea.");
        return folder;
    }

    [Fact]
    public void A_folder_of_files_is_indexed_not_reported_as_file_not_found()
    {
        var (code, output, err) = Run("index", "--corpus", Folder(), "--out", _dir.File("x.lmi"));
        Assert.True(code == 0, err);
        Assert.Contains("3 documents", output);
        Assert.Contains("ids are paths relative to the folder", err);
    }

    [Fact]
    public void A_plain_text_file_is_indexed_not_reported_as_invalid_json()
    {
        string text = _dir.Write("lines.txt", "the cat sat\na dog ran\nthe sea\n");
        var (code, output, err) = Run("index", "--corpus", text, "--out", _dir.File("x.lmi"));
        Assert.True(code == 0, err);
        Assert.Contains("3 documents", output);
        Assert.Contains("ids are line numbers", err);
        Assert.DoesNotContain("JSON", err);
    }

    [Theory]
    [InlineData("docs.csv", "key,body\nk1,\"the cat, on the mat\"\nk2,a dog ran\n", "csv")]
    [InlineData("docs.tsv", "key\tbody\nk1\tthe cat, on the mat\nk2\ta dog ran\n", "tsv")]
    [InlineData("docs.dat", "key\tbody\nk1\tthe cat, on the mat\nk2\ta dog ran\n", null)]
    public void Csv_and_tsv_columns_are_named_by_the_user(string name, string content, string? format)
    {
        string path = _dir.Write(name, content);
        string[] args = ["search", "--corpus", path, "--id-column", "key", "--text-column", "body", "--query", "cat mat"];
        if (format is not null) args = [.. args, "--format", format];
        var (code, output, err) = Run(args);
        Assert.True(code == 0, err);
        var first = output.Split('\n')[1];
        Assert.Contains("k1", first);
        Assert.Contains("the cat, on the mat", first);
    }

    [Fact]
    public void Search_takes_a_query_and_prints_rank_id_score_and_a_snippet()
    {
        string folder = Folder();
        var (code, output, err) = Run("search", "--corpus", folder, "--query", "cat mat");
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["rank", "id", "score", "text"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var hit = lines[1].Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1", hit[0]);
        Assert.Equal("pets/cat.txt", hit[1]);
        Assert.True(double.Parse(hit[2], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("The cat sat on the warm mat and slept.", hit[3].Trim());
        Assert.Equal(2, lines.Length); // one match only: the other documents have neither word
    }

    [Fact]
    public void Search_with_an_index_shows_snippets_when_the_corpus_is_given_too()
    {
        string folder = Folder();
        Assert.Equal(0, Run("index", "--corpus", folder, "--out", _dir.File("x.lmi")).Code);
        var (code, output, err) = Run("search", "--index", _dir.File("x.lmi"), "--query", "dog");
        Assert.True(code == 0, err);
        Assert.Contains("dog.md", output);
        Assert.Contains("give --corpus with --index", output);
        (code, output, err) = Run("search", "--index", _dir.File("x.lmi"), "--corpus", folder, "--query", "dog");
        Assert.True(code == 0, err);
        Assert.Contains("A dog ran in the park.", output);
    }

    [Fact]
    public void Search_explain_prints_the_lucene_shaped_explanation_of_each_score()
    {
        var (code, output, err) = Run("search", "--corpus", Folder(), "--query", "cat mat", "--explain");
        Assert.True(code == 0, err);
        Assert.Contains("= sum of:", output);
        Assert.Contains("weight(body:cat in ", output);
        Assert.Contains("idf(docFreq=1, maxDocs=3)", output);
        Assert.Contains("tfNorm, computed from:", output);
        var (usage, _, message) = Run("search", "--corpus", Folder(), "--query", "cat", "--explain", "--model", "tfidf");
        Assert.Equal(CliApp.Usage, usage);
        Assert.Contains("--explain needs --query and --model bm25", message);
    }

    [Fact]
    public void Compare_reads_plain_text_documents_and_queries()
    {
        string corpus = _dir.Write("docs.txt", "the cat sat on the mat\na dog ran in the park\nships on the sea\n");
        string queries = _dir.Write("queries.txt", "cat mat\ndog park\n");
        string qrels = _dir.Write("qrels.tsv", "query-id\tcorpus-id\tscore\n1\t1\t1\n2\t2\t1\n");
        var (code, output, err) = Run("compare", "--corpus", corpus, "--queries", queries, "--qrels", qrels);
        Assert.True(code == 0, err);
        Assert.Contains("2 queries, 3 documents", output);
        Assert.Contains("1.0000*", output);
    }

    [Fact]
    public void Dedup_and_filter_keep_csv_rows_unchanged_with_their_header()
    {
        string csv = _dir.Write("docs.csv", "id,text,source\nd1,\"the cat sat on the mat, twice\",web\nd2,\"THE CAT sat on the mat, twice\",book\nd3,a dog ran,web\n");
        var (code, output, err) = Run("dedup", "--in", csv, "--out", _dir.File("kept.csv"), "--exact");
        Assert.True(code == 0, err);
        Assert.Contains("read 3, kept 2", output);
        Assert.Equal("id,text,source\nd1,\"the cat sat on the mat, twice\",web\nd3,a dog ran,web\n", File.ReadAllText(_dir.File("kept.csv")));
        (code, output, err) = Run("filter", "--in", csv, "--out", _dir.File("f.csv"), "--keep-percentile", "100");
        Assert.True(code == 0, err);
        Assert.Contains("read 3, kept 3", output);
        Assert.Equal(File.ReadAllText(csv), File.ReadAllText(_dir.File("f.csv")));
    }

    [Fact]
    public void Dedup_of_a_folder_copies_the_kept_files()
    {
        string folder = Folder();
        File.WriteAllText(Path.Combine(folder, "zz-copy.txt"), "A dog  ran in the PARK.");
        var (code, output, err) = Run("dedup", "--in", folder, "--out", _dir.File("kept"), "--exact");
        Assert.True(code == 0, err);
        Assert.Contains("read 4, kept 3", output);
        Assert.True(File.Exists(Path.Combine(_dir.File("kept"), "pets", "cat.txt")));
        Assert.False(File.Exists(Path.Combine(_dir.File("kept"), "zz-copy.txt")));
    }

    [Fact]
    public void Malformed_input_is_one_line_naming_file_and_line_without_dotnet_wording()
    {
        string bad = _dir.Write("bad.jsonl", "{\"_id\":\"d1\",\"text\":\"x\"}\n{\"_id\":\"d2\",\"text\":\n");
        var (code, _, err) = Run("index", "--corpus", bad, "--out", _dir.File("x.lmi"));
        Assert.Equal(CliApp.BadInput, code);
        string line = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.StartsWith("lmtollm:", StringComparison.Ordinal));
        Assert.Contains("bad.jsonl:2: invalid JSON", line);
        Assert.DoesNotContain("LineNumber", line);
        Assert.DoesNotContain("BytePositionInLine", line);
        var (format, _, message) = Run("index", "--corpus", bad, "--format", "xml", "--out", _dir.File("x.lmi"));
        Assert.Equal(CliApp.Usage, format);
        Assert.Contains("--format: unknown layout 'xml'; use jsonl, text, csv, tsv, folder", message);
    }

    [Fact]
    public void Redirected_lsa_build_prints_lines_that_move()
    {
        // "lsa: building 50%" never moved: the building step now reports its fraction, shown as further lines when redirected.
        string corpus = _dir.Write("docs.txt", "the cat sat on the mat\na dog ran in the park\nships on the sea\ncats and dogs\n");
        string queries = _dir.Write("queries.txt", "cat mat\n");
        string qrels = _dir.Write("qrels.tsv", "query-id\tcorpus-id\tscore\n1\t1\t1\n");
        var (code, _, err) = Run("compare", "--corpus", corpus, "--queries", queries, "--qrels", qrels, "--models", "bm25,lsa", "--dims", "2");
        Assert.True(code == 0, err);
        Assert.Contains("compare: lsa: building\n", err.ReplaceLineEndings("\n"));
        Assert.Contains("compare: lsa: building 100%", err);
        Assert.Contains("compare: corpus: indexing 100%", err);
    }
}
