namespace LmToLlm;

/// <summary>
/// How far a long job got, reported through <see cref="IProgress{T}"/> by the n-gram counter and trainer, the
/// data cleaners and the suffix-array builder: the stage that runs, units done, and units in all (0 when unknown).
/// </summary>
public readonly record struct StageProgress
{
    internal StageProgress(string Stage, long Done, long Total)
    {
        this.Stage = Stage; this.Done = Done; this.Total = Total;
    }

    /// <summary>What runs, e.g. <c>counting</c>, <c>signatures</c>, <c>sorting</c>, <c>writing</c>.</summary>
    public string Stage { get; }

    /// <summary>Units processed so far (lines, documents, n-grams or symbols, as the stage counts).</summary>
    public long Done { get; }

    /// <summary>Units in all, or 0 when unknown.</summary>
    public long Total { get; }
}
