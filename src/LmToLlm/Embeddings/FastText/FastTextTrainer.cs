using System.Diagnostics;
using LmToLlm.Corpora;

namespace LmToLlm.Embeddings.FastText;

// Training (input: UTF-8 text; output: a FastTextModel): unsupervised fastText models (Bojanowski, Grave, Joulin and Mikolov 2017, "Enriching Word Vectors with
// Subword Information") with the reference implementation's defaults and update rules: a word is represented by its
// own vector plus the vectors of its character n-grams (`minn`..`maxn` characters of `<word>`,
// hashed into `bucket` rows), so words never seen in training still get vectors.
// Pipeline: count words (the Word2Vec vocabulary pass; `</s>` counts line ends) → input matrix of
// `(words + bucket) × dim` uniform in `[−1/dim, 1/dim)`, output matrix of zeros → `epoch` passes over the
// text, read again each time, shared by FastTextOptions.Threads Hogwild workers.
// Per line (≤ 1024 tokens, `</s>` included as a word): subsampling keeps a word of frequency f with
// probability `√(t/f) + t/f`; each position draws a window b ∈ 1..ws. Skip-gram: the mean of the centre word's
// subword rows predicts each context word; CBOW: the mean of the context words' subword rows predicts the centre.
// Negative sampling draws from `count^0.5`; σ comes from a 512-entry table over [−8, 8]; the gradient is added to
// every subword row. The learning rate falls linearly, `lr_t = lr·(1 − done/(epoch·tokens))`, recomputed per line
// from a token count shared every `lrUpdateRate` tokens.
// Differences from the reference, none of which changes the algorithm: each worker reads its own slice of the
// text every epoch (the reference lets each thread read on from its start offset, wrapping around, until the shared
// count reaches `epoch × ntokens`, where ntokens includes the rare words it skips — slightly more than
// `epoch` passes); random numbers come from the project's 64-bit LCG instead of `std::minstd_rand`; and
// `</s>` is dictionary entry 0, not sorted among the words. One thread and a fixed seed give the same model
// bit for bit on every run.
/// <summary>
/// Trains fastText subword vectors (skip-gram or CBOW, Bojanowski et al. 2017) as the reference <c>fasttext</c> does.
/// </summary>
/// <example>
/// <code>
/// var result = FastTextTrainer.Train("corpus.txt", new FastTextOptions { Architecture = FastTextArchitecture.SkipGram, Dimensions = 100 });
/// WordVectors vectors = result.Model.ToWordVectors();
/// </code>
/// The sample <c>samples/LexicalVsSemantic</c> trains fastText vectors for dense retrieval.
/// </example>
public static class FastTextTrainer
{
    /// <summary>
    /// Trains a skip-gram or CBOW model (Bojanowski et al. 2017) on the UTF-8 text file <paramref name="textPath"/>
    /// (gzip when it ends in <c>.gz</c>; one line = one sentence), as the reference <c>fasttext skipgram|cbow</c> does:
    /// see the remarks of <see cref="FastTextOptions"/> and the pipeline comment at the top of this file.
    /// </summary>
    public static FastTextResult Train(string textPath, FastTextOptions? options = null, IProgress<FastTextProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(textPath);
        if (!File.Exists(textPath)) throw new FileNotFoundException($"{textPath}: training text not found", textPath);
        return Train(() => TextLines.OpenRead(textPath), options, progress, cancellationToken);
    }

