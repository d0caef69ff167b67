using LmToLlm.Primitives;

namespace LmToLlm.NGrams;

/// <summary>
/// Interpolated (modified) Kneser-Ney estimation exactly as KenLM <c>lmplz</c> does by default (no pruning,
/// <c>--interpolate_unigrams</c>): adjust counts → discounts → initial probabilities → interpolate.
/// Input: raw counts of orders 1..N. Output: a backoff model with log10 probabilities and backoffs (float32).
/// </summary>
internal static class KneserNeyEstimator
{
    internal static BackoffModel Estimate(NGramCounts counts, bool modified, bool discountFallback, bool releaseCounts, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        var estimated = EstimateInPlace(counts, modified, discountFallback, releaseCounts, progress, cancellationToken);
        // Renumbered into lmplz's order once, so that writing ARPA reads every order front to back. Here rather than at
        // the end of the estimation, whose frame may keep its last arrays alive while the new ones are made.
        if (releaseCounts) counts.ReleaseTables();
        SuffixOrder.Renumber(estimated.Tables, estimated.Probabilities, estimated.Backoffs);
        return new BackoffModel(counts.Vocabulary, estimated.Tables, estimated.Probabilities, estimated.Backoffs, estimated.Statistics, modified ? "modified Kneser-Ney" : "Kneser-Ney", inSuffixOrder: true);
    }

    private sealed record Estimated(NGramTable?[] Tables, float[][] Probabilities, float[][] Backoffs, OrderStatistics[] Statistics);

