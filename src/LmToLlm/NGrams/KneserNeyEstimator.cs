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
        int n = counts.Order;
        var vocabulary = counts.Vocabulary;
        var tables = new NGramTable?[n];
        for (int k = 2; k <= n; k++) tables[k - 1] = counts.Table(k);

        // Stages 1–2 — adjusted counts, counts-of-counts, discounts of every order (fail fast, before any heavy work).
        int[] quirk = LastInSuffixOrder(counts, tables);
        var statistics = new OrderStatistics[n];
        var discounts = new Discount[n];
        for (int k = 1; k <= n; k++)
        {
            int[] adj = AdjustedCounts(counts, tables, k);
            long[] bins = new long[5];
            foreach (int c in adj)
            {
                if ((uint)(c - 1) < 4u) bins[c]++;
            }
            if (k < n && quirk[k - 1] >= 0)
            {
                // lmplz flushes the last n-gram of each lower order (in its suffix order) with the raw count instead
                // of the adjusted one; its count-of-counts bins follow that, so ours do too.
                int id = quirk[k - 1];
                int a = adj[id], raw = counts.RawCounts(k)[id];
                if ((uint)(a - 1) < 4u) bins[a]--;
                if ((uint)(raw - 1) < 4u) bins[raw]++;
            }
            var coc = new CountsOfCounts(bins[1], bins[2], bins[3], bins[4]);
            bool fallback = false;
            Discount discount;
            try
            {
                discount = modified ? coc.Modified(k) : coc.Single(k);
            }
            catch (BadDiscountException) when (discountFallback)
            {
                discount = Discount.LmplzFallback;
                fallback = true;
            }
            discounts[k - 1] = discount;
            statistics[k - 1] = new OrderStatistics(k, adj.Length, coc, discount, fallback);
            progress?.Report(new StageProgress($"discounts of {k}-grams", k, 2 * n));
        }
        cancellationToken.ThrowIfCancellationRequested();

        // Stages 3–4, one order at a time (k = 1..N): initial probabilities then interpolation, in place.
        var probabilities = new float[n][];
        var backoffs = new float[n][];
        float[] lower = [];
        for (int k = 1; k <= n; k++)
        {
            // The previous order's counts are no longer needed: free them before this order's temporaries.
            if (releaseCounts && k >= 2) counts.Release(k - 1);
            int[] adj = AdjustedCounts(counts, tables, k);
            Discount d = discounts[k - 1];
            int contexts = k == 1 ? 1 : counts.Distinct(k - 1);
            int[]? prefix = k == 1 ? null : counts.Prefixes(k);

            // Initial probabilities. Input: adjusted counts grouped by context h (the first k−1 words).
            // Output: p'(w|h) = (a(hw) − D(a(hw))) / Σ_w a(hw) and γ(h) = (D1 N1(h·) + D2 N2(h·) + D3+ N3+(h·)) / Σ_w a(hw).
            // N1, N2, N3+ of a context are packed 21 bits each in one long (a context has at most |V| < 2^21 followers;
            // larger vocabularies use the unigram path's single context or are refused below).
            if (vocabulary.Count >= 1 << 21 && k >= 2)
                throw new LmToLlmException($"vocabulary of {vocabulary.Count:N0} words is too large for Kneser-Ney estimation here (limit 2,097,151)");
            float[] gamma = new float[contexts];
            int[] sums = new int[contexts];
            {
                long[] packed = new long[contexts];
                for (int id = 0; id < adj.Length; id++)
                {
                    int ctx = prefix is null ? 0 : prefix[id];
                    int c = adj[id];
                    sums[ctx] += c;
                    if (c == 1) packed[ctx] += 1L;
                    else if (c == 2) packed[ctx] += 1L << 21;
                    else if (c >= 3) packed[ctx] += 1L << 42;
                }
                const long mask = (1L << 21) - 1;
                for (int ctx = 0; ctx < contexts; ctx++)
                {
                    if (sums[ctx] == 0) continue;
                    long bins = packed[ctx];
                    float g = 0f;
                    g += d.D1 * (float)(bins & mask);
                    g += d.D2 * (float)((bins >> 21) & mask);
                    g += d.D3Plus * (float)(bins >> 42);
                    gamma[ctx] = g / (float)sums[ctx];
                }
            }
            if (k == 1 && vocabulary.Count >= 1 << 21)
            {
                // The one unigram context may exceed the packing: recount exactly.
                long n1 = 0, n2 = 0, n3 = 0;
                foreach (int c in adj) { if (c == 1) n1++; else if (c == 2) n2++; else if (c >= 3) n3++; }
                float g = 0f;
                g += d.D1 * (float)n1;
                g += d.D2 * (float)n2;
                g += d.D3Plus * (float)n3;
                gamma[0] = g / (float)sums[0];
            }

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
                ulong[] keys = tables[k - 1]!.Keys;
                for (int id = 0; id < p.Length; id++)
                {
                    int ctx = prefix![id];
                    p[id] = d.Apply(adj[id]) / (float)sums[ctx] + gamma[ctx] * lower[NGramTable.Suffix(keys[id])];
                }
                // The lower order is complete: to log10 in place. Its backoffs are log10 γ of this order's contexts
                // (0 for n-grams that are no context, e.g. those ending in </s>).
                ToLog10(lower);
                for (int ctx = 0; ctx < gamma.Length; ctx++) gamma[ctx] = gamma[ctx] > 0f ? MathF.Log10(gamma[ctx]) : 0f;
                backoffs[k - 2] = gamma;
            }
            probabilities[k - 1] = p;
            lower = p;
            adj = null!;
            sums = null!;
            LargeMemory.Collect();
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new StageProgress($"probabilities of {k}-grams", n + k, 2 * n));
        }
        ToLog10(lower);
        backoffs[n - 1] = []; // the highest order's n-grams are contexts of nothing
        if (releaseCounts) counts.Release(n);
        probabilities[0][NGramVocabulary.SentenceStart] = 0f; // lmplz writes <s> with log10 probability 0: it is never predicted.
        return new BackoffModel(vocabulary, tables, probabilities, backoffs, statistics, modified ? "modified Kneser-Ney" : "Kneser-Ney");
    }

    /// <summary>
    /// The count Kneser-Ney uses for order <paramref name="k"/>: raw at the highest order and for n-grams starting with
    /// &lt;s&gt;; otherwise the number of distinct words seen immediately to the left. &lt;unk&gt; and &lt;s&gt; unigrams: 0.
    /// </summary>
    private static int[] AdjustedCounts(NGramCounts counts, NGramTable?[] tables, int k)
    {
        int n = counts.Order;
        int[] raw = counts.RawCounts(k);
        int[] adj;
        if (k == n)
        {
            if (k > 1) return raw;
            adj = (int[])raw.Clone();
        }
        else
        {
            adj = new int[raw.Length];
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
        return adj;
    }

    private static void ToLog10(float[] p)
    {
        for (int i = 0; i < p.Length; i++) p[i] = MathF.Log10(p[i]);
    }

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
