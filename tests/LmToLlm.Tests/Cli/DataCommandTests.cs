using LmToLlm.Cli;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

public sealed class DataCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private const string Corpus =
        "The cat sat on the mat today and looked at the old man.\n" +
        "the CAT sat on the mat today and looked at the old man\n" +
        "A completely different line about dogs barking loudly at night.\n" +
        "The cat sat on the mat today and looked at the old man.\n";

    [Fact]
    public void Exact_dedup_keeps_first_occurrences_and_writes_a_report()
    {
        File.WriteAllText(PathOf("in.txt"), Corpus);
        var (code, output, _) = Run("dedup", "--in", PathOf("in.txt"), "--out", PathOf("out.txt"), "--exact", "--strip-punctuation", "--report", PathOf("r.tsv"));
        Assert.Equal(0, code);
        Assert.Contains("read 4, kept 2, removed 2, clusters 1", output);
        Assert.Equal(["The cat sat on the mat today and looked at the old man.", "A completely different line about dogs barking loudly at night."], File.ReadAllLines(PathOf("out.txt")));
        Assert.Equal(["line\tgroup_first_line\tkept", "1\t1\t1", "2\t1\t0", "4\t1\t0"], File.ReadAllLines(PathOf("r.tsv")));
        Assert.Equal(Corpus, File.ReadAllText(PathOf("in.txt")));   // input untouched
    }

    [Fact]
    public void Near_dedup_of_json_lines_copies_kept_lines_unchanged()
    {
        string[] lines =
        [
            """{"_id": "a", "title": "Cats", "text": "The cat sat on the mat today and looked at the old man.", "extra": 1}""",
            """{"_id": "b", "title": "cats", "text": "The cat sat on the mat today and looked at the old man!"}""",
            """{"_id": "c", "title": "Dogs", "text": "A completely different line about dogs barking loudly at night."}""",
        ];
        File.WriteAllLines(PathOf("in.jsonl"), lines);
        var (code, output, err) = Run("dedup", "--in", PathOf("in.jsonl"), "--out", PathOf("out.jsonl"), "--verify", "exact");
        Assert.True(code == 0, err);
        Assert.Contains("read 3, kept 2, removed 1, clusters 1", output);
        Assert.Equal([lines[0], lines[2]], File.ReadAllLines(PathOf("out.jsonl")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("-0.2")]
    public void Threshold_outside_0_1_is_a_usage_error_and_writes_nothing(string threshold)
    {
        File.WriteAllText(PathOf("in.txt"), Corpus);
        var (code, _, err) = Run("dedup", "--in", PathOf("in.txt"), "--out", PathOf("out.txt"), "--threshold", threshold);
        Assert.Equal(2, code);
        Assert.Equal($"lmtollm: --threshold must be in (0, 1] (got {threshold}) (see --help)\n", err);
        Assert.Equal(["in.txt"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Empty_corpus_is_bad_input_and_writes_nothing()
    {
        File.WriteAllText(PathOf("in.jsonl"), "\n\n");
        foreach (string[] mode in new[] { new[] { "--exact" }, Array.Empty<string>() })
        {
            var (code, _, err) = Run(["dedup", "--in", PathOf("in.jsonl"), "--out", PathOf("out.jsonl"), "--report", PathOf("r.tsv"), .. mode]);
            Assert.Equal(1, code);
            Assert.Contains("no documents", err);
            Assert.Equal(["in.jsonl"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        }
    }

    [Fact]
    public void Filter_of_an_empty_corpus_names_it_and_writes_nothing()
    {
        File.WriteAllText(PathOf("in.txt"), "");
        File.WriteAllText(PathOf("u.arpa"), "\\data\\\nngram 1=3\n\n\\1-grams:\n-0.30103\t<unk>\n-99\t<s>\n-0.30103\t</s>\n\n\\end\\\n");
        foreach (string[] model in new[] { Array.Empty<string>(), new[] { "--lm", PathOf("u.arpa") } })
        {
            var (code, _, err) = Run(["filter", "--in", PathOf("in.txt"), "--out", PathOf("out.txt"), "--keep-percentile", "90", "--report", PathOf("r.tsv"), .. model]);
            Assert.Equal(1, code);
            Assert.Matches(@"in\.txt(:1)?: the", err); // the training text is named at line 1; the corpus reader names the file
            Assert.False(File.Exists(PathOf("out.txt")) || File.Exists(PathOf("r.tsv")));
        }
    }

    [Fact]
    public void Unreadable_line_names_file_and_line_and_writes_nothing()
    {
        File.WriteAllBytes(PathOf("in.txt"), [.. "good line\nsecond line\n"u8, 0xC3, 0x28, .. "\n"u8]);
        foreach (string[] mode in new[] { new[] { "dedup", "--exact" }, new[] { "dedup" }, new[] { "filter", "--keep-percentile", "90" } })
        {
            var (code, _, err) = Run([.. mode, "--in", PathOf("in.txt"), "--out", PathOf("out.txt")]);
            Assert.Equal(1, code);
            Assert.Contains("in.txt:3: invalid UTF-8", err);
            Assert.Equal(["in.txt"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        }
        File.WriteAllText(PathOf("bad.jsonl"), "{\"_id\": \"1\", \"text\": \"ok\"}\n{\"_id\": 2, \"title\": \"x\"}\n");
        var (jsonCode, _, jsonErr) = Run("dedup", "--in", PathOf("bad.jsonl"), "--out", PathOf("out.jsonl"));
        Assert.Equal(1, jsonCode);
        Assert.Contains("bad.jsonl:2: missing \"text\"", jsonErr);
        Assert.False(File.Exists(PathOf("out.jsonl")));
    }

    [Fact]
    public void Output_may_not_be_the_input()
    {
        File.WriteAllText(PathOf("in.txt"), Corpus);
        var (code, _, _) = Run("dedup", "--in", PathOf("in.txt"), "--out", PathOf("in.txt"), "--exact");
        Assert.Equal(2, code);
        Assert.Equal(Corpus, File.ReadAllText(PathOf("in.txt")));
    }

    [Fact]
    public void Filter_without_a_criterion_is_a_usage_error_before_any_work()
    {
        File.WriteAllText(PathOf("in.txt"), Corpus);
        var (code, _, err) = Run("filter", "--in", PathOf("in.txt"), "--out", PathOf("out.txt"));
        Assert.Equal(2, code);
        Assert.Equal("lmtollm: give one of --max-ppl X, --keep-percentile P and --keep-bucket head|middle: the rule that decides which documents are kept\n", err);
        Assert.False(File.Exists(PathOf("out.txt")));
    }

    [Fact]
    public void Filter_refuses_a_model_that_is_not_arpa_or_binary_and_writes_nothing()
    {
        File.WriteAllText(PathOf("in.txt"), Corpus);
        File.WriteAllText(PathOf("model.arpa"), "this is not a language model\n");
        var (code, _, err) = Run("filter", "--in", PathOf("in.txt"), "--out", PathOf("out.txt"), "--lm", PathOf("model.arpa"), "--keep-percentile", "90", "--report", PathOf("r.tsv"));
        Assert.Equal(1, code);
        Assert.Contains("model.arpa", err);
        Assert.Equal(["in.txt", "model.arpa"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Filter_trains_on_the_corpus_when_no_model_is_given()
    {
        var lines = Enumerable.Range(0, 40).Select(i => $"the cat sat on the mat number {i % 5} and the dog sat too").ToList();
        lines.Add("zebra quantum xylophone fjord glyph");
        File.WriteAllLines(PathOf("in.txt"), lines);
        var (code, output, err) = Run("filter", "--in", PathOf("in.txt"), "--out", PathOf("out.txt"), "--keep-percentile", "90", "--report", PathOf("r.tsv"));
        Assert.True(code == 0, err);
        Assert.Contains("modified Kneser-Ney order 3 trained on", output);
        Assert.DoesNotContain("zebra quantum xylophone fjord glyph", File.ReadAllLines(PathOf("out.txt")));
        Assert.Equal(42, File.ReadAllLines(PathOf("r.tsv")).Length);
    }
}
