using System.Text;
using LmToLlm.Subwords;

namespace LmToLlm.Tests.Subwords;

/// <summary>The public SentencePiece surface gives what spm_train and spm_encode give.</summary>
public sealed class SentencePieceProcessorTests
{
    [Fact]
    public void Training_through_the_public_options_gives_spm_trains_vocabulary()
    {
        // spm_train --model_type=bpe --vocab_size=1000 (nmt_nfkc, coverage 0.9995: the defaults the options keep).
        var lines = SubwordReference.KoreanTrain().Select(Encoding.UTF8.GetString).ToList();
        var spm = SentencePieceProcessor.Train(lines, SentencePieceTrainerOptions.Default with { ModelType = SentencePieceModelType.Bpe, VocabSize = 1000 });
        var vocab = new StringWriter();
        spm.Model.WriteVocab(vocab);
        Assert.Equal(SubwordReference.Text("ko-bpe-nmt_nfkc-1000.vocab"), vocab.ToString());
        Assert.Equal(1000, spm.PieceCount);
    }

    [Fact]
    public void A_model_spm_train_wrote_encodes_to_spm_encodes_ids_and_decodes_back()
    {
        const string name = "ko-unigram-nmt_nfkc-4000";
        var spm = SentencePieceProcessor.Load(new MemoryStream(SubwordReference.Bytes(name + ".model")));
        var lines = SubwordReference.Text("ko.test.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = SubwordReference.Text(name + ".test.ids").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var ids = spm.EncodeToIds(lines[i]);
            Assert.True(string.Join(' ', ids) == expected[i], $"line {i + 1}");
            // A piece is its id's piece, except that unknown text keeps its own spelling (as spm_encode prints it).
            Assert.Equal(ids.Select(id => id == 0 ? "<unk>" : spm.IdToPiece(id)),
                spm.EncodeToPieces(lines[i]).Select((p, k) => ids[k] == 0 ? "<unk>" : p));
            Assert.Equal(spm.Model.Pieces.Count, spm.PieceCount);
        }
        // The test lines are already NFKC and single-spaced, so decoding gives them back.
        Assert.Equal(lines[0], spm.Decode(spm.EncodeToIds(lines[0])));
    }

    [Fact]
    public void Save_and_load_keep_the_model_bytes()
    {
        byte[] original = SubwordReference.Bytes("ko-bpe-identity-8000.model");
        var spm = SentencePieceProcessor.Load(new MemoryStream(original));
        using var saved = new MemoryStream();
        spm.Save(saved);
        Assert.Equal(original, saved.ToArray());
        using var dir = new TempDir();
        spm.Save(dir.File("m.model"));
        Assert.Equal(original, File.ReadAllBytes(dir.File("m.model")));
        Assert.Equal(spm.EncodeToIds("학교에서 공부합니다"), SentencePieceProcessor.Load(dir.File("m.model")).EncodeToIds("학교에서 공부합니다"));
    }

    [Fact]
    public void Bad_input_is_refused_in_the_users_terms()
    {
        var error = Assert.Throws<LmToLlmException>(() =>
            SentencePieceProcessor.Train(["ab ab ab"], SentencePieceTrainerOptions.Default with { VocabSize = 500 }));
        Assert.Contains("vocab_size", error.Message);
        Assert.ThrowsAny<LmToLlmException>(() => SentencePieceProcessor.Load(new MemoryStream([1, 2, 3, 4])));
        var spm = SentencePieceProcessor.Load(new MemoryStream(SubwordReference.Bytes("ko-bpe-identity-8000.model")));
        Assert.Throws<ArgumentOutOfRangeException>(() => spm.IdToPiece(spm.PieceCount));
    }
}
