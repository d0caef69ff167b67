namespace LmToLlm.SuffixArrays;

/// <summary>How much of one evaluation example occurs in the training corpus.</summary>
public sealed record ContaminationResult
{
    internal ContaminationResult(string Id, int Tokens, int LongestSpan, int NGrams, int NGramsFound, bool Contaminated)
    {
        this.Id = Id; this.Tokens = Tokens; this.LongestSpan = LongestSpan; this.NGrams = NGrams; this.NGramsFound = NGramsFound; this.Contaminated = Contaminated;
    }

    /// <summary>The example's id (its line number, or its <c>_id</c>).</summary>
    public string Id { get; }

    /// <summary>Tokens in the example.</summary>
    public int Tokens { get; }

    /// <summary>The longest run of its tokens that occurs in the training corpus.</summary>
    public int LongestSpan { get; }

    /// <summary>Its n-grams (1 when it is shorter than n: the whole example).</summary>
    public int NGrams { get; }

    /// <summary>Those that occur in the training corpus.</summary>
    public int NGramsFound { get; }

    /// <summary>At least one n-gram found and <see cref="Share"/> ≥ the threshold.</summary>
    public bool Contaminated { get; }

    /// <summary>NGramsFound / NGrams (0 for an empty example).</summary>
    public double Share => NGrams == 0 ? 0 : NGramsFound / (double)NGrams;
}

/// <summary>
/// Test-set contamination against a training index, as in GPT-3 (Brown et al. 2020, appendix C): an example is
/// contaminated when its n-grams (n = 13) occur in the training data — here when at least one does and their share
/// reaches a threshold (0: any overlap, GPT-3's rule). Also reports the longest span of the example found in
/// training (matching statistics: the match from token i + 1 is at least the one from token i minus one).
/// Input: an index and examples. Output: one result per example, in order.
/// </summary>
public static class Contamination
{
    /// <summary>GPT-3's n.</summary>
    internal const int DefaultN = 13;

    /// <summary>Checks each example of <paramref name="examples"/> (id, text).</summary>
    public static IEnumerable<ContaminationResult> Check(SuffixArrayIndex index, IEnumerable<(string Id, string Text)> examples, int n = DefaultN, double threshold = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (!(threshold >= 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the threshold is a share in [0, 1]");
        foreach (var (id, text) in examples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            index.TryEncode(index.Tokenize(text), out uint[] ids);
            yield return Check(index, id, ids, n, threshold);
        }
    }

    private static ContaminationResult Check(SuffixArrayIndex index, string id, uint[] ids, int n, double threshold)
    {
        int m = ids.Length, longest = 0, match = 0;
        for (int i = 0; i < m; i++)
        {
            match = Math.Max(0, match - 1);
            while (i + match < m && index.Count(ids.AsSpan(i, match + 1)) > 0) match++;
            longest = Math.Max(longest, match);
        }
        int grams = m == 0 ? 0 : Math.Max(1, m - n + 1), found = 0;
        for (int i = 0; i < grams; i++)
            if (index.Count(ids.AsSpan(i, Math.Min(n, m))) > 0) found++;
        bool contaminated = found > 0 && found >= threshold * grams;
        return new ContaminationResult(id, m, longest, grams, found, contaminated);
    }
}
