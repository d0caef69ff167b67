using LmToLlm.Subwords;

namespace LmToLlm.Tests.Subwords;

/// <summary>
/// Unigram training gives spm_train --model_type=unigram's model byte for byte (pieces, order, float scores and
/// options), with one thread and with four (the reference's per-thread float sums are reproduced).
/// </summary>
public sealed class UnigramTrainerTests
{
    private static SubwordTrainerOptions Options(string name, string rule, int vocab, string input, int threads = 1) => new()
    {
        ModelType = SubwordModelType.Unigram, VocabSize = vocab, NormalizationRuleName = rule, NumThreads = threads,
        InputNames = [input], ModelPrefix = name,
    };

    private static void AssertModelEqualsSpmTrain(string name, List<byte[]> lines, SubwordTrainerOptions options)
    {
        var model = SubwordReference.TrainAndAssertVocabulary(name, lines, options);
        using var bytes = new MemoryStream();
        model.WriteTo(bytes);
        Assert.True(SubwordReference.Bytes(name + ".model").AsSpan().SequenceEqual(bytes.ToArray()), $"{name}: the .model bytes differ from spm_train's");
    }

    [Fact]
    public void Korean_model_equals_spm_train()
    {
        const string name = "ko-unigram-nmt_nfkc-4000";
        AssertModelEqualsSpmTrain(name, SubwordReference.KoreanTrain(), Options(name, "nmt_nfkc", 4000, "../ko5k.train.txt"));
    }

    [Fact]
    public void Korean_byte_fallback_identity_model_equals_spm_train()
    {
        const string name = "ko-unigram-identity-2000-bf";
        var options = Options(name, "identity", 2000, "../ko5k.train.txt") with { ByteFallback = true, CharacterCoverage = 0.995f };
        AssertModelEqualsSpmTrain(name, SubwordReference.KoreanTrain(), options);
    }

    [Fact]
    public void Four_threads_sum_as_spm_train_with_four_threads()
    {
        const string name = "ko-unigram-nmt_nfkc-2000-t4";
        SubwordReference.TrainAndAssertVocabulary(name, SubwordReference.KoreanTrain(), Options(name, "nmt_nfkc", 2000, "../ko5k.train.txt", threads: 4));
    }

    [SharedFact("data/w2v-corpus/corpus.txt.gz")]
    public void English_user_defined_and_control_symbols_equal_spm_train()
    {
        const string name = "en-unigram-identity-1000-uds";
        var options = Options(name, "identity", 1000, "../en.train.txt") with { UserDefinedSymbols = ["<sep>", "the", "ing"], ControlSymbols = ["<cls>"] };
        AssertModelEqualsSpmTrain(name, SubwordReference.English().Train, options);
    }

    [Fact]
    public void Trained_model_encodes_held_out_text_as_spm_encode()
    {
        const string name = "ko-unigram-nmt_nfkc-4000";
        var model = SubwordTrainer.Train(SubwordReference.KoreanTrain(), Options(name, "nmt_nfkc", 4000, "../ko5k.train.txt"), name);
        var tokenizer = SubwordTokenizer.Create(model);
        var expected = SubwordReference.Text(name + ".test.ids").TrimEnd('\n').Split('\n');
        var lines = SubwordReference.KoreanTest();
        Assert.Equal(expected.Length, lines.Count);
        var ids = new List<int>();
        for (int i = 0; i < lines.Count; i++)
        {
            tokenizer.Encode(lines[i], ids, null);
            Assert.Equal(expected[i], string.Join(' ', ids));
        }
    }

    // By hand, with the reference's digamma: a piece expected less than half a time is dropped, the others score
    // ψ(count) − ψ(total). ψ(1) = −γ = −0.5772…, ψ(2) = 1 − γ; ψ(x) for x ≥ 7 uses the asymptotic series.
    [Fact]
    public void Digamma_matches_known_values()
    {
        Assert.Equal(-0.5772156649, UnigramTrainer.Digamma(1), 9);
        Assert.Equal(1 - 0.5772156649, UnigramTrainer.Digamma(2), 9);
        Assert.Equal(Math.Log(100) - 1 / 200.0 - 1 / (12 * 100.0 * 100), UnigramTrainer.Digamma(100), 9);
    }

    [Fact]
    public void Vocabulary_larger_than_the_text_allows_says_the_largest_size()
    {
        var options = new SubwordTrainerOptions { VocabSize = 100, NormalizationRuleName = "identity", NumThreads = 1 };
        var e = Assert.Throws<LmToLlmException>(() => SubwordTrainer.Train(["ab ab ab", "abc"], options));
        Assert.Matches(@"--vocab_size 100 is too high for this text; set it to a value <= \d+$", e.Message);
    }

    [Fact]
    public void Empty_text_is_refused_with_the_input_name()
    {
        var e = Assert.Throws<LmToLlmException>(() => SubwordTrainer.Train([[], []], new SubwordTrainerOptions(), "empty.txt"));
        Assert.StartsWith("empty.txt: no line to train on", e.Message);
    }
}
