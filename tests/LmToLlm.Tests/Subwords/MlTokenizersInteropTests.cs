using System.Text;
using LmToLlm.Subwords;
using MlSentencePiece = Microsoft.ML.Tokenizers.SentencePieceTokenizer;

namespace LmToLlm.Tests.Subwords;

/// <summary>
/// Models we train load in Microsoft.ML.Tokenizers 3.0. Its ids equal ours except where it departs from spm_encode,
/// in two ways measured here: it writes one unknown id per unknown character where SentencePiece writes one per run,
/// and it breaks ties between equal-scoring splits of repeated characters the other way (BPE "000": spm_encode
/// "00 0", ML.Tokenizers "0 00"; Unigram "666": "66 6" against "6 66"). Every line must equal spm_encode's ids for
/// us, and the lines where ML.Tokenizers differs are counted by cause (a line may show both); the counts are
/// the measured ones on the 300 held-out Korean lines.
/// </summary>
public sealed class MlTokenizersInteropTests
{
    private static void AssertAgreement(SentencePieceModel model, string spmIdsFile, int expectedSame, int expectedUnknownRunLines, int expectedTieLines)
    {
        var lines = SubwordReference.Lines(SubwordReference.Bytes("ko.test.txt"));
        var spm = SubwordReference.Text(spmIdsFile).Split('\n');
        using var bytes = new MemoryStream();
        model.WriteTo(bytes);
        bytes.Position = 0;
        var ml = MlSentencePiece.Create(bytes, false, false);
        var ours = SubwordTokenizer.Create(model);
        int unknown = model.Pieces.Select((p, i) => (p, i)).First(x => x.p.Type == SentencePieceType.Unknown).i;
        int same = 0, unknownRuns = 0, ties = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            string text = Encoding.UTF8.GetString(lines[i]);
            var actual = ours.EncodeToIds(text);
            Assert.Equal(spm[i], string.Join(' ', actual));
            var raw = ml.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false);
            if (raw.SequenceEqual(actual)) { same++; continue; }
            var collapsed = raw.Where((id, k) => !(id == unknown && k > 0 && raw[k - 1] == unknown)).ToList();
            if (collapsed.Count != raw.Count) unknownRuns++;
            if (!collapsed.SequenceEqual(actual))
            {
                // Same multiset of ids, different order: a tie broken the other way.
                Assert.Equal(actual.Order(), collapsed.Order());
                ties++;
            }
        }
        Assert.Equal((expectedSame, expectedUnknownRunLines, expectedTieLines), (same, unknownRuns, ties));
    }

    private static SentencePieceModel TrainKorean(int vocab, string rule, bool byteFallback) =>
        SubwordTrainer.Train(SubwordReference.KoreanTrain(), new SubwordTrainerOptions
        {
            ModelType = SubwordModelType.Bpe, VocabSize = vocab, NormalizationRuleName = rule, ByteFallback = byteFallback,
            CharacterCoverage = byteFallback ? 0.995f : 0.9995f, NumThreads = 1, InputNames = ["../ko5k.train.txt"],
            ModelPrefix = $"ko-bpe-{rule}-{vocab}{(byteFallback ? "-bf" : "")}",
        });

    [Fact]
    public void Our_bpe_model_in_ml_tokenizers() => AssertAgreement(TrainKorean(1000, "identity", false), "ko-bpe-identity-1000.test.ids", 295, 1, 4);

    [Fact]
    public void Our_byte_fallback_bpe_model_in_ml_tokenizers() => AssertAgreement(TrainKorean(2000, "nmt_nfkc", true), "ko-bpe-nmt_nfkc-2000-bf.test.ids", 300, 0, 0);

    [Fact]
    public void Spm_unigram_model_in_ml_tokenizers() => AssertAgreement(SubwordReference.Model("ko-unigram-nmt_nfkc-4000"), "ko-unigram-nmt_nfkc-4000.test.ids", 298, 1, 1);
}