    private static Estimated EstimateInPlace(NGramCounts counts, bool modified, bool discountFallback, bool releaseCounts, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        int n = counts.Order;
        var vocabulary = counts.Vocabulary;
        var tables = new NGramTable?[n];
        for (int k = 2; k <= n; k++) tables[k - 1] = counts.Table(k);

        // Stages 1–2 — adjusted counts, counts-of-counts, discounts of every order (fail fast, before any heavy work).
        int[] quirk = LastInSuffixOrder(counts, tables);
        var statistics = new OrderStatistics[n];
        var discounts = new Discount[n];
        // One buffer for the adjusted counts of every order that needs them (all but the highest, whose adjusted counts
        // are the raw ones), and one for the per-context sums and N1/N2/N3+: allocated once, so that estimation leaves no
        // garbage of hundreds of MB behind each order (which the process would keep as resident memory).
        int lowerMaximum = 1;
        for (int k = 1; k <= n; k++)
        {
            if (k < n || k == 1) lowerMaximum = Math.Max(lowerMaximum, counts.Distinct(k));
        }
        int[] adjustedBuffer = new int[lowerMaximum];
        for (int k = 1; k <= n; k++)
        {
            ReadOnlySpan<int> adj = AdjustedCounts(counts, tables, k, adjustedBuffer);
            long[] bins = new long[5];
            foreach (int c in adj)
            {
                if ((uint)(c - 1) < 4u) bins[c]++;
            }
            if (k < n && quirk[k - 1] >= 0)
            {
                int id = quirk[k - 1];
                CountLastAsRaw(bins, adj[id], counts.RawCounts(k)[id]);
            }
            var (discount, coc, fallback) = Discounts(bins, k, modified, discountFallback);
            discounts[k - 1] = discount;
            statistics[k - 1] = new OrderStatistics(k, adj.Length, coc, discount, fallback);
            progress?.Report(new StageProgress($"discounts of {k}-grams", k, 2 * n));
        }
        cancellationToken.ThrowIfCancellationRequested();

        // Stages 3–4, one order at a time (k = 1..N): initial probabilities then interpolation, in place.
        var probabilities = new float[n][];
        var backoffs = new float[n][];
        float[] lower = [];
        int[] tallyA = [], tallyB = [];
        for (int k = 1; k <= n; k++)
        {
            // The previous order's counts are no longer needed: their two arrays (one int per (k−1)-gram, that is per
            // context of this order) become this order's tallies instead of new allocations.
            if (releaseCounts && k >= 3)
            {
                (tallyA, tallyB) = counts.Take(k - 1);
            }
            else if (releaseCounts && k == 2)
            {
                counts.Release(1);
            }
            if (k == n && k > 1) adjustedBuffer = []; // the highest order's adjusted counts are its raw counts
            ArraySegment<int> adjusted = AdjustedCounts(counts, tables, k, adjustedBuffer);
            ReadOnlySpan<int> adj = adjusted;
            Discount d = discounts[k - 1];
            int contexts = k == 1 ? 1 : counts.Distinct(k - 1);
            int[]? prefix = k == 1 ? null : counts.Prefixes(k);
            if (tallyA.Length < contexts) tallyA = new int[contexts];
            if (tallyB.Length < contexts) tallyB = new int[contexts];
            Span<int> a = tallyA.AsSpan(0, contexts), b = tallyB.AsSpan(0, contexts);

            // Initial probabilities. Input: adjusted counts grouped by context h (the first k−1 words).
            // Output: p'(w|h) = (a(hw) − D(a(hw))) / Σ_w a(hw) and γ(h) = (D1 N1(h·) + D2 N2(h·) + D3+ N3+(h·)) / Σ_w a(hw),
            // summed in float32 in that order (as lmplz). Two passes over the n-grams with two tallies per context: N1 and
            // N2 first (γ keeps D1 N1 + D2 N2), then Σ_w a(hw) and N3+.
            float[] gamma = new float[contexts];
            a.Clear();
            b.Clear();
            for (int id = 0; id < adj.Length; id++)
            {
                int ctx = prefix is null ? 0 : prefix[id];
                int c = adj[id];
                if (c == 1) a[ctx]++;
                else if (c == 2) b[ctx]++;
            }
            for (int ctx = 0; ctx < contexts; ctx++)
            {
                float g = 0f;
                g += d.D1 * (float)a[ctx];
                g += d.D2 * (float)b[ctx];
                gamma[ctx] = g;
            }
            a.Clear();
            b.Clear();
            for (int id = 0; id < adj.Length; id++)
            {
                int ctx = prefix is null ? 0 : prefix[id];
                int c = adj[id];
                a[ctx] += c;
                if (c >= 3) b[ctx]++;
            }
            for (int ctx = 0; ctx < contexts; ctx++)
            {
                if (a[ctx] == 0) { gamma[ctx] = 0f; continue; }
                float g = gamma[ctx];
                g += d.D3Plus * (float)b[ctx];
                gamma[ctx] = g / (float)a[ctx];
            }
            Span<int> sums = a;

            // Interpolation. p(w) = p'(w) + γ · 1/|V| (|V| counts <unk> but not <s>);
            // p(w|h) = p'(w|h) + γ(h) · p(w|h⁻), h⁻ = h without its first word (float32, as lmplz).
            float[] p = new float[adj.Length];
            if (k == 1)
            {
                float uniform = 1f / (float)(vocabulary.Count - 1);
                float g = gamma[0], den = (float)sums[0];
                for (int w = 0; w < p.Length; w++) p[w] = d.Apply(adj[w]) / den + g * uniform;
            }
            else
            {
                // Each n-gram on its own (scattered reads of the lower order): in blocks on every core.
                ulong[] keys = tables[k - 1]!.Keys;
                // Fresh locals for the closure: capturing the method's tallyA and lower, which later orders reassign,
                // would move them into a closure object for the whole method.
                int[] contextSums = tallyA;
                float[] lowerProbabilities = lower;
                ParallelBlocks.For(p.Length, InterpolationBlock, (start, end) =>
                {
                    for (int id = start; id < end; id++)
                    {
                        int ctx = prefix![id];
                        p[id] = d.Apply(adjusted[id]) / (float)contextSums[ctx] + gamma[ctx] * lowerProbabilities[NGramTable.Suffix(keys[id])];
                    }
                });
                // The lower order is complete: to log10 in place. Its backoffs are log10 γ of this order's contexts
                // (0 for n-grams that are no context, e.g. those ending in </s>).
                ToLog10(lower);
                for (int ctx = 0; ctx < gamma.Length; ctx++) gamma[ctx] = Log10Backoff(gamma[ctx]);
                backoffs[k - 2] = gamma;
            }
            probabilities[k - 1] = p;
            lower = p;
            if (releaseCounts) tallyA = tallyB = []; // the next order takes the arrays of this one's counts
            LargeMemory.Collect(p.Length * 8L);
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new StageProgress($"probabilities of {k}-grams", n + k, 2 * n));
        }
        ToLog10(lower);
        backoffs[n - 1] = []; // the highest order's n-grams are contexts of nothing
        if (releaseCounts) counts.Release(n);
        probabilities[0][NGramVocabulary.SentenceStart] = 0f; // lmplz writes <s> with log10 probability 0: it is never predicted.
        return new Estimated(tables, probabilities, backoffs, statistics);
    }

    /// <summary>
    /// The discounts of order <paramref name="k"/> from its count-of-counts bins (index 1..4), or lmplz's fallback when
    /// they cannot be estimated and <paramref name="discountFallback"/> allows it.
    /// </summary>
    /// <exception cref="BadDiscountException">Out of range and no fallback.</exception>
    internal static (Discount Discount, CountsOfCounts Counts, bool IsFallback) Discounts(long[] bins, int k, bool modified, bool discountFallback)
    {
        var coc = new CountsOfCounts(bins[1], bins[2], bins[3], bins[4]);
        try
        {
            return (modified ? coc.Modified(k) : coc.Single(k), coc, false);
        }
        catch (BadDiscountException) when (discountFallback)
        {
            return (Discount.LmplzFallback, coc, true);
        }
    }

    /// <summary>
    /// lmplz flushes the last n-gram of each lower order (in its suffix order) with the raw count instead of the adjusted
    /// one, and its count-of-counts bins follow that, so ours do too: that n-gram moves from the bin of
    /// <paramref name="adjusted"/> to the bin of <paramref name="raw"/>.
    /// </summary>
    internal static void CountLastAsRaw(long[] bins, long adjusted, long raw)
    {
        if ((ulong)(adjusted - 1) < 4u) bins[adjusted]--;
        if ((ulong)(raw - 1) < 4u) bins[raw]++;
    }

    /// <summary>
    /// γ(h) = (D1 N1(h·) + D2 N2(h·) + D3+ N3+(h·)) / Σ_w a(hw), summed in float32 in that order as lmplz does; 0 when the
    /// context has no continuations. The in-memory estimator computes the same sum in two passes.
    /// </summary>
    internal static float Gamma(Discount d, long n1, long n2, long n3Plus, long sum)
    {
        if (sum == 0) return 0f;
        float g = 0f;
        g += d.D1 * (float)n1;
        g += d.D2 * (float)n2;
        g += d.D3Plus * (float)n3Plus;
        return g / (float)sum;
    }

    /// <summary>The backoff written for γ: log10 γ, or 0 for an n-gram that is no context (γ = 0).</summary>
    internal static float Log10Backoff(float gamma) => gamma > 0f ? MathF.Log10(gamma) : 0f;

    /// <summary>
    /// The count Kneser-Ney uses for order <paramref name="k"/>: raw at the highest order and for n-grams starting with
    /// &lt;s&gt;; otherwise the number of distinct words seen immediately to the left. &lt;unk&gt; and &lt;s&gt; unigrams: 0.
    /// </summary>
    /// <remarks>Written into <paramref name="buffer"/> (≥ the order's distinct n-grams) unless they are the raw counts.</remarks>
    private static ArraySegment<int> AdjustedCounts(NGramCounts counts, NGramTable?[] tables, int k, int[] buffer)
    {
        int n = counts.Order;
        int[] raw = counts.RawCounts(k);
        if (k == n && k > 1) return raw;
        Span<int> adj = buffer.AsSpan(0, raw.Length);
        if (k == n)
        {
            raw.CopyTo(adj);
        }
        else
        {
            adj.Clear();
            ulong[] longer = tables[k]!.Keys;
            int longerCount = tables[k]!.Count;
            for (int id = 0; id < longerCount; id++) adj[NGramTable.Suffix(longer[id])]++;
            if (k >= 2)
            {
                ulong[] keys = tables[k - 1]!.Keys;
                for (int id = 0; id < adj.Length; id++)
                {
                    if (NGramTable.First(keys[id]) == NGramVocabulary.SentenceStart) adj[id] = raw[id];
                }
            }
        }
        if (k == 1)
        {
            adj[NGramVocabulary.SentenceStart] = 0;
            adj[NGramVocabulary.Unknown] = 0;
        }
        return new ArraySegment<int>(buffer, 0, raw.Length);
    }

    private static void ToLog10(float[] p)
        => ParallelBlocks.For(p.Length, InterpolationBlock, (start, end) =>
        {
            for (int i = start; i < end; i++) p[i] = MathF.Log10(p[i]);
        });

    /// <summary>N-grams per block of the parallel loops of estimation.</summary>
    private const int InterpolationBlock = 1 << 16;

    /// <summary>
    /// For orders 1..N−1, the id of the last n-gram in lmplz's suffix order (compare the last word, then the one before, …,
    /// by vocabulary id) when lmplz still holds it at the final flush, else −1.
    /// </summary>
    private static int[] LastInSuffixOrder(NGramCounts counts, NGramTable?[] tables)
    {
        int n = counts.Order;
        int[] last = new int[Math.Max(0, n - 1)];
        Array.Fill(last, -1);
        if (n < 2) return last;
        int current = counts.Vocabulary.Count - 1; // the largest word id
        last[0] = current;
        for (int k = 2; k < n; k++)
        {
            if (k > 2 && NGramTable.First(tables[k - 2]!.Keys[current]) == NGramVocabulary.SentenceStart) break;
            ulong[] keys = tables[k - 1]!.Keys;
            int best = -1, bestFirst = -1;
            int count = tables[k - 1]!.Count;
            for (int id = 0; id < count; id++)
            {
                ulong key = keys[id];
                if (NGramTable.Suffix(key) == current && NGramTable.First(key) > bestFirst)
                {
                    bestFirst = NGramTable.First(key);
                    best = id;
                }
            }
            if (best < 0) break;
            last[k - 1] = current = best;
        }
        return last;
    }
}
