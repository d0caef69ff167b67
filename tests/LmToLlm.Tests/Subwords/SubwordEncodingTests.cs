using System.Text;
using LmToLlm.Subwords;

namespace LmToLlm.Tests.Subwords;

/// <summary>Encoding with models trained by spm_train gives spm_encode's ids on every line.</summary>
public sealed class SubwordEncodingTests
{
    public static TheoryData<string> KoreanModels => new()
    {
        "ko-bpe-nmt_nfkc-2000-bf", "ko-unigram-nmt_nfkc-4000", "ko-unigram-identity-2000-bf", "ko-bpe-identity-8000",
    };

    public static TheoryData<string> EnglishModels => new() { "en-unigram-identity-1000-uds", "en-bpe-identity-1000-uds" };

    public static TheoryData<string> AllModels => new()
    {
        "ko-bpe-nmt_nfkc-2000-bf", "ko-unigram-nmt_nfkc-4000", "ko-unigram-identity-2000-bf", "ko-bpe-identity-8000",
        "en-unigram-identity-1000-uds", "en-bpe-identity-1000-uds",
    };

    private static void AssertSameIds(string model, List<byte[]> lines, string idsFile)
    {
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model(model));
        var expected = SubwordReference.Text(idsFile).Split('\n');
        var ids = new List<int>();
        var scratch = new SubwordTokenizer.Scratch();
        int same = 0;
        string? first = null;
        for (int i = 0; i < lines.Count; i++)
        {
            tokenizer.Encode(lines[i], ids, null, scratch);
            string got = string.Join(' ', ids);
            if (got == expected[i]) same++;
            else first ??= $"line {i + 1}: got {got}, spm_encode {expected[i]}";
        }
        Assert.True(same == lines.Count, $"{model}: {same}/{lines.Count} lines equal; first difference {first}");
    }

    [Theory]
    [MemberData(nameof(KoreanModels))]
    public void Korean_held_out_ids_equal_spm_encode(string model) =>
        AssertSameIds(model, SubwordReference.Lines(SubwordReference.Bytes("ko.test.txt")), model + ".test.ids");

    [SharedTheory("data/w2v-corpus/corpus.txt.gz")]
    [MemberData(nameof(EnglishModels))]
    public void English_held_out_ids_equal_spm_encode(string model) =>
        AssertSameIds(model, SubwordReference.English().Test, model + ".test.ids");

    [Theory]
    [MemberData(nameof(AllModels))]
    public void Tricky_lines_ids_and_pieces_equal_spm_encode(string model)
    {
        var lines = SubwordReference.Lines(SubwordReference.Bytes("tricky.txt"));
        AssertSameIds(model, lines, model + ".tricky.ids");
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model(model));
        var expected = SubwordReference.Text(model + ".tricky.pieces").Split('\n');
        var pieces = new List<string>();
        var scratch = new SubwordTokenizer.Scratch();
        for (int i = 0; i < lines.Count; i++)
        {
            tokenizer.Encode(lines[i], [], pieces, scratch);
            Assert.Equal(expected[i], string.Join(' ', pieces));
        }
    }

    // Worked by hand from ko-bpe-identity-8000.vocab: "학교에서" is one piece, a trailing space vanishes, a run of
    // unknown characters is one <unk>.
    [Fact]
    public void Small_cases_by_hand()
    {
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model("ko-bpe-identity-8000"));
        Assert.Equal(["▁대화", "▁상자"], tokenizer.EncodeToPieces("대화  상자 "));
        Assert.Equal("▁대화▁상자", tokenizer.Normalize("  대화   상자  "));
        int[] ids = tokenizer.EncodeToIds("☃☃☃");
        Assert.Equal(new[] { tokenizer.PieceToId("▁"), 0 }, ids);
        Assert.Equal(" ⁇ ", tokenizer.Decode(ids));
    }

    [Fact]
    public void Byte_fallback_spells_unknown_characters_and_decodes_them()
    {
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model("ko-bpe-nmt_nfkc-2000-bf"));
        string[] pieces = tokenizer.EncodeToPieces("☃");
        Assert.Equal(["▁", "<0xE2>", "<0x98>", "<0x83>"], pieces);
        Assert.Equal("☃", tokenizer.Decode(tokenizer.EncodeToIds("☃")));
    }

    [Fact]
    public void Decoding_an_id_out_of_range_names_it()
    {
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model("ko-bpe-identity-8000"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([5, 8000]));
        Assert.Contains("id 8000", e.Message);
    }

    [Fact]
    public void Invalid_utf8_becomes_replacement_characters_one_byte_each()
    {
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model("ko-unigram-identity-2000-bf"));
        var pieces = new List<string>();
        tokenizer.Encode([(byte)'a', 0xFF, 0xFE], [], pieces, new SubwordTokenizer.Scratch());
        Assert.Equal(Encoding.UTF8.GetBytes("\uFFFD\uFFFD").Length, pieces.Count(p => p.StartsWith("<0x", StringComparison.Ordinal)));
    }
}
