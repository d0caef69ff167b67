using System.Diagnostics;
using LmToLlm.Corpora;

namespace LmToLlm.Embeddings;

/// <summary>
/// Trains word vectors with the algorithm of word2vec.c (Mikolov et al. 2013a, "Efficient Estimation of Word
/// Representations in Vector Space"; 2013b, "Distributed Representations of Words and Phrases and their
/// Compositionality"), reproducing its defaults, sampling and update rules, and training every epoch (word2vec.c
/// commit 20c129a stops a thread's later epochs once it has seen end-of-file; this implementation does not).
/// </summary>
/// <remarks>
/// <para>Pipeline: count words (one pass) → sort into a vocabulary (<c>&lt;/s&gt;</c> first, then by count, min-count
/// applied) → initialise input vectors uniformly in <c>[−1, 1)/dim</c> (word2vec.c: <c>[−0.5, 0.5)/dim</c>), output vectors to 0 → <c>epochs</c> passes
/// over the text, read again each time (never held in memory), shared by <see cref="Word2VecOptions.MaxDegreeOfParallelism"/> workers
/// that update the shared weights without locks (Hogwild).</para>
/// <para>Per line (a sentence, at most 1000 kept words): frequent words are dropped at random
/// (<see cref="Word2VecOptions.Sample"/>); for each position a window <c>b</c> ∈ 1..window is drawn; skip-gram trains
/// each context word's input vector to predict the middle word, CBOW trains the mean of the context input vectors to
/// predict it. The output layer is negative sampling (<c>σ(u·v)</c> with label 1 for the word, 0 for <c>k</c> words drawn
/// from <c>count^0.75</c>) and/or hierarchical softmax (one logistic unit per Huffman-tree node on the word's path).
/// σ comes from word2vec.c's 1000-entry table over [−6, 6]. The learning rate falls linearly with the words
/// processed, updated every 10,000 words: by default to α/2 for CBOW and as gensim's per-worker sawtooth for skip-gram,
/// to α·1e-4 as word2vec.c.</para>
/// <para>The default follows what makes gensim 4.2's <c>corpus_file</c> trainer better than word2vec.c after few
/// epochs: negatives never come from <c>&lt;/s&gt;</c> (word2vec.c turns a draw of <c>&lt;/s&gt;</c> into a uniform word),
/// lines of up to 10,000 kept words (word2vec.c: 1,000), gensim's range of initial vectors, a subsampling total
/// without line ends (gensim has no <c>&lt;/s&gt;</c>), and a learning rate that stays high (see
/// <see cref="LearningRateToHalf"/> and <see cref="LearningRateSawtooth"/>); skip-gram also skips, as gensim does, a
/// negative-sampling update whose σ argument is outside ±6, and its workers, whose rates follow their own epochs, wait
/// for each other at every epoch's end as gensim's do. <c>Compatibility = Word2VecC</c> (CLI <c>--compat word2vec.c</c>) keeps word2vec.c's
/// loop: its unigram table, sentence length, initial range, subsampling total and schedule.</para>
/// </remarks>
/// <example>
/// <code>
/// var result = Word2VecTrainer.Train("corpus.txt.gz", new Word2VecOptions { Architecture = Word2VecArchitecture.SkipGram, Dimensions = 100 });
/// result.Vectors.Save("vectors.bin");
/// </code>
/// The sample <c>samples/WordAnalogies</c> trains vectors with a progress bar and evaluates them on analogies.
/// </example>
public static class Word2VecTrainer
{
    /// <summary>Trains on the UTF-8 text file <paramref name="textPath"/> (gzip when it ends in <c>.gz</c>); one line = one sentence.</summary>
    public static Word2VecResult Train(string textPath, Word2VecOptions? options = null, IProgress<Word2VecProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(textPath);
        if (!File.Exists(textPath)) throw new FileNotFoundException($"{textPath}: training text not found", textPath);
        return Train(() => TextLines.OpenRead(textPath), options, progress, cancellationToken);
    }

