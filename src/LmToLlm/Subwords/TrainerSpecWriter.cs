using System.Reflection;
using System.IO.Compression;

namespace LmToLlm.Subwords;

/// <summary>
/// The <c>TrainerSpec</c> and <c>NormalizerSpec</c> messages a trained model carries, with the fields
/// <c>spm_train</c> sets and in its order, so that a model trained with the same options has the same bytes.
/// </summary>
internal static class TrainerSpecWriter
{
    internal static ProtoMessage Trainer(SubwordTrainerOptions o)
    {
        var m = new ProtoMessage();
        foreach (var input in o.InputNames) m.AddString(1, input);
        m.AddString(2, o.ModelPrefix);
        m.AddInt32(3, (int)o.ModelType);
        m.AddInt32(4, o.VocabSize);
        m.AddInt32(6, 0);                         // self_test_sample_size
        m.AddString(7, "");                       // input_format
        m.AddFloat(10, o.CharacterCoverage);
        m.AddVarint(11, 0);                       // input_sentence_size
        m.AddInt32(14, o.SeedSentencePieceSize);
        m.AddFloat(15, o.ShrinkingFactor);
        m.AddInt32(16, o.NumThreads);
        m.AddInt32(17, o.NumSubIterations);
        m.AddInt32(18, o.MaxSentenceLength);
        m.AddBool(19, true);                      // shuffle_input_sentence
        m.AddInt32(20, o.MaxSentencePieceLength);
        m.AddBool(21, o.SplitByUnicodeScript);
        m.AddBool(22, o.SplitByWhitespace);
        m.AddBool(23, o.SplitByNumber);
        m.AddBool(24, o.TreatWhitespaceAsSuffix);
        m.AddBool(25, o.SplitDigits);
        m.AddBool(26, o.AllowWhitespaceOnlyPieces);
        foreach (var s in o.ControlSymbols) m.AddString(30, s);
        foreach (var s in o.UserDefinedSymbols) m.AddString(31, s);
        m.AddBool(32, true);                      // vocabulary_output_piece_score
        m.AddBool(33, true);                      // hard_vocab_limit
        m.AddBool(34, false);                     // use_all_vocab
        m.AddBool(35, o.ByteFallback);
        m.AddString(36, "");                      // required_chars
        m.AddInt32(40, o.UnknownId);
        m.AddInt32(41, o.BeginId);
        m.AddInt32(42, o.EndId);
        m.AddInt32(43, o.PadId);
        m.AddString(44, " \u2047 ");              // unk_surface
        m.AddString(45, o.UnknownPiece);
        m.AddString(46, o.BeginPiece);
        m.AddString(47, o.EndPiece);
        m.AddString(48, o.PadPiece);
        m.AddBool(49, false);                     // train_extremely_large_corpus
        m.AddBool(50, false);                     // enable_differential_privacy
        m.AddFloat(51, 0f);
        m.AddVarint(52, 0);
        return m;
    }

    internal static ProtoMessage Normalizer(SubwordTrainerOptions o)
    {
        var m = new ProtoMessage();
        m.AddString(1, o.NormalizationRuleName);
        m.AddBytes(2, CharsMap(o.NormalizationRuleName));
        m.AddBool(3, o.AddDummyPrefix);
        m.AddBool(4, o.RemoveExtraWhitespaces);
        m.AddString(6, "");                       // normalization_rule_tsv
        return m;
    }

    /// <summary>
    /// The compiled character map of a rule: empty for <c>identity</c>; for <c>nmt_nfkc</c> the map SentencePiece
    /// 0.1.97 compiles (NFKC plus its NMT rules), shipped as a resource because only the exact map gives the same
    /// normalisation (see NOTICE beside it).
    /// </summary>
    internal static byte[] CharsMap(string rule)
    {
        switch (rule)
        {
            case "identity": return [];
            case "nmt_nfkc":
                using (var resource = typeof(TrainerSpecWriter).Assembly.GetManifestResourceStream("LmToLlm.Subwords.nmt_nfkc.charsmap.gz")
                    ?? throw new InvalidOperationException("the nmt_nfkc rule resource is missing from the assembly"))
                using (var gzip = new GZipStream(resource, CompressionMode.Decompress))
                using (var buffer = new MemoryStream())
                {
                    gzip.CopyTo(buffer);
                    return buffer.ToArray();
                }
            default:
                throw new ArgumentException($"the normalization rule '{rule}' is not supported; use nmt_nfkc or identity", nameof(rule));
        }
    }
}
