namespace LmToLlm.Subwords;

/// <summary>What a vocabulary entry is for, as <c>ModelProto.SentencePiece.Type</c> in <c>sentencepiece_model.proto</c>.</summary>
internal enum SentencePieceType
{
    /// <summary>An ordinary piece learned from text.</summary>
    Normal = 1,
    /// <summary>The unknown piece (<c>&lt;unk&gt;</c>); exactly one per model.</summary>
    Unknown = 2,
    /// <summary>A control symbol such as <c>&lt;s&gt;</c> or <c>&lt;/s&gt;</c>: never produced from text.</summary>
    Control = 3,
    /// <summary>A user-defined symbol: always kept whole when it occurs in text.</summary>
    UserDefined = 4,
    /// <summary>A piece kept in the vocabulary but never produced.</summary>
    Unused = 5,
    /// <summary>One of the 256 byte pieces <c>&lt;0x00&gt;</c>…<c>&lt;0xFF&gt;</c> used for byte fallback.</summary>
    Byte = 6,
}

/// <summary>The two subword algorithms (and SentencePiece's two trivial ones), as <c>TrainerSpec.ModelType</c>.</summary>
internal enum SubwordModelType
{
    /// <summary>Unigram language model over pieces (Kudo 2018), encoded by Viterbi.</summary>
    Unigram = 1,
    /// <summary>Byte-pair encoding (Sennrich et al. 2016): merges applied by score.</summary>
    Bpe = 2,
    /// <summary>Whitespace-delimited words.</summary>
    Word = 3,
    /// <summary>Single characters.</summary>
    Char = 4,
}

/// <summary>One vocabulary entry: its text (UTF-8 in the file, ▁ for a space), its score and its type.</summary>
/// <param name="Text">The piece; a leading <c>▁</c> (U+2581) marks a word start.</param>
/// <param name="Score">BPE: minus the merge rank; Unigram: the log probability.</param>
/// <param name="Type">What the piece is for.</param>
internal readonly record struct SentencePiece(string Text, float Score, SentencePieceType Type);
