using LmToLlm.NGrams;

namespace LmToLlm.SuffixArrays;

/// <summary>One continuation of a context: the token (<c>&lt;/s&gt;</c> for the end of a document), its count and probability.</summary>
public sealed record InfiniGramContinuation
{
    internal InfiniGramContinuation(string Token, long Count, double Probability)
    {
        this.Token = Token; this.Count = Count; this.Probability = Probability;
    }

    /// <summary>The next token.</summary>
    public string Token { get; }

    /// <summary>How often it follows the suffix in the indexed text.</summary>
    public long Count { get; }

    /// <summary>Count / suffix count.</summary>
    public double Probability { get; }
}

/// <summary>
/// The ∞-gram next-token distribution of a context: the longest suffix of the context that occurs in the corpus
/// (<see cref="SuffixLength"/> tokens), how often it occurs followed by anything (<see cref="SuffixCount"/>) and every
/// continuation, most frequent first.
/// </summary>
public sealed record InfiniGramDistribution
{
    internal InfiniGramDistribution(int SuffixLength, long SuffixCount, IReadOnlyList<InfiniGramContinuation> Continuations)
    {
        this.SuffixLength = SuffixLength; this.SuffixCount = SuffixCount; this.Continuations = Continuations;
    }

    /// <summary>Tokens of the longest suffix of the context found in the index (the ∞-gram backoff point).</summary>
    public int SuffixLength { get; }

    /// <summary>Occurrences of that suffix with a continuation.</summary>
    public long SuffixCount { get; }

    /// <summary>The next tokens, most frequent first.</summary>
    public IReadOnlyList<InfiniGramContinuation> Continuations { get; }
}

/// <summary>The ∞-gram probability of one token: P = <see cref="Count"/> / <see cref="SuffixCount"/>, from a context suffix of <see cref="SuffixLength"/> tokens.</summary>
internal readonly record struct InfiniGramTokenScore(string Token, double Probability, int SuffixLength, long Count, long SuffixCount);

/// <summary>
/// The ∞-gram language model of Liu et al. 2024 ("Infini-gram: Scaling unbounded n-gram language models to a trillion
/// tokens", §3): P∞(w | context) = cnt(s w) / cnt(s), where s is the longest suffix of the context with cnt(s) &gt; 0
/// (the empty suffix when no token of it occurs, where cnt = the stream length). Counts come from a
/// <see cref="SuffixArrayIndex"/>; cnt(s) counts only occurrences followed by a symbol, so the continuations
/// (document end included) sum to one. A sentence starts with the separator as its context (the <c>&lt;s&gt;</c> of an
/// n-gram model) and ends with the separator as its last token (the <c>&lt;/s&gt;</c>).
/// </summary>
public sealed class InfiniGram
{
    private readonly SuffixArrayIndex _index;

    /// <summary>The ∞-gram over <paramref name="index"/> (token mode).</summary>
    public InfiniGram(SuffixArrayIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Mode != SuffixArrayMode.Tokens) throw new ArgumentException("the ∞-gram needs an index of tokens, not bytes", nameof(index));
        _index = index;
    }

    /// <summary>The index counted.</summary>
    internal SuffixArrayIndex Index => _index;

    /// <summary>
    /// Interpolates this ∞-gram with <paramref name="model"/>, P = λ·P∞ + (1 − λ)·P_ngram (Liu et al. 2024, §4, one λ):
    /// λ is chosen on <paramref name="heldOut"/> (the perplexity minimum over 0, 0.01, …, 0.99) and perplexities are
    /// reported on <paramref name="test"/>. Both models score the same tokens: each line's white-space-split words and its end.
    /// </summary>
    public InfiniGramPerplexity Interpolate(LanguageModel model, IEnumerable<string> heldOut, IEnumerable<string> test, CancellationToken cancellationToken = default) =>
        InfiniGramInterpolation.Evaluate(this, model, heldOut, test, cancellationToken);

    /// <summary>
    /// The distribution of the token after <paramref name="context"/> (tokens as the index splits them; with
    /// <paramref name="sentenceStart"/>, the context starts at a document start). At most <paramref name="limit"/>
    /// continuations are listed; probabilities use all of them.
    /// </summary>
    public InfiniGramDistribution NextTokens(IReadOnlyList<string> context, bool sentenceStart = false, int limit = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(context);
        _index.TryEncode(context, out uint[] ids);
        uint[] full = sentenceStart ? [_index.Separator, .. ids] : ids;
        int k = LongestSuffix(full, full.Length);
        var suffix = full.AsSpan(full.Length - k);
        var counts = new Dictionary<long, long>();
        foreach (var shard in _index.Shards)
        {
            var (start, end) = shard.Range(suffix);
            for (long r = start; r < end;)
            {
                long next = shard.EndOfContinuation(r, end, k, out long symbol);
                if (symbol >= 0) counts[symbol] = counts.GetValueOrDefault(symbol) + next - r;
                r = next;
            }
        }
        long total = counts.Values.Sum();
        var continuations = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key).Take(limit)
            .Select(c => new InfiniGramContinuation(_index.Spell((uint)c.Key), c.Value, (double)c.Value / total)).ToList();
        return new InfiniGramDistribution(k, total, continuations);
    }

    /// <summary>The scores of the tokens of <paramref name="line"/> and of its end (<c>&lt;/s&gt;</c>, last), each given the tokens before it from the sentence start.</summary>
    internal IReadOnlyList<InfiniGramTokenScore> ScoreSentence(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var tokens = _index.Tokenize(line);
        _index.TryEncode(tokens, out uint[] ids);
        uint[] stream = [_index.Separator, .. ids, _index.Separator];
        var scores = new InfiniGramTokenScore[ids.Length + 1];
        int k = 0;
        for (int i = 1; i < stream.Length; i++)
        {
            // The suffix used for token i is at most one longer than the one used for token i − 1.
            k = LongestSuffix(stream.AsSpan(0, i), Math.Min(i, k + 1));
            var suffix = stream.AsSpan(i - k, k);
            long denominator = SuffixCount(suffix);
            long numerator = _index.Count(stream.AsSpan(i - k, k + 1));
            scores[i - 1] = new InfiniGramTokenScore(i <= tokens.Count ? tokens[i - 1] : "</s>", denominator == 0 ? 0 : (double)numerator / denominator, k, numerator, denominator);
        }
        return scores;
    }

    /// <summary>Occurrences of <paramref name="suffix"/> followed by a symbol (the stream length for the empty suffix).</summary>
    private long SuffixCount(ReadOnlySpan<uint> suffix)
    {
        if (suffix.IsEmpty) return _index.StreamLength;
        long count = 0;
        foreach (var shard in _index.Shards)
        {
            var (start, end) = shard.Range(suffix);
            count += end - start - (shard.EndsWith(suffix) ? 1 : 0);
        }
        return count;
    }

    /// <summary>The largest k ≤ <paramref name="max"/> such that the last k symbols of <paramref name="context"/> occur followed by something (counts fall as k grows).</summary>
    private int LongestSuffix(ReadOnlySpan<uint> context, int max)
    {
        int lo = 0, hi = max;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (SuffixCount(context[^mid..]) > 0) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}

