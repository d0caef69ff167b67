namespace LmToLlm.Embeddings.FastText;

/// <summary>fastText's <c>-model</c> (the numbers are those stored in a <c>.bin</c> file).</summary>
public enum FastTextArchitecture
{
    /// <summary><c>cbow</c>: the mean of the context words' subword rows predicts the middle word.</summary>
    Cbow = 1,

    /// <summary><c>skipgram</c>: the mean of the middle word's subword rows predicts each context word.</summary>
    SkipGram = 2,

    /// <summary><c>supervised</c> (text classification; its models can be read but not trained here).</summary>
    Supervised = 3,
}

/// <summary>fastText's <c>-loss</c> (the numbers are those stored in a <c>.bin</c> file).</summary>
internal enum FastTextLoss
{
    /// <summary><c>hs</c>: hierarchical softmax.</summary>
    HierarchicalSoftmax = 1,

    /// <summary><c>ns</c>: negative sampling (the default for skipgram and cbow; the only loss trained here).</summary>
    NegativeSampling = 2,

    /// <summary><c>softmax</c>.</summary>
    Softmax = 3,

    /// <summary><c>ova</c>: one-vs-all.</summary>
    OneVsAll = 4,
}

/// <summary>
/// Hyper-parameters of fastText, with the reference tool's defaults for <c>skipgram</c>/<c>cbow</c>
/// (facebookresearch/fastText <c>Args</c>). The first thirteen are stored in a <c>.bin</c> model; the learning rate,
/// threads and seed are not.
/// </summary>
public sealed record FastTextOptions
{
    /// <summary>The defaults.</summary>
    public static FastTextOptions Default { get; } = new();

    /// <summary><c>-model</c>: skip-gram (default here) or CBOW.</summary>
    public FastTextArchitecture Architecture { get; init; } = FastTextArchitecture.SkipGram;

    /// <summary><c>-dim</c>: vector size (default 100).</summary>
    public int Dimensions { get; init; } = 100;

    /// <summary><c>-ws</c>: maximum context distance; each position draws its window uniformly from 1..ws (default 5).</summary>
    public int Window { get; init; } = 5;

    /// <summary><c>-epoch</c>: passes over the text (default 5).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary><c>-minCount</c>: words seen fewer times are dropped (default 5).</summary>
    public int MinCount { get; init; } = 5;

    /// <summary><c>-neg</c>: negatives per positive, drawn from <c>count^0.5</c> (default 5).</summary>
    internal int Negative { get; init; } = 5;

    /// <summary><c>-wordNgrams</c>: word n-gram length (1 for unsupervised models; only 1 is trained here).</summary>
    internal int WordNGrams { get; init; } = 1;

    /// <summary><c>-loss</c> (default negative sampling, the only one trained here).</summary>
    internal FastTextLoss Loss { get; init; } = FastTextLoss.NegativeSampling;

    /// <summary><c>-bucket</c>: rows that character n-grams are hashed into (default 2,000,000).</summary>
    public int Bucket { get; init; } = 2_000_000;

    /// <summary><c>-minn</c>: shortest character n-gram (default 3).</summary>
    public int MinN { get; init; } = 3;

    /// <summary><c>-maxn</c>: longest character n-gram (default 6; 0 disables subwords, giving word2vec-like vectors).</summary>
    public int MaxN { get; init; } = 6;

    /// <summary><c>-lrUpdateRate</c>: the learning rate is recomputed every this many tokens (default 100).</summary>
    internal int LearningRateUpdateRate { get; init; } = 100;

    /// <summary><c>-t</c>: subsampling threshold; a word of frequency f is kept with probability <c>√(t/f) + t/f</c> (default 1e-4).</summary>
    internal double Sample { get; init; } = 1e-4;

    /// <summary><c>-lr</c>: starting learning rate, falling linearly to 0 (default 0.05, the reference's for skipgram and cbow).</summary>
    internal double LearningRate { get; init; } = 0.05;

    /// <summary><c>-thread</c>: Hogwild workers (default: all cores; the reference's default is 12).</summary>
    internal int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary><c>-seed</c>: random seed (default 0, as the reference); with one thread training is reproducible bit for bit.</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (Architecture is not (FastTextArchitecture.SkipGram or FastTextArchitecture.Cbow))
            throw new ArgumentException("only skipgram and cbow models can be trained", nameof(Architecture));
        if (Loss != FastTextLoss.NegativeSampling) throw new ArgumentException("only the negative-sampling loss (ns) can be trained", nameof(Loss));
        if (WordNGrams != 1) throw new ArgumentException("unsupervised training uses wordNgrams 1", nameof(WordNGrams));
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimensions, 1, nameof(Dimensions));
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCount, 1, nameof(MinCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(Negative, 1, nameof(Negative));
        ArgumentOutOfRangeException.ThrowIfNegative(Bucket, nameof(Bucket));
        ArgumentOutOfRangeException.ThrowIfNegative(MinN, nameof(MinN));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxN, nameof(MaxN));
        if (MaxN > 0 && MinN > MaxN) throw new ArgumentException($"minn ({MinN}) is larger than maxn ({MaxN})", nameof(MinN));
        ArgumentOutOfRangeException.ThrowIfLessThan(LearningRateUpdateRate, 1, nameof(LearningRateUpdateRate));
        ArgumentOutOfRangeException.ThrowIfNegative(Sample, nameof(Sample));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate, nameof(LearningRate));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
    }
}
