namespace LmToLlm.Embeddings.GloVe;

/// <summary>
/// Settings of <see cref="GloVeTrainer.Train(string, GloVeOptions?, IProgress{GloVeProgress}?, CancellationToken)"/>. Defaults
/// are those of the reference tools (<c>stanfordnlp/GloVe</c>: <c>vocab_count</c>, <c>cooccur</c>, <c>glove</c>) except
/// where noted; the reference's demo script (<c>demo.sh</c>) uses min-count 5, window 15, 50 dimensions, 15 iterations
/// and x_max 10.
/// </summary>
public sealed record GloVeOptions
{
    /// <summary>The defaults.</summary>
    public static GloVeOptions Default { get; } = new();

    /// <summary>Words rarer than this are dropped (<c>vocab_count -min-count</c>). Default 5 (the demo script's; the tool's own default is 1).</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Keep at most this many words, the most frequent (<c>vocab_count -max-vocab</c>); 0 = no limit (default).</summary>
    internal int MaxVocabulary { get; init; }

    /// <summary>Context words on each side of a word (<c>cooccur -window-size</c>). Default 15 (tool and demo).</summary>
    public int Window { get; init; } = 15;

    /// <summary>Count left and right context (<c>cooccur -symmetric 1</c>, default) or only the left (0).</summary>
    internal bool Symmetric { get; init; } = true;

    /// <summary>A pair at distance <c>d</c> adds <c>1/d</c> (<c>cooccur -distance-weighting 1</c>, default) or 1.</summary>
    internal bool DistanceWeighting { get; init; } = true;

    /// <summary>
    /// Memory for the co-occurrence counting tables, in bytes (<c>cooccur -memory</c>, given there in GB; default 3 GB
    /// there, 1 GiB here). Split as the reference splits it: a dense table for pairs whose frequency ranks multiply to
    /// less than <c>n</c> with <c>n(ln n + 0.1544) = 0.85·budget/16</c>, and a buffer of <c>budget/(6·16)</c> sparse
    /// records that is sorted, summed and spilled to a temporary file each time it fills.
    /// </summary>
    internal long MemoryBudget { get; init; } = 1L << 30;

    /// <summary>Folder for the spilled runs (deleted when counting ends); null = the system temporary folder.</summary>
    internal string? TempDirectory { get; init; }

    /// <summary>Vector dimensions (<c>glove -vector-size</c>). Default 50.</summary>
    public int Dimensions { get; init; } = 50;

    /// <summary>Passes over the shuffled co-occurrences (<c>glove -iter</c>). Default 25.</summary>
    public int Iterations { get; init; } = 25;

    /// <summary>Initial AdaGrad learning rate η (<c>glove -eta</c>). Default 0.05.</summary>
    internal double Eta { get; init; } = 0.05;

    /// <summary>Exponent α of the weighting function <c>f(x) = (x/x_max)^α</c> below x_max (<c>glove -alpha</c>). Default 0.75.</summary>
    internal double Alpha { get; init; } = 0.75;

    /// <summary>Cut-off x_max of the weighting function (<c>glove -x-max</c>). Default 100.</summary>
    public double XMax { get; init; } = 100;

    /// <summary>Each gradient component is clipped to [−clip, clip] (<c>glove -grad-clip</c>). Default 100.</summary>
    internal double GradientClip { get; init; } = 100;

    /// <summary>Worker threads (Hogwild, <c>glove -threads</c>); default all cores. One thread and a seed give bit-identical vectors.</summary>
    internal int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Seed of the initialisation and the shuffle (<c>glove -seed</c>, <c>shuffle -seed</c>; the reference's 0 means "time", here 0 is a seed like any other). Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Append the row <c>&lt;unk&gt;</c>, the mean of the last (rarest) min(100, V) rows, as <c>glove</c> always does in
    /// its text output. Default true. A corpus word <c>&lt;unk&gt;</c> is then an error, as in <c>vocab_count</c>.
    /// </summary>
    public bool UnknownVector { get; init; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCount, 1, nameof(MinCount));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxVocabulary, nameof(MaxVocabulary));
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1, nameof(Window));
        ArgumentOutOfRangeException.ThrowIfLessThan(MemoryBudget, 1024, nameof(MemoryBudget));
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimensions, 1, nameof(Dimensions));
        ArgumentOutOfRangeException.ThrowIfNegative(Iterations, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
        if (!(Eta > 0) || double.IsInfinity(Eta)) throw new ArgumentOutOfRangeException(nameof(Eta), Eta, "eta must be a positive number");
        if (!(Alpha >= 0) || double.IsInfinity(Alpha)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "alpha must be a non-negative number");
        if (!(XMax > 0) || double.IsInfinity(XMax)) throw new ArgumentOutOfRangeException(nameof(XMax), XMax, "x_max must be a positive number");
        if (!(GradientClip > 0)) throw new ArgumentOutOfRangeException(nameof(GradientClip), GradientClip, "the gradient clip must be positive");
    }
}

