using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

public sealed class NoriTokenizeCommandTests
{
    [Fact]
    public void Nori_keeps_nouns_and_drops_particles_and_endings()
    {
        var (code, output, error) = RunWithInput("학교에서 공부했다\n\n", "tokenize", "--analyzer", "nori");
        Assert.Equal((0, ""), (code, error));
        Assert.Equal("학교 공부\n\n", output);
    }

    [Fact]
    public void An_index_built_with_nori_is_searched_after_reopening()
    {
        using var dir = new TempDir();
        string corpus = dir.Write("c.jsonl", "{\"_id\":\"d1\",\"text\":\"학교에서 공부했다\"}\n{\"_id\":\"d2\",\"text\":\"시장에 갔다\"}\n");
        string queries = dir.Write("q.jsonl", "{\"_id\":\"q1\",\"text\":\"학교를\"}\n");
        var (code, _, error) = Run("index", "--corpus", corpus, "--analyzer", "nori", "--out", dir.File("ko.idx"));
        Assert.True(code == 0, error);
        Assert.DoesNotContain("lmtollm:", error); // redirected, stderr holds only the stage lines
        (code, _, error) = Run("search", "--index", dir.File("ko.idx"), "--queries", queries, "--run", dir.File("ko.run"));
        Assert.Equal((0, ""), (code, error));
        // Nori drops the particles of 학교를 and 학교에서: the noun 학교 matches d1 only.
        Assert.Equal("q1 Q0 d1 1", string.Join(' ', File.ReadAllLines(dir.File("ko.run")).Single().Split(' ')[..4]));
    }

    [Fact]
    public void Explain_shows_tags_type_reading_and_what_is_kept()
    {
        var (code, output, _) = RunWithInput("大韓의 가락지나물\n", "tokenize", "-a", "nori:mixed", "--explain");
        Assert.Equal(0, code);
        Assert.Equal(
            "# 大韓의 가락지나물\n" +
            "大韓\t0-2\tNNG\tmorpheme\t대한\t대한\n" +
            "의\t2-3\tJ\tmorpheme\t-\tdropped (J)\n" +
            "가락지나물\t4-9\tNNG\tcompound\t-\t가락지나물\n" +
            "가락지\t4-7\tNNG\tmorpheme\t-\t가락지\n" +
            "나물\t7-9\tNNG\tmorpheme\t-\t나물\n", output.Replace("\r\n", "\n"));
    }

    [Fact]
    public void A_malformed_user_dictionary_line_is_bad_input_with_file_and_line()
    {
        using var dir = new TempDir();
        string path = dir.Write("userdict_ko.txt", "세종\n세종시 세종시 시\n");
        var (code, _, error) = RunWithInput("세종시\n", "tokenize", "-a", "nori", "--user-dictionary", path);
        Assert.Equal(1, code);
        Assert.StartsWith($"lmtollm: {path}:2: the parts of '세종시' are longer than the word itself", error);
    }

    [Fact]
    public void Explain_without_nori_is_a_usage_error()
    {
        var (code, _, error) = RunWithInput("x\n", "tokenize", "-a", "simple", "--explain");
        Assert.Equal(2, code);
        Assert.Contains("--analyzer nori", error);
    }

    [Fact]
    public void An_unknown_nori_option_is_a_usage_error()
    {
        var (code, _, error) = RunWithInput("x\n", "tokenize", "-a", "nori:maxed");
        Assert.Equal(2, code);
        Assert.Contains("unknown option 'maxed'", error);
    }
}
