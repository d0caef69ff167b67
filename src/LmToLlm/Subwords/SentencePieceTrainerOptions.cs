namespace LmToLlm.Subwords;

/// <summary>The algorithm a SentencePiece model segments with.</summary>
public enum SentencePieceModelType
{
    /// <summary>Unigram language model over pieces (Kudo 2018), encoded by Viterbi; <c>spm_train</c>'s default.</summary>
    Unigram,
    /// <summary>Byte-pair encoding (Sennrich et al. 2016): merges applied by score.</summary>
    Bpe,
}

/// <summary>
/// The options of <see cref="SentencePieceProcessor.Train"/>, under <c>spm_train</c>'s meaning and defaults; every
/// other <c>spm_train</c> option keeps its default (the CLI's <c>lmtollm spm train</c> takes them all).
/// </summary>
public sealed record SentencePieceTrainerOptions
{
    /// <summary><c>spm_train</c>'s defaults: Unigram, 8,000 pieces, coverage 0.9995, <c>nmt_nfkc</c>.</summary>
    public static SentencePieceTrainerOptions Default { get; } = new();

    /// <summary>Unigram or BPE (<c>--model_type</c>).</summary>
    public SentencePieceModelType ModelType { get; init; } = SentencePieceModelType.Unigram;

    /// <summary>The number of pieces, special ones included (<c>--vocab_size</c>).</summary>
    public int VocabSize { get; init; } = 8000;

    /// <summary>The share of characters the alphabet covers; the rest become unknown (<c>--character_coverage</c>).</summary>
    public float CharacterCoverage { get; init; } = 0.9995f;

    /// <summary><c>nmt_nfkc</c> or <c>identity</c> (<c>--normalization_rule_name</c>).</summary>
    public string NormalizationRuleName { get; init; } = "nmt_nfkc";

    /// <summary>Spell characters outside the alphabet as UTF-8 byte pieces instead of the unknown piece (<c>--byte_fallback</c>).</summary>
    public bool ByteFallback { get; init; }

    internal SubwordTrainerOptions ToTrainerOptions() => new()
    {
        ModelType = ModelType == SentencePieceModelType.Bpe ? SubwordModelType.Bpe : SubwordModelType.Unigram,
        VocabSize = VocabSize,
        CharacterCoverage = CharacterCoverage,
        NormalizationRuleName = NormalizationRuleName,
        ByteFallback = ByteFallback,
    };
}
