using LmToLlm.Subwords;
using LmToLlm.Tests.Subwords;

namespace LmToLlm.Tests.Cli;

/// <summary><c>lmtollm bpe train|encode|decode</c>: byte-level BPE files, lines of tokens or ids, and errors naming the flag or file:line.</summary>
public sealed class BpeCommandTests
{
    [Fact]
    public void Train_encode_decode_round_trip_the_held_out_korean_lines()
    {
        using var dir = new TempDir();
        string input = dir.WriteBytes("ko.train.txt", SubwordReference.Bytes("ko.train.txt"));
        string vocab = dir.File("vocab.json"), merges = dir.File("merges.txt");
        var (code, summary, error) = CliRunner.RunWithInput("", "bpe", "train", "--input", input, "--vocab", vocab, "--merges", merges, "--vocab-size", "1000");
        Assert.Equal((0, ""), (code, error));
        Assert.Equal("1000 tokens (744 merges)\n", summary);
        string text = SubwordReference.Text("ko.test.txt");
        var (code2, ids, _) = CliRunner.RunWithInput(text, "bpe", "encode", "--vocab", vocab, "--merges", merges, "--output-format", "id");
        Assert.Equal(0, code2);
        var bpe = ByteLevelBpe.Load(vocab, merges);
        string[] lines = text.Split('\n')[..^1];
        Assert.Equal(string.Concat(lines.Select(l => string.Join(' ', bpe.EncodeToIds(l)) + "\n")), ids);
        var (code3, decoded, _) = CliRunner.RunWithInput(ids, "bpe", "decode", "--vocab", vocab, "--merges", merges);
        Assert.Equal((0, text), (code3, decoded));
        var (code4, tokens, _) = CliRunner.RunWithInput("it's 학교에서\n", "bpe", "encode", "--vocab", vocab, "--merges", merges);
        Assert.Equal(0, code4);
        Assert.Equal(string.Join(' ', bpe.EncodeToTokens("it's 학교에서")) + "\n", tokens);
    }

    [Fact]
    public void Bad_input_names_the_flag_or_the_file_and_line()
    {
        using var dir = new TempDir();
        string input = dir.Write("t.txt", "ab ab ab\n");
        string vocab = dir.File("vocab.json"), merges = dir.File("merges.txt");
        Assert.Equal(0, CliRunner.Run("bpe", "train", "--input", input, "--vocab", vocab, "--merges", merges, "--vocab-size", "257").Code);
        var (code, _, error) = CliRunner.Run("bpe", "encode", "--vocab", vocab, "--merges", merges, "--output-format", "piece");
        Assert.Equal(2, code);
        Assert.Contains("--output-format", error);
        (code, _, error) = CliRunner.Run("bpe", "train", "--input", input, "--vocab", vocab, "--merges", merges, "--vocab-size", "100");
        Assert.Equal(2, code);
        Assert.Contains("--vocab-size", error);
        File.AppendAllText(merges, "a c\n");
        (code, _, error) = CliRunner.RunWithInput("x\n", "bpe", "encode", "--vocab", vocab, "--merges", merges);
        Assert.Equal(1, code);
        Assert.Contains("merges.txt:3:", error);
        (code, _, error) = CliRunner.RunWithInput("1 2 99999\n", "bpe", "decode", "--vocab", vocab, "--merges", dir.Write("m2.txt", "#version: 0.2\na b\n"));
        Assert.Equal(1, code);
        Assert.Contains("<stdin>:1:", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }
}
