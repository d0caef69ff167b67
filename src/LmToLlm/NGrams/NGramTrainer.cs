namespace LmToLlm.NGrams;

/// <summary>How probabilities are estimated from counts.</summary>
public enum Smoothing
{
    /// <summary>Interpolated modified Kneser-Ney (Chen &amp; Goodman 1998), exactly as KenLM <c>lmplz</c>'s default.</summary>
    ModifiedKneserNey,
    /// <summary>Interpolated Kneser-Ney with one discount D = n1/(n1+2 n2) per order (same pipeline as modified KN).</summary>
    KneserNey,
    /// <summary>Add-k (Laplace when k = 1) at the highest order: p(w|h) = (c(hw) + k) / (c(h) + k|V|).</summary>
    AddK,
    /// <summary>Maximum likelihood: p(w|h) = c(hw) / c(h), on the longest context seen in training.</summary>
    MaximumLikelihood,
    /// <summary>Stupid backoff (Brants et al. 2007): unnormalized scores; perplexity is refused.</summary>
    StupidBackoff,
}

/// <summary>Options of model estimation.</summary>
public sealed record NGramTrainingOptions
{
    /// <summary>The estimator; default <see cref="Smoothing.ModifiedKneserNey"/>.</summary>
    public Smoothing Smoothing { get; init; } = Smoothing.ModifiedKneserNey;

    /// <summary>
    /// Kneser-Ney only: when an order's discounts cannot be estimated (a count-of-counts is 0 or a discount leaves [0, k]),
    /// use D1 = 0.5, D2 = 1, D3+ = 1.5 for that order (as <c>lmplz --discount_fallback</c>) instead of failing. Default false.
    /// </summary>
    public bool DiscountFallback { get; init; }

    /// <summary>Add-k: the pseudo-count k (default 1 = Laplace).</summary>
    public double K { get; init; } = 1.0;

    /// <summary>Stupid backoff: the backoff factor α (default 0.4, as Brants et al.).</summary>
    public double Alpha { get; init; } = 0.4;

    /// <summary>
    /// Kneser-Ney only: free each order's raw counts as soon as its probabilities are computed, which lowers peak memory by
    /// about a third on large texts; the <see cref="NGramCounts"/> cannot be used afterwards. Default false.
    /// </summary>
    internal bool ReleaseCounts { get; init; }

    /// <summary>The defaults.</summary>
    public static NGramTrainingOptions Default { get; } = new();
}

/// <summary>Estimates language models from <see cref="NGramCounts"/>.</summary>
/// <example>
/// <code>
/// var counts = NGramCounts.FromLines(File.ReadLines("train.txt"), new NGramCountOptions { Order = 3 });
/// var model = NGramTrainer.Train(counts, new NGramTrainingOptions { Smoothing = Smoothing.ModifiedKneserNey });
/// Console.WriteLine(model.Perplexity(File.ReadLines("test.txt")).PerplexityIncludingOov);
/// </code>
/// The sample <c>samples/NGramPlayground</c> compares every smoothing on one text; <c>samples/QuickStart</c> trains a bigram model.
/// </example>
public static class NGramTrainer
{
    /// <summary>Estimates a model of order <see cref="NGramCounts.Order"/> from <paramref name="counts"/>.</summary>
    /// <exception cref="BadDiscountException">Kneser-Ney discounts out of range and no fallback requested.</exception>
    public static LanguageModel Train(NGramCounts counts, NGramTrainingOptions? options = null, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.IsReleased) throw new InvalidOperationException("these counts were freed by an earlier training run with ReleaseCounts = true");
        options ??= new NGramTrainingOptions();
        return options.Smoothing switch
        {
            Smoothing.ModifiedKneserNey => KneserNeyEstimator.Estimate(counts, modified: true, options.DiscountFallback, options.ReleaseCounts, progress, cancellationToken),
            Smoothing.KneserNey => KneserNeyEstimator.Estimate(counts, modified: false, options.DiscountFallback, options.ReleaseCounts, progress, cancellationToken),
            Smoothing.AddK => new AddKModel(counts, options.K),
            Smoothing.MaximumLikelihood => new MaximumLikelihoodModel(counts),
            Smoothing.StupidBackoff => new StupidBackoffModel(counts, options.Alpha),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Smoothing, "unknown smoothing"),
        };
    }

    /// <summary>Modified Kneser-Ney as <c>lmplz -o N</c>: the model that can be written as ARPA.</summary>
    internal static BackoffModel ModifiedKneserNey(NGramCounts counts, bool discountFallback = false, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return KneserNeyEstimator.Estimate(counts, modified: true, discountFallback, releaseCounts: false, progress, cancellationToken);
    }

    /// <summary>Parses a smoothing name: mkn, kn, addk (or laplace), mle, stupid.</summary>
    internal static Smoothing ParseSmoothing(string name) => name.ToLowerInvariant() switch
    {
        "mkn" or "modified-kneser-ney" => Smoothing.ModifiedKneserNey,
        "kn" or "kneser-ney" => Smoothing.KneserNey,
        "addk" or "add-k" or "laplace" => Smoothing.AddK,
        "mle" or "ml" => Smoothing.MaximumLikelihood,
        "stupid" or "stupid-backoff" => Smoothing.StupidBackoff,
        _ => throw new ArgumentException($"unknown smoothing '{name}'; use mkn, kn, addk, mle or stupid", nameof(name)),
    };
}