    /// <summary>
    /// Trains on the text that <paramref name="openText"/> returns; it is called once to count the vocabulary and once
    /// per epoch, and must give the same bytes each time.
    /// </summary>
    internal static FastTextResult Train(Func<Stream> openText, FastTextOptions? options = null, IProgress<FastTextProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openText);
        options ??= new FastTextOptions();
        options.Validate();
        var total = Stopwatch.StartNew();
        var vocabularyOptions = new Word2VecOptions { MinCount = options.MinCount, MaxVocabulary = int.MaxValue };
        var reports = progress is null ? null : new ProgressAdapter(progress);
        var vocabulary = Word2VecVocabulary.Build(openText, vocabularyOptions, reports, cancellationToken);
        var trainer = new FastTextSgd(vocabulary, options);
        var training = Stopwatch.StartNew();
        trainer.Run(openText, reports, cancellationToken);
        training.Stop();
        var model = new FastTextModel(options, vocabulary.Words, vocabulary.Counts, new byte[vocabulary.Count], trainer.AllTokens, trainer.Input, trainer.Output, vocabulary.Count);
        return new FastTextResult(model, trainer.Tokens, trainer.TokensProcessed, training.Elapsed, total.Elapsed);
    }

    /// <summary>The shared vocabulary pass and the workers report word2vec's figures; fastText's callers see them as tokens.</summary>
    private sealed class ProgressAdapter(IProgress<FastTextProgress> target) : IProgress<Word2VecProgress>
    {
        public void Report(Word2VecProgress value) => target.Report(new FastTextProgress(
            value.Phase == Word2VecPhase.Training, value.WordsProcessed, value.TotalWords, value.WordsPerSecond, value.Alpha, value.Epoch));
    }
}

/// <summary>
/// A progress report of <see cref="FastTextTrainer.Train(Func{Stream}, FastTextOptions?, IProgress{FastTextProgress}?, CancellationToken)"/>:
/// first the vocabulary pass (<see cref="Training"/> false; <see cref="TokensProcessed"/> counts tokens read), then the
/// epochs (<see cref="TokensProcessed"/> out of <see cref="TotalTokens"/> = epochs × training tokens, line ends included).
/// </summary>
public readonly record struct FastTextProgress
{
    internal FastTextProgress(bool Training, long TokensProcessed, long TotalTokens, double TokensPerSecond, double LearningRate, int Epoch)
    {
        this.Training = Training; this.TokensProcessed = TokensProcessed; this.TotalTokens = TotalTokens;
        this.TokensPerSecond = TokensPerSecond; this.LearningRate = LearningRate; this.Epoch = Epoch;
    }

    /// <summary>False while the vocabulary is counted, true during the epochs.</summary>
    public bool Training { get; }

    /// <summary>Tokens read so far.</summary>
    public long TokensProcessed { get; }

    /// <summary>Tokens to read over all epochs (0 while counting the vocabulary).</summary>
    public long TotalTokens { get; }

    /// <summary>Throughput so far.</summary>
    public double TokensPerSecond { get; }

    /// <summary>The current learning rate (fastText's <c>lr</c>, falling linearly to 0).</summary>
    public double LearningRate { get; }

    /// <summary>The epoch in progress, counted from 0.</summary>
    public int Epoch { get; }

    /// <summary>Percent of the training done (0 while counting the vocabulary).</summary>
    public double Percent => TotalTokens > 0 ? 100.0 * TokensProcessed / TotalTokens : 0;
}

/// <summary>
/// A trained model and its figures: <see cref="TrainingTokens"/> in-vocabulary tokens per epoch (line ends
/// included), <see cref="TokensProcessed"/> over all epochs, and the training and total wall-clock times.
/// </summary>
public sealed record FastTextResult
{
    internal FastTextResult(FastTextModel Model, long TrainingTokens, long TokensProcessed, TimeSpan TrainingTime, TimeSpan TotalTime)
    {
        this.Model = Model; this.TrainingTokens = TrainingTokens; this.TokensProcessed = TokensProcessed; this.TrainingTime = TrainingTime; this.TotalTime = TotalTime;
    }

    /// <summary>The trained model.</summary>
    public FastTextModel Model { get; }

    /// <summary>In-vocabulary tokens per epoch, line ends included.</summary>
    internal long TrainingTokens { get; }

    /// <summary>Tokens read over all epochs.</summary>
    public long TokensProcessed { get; }

    /// <summary>Wall-clock time of the epochs.</summary>
    public TimeSpan TrainingTime { get; }

    /// <summary>Wall-clock time of the whole run (vocabulary pass included).</summary>
    internal TimeSpan TotalTime { get; }
}
