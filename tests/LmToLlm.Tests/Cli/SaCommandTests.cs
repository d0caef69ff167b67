namespace LmToLlm.Tests.Cli;

public sealed class SaCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Build_then_count_prints_one_line_per_query_in_input_order()
    {
        string text = _dir.Write("c.txt", "the cat sat\nthe cat ran\na dog\n");
        var (code, stdout, stderr) = CliRunner.Run("sa", "build", "--text", text, "--out", _dir.File("c.sa"));
        Assert.True(code == 0, stderr);
        Assert.Contains("indexed 3 documents, 8 tokens", stdout);
        string queries = _dir.Write("q.txt", "the cat\nzebra\ncat\nsat the\n");
        (code, stdout, stderr) = CliRunner.Run("sa", "count", "--index", _dir.File("c.sa"), "--queries", queries);
        Assert.True(code == 0, stderr);
        Assert.Equal("2\tthe cat\n0\tzebra\n2\tcat\n0\tsat the\n", stdout.Replace("\r\n", "\n"));
        (code, stdout, _) = CliRunner.Run("sa", "find", "--index", _dir.File("c.sa"), "--query", "cat ran", "--context", "1");
        Assert.Equal(0, code);
        Assert.Contains("2\t1\tthe [cat ran]", stdout);
        (code, stdout, _) = CliRunner.Run("sa", "next", "--index", _dir.File("c.sa"), "--context", "the cat");
        Assert.Equal(0, code);
        Assert.Contains("0.500000\t1\tsat", stdout);
        (code, _, _) = CliRunner.Run("check", _dir.File("c.sa"));
        Assert.Equal(0, code);
    }

    [Fact]
    public void Bad_input_gets_one_line_and_the_right_exit_code()
    {
        string text = _dir.Write("c.txt", "a b\n");
        var (code, _, stderr) = CliRunner.Run("sa", "build", "--text", text, "--out", _dir.File("c.sa"), "--memory", "lots");
        Assert.Equal(2, code);
        Assert.Contains("--memory 'lots'", stderr);
        string broken = _dir.Write("broken.sa", "LMTLSAIX garbage");
        (code, _, stderr) = CliRunner.Run("sa", "count", "--index", broken, "--queries", text);
        Assert.Equal(1, code);
        Assert.Contains("broken.sa", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Dedup_substring_mode_removes_later_copies_of_long_spans()
    {
        string span = string.Join(' ', Enumerable.Range(0, 8).Select(i => "w" + i));
        string input = _dir.Write("in.txt", $"a {span}\nb\n{span} c\n");
        var (code, stdout, stderr) = CliRunner.Run("dedup", "--mode", "substring", "--min-length", "5", "--in", input, "--out", _dir.File("out.txt"), "--report", _dir.File("r.tsv"));
        Assert.True(code == 0, stderr);
        Assert.Contains("removed 8 tokens", stdout);
        Assert.Equal($"a {span}\nb\nc\n", File.ReadAllText(_dir.File("out.txt")).Replace("\r\n", "\n"));
        Assert.Contains("3\t0\t8\t2\t1\t1\t2\t" + span, File.ReadAllText(_dir.File("r.tsv")));
    }

    [Fact]
    public void Contamination_finds_a_planted_test_sentence()
    {
        string train = _dir.Write("train.txt", "one two three four five six seven eight nine ten eleven twelve thirteen fourteen\nother words here\n");
        CliRunner.Run("sa", "build", "--text", train, "--out", _dir.File("t.sa"));
        string eval = _dir.Write("eval.txt", "zero one two three four five six seven eight nine ten eleven twelve thirteen\ncompletely new words\n");
        var (code, stdout, stderr) = CliRunner.Run("sa", "contamination", "--index", _dir.File("t.sa"), "--eval", eval, "--csv", _dir.File("c.csv"));
        Assert.True(code == 0, stderr);
        Assert.Contains("examples 2, contaminated 1, clean 1", stdout);
        Assert.Contains("1,14,13,2,1,0.5000,1", File.ReadAllText(_dir.File("c.csv")));
    }
}
