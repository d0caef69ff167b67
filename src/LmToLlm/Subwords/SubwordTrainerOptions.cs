namespace LmToLlm.Subwords;

/// <summary>
/// Options of <see cref="SubwordTrainer"/>, named and defaulted as <c>spm_train</c>'s flags (SentencePiece 0.1.97).
/// </summary>
internal sealed record SubwordTrainerOptions
{
    /// <summary>The algorithm (<c>--model_type</c>, default Unigram).</summary>
    internal SubwordModelType ModelType { get; init; } = SubwordModelType.Unigram;

    /// <summary>The number of pieces, special ones included (<c>--vocab_size</c>, default 8000).</summary>
    internal int VocabSize { get; init; } = 8000;

    /// <summary>The share of character occurrences the alphabet must cover; rarer characters become unknown (<c>--character_coverage</c>, 0.98–1, default 0.9995).</summary>
    internal float CharacterCoverage { get; init; } = 0.9995f;

    /// <summary>The longest piece in characters (<c>--max_sentencepiece_length</c>, 1–512, default 16).</summary>
    internal int MaxSentencePieceLength { get; init; } = 16;

    /// <summary>Lines longer than this many UTF-8 bytes are skipped (<c>--max_sentence_length</c>, default 4192).</summary>
    internal int MaxSentenceLength { get; init; } = 4192;

    /// <summary>Pieces never cross a change of Unicode script (<c>--split_by_unicode_script</c>, default true).</summary>
    internal bool SplitByUnicodeScript { get; init; } = true;

    /// <summary>Digits are a script of their own (<c>--split_by_number</c>, default true).</summary>
    internal bool SplitByNumber { get; init; } = true;

    /// <summary>Pieces never cross a word boundary (<c>--split_by_whitespace</c>, default true).</summary>
    internal bool SplitByWhitespace { get; init; } = true;

    /// <summary>Every digit is a piece of its own (<c>--split_digits</c>, default false).</summary>
    internal bool SplitDigits { get; init; }

    /// <summary>The word-boundary mark ends words instead of starting them (<c>--treat_whitespace_as_suffix</c>).</summary>
    internal bool TreatWhitespaceAsSuffix { get; init; }

    /// <summary>Pieces made of boundary marks only are allowed (<c>--allow_whitespace_only_pieces</c>).</summary>
    internal bool AllowWhitespaceOnlyPieces { get; init; }

    /// <summary>Unknown characters are spelled as UTF-8 byte pieces (<c>--byte_fallback</c>).</summary>
    internal bool ByteFallback { get; init; }

    /// <summary>Symbols kept whole wherever they occur (<c>--user_defined_symbols</c>).</summary>
    internal IReadOnlyList<string> UserDefinedSymbols { get; init; } = [];

    /// <summary>Symbols that get an id but never come from text (<c>--control_symbols</c>).</summary>
    internal IReadOnlyList<string> ControlSymbols { get; init; } = [];

    /// <summary>Ids of the unknown, begin, end and padding pieces; -1 leaves one out (<c>--unk_id</c> 0, <c>--bos_id</c> 1, <c>--eos_id</c> 2, <c>--pad_id</c> -1).</summary>
    internal int UnknownId { get; init; }

    /// <inheritdoc cref="UnknownId"/>
    internal int BeginId { get; init; } = 1;

    /// <inheritdoc cref="UnknownId"/>
    internal int EndId { get; init; } = 2;

    /// <inheritdoc cref="UnknownId"/>
    internal int PadId { get; init; } = -1;

    /// <summary>The texts of those pieces (<c>--unk_piece</c>, <c>--bos_piece</c>, <c>--eos_piece</c>, <c>--pad_piece</c>).</summary>
    internal string UnknownPiece { get; init; } = "<unk>";

    /// <inheritdoc cref="UnknownPiece"/>
    internal string BeginPiece { get; init; } = "<s>";

    /// <inheritdoc cref="UnknownPiece"/>
    internal string EndPiece { get; init; } = "</s>";

    /// <inheritdoc cref="UnknownPiece"/>
    internal string PadPiece { get; init; } = "<pad>";

    /// <summary>The normalisation rule: <c>nmt_nfkc</c> (default) or <c>identity</c> (<c>--normalization_rule_name</c>).</summary>
    internal string NormalizationRuleName { get; init; } = "nmt_nfkc";

    /// <summary>A <c>▁</c> before the first word (<c>--add_dummy_prefix</c>, default true).</summary>
    internal bool AddDummyPrefix { get; init; } = true;

    /// <summary>Leading, trailing and repeated spaces removed (<c>--remove_extra_whitespaces</c>, default true).</summary>
    internal bool RemoveExtraWhitespaces { get; init; } = true;

    /// <summary>Unigram: how many seed pieces to start from (<c>--seed_sentencepiece_size</c>, default 1,000,000).</summary>
    internal int SeedSentencePieceSize { get; init; } = 1_000_000;

    /// <summary>Unigram: the share of pieces kept by each pruning step (<c>--shrinking_factor</c>, 0.5–0.95, default 0.75).</summary>
    internal float ShrinkingFactor { get; init; } = 0.75f;

    /// <summary>Unigram: EM iterations between prunings (<c>--num_sub_iterations</c>, 1–10, default 2).</summary>
    internal int NumSubIterations { get; init; } = 2;

    /// <summary>Threads (<c>--num_threads</c>, 1–128, default 16); stored in the model as given.</summary>
    internal int NumThreads { get; init; } = 16;

    /// <summary>The input file names stored in the model (<c>--input</c>); only recorded, the trainer reads the lines it is given.</summary>
    internal IReadOnlyList<string> InputNames { get; init; } = [];

    /// <summary>The model prefix stored in the model (<c>--model_prefix</c>); only recorded.</summary>
    internal string ModelPrefix { get; init; } = "";
}