/// <summary>Perplexities of an n-gram model alone and interpolated with the ∞-gram, λ chosen on held-out text.</summary>
public sealed record InfiniGramPerplexity
{
    internal InfiniGramPerplexity(double Lambda, double HeldOutPerplexity, double NGramPerplexity, double InterpolatedPerplexity, double InfiniGramZeroShare, long Tokens)
    {
        this.Lambda = Lambda; this.HeldOutPerplexity = HeldOutPerplexity; this.NGramPerplexity = NGramPerplexity; this.InterpolatedPerplexity = InterpolatedPerplexity; this.InfiniGramZeroShare = InfiniGramZeroShare; this.Tokens = Tokens;
    }

    /// <summary>Weight of the ∞-gram, chosen on the held-out text (grid of 0.01).</summary>
    public double Lambda { get; }

    /// <summary>Interpolated perplexity of the held-out text at <see cref="Lambda"/>.</summary>
    public double HeldOutPerplexity { get; }

    /// <summary>Perplexity of the n-gram model alone on the test text.</summary>
    public double NGramPerplexity { get; }

    /// <summary>Perplexity of λ·P∞ + (1 − λ)·P_ngram on the test text.</summary>
    public double InterpolatedPerplexity { get; }

    /// <summary>Share of test tokens to which the ∞-gram alone gives probability 0.</summary>
    public double InfiniGramZeroShare { get; }

    /// <summary>Test tokens scored (words and sentence ends).</summary>
    public long Tokens { get; }
}

/// <summary>
/// Interpolates the ∞-gram with an n-gram model, P = λ·P∞ + (1 − λ)·P_ngram (Liu et al. 2024, §4, with one λ), the two
/// weights summing to one; λ minimises the perplexity of held-out text. Both models score the same tokens: the
/// words of each line (white-space split) and its end.
/// </summary>
internal static class InfiniGramInterpolation
{
    /// <summary>Chooses λ on <paramref name="heldOut"/> and reports perplexities on <paramref name="test"/>.</summary>
    public static InfiniGramPerplexity Evaluate(InfiniGram infiniGram, LanguageModel model, IEnumerable<string> heldOut, IEnumerable<string> test, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(infiniGram);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(test);
        var held = Pairs(infiniGram, model, heldOut, cancellationToken);
        double best = 0, bestPerplexity = double.PositiveInfinity;
        for (int step = 0; step < 100; step++)
        {
            double lambda = step / 100.0;
            double perplexity = Perplexity(held, lambda);
            if (perplexity < bestPerplexity)
            {
                best = lambda;
                bestPerplexity = perplexity;
            }
        }
        var scored = Pairs(infiniGram, model, test, cancellationToken);
        return new InfiniGramPerplexity(best, bestPerplexity, Perplexity(scored, 0), Perplexity(scored, best),
            scored.Count == 0 ? 0 : scored.Count(p => p.InfiniGram == 0) / (double)scored.Count, scored.Count);
    }

    /// <summary>10^(−mean log10(λ·P∞ + (1 − λ)·P_ngram)).</summary>
    internal static double Perplexity(IReadOnlyList<(double InfiniGram, double NGram)> pairs, double lambda)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        double sum = 0;
        foreach (var (p, q) in pairs) sum += Math.Log10(lambda * p + (1 - lambda) * q);
        return Math.Pow(10, -sum / pairs.Count);
    }

    /// <summary>(P∞, P_ngram) of every token and sentence end of <paramref name="lines"/>.</summary>
    internal static List<(double InfiniGram, double NGram)> Pairs(InfiniGram infiniGram, LanguageModel model, IEnumerable<string> lines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(infiniGram);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(lines);
        var pairs = new List<(double, double)>();
        var words = new List<(string Word, int Id, WordProbability Score)>();
        foreach (string line in lines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            words.Clear();
            model.ScoreSentence(line, words);
            var scores = infiniGram.ScoreSentence(line);
            if (scores.Count != words.Count)
                throw new LmToLlmException($"the index splits '{line}' into {scores.Count - 1} tokens and the n-gram model into {words.Count - 1}; build the index with the whitespace tokenizer");
            for (int i = 0; i < scores.Count; i++) pairs.Add((scores[i].Probability, Math.Pow(10, words[i].Score.Log10Prob)));
        }
        return pairs;
    }
}
