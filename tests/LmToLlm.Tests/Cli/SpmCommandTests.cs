using System.Text;
using LmToLlm.Tests.Subwords;

namespace LmToLlm.Tests.Cli;

/// <summary><c>lmtollm spm train|encode|decode</c>: spm_train's files, spm_encode's and spm_decode's lines.</summary>
public sealed class SpmCommandTests
{
    [Fact]
    public void Train_writes_the_model_and_vocab_spm_train_writes()
    {
        using var dir = new TempDir();
        string input = Path.Combine(dir.Path, "ko.train.txt");
        File.WriteAllBytes(input, SubwordReference.Bytes("ko.train.txt"));
        string prefix = Path.Combine(dir.Path, "ko");
        var (code, _, error) = CliRunner.RunWithInput("", "spm", "train", "--input", input, "--model_prefix", prefix, "--vocab_size=8000",
            "--model_type=bpe", "--normalization_rule_name=identity", "--num_threads=1");
        Assert.Equal((0, ""), (code, error));
        Assert.Equal(SubwordReference.Text("ko-bpe-identity-8000.vocab"), File.ReadAllText(prefix + ".vocab"));
        // The model stores --input and --model_prefix; with those set as spm_train saw them the bytes are its bytes.
        var model = LmToLlm.Subwords.SentencePieceModel.Load(prefix + ".model");
        Assert.Equal(SubwordReference.Model("ko-bpe-identity-8000").Pieces, model.Pieces);
    }

    [Fact]
    public void Encode_and_decode_lines_as_spm_encode_and_spm_decode()
    {
        using var dir = new TempDir();
        string modelPath = Path.Combine(dir.Path, "m.model");
        File.WriteAllBytes(modelPath, SubwordReference.Bytes("ko-unigram-nmt_nfkc-4000.model"));
        string text = SubwordReference.Text("ko.test.txt");
        var (code, ids, error) = CliRunner.RunWithInput(text, "spm", "encode", "--model", modelPath, "--output_format=id");
        Assert.Equal((0, ""), (code, error));
        Assert.Equal(SubwordReference.Text("ko-unigram-nmt_nfkc-4000.test.ids"), ids);
        var (code2, pieces, _) = CliRunner.RunWithInput(text, "spm", "encode", "--model", modelPath);
        Assert.Equal(0, code2);
        var tokenizer = LmToLlm.Subwords.SubwordTokenizer.Create(SubwordReference.Model("ko-unigram-nmt_nfkc-4000"));
        var (code3, fromPieces, _) = CliRunner.RunWithInput(pieces, "spm", "decode", "--model", modelPath);
        var (code4, fromIds, _) = CliRunner.RunWithInput(ids, "spm", "decode", "--model", modelPath, "--input_format=id");
        Assert.Equal((0, 0), (code3, code4));
        // As spm_decode: an unknown run decoded from pieces keeps its text, from ids it reads " ⁇ ".
        Assert.Contains("인터랙티브", fromPieces);
        Assert.Contains("인터 ⁇ 브", fromIds);
        string firstLine = text[..text.IndexOf('\n')];
        Assert.Equal(tokenizer.Decode(tokenizer.EncodeToIds(firstLine)), fromIds[..fromIds.IndexOf('\n')]);
    }

    [Fact]
    public void Training_text_with_a_nul_names_file_and_line()
    {
        using var dir = new TempDir();
        string input = Path.Combine(dir.Path, "bad.txt");
        File.WriteAllBytes(input, Encoding.UTF8.GetBytes("fine line\nbro\0ken\n"));
        var (code, _, error) = CliRunner.RunWithInput("", "spm", "train", "--input", input, "--model_prefix", Path.Combine(dir.Path, "m"), "--model_type=bpe");
        Assert.Equal(1, code);
        Assert.Contains("bad.txt:2: byte 4 is a NUL character", error);
        Assert.False(File.Exists(Path.Combine(dir.Path, "m.model")));
    }

