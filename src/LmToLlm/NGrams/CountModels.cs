namespace LmToLlm.NGrams;

/// <summary>
/// Base of the models computed on the fly from raw counts. c(h) is the number of times the context h was followed by a
/// word (Σ_w c(hw)); for the empty context it is the number of tokens (words + <c>&lt;/s&gt;</c>). The prediction
/// vocabulary V is every word except <c>&lt;s&gt;</c> (so <c>&lt;unk&gt;</c> and <c>&lt;/s&gt;</c> are in it, as in <c>lmplz</c>).
/// </summary>
internal abstract class CountModel : LanguageModel
{
    private readonly long[][] _contextCounts; // [k-1][id of k-gram] = Σ_w c(k-gram w), k = 1..N−1

    private protected CountModel(NGramCounts counts)
    {
        Counts = counts;
        int n = counts.Order;
        _contextCounts = new long[Math.Max(0, n - 1)][];
        for (int k = 1; k < n; k++)
        {
            long[] ctx = new long[counts.Distinct(k)];
            int[] prefix = counts.Prefixes(k + 1);
            int[] raw = counts.RawCounts(k + 1);
            for (int id = 0; id < raw.Length; id++) ctx[prefix[id]] += raw[id];
            _contextCounts[k - 1] = ctx;
        }
        int[] unigrams = counts.RawCounts(1);
        for (int w = 0; w < unigrams.Length; w++)
        {
            if (w != NGramVocabulary.SentenceStart) TotalTokens += unigrams[w];
        }
    }

    /// <summary>The counts the model reads.</summary>
    internal NGramCounts Counts { get; }

    /// <summary>c() of the empty context: words + sentence ends of the training text.</summary>
    internal long TotalTokens { get; }

    /// <summary>|V|: the vocabulary that can be predicted (all words but <c>&lt;s&gt;</c>).</summary>
    internal int PredictableWords => Counts.Vocabulary.Count - 1;

    /// <inheritdoc/>
    public override int Order => Counts.Order;

    /// <inheritdoc/>
    public override NGramVocabulary Vocabulary => Counts.Vocabulary;

    /// <summary>c(h) and c(hw) for the context made of the last <paramref name="length"/> words of <paramref name="context"/>.</summary>
    private protected (long Context, long NGram) CountsOf(ReadOnlySpan<int> context, int length, int word)
    {
        if ((uint)word >= (uint)Counts.Vocabulary.Count) word = NGramVocabulary.Unknown;
        if (length == 0) return (TotalTokens, word == NGramVocabulary.SentenceStart ? 0 : Counts.RawCounts(1)[word]);
        Span<int> ids = stackalloc int[length + 1];
        context[^length..].CopyTo(ids);
        ids[length] = word;
        int h = FindId(ids[..length]);
        if (h < 0) return (0, 0);
        long ch = _contextCounts[length - 1][h];
        int hw = Counts.Table(length + 1)!.Find(NGramTable.Key(FindId(ids[1..]), ids[0]));
        return (ch, hw < 0 ? 0 : Counts.RawCounts(length + 1)[hw]);
    }

    private int FindId(ReadOnlySpan<int> words)
    {
        int id = words[^1];
        for (int i = words.Length - 2, k = 2; i >= 0; i--, k++)
        {
            if (id < 0) return -1;
            id = Counts.Table(k)!.Find(NGramTable.Key(id, words[i]));
        }
        return id;
    }

    private protected int ContextLength(ReadOnlySpan<int> context) => Math.Min(context.Length, Order - 1);
}

/// <summary>
/// Maximum likelihood: p(w | h) = c(hw) / c(h), with h the longest suffix of the context (at most N−1 words) that was seen
/// as a context in training (so the distribution is defined for every context); p(w) = c(w) / T at the empty context.
/// Unseen events get probability 0 (log10 = −∞), so the perplexity of new text is usually infinite.
/// </summary>
internal sealed class MaximumLikelihoodModel : CountModel
{
    internal MaximumLikelihoodModel(NGramCounts counts) : base(counts) { }

    /// <inheritdoc/>
    public override string Name => "maximum likelihood";

    /// <inheritdoc/>
    public override WordProbability Score(ReadOnlySpan<int> context, int word)
    {
        for (int j = ContextLength(context); j >= 0; j--)
        {
            var (ch, chw) = CountsOf(context, j, word);
            if (ch == 0) continue;
            return new WordProbability((float)Math.Log10((double)chw / ch), j + 1);
        }
        return new WordProbability(float.NegativeInfinity, 1);
    }
}

/// <summary>
/// Add-k (Lidstone; Laplace when k = 1) at the full context h of N−1 words: p(w | h) = (c(hw) + k) / (c(h) + k·|V|),
/// |V| = vocabulary without <c>&lt;s&gt;</c>. An unseen context gives the uniform distribution 1/|V|.
/// </summary>
internal sealed class AddKModel : CountModel
{
    internal AddKModel(NGramCounts counts, double k) : base(counts)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        K = k;
    }

    /// <summary>The pseudo-count k.</summary>
    internal double K { get; }

    /// <inheritdoc/>
    public override string Name => K == 1.0 ? "Laplace (add-1)" : $"add-{K}";

    /// <inheritdoc/>
    public override WordProbability Score(ReadOnlySpan<int> context, int word)
    {
        int j = ContextLength(context);
        var (ch, chw) = CountsOf(context, j, word);
        if (word == NGramVocabulary.SentenceStart) return new WordProbability(float.NegativeInfinity, j + 1);
        return new WordProbability((float)Math.Log10((chw + K) / (ch + K * PredictableWords)), j + 1);
    }
}

/// <summary>
/// Stupid backoff (Brants, Popat, Xu, Och &amp; Dean 2007): S(w | h) = c(hw) / c(h) when c(hw) &gt; 0, else α · S(w | h⁻)
/// with h⁻ the context without its oldest word; S(w) = c(w) / T. Scores are not probabilities (they do not sum to 1),
/// so perplexity is refused.
/// </summary>
internal sealed class StupidBackoffModel : CountModel
{
    internal StupidBackoffModel(NGramCounts counts, double alpha) : base(counts)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alpha);
        Alpha = alpha;
    }

    /// <summary>The backoff factor α.</summary>
    internal double Alpha { get; }

    /// <inheritdoc/>
    public override string Name => "stupid backoff";

    /// <inheritdoc/>
    public override bool IsNormalized => false;

    /// <inheritdoc/>
    public override WordProbability Score(ReadOnlySpan<int> context, int word)
    {
        double factor = 1.0;
        for (int j = ContextLength(context); j >= 0; j--)
        {
            var (ch, chw) = CountsOf(context, j, word);
            if (chw > 0) return new WordProbability((float)Math.Log10(factor * chw / ch), j + 1);
            factor *= Alpha;
        }
        return new WordProbability(float.NegativeInfinity, 1);
    }
}
