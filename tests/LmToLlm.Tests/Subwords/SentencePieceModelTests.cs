using System.Text;
using LmToLlm.Subwords;

namespace LmToLlm.Tests.Subwords;

/// <summary>The .model and .vocab files: what spm_train writes is read and written back unchanged.</summary>
public sealed class SentencePieceModelTests
{
    public static TheoryData<string> Models => new()
    {
        "ko-bpe-nmt_nfkc-2000-bf", "ko-unigram-nmt_nfkc-4000", "ko-unigram-identity-2000-bf", "ko-bpe-identity-8000",
        "en-unigram-identity-1000-uds", "en-bpe-identity-1000-uds",
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Spm_train_model_is_written_back_byte_for_byte(string name)
    {
        byte[] original = SubwordReference.Bytes(name + ".model");
        var model = SentencePieceModel.Parse(original, name);
        using var output = new MemoryStream();
        model.WriteTo(output);
        Assert.Equal(original, output.ToArray());
    }

    [Theory]
    [InlineData("ko-bpe-identity-8000")]
    [InlineData("ko-bpe-nmt_nfkc-2000-bf")]
    [InlineData("en-bpe-identity-1000-uds")]
    public void Vocab_text_equals_spm_train_vocab(string name)
    {
        var writer = new StringWriter();
        SubwordReference.Model(name).WriteVocab(writer);
        Assert.Equal(SubwordReference.Text(name + ".vocab"), writer.ToString());
    }

    [Fact]
    public void Model_fields_are_read()
    {
        var model = SubwordReference.Model("ko-bpe-nmt_nfkc-2000-bf");
        Assert.Equal(SubwordModelType.Bpe, model.ModelType);
        Assert.Equal(2000, model.Pieces.Count);
        Assert.True(model.TrainerSpec.ByteFallback);
        Assert.Equal("nmt_nfkc", model.NormalizerSpec.Name);
        Assert.Equal(new SentencePiece("<unk>", 0f, SentencePieceType.Unknown), model.Pieces[0]);
        Assert.Equal(new SentencePiece("<0x00>", 0f, SentencePieceType.Byte), model.Pieces[3]);
        Assert.Equal(SentencePieceType.Normal, model.Pieces[259].Type);
        Assert.Equal(0f, model.Pieces[259].Score);
        Assert.Equal(-1f, model.Pieces[260].Score);
    }

    // C's %g: six significant digits, trailing zeros dropped, exponent from 1e-5 and 1e6, the sign of zero kept.
    [Theory]
    [InlineData(0f, "0")]
    [InlineData(-0f, "-0")]
    [InlineData(-1f, "-1")]
    [InlineData(-255f, "-255")]
    [InlineData(-3.309772f, "-3.30977")]
    [InlineData(-11.30544f, "-11.3054")]
    [InlineData(0.0001f, "0.0001")]
    [InlineData(0.00001f, "1e-05")]
    [InlineData(123456789f, "1.23457e+08")]
    [InlineData(999999f, "999999")]
    [InlineData(-32000f, "-32000")]
    public void Scores_print_as_cpp_ostream(float score, string expected) =>
        Assert.Equal(expected, SentencePieceModel.FormatScore(score));

    [Fact]
    public void Truncated_model_names_the_file()
    {
        byte[] bytes = SubwordReference.Bytes("en-bpe-identity-1000-uds.model");
        var e = Assert.Throws<LmToLlmFormatException>(() => SentencePieceModel.Parse(bytes[..(bytes.Length / 2)], "half.model"));
        Assert.StartsWith("half.model: not a SentencePiece model", e.Message);
    }

    [Fact]
    public void Text_file_is_not_a_model()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => SentencePieceModel.Parse(Encoding.UTF8.GetBytes("▁the\t-1\n▁a\t-2\n"), "x.vocab"));
        Assert.Contains("x.vocab", e.Message);
    }

    [Fact]
    public void Empty_file_is_not_a_model()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => SentencePieceModel.Parse([], "empty.model"));
        Assert.Equal("empty.model: not a usable SentencePiece model: it has no pieces", e.Message);
    }

    [Fact]
    public void Model_without_unknown_piece_is_rejected()
    {
        var model = SubwordReference.Model("en-bpe-identity-1000-uds");
        var pieces = model.Pieces.Skip(1).ToList();
        var e = Assert.Throws<LmToLlmFormatException>(() => SentencePieceModel.Create(pieces, model.TrainerSpec.Message, model.NormalizerSpec.Message));
        Assert.Contains("it defines no unknown piece", e.Message);
    }
}
