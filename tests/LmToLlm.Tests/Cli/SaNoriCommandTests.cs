using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary>
/// <c>lmtollm sa build --analyzer nori</c>: the index records the analyzer and splits queries with it again, so a query
/// given as raw Korean text counts as its nori tokens do in an index of the tokenized text.
/// </summary>
public sealed class SaNoriCommandTests
{
    private const string Korean =
        "학교에서 공부했다\n도서관에서 책을 읽었다\n학교에 가서 친구를 만났다\n시장에서 사과를 샀다\n" +
        "도서관에 책이 많다\n친구와 학교에서 공부했다\n사과는 시장에 많다\n책을 읽고 공부했다\n";

    private static string Tokenize(string text)
    {
        var (code, output, error) = RunWithInput(text, "tokenize", "--analyzer", "nori");
        Assert.Equal((0, ""), (code, error));
        return output;
    }

    [Fact]
    public void Sa_count_with_nori_equals_counting_the_nori_tokens()
    {
        using var dir = new TempDir();
        string raw = dir.Write("ko.txt", Korean), tokenized = dir.Write("ko.tok", Tokenize(Korean));
        var (code, _, error) = Run("sa", "build", "--text", raw, "--analyzer", "nori", "--out", dir.File("nori.sa"));
        Assert.Equal((0, ""), (code, error));
        (code, _, error) = Run("sa", "build", "--text", tokenized, "--out", dir.File("tok.sa"));
        Assert.Equal((0, ""), (code, error));
        string[] queries = ["학교에서 공부했다", "학교에서", "도서관에 책이", "책을 읽었다", "시장에서 사과를 샀다", "없는 말"];
        string rawQueries = dir.Write("q.txt", string.Join('\n', queries) + "\n");
        string tokenQueries = dir.Write("q.tok", Tokenize(string.Join('\n', queries) + "\n"));
        (code, string byNori, error) = Run("sa", "count", "--index", dir.File("nori.sa"), "--queries", rawQueries);
        Assert.Equal((0, ""), (code, error));
        (code, string byTokens, error) = Run("sa", "count", "--index", dir.File("tok.sa"), "--queries", tokenQueries);
        Assert.Equal((0, ""), (code, error));
        var counts = byNori.Replace("\r\n", "\n").TrimEnd('\n').Split('\n').Select(l => l.Split('\t')[0]).ToArray();
        Assert.Equal(byTokens.Replace("\r\n", "\n").TrimEnd('\n').Split('\n').Select(l => l.Split('\t')[0]), counts);
        Assert.Equal("3", counts[1]);   // 학교에서 → 학교 (the particle is dropped): lines 1 and 6, and 학교에 in line 3
        (code, string found, error) = Run("sa", "find", "--index", dir.File("nori.sa"), "--query", "책을 읽었다");
        Assert.Equal((0, ""), (code, error));
        Assert.StartsWith("# " + counts[3] + " occurrences", found);
        (code, string next, error) = Run("sa", "next", "--index", dir.File("nori.sa"), "--context", "도서관에서");
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("suffix used: 2 token(s) \"도서 관\"", next);   // the context split by nori (decompounded, particle dropped)
        (code, string checkedOut, error) = Run("check", dir.File("nori.sa"));
        Assert.True(code == 0, error);
        Assert.Contains("nori", checkedOut);
    }

    [Fact]
    public void An_unknown_analyzer_is_a_usage_error_naming_the_flag()
    {
        using var dir = new TempDir();
        string text = dir.Write("c.txt", "a b\n");
        var (code, _, error) = Run("sa", "build", "--text", text, "--analyzer", "klingon", "--out", dir.File("c.sa"));
        Assert.Equal(2, code);
        Assert.Contains("--analyzer", error);
        Assert.Contains("nori", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(dir.File("c.sa")));
    }

    [Fact]
    public void Dedup_substring_mode_refuses_an_analyzer_it_would_ignore()
    {
        using var dir = new TempDir();
        string text = dir.Write("c.txt", "a b\n");
        var (code, _, error) = Run("dedup", "--mode", "substring", "--analyzer", "nori", "--in", text, "--out", dir.File("o.txt"));
        Assert.Equal(2, code);
        Assert.Contains("--analyzer", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(dir.File("o.txt")));
    }
}
