namespace LmToLlm.Subwords;

/// <summary>
/// The training options stored in a SentencePiece model (<c>TrainerSpec</c>). Only the options that change how text
/// is encoded or decoded are exposed; every other field is kept as read so that a model is written back unchanged.
/// </summary>
internal sealed class SubwordTrainerSpec
{
    internal SubwordTrainerSpec(ProtoMessage message) => Message = message;

    internal ProtoMessage Message { get; }

    /// <summary>The algorithm (field 3, default Unigram).</summary>
    internal SubwordModelType ModelType => (SubwordModelType)Message.GetInt32(3, (int)SubwordModelType.Unigram);

    /// <summary>The vocabulary size asked for (field 4, default 8000).</summary>
    internal int VocabSize => Message.GetInt32(4, 8000);

    /// <summary>Whether unknown characters are written as their UTF-8 bytes (field 35).</summary>
    internal bool ByteFallback => Message.GetBool(35, false);

    /// <summary>Whether the word-boundary mark ends words instead of starting them (field 24).</summary>
    internal bool TreatWhitespaceAsSuffix => Message.GetBool(24, false);

    /// <summary>Whether pieces made of whitespace only are allowed (field 26).</summary>
    internal bool AllowWhitespaceOnlyPieces => Message.GetBool(26, false);

    /// <summary>The text that decoding writes for the unknown piece (field 44, default " ⁇ ").</summary>
    internal string UnknownSurface => Message.GetString(44, " \u2047 ");

    /// <summary>Whether <see cref="UnknownSurface"/> was stored in the model (decoding uses " ⁇ " otherwise).</summary>
    internal bool HasUnknownSurface => Message.Has(44);
}

/// <summary>
/// The normalisation stored in a SentencePiece model (<c>NormalizerSpec</c>): its rule name, the compiled character
/// map (a double-array trie from UTF-8 prefixes to replacements) and the whitespace options.
/// </summary>
internal sealed class SubwordNormalizerSpec
{
    internal SubwordNormalizerSpec(ProtoMessage message) => Message = message;

    internal ProtoMessage Message { get; }

    /// <summary>The rule name, e.g. <c>nmt_nfkc</c> or <c>identity</c> (field 1).</summary>
    internal string Name => Message.GetString(1, "");

    /// <summary>The compiled character map (field 2); empty for <c>identity</c>.</summary>
    internal ReadOnlyMemory<byte> PrecompiledCharsMap => Message.GetBytes(2);

    /// <summary>Whether a <c>▁</c> is put before the first word (field 3, default true).</summary>
    internal bool AddDummyPrefix => Message.GetBool(3, true);

    /// <summary>Whether leading, trailing and repeated spaces are removed (field 4, default true).</summary>
    internal bool RemoveExtraWhitespaces => Message.GetBool(4, true);

    /// <summary>Whether spaces become <c>▁</c> (field 5, default true).</summary>
    internal bool EscapeWhitespaces => Message.GetBool(5, true);
}
