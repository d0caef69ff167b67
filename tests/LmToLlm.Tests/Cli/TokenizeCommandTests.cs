using LmToLlm.Corpora;
using LmToLlm.Text;

namespace LmToLlm.Tests.Cli;

public sealed class TokenizeCommandTests
{
    [Fact]
    public void One_line_in_one_line_out()
    {
        var (code, output, error) = CliRunner.RunWithInput("Mach-number 2.5 flow.\n\n  !!  \nÉcole 학교\n", "tokenize", "--analyzer", "simple");
        Assert.Equal((0, ""), (code, error));
        Assert.Equal("mach number 2 5 flow\n\n\nécole 학교\n", output);
    }

    [Theory]
    [InlineData("english", "The flows were separating", "flow were separ\n")]
    [InlineData("korean", "학교에서 공부", "학교에서 학교 교에 에서 공부\n")]
    [InlineData("korean-bigrams", "학교를", "학교 교를\n")]
    [InlineData("char:3", "flow", "<fl flo low ow>\n")]
    public void Every_analyzer_is_reachable(string analyzer, string input, string expected)
    {
        var (code, output, _) = CliRunner.RunWithInput(input, "tokenize", "-a", analyzer);
        Assert.Equal(0, code);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Default_analyzer_is_simple_and_crlf_input_works()
    {
        var (code, output, _) = CliRunner.RunWithInput("A b\r\nC\r\n", "tokenize");
        Assert.Equal((0, "a b\nc\n"), (code, output));
    }

    [Fact]
    public void Many_lines_are_written_in_order()
    {
        string input = string.Join("\n", Enumerable.Range(0, 30_000).Select(i => $"Line {i}!")) + "\n";
        var (code, output, _) = CliRunner.RunWithInput(input, "tokenize");
        Assert.Equal(0, code);
        Assert.Equal(string.Join("\n", Enumerable.Range(0, 30_000).Select(i => $"line {i}")) + "\n", output);
    }

    [Fact]
    public void Unknown_analyzer_is_a_usage_error_without_parameter_noise()
    {
        var (code, output, error) = CliRunner.RunWithInput("x\n", "tokenize", "--analyzer", "porter");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("lmtollm: --analyzer: unknown analyzer 'porter'; known analyzers: simple, english, whitespace, keyword, korean, korean-bigrams, char:MIN-MAX, char-nowrap:MIN-MAX, nori[:none|:mixed][:unigrams], spm:MODEL\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Malformed_char_analyzer_is_a_usage_error()
    {
        var (code, _, error) = CliRunner.RunWithInput("x\n", "tokenize", "--analyzer", "char:5-3");
        Assert.Equal(2, code);
        Assert.StartsWith("lmtollm: --analyzer: bad character n-gram analyzer 'char:5-3'", error);
        Assert.DoesNotContain("(Parameter", error);
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        var (code, _, error) = CliRunner.RunWithInput("", "tokenize", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("--bogus", error);
        Assert.Contains("--help", error);
    }

    [Fact]
    public void Input_file_with_invalid_utf8_is_bad_input_with_file_and_line()
    {
        using var dir = new TempDir();
        string path = dir.WriteBytes("bad.txt", [(byte)'o', (byte)'k', (byte)'\n', 0xFF, (byte)'\n']);
        var (code, _, error) = CliRunner.RunWithInput("", "tokenize", "--input", path);
        Assert.Equal(1, code);
        Assert.Equal($"lmtollm: {path}:2: invalid UTF-8 (byte 0xFF at byte 1 of the line); re-encode the file as UTF-8\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Missing_input_file_is_bad_input_and_verbose_adds_the_stack_trace()
    {
        var (code, _, error) = CliRunner.RunWithInput("", "tokenize", "--input", "no/such/file.txt");
        Assert.Equal(1, code);
        Assert.Equal("lmtollm: no/such/file.txt: file not found\n", error.ReplaceLineEndings("\n"));

        var (verboseCode, _, verboseError) = CliRunner.RunWithInput("", "tokenize", "--input", "no/such/file.txt", "--verbose");
        Assert.Equal(1, verboseCode);
        Assert.Contains("   at ", verboseError);
    }

    [Fact]
    public void Input_file_gz_is_read()
    {
        using var dir = new TempDir();
        string path = dir.File("in.txt.gz");
        PlainTextCorpus.Write(path, ["Hello World", "x-y"]);
        var (code, output, _) = CliRunner.RunWithInput("", "tokenize", "-i", path);
        Assert.Equal((0, "hello world\nx y\n"), (code, output));
    }

    [Fact]
    public void Help_lists_the_options_and_exits_0()
    {
        var (code, output, _) = CliRunner.RunWithInput("", "tokenize", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--analyzer", output);
        Assert.Contains("--input", output);
        Assert.Contains("korean-bigrams", output);

        var (rootCode, rootOutput, _) = CliRunner.RunWithInput("", "--help");
        Assert.Equal(0, rootCode);
        Assert.Contains("tokenize", rootOutput);
    }

    /// <summary>The CLI gives the same tokens as the library on the Cranfield corpus (first 200 records).</summary>
    [SharedFact("data/cranfield/beir/corpus.jsonl")]
    public void Matches_the_library_on_cranfield()
    {
        var texts = BeirJsonl.ReadCorpus(SharedData.File("data", "cranfield", "beir", "corpus.jsonl")).Take(200).Select(d => d.FullText).ToList();
        var (code, output, _) = CliRunner.RunWithInput(string.Join("\n", texts) + "\n", "tokenize");
        Assert.Equal(0, code);
        Assert.Equal(texts.Select(t => string.Join(' ', Analyzer.Simple.Tokenize(t))), output.Split('\n')[..^1]);
    }
}