    [Fact]
    public void Training_text_with_invalid_utf8_names_file_and_line()
    {
        using var dir = new TempDir();
        string input = Path.Combine(dir.Path, "cp949.txt");
        File.WriteAllBytes(input, [(byte)'o', (byte)'k', (byte)'\n', 0xC7, 0xD0, 0xB1, 0xB3, (byte)'\n']);
        var (code, _, error) = CliRunner.RunWithInput("", "spm", "train", "--input", input, "--model_prefix", Path.Combine(dir.Path, "m"), "--model_type=bpe");
        Assert.Equal(1, code);
        Assert.Contains("cp949.txt:2: invalid UTF-8 at byte 1", error);
    }

    [Fact]
    public void Empty_training_text_is_bad_input()
    {
        using var dir = new TempDir();
        string input = Path.Combine(dir.Path, "empty.txt");
        File.WriteAllText(input, "");
        var (code, _, error) = CliRunner.RunWithInput("", "spm", "train", "--input", input, "--model_prefix", Path.Combine(dir.Path, "m"), "--model_type=bpe");
        Assert.Equal(1, code);
        Assert.Contains("empty.txt: no line to train on", error);
    }

    [Fact]
    public void Unknown_model_type_is_a_usage_error_that_says_so()
    {
        var (code, _, error) = CliRunner.RunWithInput("", "spm", "train", "--input", "x.txt", "--model_prefix", "m", "--model_type=char");
        Assert.Equal(2, code);
        Assert.Contains("--model_type must be unigram or bpe, got char", error);
    }

    [Fact]
    public void Nbest_output_is_spm_encodes()
    {
        using var dir = new TempDir();
        string modelPath = Path.Combine(dir.Path, "ko.model");
        File.WriteAllBytes(modelPath, SubwordReference.Bytes("ko-unigram-nmt_nfkc-4000.model"));
        string line = System.Text.Encoding.UTF8.GetString(SubwordReference.Lines(SubwordReference.Bytes("ko.test.txt"))[0]);
        var (code, output, _) = CliRunner.RunWithInput(line + "\n", "spm", "encode", "--model", modelPath, "--output_format=nbest_id", "--nbest_size=5");
        Assert.Equal(0, code);
        var expected = SubwordReference.Text("ko-unigram-nmt_nfkc-4000.test.nbest5.ids").Split('\n').Take(5);
        Assert.Equal(string.Join('\n', expected) + "\n", output);
    }

    [Fact]
    public void Sampling_a_bpe_model_is_a_usage_error()
    {
        using var dir = new TempDir();
        string modelPath = Path.Combine(dir.Path, "b.model");
        File.WriteAllBytes(modelPath, SubwordReference.Bytes("ko-bpe-identity-8000.model"));
        var (code, _, error) = CliRunner.RunWithInput("abc\n", "spm", "encode", "--model", modelPath, "--output_format=sample_id");
        Assert.Equal(2, code);
        Assert.Contains("needs a unigram model", error);
    }

    [Fact]
    public void Corrupt_model_is_bad_input_naming_the_file()
    {
        using var dir = new TempDir();
        string modelPath = Path.Combine(dir.Path, "broken.model");
        File.WriteAllBytes(modelPath, SubwordReference.Bytes("en-bpe-identity-1000-uds.model")[..5000]);
        var (code, _, error) = CliRunner.RunWithInput("abc\n", "spm", "encode", "--model", modelPath);
        Assert.Equal(1, code);
        Assert.Contains("broken.model: not a SentencePiece model", error);
    }

    [Fact]
    public void Decoding_an_unknown_id_names_the_line()
    {
        using var dir = new TempDir();
        string modelPath = Path.Combine(dir.Path, "m.model");
        File.WriteAllBytes(modelPath, SubwordReference.Bytes("ko-bpe-identity-8000.model"));
        var (code, _, error) = CliRunner.RunWithInput("5 6\n7 99999\n", "spm", "decode", "--model", modelPath, "--input_format=id");
        Assert.Equal(1, code);
        Assert.Contains("<stdin>:2: '99999' is not an id of this model (0 to 7999)", error);
    }
}
