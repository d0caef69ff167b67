using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary>Regressions from a new user's first hour: format detection by structure, a redirected compare that shows its stages.</summary>
public sealed class FirstHourTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Check_recognises_a_jsonl_corpus_whose_first_line_is_12_9_KB()
    {
        string longText = string.Join(' ', Enumerable.Repeat("word", 2600)); // 12,999 characters
        string path = _dir.Write("corpus.jsonl", $"{{\"_id\":\"d1\",\"title\":\"t\",\"text\":\"{longText}\"}}\n{{\"_id\":\"d2\",\"title\":\"\",\"text\":\"short\"}}\n");
        Assert.True(File.ReadAllLines(path)[0].Length > 12_900);
        var (code, output, err) = Run("check", path);
        Assert.True(code == 0, err);
        Assert.Contains("valid beir-corpus", output);
        Assert.Contains("documents: 2", output);
    }

    [Fact]
    public void Check_recognises_a_jsonl_corpus_whose_first_line_is_longer_than_the_sample()
    {
        string longText = string.Join(' ', Enumerable.Repeat("word", 400_000)); // 2 MB, past the 1 MiB sample
        string path = _dir.Write("corpus.txt", $"{{\"_id\":\"d1\",\"title\":\"t\",\"text\":\"{longText}\"}}\n{{\"_id\":\"d2\",\"title\":\"\",\"text\":\"short\"}}\n");
        var (code, output, err) = Run("check", path);
        Assert.True(code == 0, err);
        Assert.Contains("valid beir-corpus", output);
        Assert.Contains("documents: 2", output);
    }

    [Fact]
    public void Redirected_compare_prints_its_stages_to_stderr()
    {
        string corpus = _dir.Write("c.jsonl", "{\"_id\":\"d1\",\"text\":\"the cat sat\"}\n{\"_id\":\"d2\",\"text\":\"a dog ran\"}\n");
        string queries = _dir.Write("q.jsonl", "{\"_id\":\"q1\",\"text\":\"cat\"}\n");
        string qrels = _dir.Write("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");
        var (code, output, err) = Run("compare", "--corpus", corpus, "--queries", queries, "--qrels", qrels);
        Assert.True(code == 0, err);
        Assert.Contains("compare: indexing the corpus", err);
        Assert.Contains("compare: bm25:", err);
        Assert.Contains("compare: tfidf:", err);
        Assert.DoesNotContain("\u001b[", output + err); // no ANSI codes when not on a terminal
    }
}