    /// <summary>
    /// Trains on the text that <paramref name="openText"/> returns; it is called once to count the vocabulary and once
    /// per epoch, and must give the same bytes each time.
    /// </summary>
    internal static Word2VecResult Train(Func<Stream> openText, Word2VecOptions? options = null, IProgress<Word2VecProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openText);
        options ??= new Word2VecOptions();
        options.Validate();
        var total = Stopwatch.StartNew();
        var vocabulary = Word2VecVocabulary.Build(openText, options, progress, cancellationToken);
        var trainer = new Word2VecSgd(vocabulary, options);
        var training = Stopwatch.StartNew();
        trainer.Run(openText, progress, cancellationToken);
        training.Stop();
        var vectors = WordVectors.Wrap(vocabulary.Words, trainer.InputVectors, options.Dimensions);
        return new Word2VecResult(vectors, Array.AsReadOnly(vocabulary.Counts), vocabulary.TrainingWords, vocabulary.CorpusTokens, trainer.WordsProcessed, training.Elapsed, total.Elapsed);
    }

    /// <summary>
    /// The learning rate after <paramref name="wordsDone"/> of <paramref name="epochs"/> × <paramref name="trainingWords"/>
    /// words (word2vec.c, in float): <c>α·(1 − done/(epochs·T + 1))</c>, never below <c>α·1e-4</c>.
    /// </summary>
    internal static float LearningRate(double startingAlpha, long wordsDone, long trainingWords, int epochs)
    {
        float start = (float)startingAlpha;
        float alpha = start * (1 - wordsDone / (float)(epochs * trainingWords + 1));
        float floor = (float)(start * 0.0001);
        return alpha < floor ? floor : alpha;
    }

    /// <summary>
    /// The default CBOW learning rate after <paramref name="wordsDone"/> of <paramref name="totalWords"/> words (all epochs):
    /// <c>α·(1 − ½·done/total)</c>, a linear fall from α to α/2. gensim 4.2's <c>corpus_file</c> trainer decays each
    /// worker's rate over its own share of the lines only, so with 2 workers and 3 epochs its rate never falls below
    /// α/6 and averages 0.58α; keeping the rate higher than word2vec.c's fall to 0 is what makes its vectors better after
    /// few epochs. On the 8 M-token reference corpus (3 epochs, CBOW, 2 threads) the fall to α/2 scored higher than
    /// both (benchmarks/README.md); for skip-gram it scored below both, which is why skip-gram follows gensim's own
    /// schedule (<see cref="LearningRateSawtooth"/>).
    /// </summary>
    internal static float LearningRateToHalf(double startingAlpha, long wordsDone, long totalWords) =>
        (float)(startingAlpha * (1 - 0.5 * Math.Min(1.0, wordsDone / (double)Math.Max(1, totalWords))));

    /// <summary>
    /// The skip-gram learning rate of one worker (gensim 4.2's <c>corpus_file</c> schedule): in epoch
    /// <paramref name="epoch"/>, after the worker has read <paramref name="workerWordsDone"/> words of the epoch's
    /// <paramref name="wordsPerEpoch"/>, <c>α − (α − α_min)·(epoch + done/perEpoch)/epochs</c> with α_min = 10⁻⁴, never below α_min.
    /// Each worker reads only its share of the lines, so its rate falls by 1/(workers·epochs) within an epoch and
    /// jumps back at the next: a sawtooth that stays far above word2vec.c's fall to 0.
    /// </summary>
    internal static float LearningRateSawtooth(double startingAlpha, int epoch, long workerWordsDone, long wordsPerEpoch, int epochs)
    {
        const double MinAlpha = 0.0001;
        double progress = (epoch + workerWordsDone / (double)Math.Max(1, wordsPerEpoch)) / epochs;
        return (float)Math.Max(MinAlpha, startingAlpha - (startingAlpha - MinAlpha) * progress);
    }

    /// <summary>
    /// Probability of keeping one occurrence of a word of count <paramref name="count"/> among <paramref name="trainingWords"/>
    /// under subsampling threshold <paramref name="sample"/> (word2vec.c, Mikolov et al. 2013b):
    /// <c>(√(c/(tT)) + 1)·tT/c</c>; a value ≥ 1 means the word is always kept (+∞ when sampling is off).
    /// </summary>
    internal static float KeepProbability(long count, double sample, long trainingWords) =>
        Word2VecVocabulary.KeepProbability(count, sample, trainingWords);
}
