using System.Text;

namespace LmToLlm.Subwords;

/// <summary>Progress of <see cref="SubwordTrainer"/>: the stage, how far it is and how far it goes.</summary>
/// <param name="Stage">"merge" (BPE) or "prune" (Unigram).</param>
/// <param name="Done">Work done in the stage.</param>
/// <param name="Total">Work the stage will do.</param>
internal readonly record struct SubwordTrainingProgress(string Stage, long Done, long Total);

/// <summary>
/// Trains a SentencePiece model from text lines with <c>spm_train</c>'s semantics: the same normalisation, alphabet,
/// special pieces and piece order, written as a <see cref="SentencePieceModel"/> that <c>spm_encode</c> and
/// Microsoft.ML.Tokenizers read.
/// </summary>
internal static class SubwordTrainer
{
    /// <summary>Trains on the lines of <paramref name="lines"/> (UTF-8, one sentence per line).</summary>
    /// <param name="lines">The raw lines, without their line ends.</param>
    /// <param name="options">The options; see <see cref="SubwordTrainerOptions"/>.</param>
    /// <param name="inputName">Names the input in errors.</param>
    /// <param name="progress">Receives progress reports, or null.</param>
    /// <param name="cancellation">Stops the training.</param>
    /// <exception cref="LmToLlmException">The text cannot give the vocabulary asked for.</exception>
    internal static SentencePieceModel Train(IEnumerable<byte[]> lines, SubwordTrainerOptions options, string inputName = "<input>",
        IProgress<SubwordTrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var corpus = TrainingCorpus.Load(lines, options, inputName, cancellation);
        var pieces = options.ModelType switch
        {
            SubwordModelType.Bpe => BpeTrainer.Train(corpus, options, progress, cancellation),
            SubwordModelType.Unigram => UnigramTrainer.Train(corpus, options, progress, cancellation),
            _ => throw new ArgumentException($"training {options.ModelType} models is not supported; use bpe or unigram", nameof(options)),
        };
        return Assemble(corpus, pieces, options, inputName);
    }

    /// <summary>Trains on the lines of a .NET string collection (encoded as UTF-8).</summary>
    internal static SentencePieceModel Train(IEnumerable<string> lines, SubwordTrainerOptions options, CancellationToken cancellation = default) =>
        Train(lines.Select(Encoding.UTF8.GetBytes), options, cancellation: cancellation);

    private static void Validate(SubwordTrainerOptions o)
    {
        static void Range(bool ok, string what) { if (!ok) throw new ArgumentOutOfRangeException(nameof(o), what); }
        Range(o.VocabSize > 0, $"VocabSize must be > 0, got {o.VocabSize}");
        Range(o.CharacterCoverage is >= 0.98f and <= 1f, $"CharacterCoverage must be in [0.98, 1], got {o.CharacterCoverage}");
        Range(o.MaxSentencePieceLength is >= 1 and <= 512, $"MaxSentencePieceLength must be in [1, 512], got {o.MaxSentencePieceLength}");
        Range(o.NumSubIterations is >= 1 and <= 10, $"NumSubIterations must be in [1, 10], got {o.NumSubIterations}");
        Range(o.NumThreads is >= 1 and <= 128, $"NumThreads must be in [1, 128], got {o.NumThreads}");
        Range(o.ShrinkingFactor is >= 0.5f and <= 0.95f, $"ShrinkingFactor must be in [0.5, 0.95], got {o.ShrinkingFactor}");
        Range(o.MaxSentenceLength is >= 10 and <= 1073741824, $"MaxSentenceLength must be in [10, 1073741824], got {o.MaxSentenceLength}");
        if (o.NormalizationRuleName is not ("nmt_nfkc" or "identity"))
            throw new ArgumentException($"NormalizationRuleName must be nmt_nfkc or identity, got '{o.NormalizationRuleName}'", nameof(o));
    }

    /// <summary>Puts the special pieces at their ids and the learned ones around them (<c>TrainerInterface::Serialize</c>).</summary>
    private static SentencePieceModel Assemble(TrainingCorpus corpus, List<(string Piece, float Score)> learned, SubwordTrainerOptions options, string name)
    {
        var pieces = new List<SentencePiece>(options.VocabSize);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int next = 0;
        for (int id = 0; id < options.VocabSize; id++)
        {
            if (corpus.MetaPieces.TryGetValue(id, out var meta)) pieces.Add(new SentencePiece(meta.Piece, 0f, meta.Type));
            else if (next < learned.Count) pieces.Add(new SentencePiece(learned[next].Piece, learned[next++].Score, SentencePieceType.Normal));
            else continue;
            if (!seen.Add(pieces[^1].Text)) throw new LmToLlmException($"{name}: the piece {pieces[^1].Text} is defined twice; a user-defined or control symbol equals a learned piece");
        }
        if (pieces.Count != options.VocabSize)
            throw new LmToLlmException($"{name}: --vocab_size {options.VocabSize} is too high for this text; set it to a value <= {pieces.Count}");
        return SentencePieceModel.Create(pieces, TrainerSpecWriter.Trainer(options), TrainerSpecWriter.Normalizer(options));
    }
}
