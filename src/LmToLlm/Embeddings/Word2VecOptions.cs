namespace LmToLlm.Embeddings;

/// <summary>The two word2vec architectures (Mikolov et al. 2013, "Efficient Estimation of Word Representations in Vector Space").</summary>
public enum Word2VecArchitecture
{
    /// <summary>Continuous skip-gram: each word predicts the words around it (word2vec.c <c>-cbow 0</c>).</summary>
    SkipGram,

    /// <summary>Continuous bag of words: the mean of the context vectors predicts the middle word (word2vec.c <c>-cbow 1</c>, its default).</summary>
    Cbow,
}

/// <summary>
/// Training settings. Every default is word2vec.c's (commit 20c129a) except <see cref="MaxDegreeOfParallelism"/> (word2vec.c: 12;
/// here the number of cores) and the learning rate default, which depends on the architecture as in word2vec.c.
/// </summary>
public sealed record Word2VecOptions
{
    /// <summary>The defaults.</summary>
    public static Word2VecOptions Default { get; } = new();

    /// <summary>Architecture; default <see cref="Word2VecArchitecture.Cbow"/> (word2vec.c <c>-cbow 1</c>).</summary>
    public Word2VecArchitecture Architecture { get; init; } = Word2VecArchitecture.Cbow;

    /// <summary>Vector length (<c>-size</c>); default 100.</summary>
    public int Dimensions { get; init; } = 100;

    /// <summary>Maximum distance between the middle word and a context word (<c>-window</c>); default 5. The window actually used
    /// at each position is drawn uniformly from 1..Window ("window shrink").</summary>
    public int Window { get; init; } = 5;

    /// <summary>Negative samples per positive one, drawn from the unigram distribution raised to 0.75 (<c>-negative</c>); default 5; 0 turns negative sampling off.</summary>
    public int Negative { get; init; } = 5;

    /// <summary>Hierarchical softmax over a Huffman tree of the vocabulary (<c>-hs 1</c>); default false.</summary>
    internal bool HierarchicalSoftmax { get; init; }

    /// <summary>Subsampling threshold <c>t</c> (<c>-sample</c>); default 1e-3; 0 turns it off. A word with count <c>c</c> among
    /// <c>T</c> training words is kept with probability <c>(√(c/(tT)) + 1)·tT/c</c>.</summary>
    public double Sample { get; init; } = 1e-3;

    /// <summary>Words occurring fewer times are dropped (<c>-min-count</c>); default 5.</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Most distinct words kept while counting; when exceeded, the rarest are pruned as word2vec.c's <c>ReduceVocab</c>
    /// does (counts ≤ 1, then ≤ 2, …). Default 21,000,000 (word2vec.c: 0.7 × its 30M hash table).</summary>
    public int MaxVocabulary { get; init; } = 21_000_000;

    /// <summary>Passes over the text (<c>-iter</c>); default 5.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Starting learning rate α (<c>-alpha</c>); null means word2vec.c's default: 0.025 for skip-gram, 0.05 for CBOW.
    /// By default it falls linearly to α/2 over all epochs, <c>α_t = α·(1 − ½·done/(epochs·T))</c>; with word2vec.c
    /// compatibility it falls to α·1e-4: <c>α_t = α·max(1e-4, 1 − done/(epochs·T + 1))</c>.</summary>
    public double? Alpha { get; init; }

    /// <summary>Worker threads (Hogwild: lock-free shared updates); default the number of cores. With 1 thread training is
    /// bit-for-bit reproducible for a given <see cref="Seed"/>.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the linear congruential generator word2vec.c uses (its initial state is 1 for the weights and
    /// the thread number for each thread); default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Which implementation's training loop to follow; default <see cref="Word2VecCompatibility.Gensim"/>.</summary>
    internal Word2VecCompatibility Compatibility { get; init; }

    /// <summary>The starting learning rate actually used.</summary>
    internal double StartingAlpha => Alpha ?? (Architecture == Word2VecArchitecture.Cbow ? 0.05 : 0.025);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimensions, 1, nameof(Dimensions));
        if (Dimensions > WordVectors.MaxDimensions)
            throw new ArgumentOutOfRangeException(nameof(Dimensions), Dimensions, $"--size {Dimensions} is above the supported maximum {WordVectors.MaxDimensions} (WordVectors.MaxDimensions, a compile-time limit)");
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfNegative(Negative, nameof(Negative));
        if (Negative == 0 && !HierarchicalSoftmax) throw new ArgumentException("choose negative sampling (Negative > 0), hierarchical softmax, or both");
        ArgumentOutOfRangeException.ThrowIfNegative(Sample, nameof(Sample));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCount, 1, nameof(MinCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxVocabulary, 2, nameof(MaxVocabulary));
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
        if (!(StartingAlpha > 0)) throw new ArgumentOutOfRangeException(nameof(Alpha), "the learning rate must be positive");
    }
}