/// <summary>The stage a <see cref="GloVeProgress"/> report comes from.</summary>
public enum GloVePhase
{
    /// <summary>Counting words (first pass over the text).</summary>
    Vocabulary,

    /// <summary>Counting co-occurrences (second pass over the text), spilling and merging.</summary>
    Cooccurrence,

    /// <summary>AdaGrad iterations over the shuffled co-occurrences.</summary>
    Training,
}

/// <summary>
/// Progress of a GloVe run: in the counting phases <see cref="Done"/> counts tokens read; in training it counts
/// iterations finished of <see cref="Total"/>, and <see cref="Cost"/> is the mean weighted squared error
/// <c>½·f(x)(w·w̃ + b + b̃ − ln x)²</c> of the last iteration (what <c>glove</c> prints as "cost").
/// </summary>
public readonly record struct GloVeProgress
{
    internal GloVeProgress(GloVePhase Phase, long Done, long Total, double Cost)
    {
        this.Phase = Phase; this.Done = Done; this.Total = Total; this.Cost = Cost;
    }

    /// <summary>What the trainer is doing.</summary>
    public GloVePhase Phase { get; }

    /// <summary>Units done in this phase (tokens, or iterations while training).</summary>
    public long Done { get; }

    /// <summary>Units in the phase, or 0 when unknown.</summary>
    public long Total { get; }

    /// <summary>The mean weighted squared error of the last iteration (0 before training).</summary>
    public double Cost { get; }

    /// <summary>Per cent done within the phase (0 when the total is unknown).</summary>
    public double Percent => Total > 0 ? 100.0 * Done / Total : 0;
}

/// <summary>
/// What <see cref="GloVeTrainer.Train(string, GloVeOptions?, IProgress{GloVeProgress}?, CancellationToken)"/> returns:
/// the vectors (W + W̃ per word, in vocabulary order, then <c>&lt;unk&gt;</c> when asked), the word counts, the
/// number of tokens read, of non-zero co-occurrence cells, of spilled runs, the mean cost of the last iteration, and
/// the wall times of the counting (vocabulary + co-occurrences) and of the training.
/// </summary>
public sealed record GloVeResult
{
    internal GloVeResult(WordVectors Vectors, IReadOnlyList<long> Counts, long CorpusTokens, long Cooccurrences, int SpilledRuns, double FinalCost, TimeSpan CountingTime, TimeSpan TrainingTime)
    {
        this.Vectors = Vectors; this.Counts = Counts; this.CorpusTokens = CorpusTokens; this.Cooccurrences = Cooccurrences; this.SpilledRuns = SpilledRuns; this.FinalCost = FinalCost; this.CountingTime = CountingTime; this.TrainingTime = TrainingTime;
    }

    /// <summary>W + W̃ per word, in vocabulary order, then <c>&lt;unk&gt;</c> when asked.</summary>
    public WordVectors Vectors { get; }

    /// <summary>Word counts, in vocabulary order.</summary>
    public IReadOnlyList<long> Counts { get; }

    /// <summary>Tokens in the text.</summary>
    public long CorpusTokens { get; }

    /// <summary>Non-zero co-occurrence cells.</summary>
    public long Cooccurrences { get; }

    /// <summary>Sorted runs written to disk while counting (0 when the budget held every pair).</summary>
    internal int SpilledRuns { get; }

    /// <summary>The cost of the last iteration.</summary>
    internal double FinalCost { get; }

    /// <summary>Wall-clock time of the vocabulary and co-occurrence passes.</summary>
    public TimeSpan CountingTime { get; }

    /// <summary>Wall-clock time of the training iterations.</summary>
    public TimeSpan TrainingTime { get; }
}
