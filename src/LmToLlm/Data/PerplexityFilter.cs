using LmToLlm.NGrams;
using LmToLlm.Text;

namespace LmToLlm.Data;

/// <summary>CCNet's quality buckets by perplexity percentile (Wenzek et al. 2020, "CCNet").</summary>
public enum PerplexityBucket
{
    /// <summary>Lowest perplexities (most like the model's training text): up to the head percentile.</summary>
    Head,

    /// <summary>Between the head and the tail percentiles.</summary>
    Middle,

    /// <summary>Highest perplexities.</summary>
    Tail,
}

/// <summary>
/// Options of perplexity filtering. Keep rule: a document is kept when its perplexity is at most
/// <see cref="MaxPerplexity"/>, or (when that is null) at most the <see cref="KeepPercentile"/>-th percentile of the
/// corpus's perplexities (nearest rank), or (when both are null) when its bucket is at most <see cref="KeepThroughBucket"/>;
/// with none of the three, every document is kept and only scored and bucketed.
/// Buckets: head ≤ the <see cref="HeadPercentile"/>-th percentile &lt; middle ≤ the <see cref="TailPercentile"/>-th &lt; tail
/// (defaults 33.3 and 66.6: CCNet's thirds).
/// </summary>
public sealed record PerplexityFilterOptions
{
    /// <summary>Keep documents with perplexity ≤ this (null: not used).</summary>
    public double? MaxPerplexity { get; init; }

    /// <summary>Keep the documents at or below this percentile, in (0, 100] (null: not used).</summary>
    public double? KeepPercentile { get; init; }

    /// <summary>Upper percentile of the head bucket (default 100/3).</summary>
    public double HeadPercentile { get; init; } = 100.0 / 3;

    /// <summary>Lower percentile of the tail bucket (default 200/3).</summary>
    public double TailPercentile { get; init; } = 200.0 / 3;

    /// <summary>Analyzer that turns each text line into the model's words (null: <c>simple</c>); any analyzer, e.g. <c>nori</c> from LmToLlm.Nori.</summary>
    public Analyzer? Analyzer { get; init; }

    /// <summary>Threads for scoring (−1: all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Keep the documents in this bucket and the better ones (Middle: head and middle), used when
    /// neither <see cref="MaxPerplexity"/> nor <see cref="KeepPercentile"/> is given (null: not used).
    /// </summary>
    public PerplexityBucket? KeepThroughBucket { get; init; }

    /// <summary>The defaults.</summary>
    public static PerplexityFilterOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value is out of range (e.g. a percentile outside (0, 100]).</summary>
    internal void Validate()
    {
        if (MaxPerplexity is { } max && !(max > 0)) throw new ArgumentOutOfRangeException(nameof(MaxPerplexity), max, "the maximum perplexity must be positive");
        if (KeepPercentile is { } p && !(p > 0 && p <= 100)) throw new ArgumentOutOfRangeException(nameof(KeepPercentile), p, "the keep percentile must be in (0, 100], e.g. 70");
        if (!(HeadPercentile > 0 && HeadPercentile <= TailPercentile && TailPercentile < 100))
            throw new ArgumentOutOfRangeException(nameof(HeadPercentile), "need 0 < head percentile ≤ tail percentile < 100");
    }
}

/// <summary>Per-document perplexities, buckets and keep decisions.</summary>
public sealed class PerplexityFilterResult
{
    private readonly double[] _perplexity;
    private readonly bool[] _keep;

    internal PerplexityFilterResult(double[] perplexity, bool[] keep, double headCut, double tailCut, double? keepCut)
    {
        _perplexity = perplexity;
        _keep = keep;
        HeadCutoff = headCut;
        TailCutoff = tailCut;
        KeepCutoff = keepCut;
        Kept = keep.Count(k => k);
    }

    /// <summary>Documents scored.</summary>
    public int Count => _perplexity.Length;

    /// <summary>Documents kept.</summary>
    public int Kept { get; }

    /// <summary>Documents removed.</summary>
    internal int Removed => Count - Kept;

    /// <summary>Perplexity at the head percentile (head bucket: ≤ this).</summary>
    public double HeadCutoff { get; }

    /// <summary>Perplexity at the tail percentile (tail bucket: &gt; this).</summary>
    public double TailCutoff { get; }

    /// <summary>The perplexity a kept document may not exceed (null when everything is kept).</summary>
    public double? KeepCutoff { get; }

    /// <summary>The perplexity of document <paramref name="index"/>.</summary>
    public double Perplexity(int index) => _perplexity[index];

    /// <summary>Whether document <paramref name="index"/> is kept.</summary>
    public bool IsKept(int index) => _keep[index];

    /// <summary>The CCNet bucket of document <paramref name="index"/>.</summary>
    public PerplexityBucket Bucket(int index) =>
        _perplexity[index] <= HeadCutoff ? PerplexityBucket.Head : _perplexity[index] <= TailCutoff ? PerplexityBucket.Middle : PerplexityBucket.Tail;
}