/// <summary>The reference whose training loop the trainer follows.</summary>
internal enum Word2VecCompatibility
{
    /// <summary>
    /// gensim 4.2's <c>corpus_file</c> trainer: negatives drawn without <c>&lt;/s&gt;</c>, lines of up to 10,000 kept
    /// words, its range of initial vectors, its subsampling total (no line ends) and its learning-rate schedule, with
    /// skip-gram's workers in step by epoch.
    /// </summary>
    Gensim,

    /// <summary>word2vec.c (commit 20c129a, every epoch trained): its unigram table, 1,000-word sentences and global linear decay.</summary>
    Word2VecC,
}

/// <summary>What the trainer is doing.</summary>
public enum Word2VecPhase
{
    /// <summary>First pass: counting words.</summary>
    Vocabulary,

    /// <summary>The training epochs.</summary>
    Training,
}

/// <summary>
/// A progress report. During <see cref="Word2VecPhase.Training"/>, <see cref="WordsProcessed"/> counts the words read
/// (in-vocabulary tokens and one <c>&lt;/s&gt;</c> per line, before subsampling, as word2vec.c counts) out of
/// <see cref="TotalWords"/> = epochs × training words; during <see cref="Word2VecPhase.Vocabulary"/> it counts tokens read.
/// </summary>
public readonly record struct Word2VecProgress
{
    internal Word2VecProgress(Word2VecPhase Phase, long WordsProcessed, long TotalWords, double WordsPerSecond, double Alpha, int Epoch)
    {
        this.Phase = Phase; this.WordsProcessed = WordsProcessed; this.TotalWords = TotalWords; this.WordsPerSecond = WordsPerSecond; this.Alpha = Alpha; this.Epoch = Epoch;
    }

    /// <summary>What the trainer is doing.</summary>
    public Word2VecPhase Phase { get; }

    /// <summary>Words read so far (see above).</summary>
    public long WordsProcessed { get; }

    /// <summary>Words to read over all epochs (0 while counting the vocabulary).</summary>
    public long TotalWords { get; }

    /// <summary>Throughput so far.</summary>
    public double WordsPerSecond { get; }

    /// <summary>The current learning rate.</summary>
    public double Alpha { get; }

    /// <summary>The epoch in progress, counted from 0.</summary>
    public int Epoch { get; }

    /// <summary>Percent of the training done (0 while counting the vocabulary).</summary>
    public double Percent => TotalWords > 0 ? 100.0 * WordsProcessed / TotalWords : 0;
}

/// <summary>The outcome of <see cref="Word2VecTrainer.Train(string, Word2VecOptions?, IProgress{Word2VecProgress}?, CancellationToken)"/>.</summary>
public sealed record Word2VecResult
{
    internal Word2VecResult(WordVectors Vectors, IReadOnlyList<long> Counts, long TrainingWords, long CorpusTokens, long WordsProcessed, TimeSpan TrainingTime, TimeSpan TotalTime)
    {
        this.Vectors = Vectors; this.Counts = Counts; this.TrainingWords = TrainingWords; this.CorpusTokens = CorpusTokens; this.WordsProcessed = WordsProcessed; this.TrainingTime = TrainingTime; this.TotalTime = TotalTime;
    }

    /// <summary>The input vectors (word2vec.c's <c>syn0</c>), <c>&lt;/s&gt;</c> first, then by descending count.</summary>
    public WordVectors Vectors { get; }

    /// <summary>The count of each word of <see cref="Vectors"/> in the text.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>Words per epoch as word2vec.c counts them ("Words in train file").</summary>
    internal long TrainingWords { get; }

    /// <summary>Whitespace-separated tokens in the text (all words, rare ones included).</summary>
    public long CorpusTokens { get; }

    /// <summary>Words read in all epochs (equals epochs × <see cref="TrainingWords"/>).</summary>
    public long WordsProcessed { get; }

    /// <summary>Wall time of the training epochs (without counting the vocabulary).</summary>
    public TimeSpan TrainingTime { get; }

    /// <summary>Wall time of the whole call.</summary>
    internal TimeSpan TotalTime { get; }
}
