using System.Diagnostics;
using LmToLlm.Corpora;

namespace LmToLlm.Embeddings.FastText;

/// <summary>
/// Trains unsupervised fastText models (Bojanowski, Grave, Joulin and Mikolov 2017, "Enriching Word Vectors with
/// Subword Information") with the reference implementation's defaults and update rules: a word is represented by its
/// own vector plus the vectors of its character n-grams (<c>minn</c>..<c>maxn</c> characters of <c>&lt;word&gt;</c>,
/// hashed into <c>bucket</c> rows), so words never seen in training still get vectors.
/// </summary>
/// <remarks>
/// <para>Pipeline: count words (the Word2Vec vocabulary pass; <c>&lt;/s&gt;</c> counts line ends) → input matrix of
/// <c>(words + bucket) × dim</c> uniform in <c>[−1/dim, 1/dim)</c>, output matrix of zeros → <c>epoch</c> passes over the
/// text, read again each time, shared by <see cref="FastTextOptions.Threads"/> Hogwild workers.</para>
/// <para>Per line (≤ 1024 tokens, <c>&lt;/s&gt;</c> included as a word): subsampling keeps a word of frequency f with
/// probability <c>√(t/f) + t/f</c>; each position draws a window b ∈ 1..ws. Skip-gram: the mean of the centre word's
/// subword rows predicts each context word; CBOW: the mean of the context words' subword rows predicts the centre.
/// Negative sampling draws from <c>count^0.5</c>; σ comes from a 512-entry table over [−8, 8]; the gradient is added to
/// every subword row. The learning rate falls linearly, <c>lr_t = lr·(1 − done/(epoch·tokens))</c>, recomputed per line
/// from a token count shared every <c>lrUpdateRate</c> tokens.</para>
/// <para>Differences from the reference, none of which changes the algorithm: each worker reads its own slice of the
/// text every epoch (the reference lets each thread read on from its start offset, wrapping around, until the shared
/// count reaches <c>epoch × ntokens</c>, where ntokens includes the rare words it skips — slightly more than
/// <c>epoch</c> passes); random numbers come from the project's 64-bit LCG instead of <c>std::minstd_rand</c>; and
/// <c>&lt;/s&gt;</c> is dictionary entry 0, not sorted among the words. One thread and a fixed seed give the same model
/// bit for bit on every run.</para>
/// </remarks>
public static class FastText
{
    /// <summary>Trains on the UTF-8 text file <paramref name="textPath"/> (gzip when it ends in <c>.gz</c>); one line = one sentence.</summary>
    public static FastTextResult Train(string textPath, FastTextOptions? options = null, IProgress<Word2VecProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(textPath);
        if (!File.Exists(textPath)) throw new FileNotFoundException($"{textPath}: training text not found", textPath);
        return Train(() => TextLines.OpenRead(textPath), options, progress, cancellation);
    }

    /// <summary>
    /// Trains on the text that <paramref name="openText"/> returns; it is called once to count the vocabulary and once
    /// per epoch, and must give the same bytes each time.
    /// </summary>
    public static FastTextResult Train(Func<Stream> openText, FastTextOptions? options = null, IProgress<Word2VecProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(openText);
        options ??= new FastTextOptions();
        options.Validate();
        var total = Stopwatch.StartNew();
        var vocabularyOptions = new Word2VecOptions { MinCount = options.MinCount, MaxVocabulary = int.MaxValue };
        var vocabulary = Word2VecVocabulary.Build(openText, vocabularyOptions, progress, cancellation);
        var trainer = new FastTextTrainer(vocabulary, options);
        var training = Stopwatch.StartNew();
        trainer.Run(openText, progress, cancellation);
        training.Stop();
        var model = new FastTextModel(options, vocabulary.Words, vocabulary.Counts, new byte[vocabulary.Count], trainer.AllTokens, trainer.Input, trainer.Output, vocabulary.Count);
        return new FastTextResult(model, trainer.Tokens, trainer.TokensProcessed, training.Elapsed, total.Elapsed);
    }
}

/// <summary>
/// A trained model and its figures: <paramref name="TrainingTokens"/> in-vocabulary tokens per epoch (line ends
/// included), <paramref name="TokensProcessed"/> over all epochs, and the training and total wall-clock times.
/// </summary>
public sealed record FastTextResult(FastTextModel Model, long TrainingTokens, long TokensProcessed, TimeSpan TrainingTime, TimeSpan TotalTime);
