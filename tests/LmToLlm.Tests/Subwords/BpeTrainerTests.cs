using System.Security.Cryptography;
using LmToLlm.Subwords;

namespace LmToLlm.Tests.Subwords;

/// <summary>BPE training gives spm_train --model_type=bpe's model byte for byte: same pieces, order, scores and options.</summary>
public sealed class BpeTrainerTests
{
    private static readonly Dictionary<string, string> Sha256 = File.ReadAllLines(Path.Combine(SubwordReference.Folder, "bpe-models.sha256"))
        .Select(l => l.Split("  ")).ToDictionary(p => p[1], p => p[0]);

    private static SubwordTrainerOptions Options(string name, string rule, int vocab, string input) => new()
    {
        ModelType = SubwordModelType.Bpe, VocabSize = vocab, NormalizationRuleName = rule, NumThreads = 1,
        InputNames = [input], ModelPrefix = name,
    };

    private static void AssertSameAsSpmTrain(string name, List<byte[]> lines, SubwordTrainerOptions options)
    {
        var model = SubwordReference.TrainAndAssertVocabulary(name, lines, options);
        using var bytes = new MemoryStream();
        model.WriteTo(bytes);
        Assert.Equal(Sha256[name], Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray())));
    }

    [Theory]
    [InlineData("identity", 1000)]
    [InlineData("nmt_nfkc", 1000)]
    [InlineData("identity", 8000)]
    [InlineData("nmt_nfkc", 8000)]
    public void Korean_model_equals_spm_train(string rule, int vocab)
    {
        string name = $"ko-bpe-{rule}-{vocab}";
        AssertSameAsSpmTrain(name, SubwordReference.KoreanTrain(), Options(name, rule, vocab, "../ko5k.train.txt"));
    }

    [Fact]
    public void Korean_byte_fallback_model_equals_spm_train()
    {
        const string name = "ko-bpe-nmt_nfkc-2000-bf";
        var options = Options(name, "nmt_nfkc", 2000, "../ko5k.train.txt") with { ByteFallback = true, CharacterCoverage = 0.995f };
        AssertSameAsSpmTrain(name, SubwordReference.KoreanTrain(), options);
    }

    [SharedTheory("data/w2v-corpus/corpus.txt.gz")]
    [InlineData("identity", 1000)]
    [InlineData("nmt_nfkc", 1000)]
    [InlineData("identity", 8000)]
    [InlineData("nmt_nfkc", 8000)]
    public void English_model_equals_spm_train(string rule, int vocab)
    {
        string name = $"en-bpe-{rule}-{vocab}";
        AssertSameAsSpmTrain(name, SubwordReference.English().Train, Options(name, rule, vocab, "../en.train.txt"));
    }

    [SharedFact("data/w2v-corpus/corpus.txt.gz")]
    public void English_user_defined_and_control_symbols_equal_spm_train()
    {
        const string name = "en-bpe-identity-1000-uds";
        var options = Options(name, "identity", 1000, "../en.train.txt") with { UserDefinedSymbols = ["<sep>", "the", "ing"], ControlSymbols = ["<cls>"] };
        AssertSameAsSpmTrain(name, SubwordReference.English().Train, options);
    }

    [Fact]
    public void Empty_text_is_refused_with_the_input_name()
    {
        var e = Assert.Throws<LmToLlmException>(() => SubwordTrainer.Train([[], []], new SubwordTrainerOptions { ModelType = SubwordModelType.Bpe }, "empty.txt"));
        Assert.StartsWith("empty.txt: no line to train on", e.Message);
    }

    [Fact]
    public void Vocabulary_larger_than_the_text_allows_says_the_largest_size()
    {
        var options = new SubwordTrainerOptions { ModelType = SubwordModelType.Bpe, VocabSize = 100, NormalizationRuleName = "identity" };
        var e = Assert.Throws<LmToLlmException>(() => SubwordTrainer.Train(["ab ab ab", "abc"], options));
        // Pieces: <unk> <s> </s>, merges ▁a ▁ab ▁abc... then the alphabet ▁ a b c.
        Assert.Matches(@"--vocab_size 100 is too high for this text; set it to a value <= \d+$", e.Message);
    }

    [Fact]
    public void Vocabulary_smaller_than_the_alphabet_is_refused()
    {
        var options = new SubwordTrainerOptions { ModelType = SubwordModelType.Bpe, VocabSize = 5, NormalizationRuleName = "identity" };
        var e = Assert.Throws<LmToLlmException>(() => SubwordTrainer.Train(["abcdef"], options));
        Assert.Contains("--vocab_size 5 is smaller than the alphabet and special pieces (10)", e.Message);
    }

    // By hand: "ab ab ab abc" normalises to ▁ab▁ab▁ab▁abc; words ▁ab ×3, ▁abc ×1. Pairs: ▁a 4, ab 4, bc 1.
    // Ties at 4 go to the smaller UTF-8 bytes: "ab" (61 62) < "▁a" (E2 96 81 61). Then ▁ab 4, then ▁abc 1.
    // 10 pieces − 3 special − 4 characters leave 3 merges; the alphabet follows by count, ties by code point.
    [Fact]
    public void Tiny_text_merges_in_the_order_worked_by_hand()
    {
        var options = new SubwordTrainerOptions { ModelType = SubwordModelType.Bpe, VocabSize = 10, NormalizationRuleName = "identity" };
        var model = SubwordTrainer.Train(["ab ab ab abc"], options);
        Assert.Equal(["<unk>", "<s>", "</s>", "ab", "▁ab", "▁abc", "a", "b", "▁", "c"], model.Pieces.Select(p => p.Text));
        Assert.Equal([0f, 0f, 0f, 0f, -1f, -2f, -3f, -4f, -5f, -6f], model.Pieces.Select(p => p.Score));
    }
}