/// <summary>
/// Perplexity filtering as in CCNet: each document is scored by an n-gram model and kept by a perplexity threshold
/// or percentile. Input: document texts in corpus order. Output: per document its perplexity
/// PPL = 10^(−Σ log10 p / N), where the sum runs over every word and the <c>&lt;/s&gt;</c> of each non-blank text line
/// (lines analyzed by the analyzer, words joined by spaces, scored as sentences as KenLM's <c>query</c> does) and N
/// counts those words and <c>&lt;/s&gt;</c> tokens, OOVs included (a blank document scores <c>&lt;/s&gt;</c> alone).
/// </summary>
public static class PerplexityFilter
{
    /// <summary>The perplexity of one document under <paramref name="model"/> (see the type for the formula).</summary>
    internal static double DocumentPerplexity(LanguageModel model, string text, Analyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(analyzer);
        if (!model.IsNormalized)
            throw new LmToLlmException($"perplexity is undefined for {model.Name}: its scores are not probabilities; use a normalized smoothing such as mkn");
        double log10 = 0;
        long tokens = 0;
        bool any = false;
        foreach (string line in text.Split('\n'))
        {
            string words = AnalyzedText.Line(analyzer, line);
            if (words.Length == 0) continue;
            any = true;
            SentenceScore s = model.ScoreSentence(words);
            log10 += s.Log10Prob;
            tokens += s.Tokens;
        }
        if (!any)
        {
            SentenceScore s = model.ScoreSentence("");
            log10 += s.Log10Prob;
            tokens += s.Tokens;
        }
        return Math.Pow(10, -log10 / tokens);
    }

    /// <summary>Trains a modified Kneser–Ney model of <paramref name="order"/> on the analyzed lines of <paramref name="documents"/>
    /// (KenLM <c>lmplz --discount_fallback</c> behaviour when the counts are too few for the discounts).</summary>
    /// <param name="documents">The training documents.</param>
    /// <param name="order">Model order N.</param>
    /// <param name="analyzer">Analyzer applied to each line (null: <c>simple</c>).</param>
    /// <param name="name">The name errors give the training text (e.g. its path).</param>
    /// <param name="progress">Counting and estimation progress.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static LanguageModel Train(IEnumerable<string> documents, int order = 3, Analyzer? analyzer = null, string name = "<corpus>",
        IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        analyzer ??= Analyzer.Simple;
        var counts = NGramCounts.FromLines(documents.SelectMany(d => d.Split('\n')).Select(l => AnalyzedText.Line(analyzer, l)).Where(l => l.Length > 0),
            new NGramCountOptions { Order = order }, name, progress, cancellationToken);
        return NGramTrainer.ModifiedKneserNey(counts, discountFallback: true, progress, cancellationToken);
    }

    /// <summary>Scores every document and applies the keep rule and the buckets of <paramref name="options"/>.</summary>
    /// <param name="model">A normalized n-gram model.</param>
    /// <param name="documents">The documents, in corpus order.</param>
    /// <param name="options">Keep rule and buckets (defaults: keep all, CCNet thirds).</param>
    /// <param name="progress">Documents scored so far.</param>
    /// <param name="totalHint">The number of documents when known (for progress), else 0.</param>
    /// <param name="name">The name errors give the corpus (e.g. its path).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static PerplexityFilterResult Run(LanguageModel model, IEnumerable<string> documents, PerplexityFilterOptions? options = null,
        IProgress<StageProgress>? progress = null, long totalHint = 0, string name = "<corpus>", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(documents);
        options ??= new PerplexityFilterOptions();
        options.Validate();
        var analyzer = options.Analyzer ?? Analyzer.Simple;
        var scores = new List<double>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        var batch = new List<string>(4096);
        var batchScores = new double[4096];
        using (var e = documents.GetEnumerator())
        {
            while (true)
            {
                batch.Clear();
                while (batch.Count < 4096 && e.MoveNext()) batch.Add(e.Current);
                if (batch.Count == 0) break;
                Parallel.For(0, batch.Count, parallel, i => batchScores[i] = DocumentPerplexity(model, batch[i], analyzer));
                for (int i = 0; i < batch.Count; i++) scores.Add(batchScores[i]);
                progress?.Report(new StageProgress("scoring", scores.Count, totalHint));
            }
        }
        if (scores.Count == 0) throw new LmToLlmException($"{name}: the corpus has no documents; nothing to filter");
        double[] perplexity = [.. scores];
        double[] sorted = [.. perplexity];
        Array.Sort(sorted);
        double headCut = Percentile(sorted, options.HeadPercentile), tailCut = Percentile(sorted, options.TailPercentile);
        double? keepCut = options.MaxPerplexity ?? (options.KeepPercentile is { } p ? Percentile(sorted, p)
            : options.KeepThroughBucket switch { PerplexityBucket.Head => headCut, PerplexityBucket.Middle => tailCut, _ => null });
        var keep = new bool[perplexity.Length];
        for (int i = 0; i < keep.Length; i++) keep[i] = keepCut is not { } cut || perplexity[i] <= cut;
        return new PerplexityFilterResult(perplexity, keep, headCut, tailCut, keepCut);
    }

    /// <summary>Nearest-rank percentile of ascending <paramref name="sorted"/>: the value at rank ⌈p/100 · n⌉.</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length - 1e-9);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
