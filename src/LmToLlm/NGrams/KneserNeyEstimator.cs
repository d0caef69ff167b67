namespace LmToLlm.NGrams;

/// <summary>
/// Interpolated (modified) Kneser-Ney estimation exactly as KenLM <c>lmplz</c> does by default (no pruning,
/// <c>--interpolate_unigrams</c>): adjust counts → discounts → initial probabilities → interpolate.
/// Input: raw counts of orders 1..N. Output: a backoff model with log10 probabilities and backoffs (float32).
/// </summary>
internal static class KneserNeyEstimator
{
    public static BackoffModel Estimate(NGramCounts counts, bool modified, bool discountFallback, IProgress<NGramProgress>? progress, CancellationToken cancellation)
    {
        int n = counts.Order;
        var vocabulary = counts.Vocabulary;
        var tables = new NGramTable?[n];
        for (int k = 2; k <= n; k++) tables[k - 1] = counts.Table(k);

        // Stage 1 — adjusted counts. Input: raw counts. Output: per order, the count Kneser-Ney uses:
        // raw at the highest order and for n-grams that start with <s>; otherwise the number of distinct words seen
        // immediately to the left (continuation count). <unk> and <s> unigrams get 0.
        var adjusted = new int[n][];
        adjusted[n - 1] = counts.RawCounts(n);
        for (int k = n - 1; k >= 1; k--)
        {
            int[] adj = new int[counts.Distinct(k)];
            ulong[] longer = tables[k]!.Keys;
            int longerCount = counts.Distinct(k + 1);
            for (int id = 0; id < longerCount; id++) adj[NGramTable.Suffix(longer[id])]++;
            if (k >= 2)
            {
                int[] raw = counts.RawCounts(k);
                ulong[] keys = tables[k - 1]!.Keys;
                for (int id = 0; id < adj.Length; id++)
                {
                    if (NGramTable.First(keys[id]) == Vocabulary.SentenceStart) adj[id] = raw[id];
                }
            }
            adjusted[k - 1] = adj;
        }
        if (n == 1) adjusted[0] = (int[])counts.RawCounts(1).Clone();
        adjusted[0][Vocabulary.SentenceStart] = 0;
        adjusted[0][Vocabulary.Unknown] = 0;
        progress?.Report(new NGramProgress("adjusting counts", 1, 4));

        // Stage 2 — counts-of-counts and discounts per order (lmplz's AdjustCounts statistics, with its quirk).
        int[] quirk = LastInSuffixOrder(counts, tables);
        var statistics = new OrderStatistics[n];
        var discounts = new Discount[n];
        for (int k = 1; k <= n; k++)
        {
            long[] bins = new long[5];
            int[] adj = adjusted[k - 1];
            for (int id = 0; id < adj.Length; id++)
            {
                int c = adj[id];
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
            statistics[k - 1] = new OrderStatistics(k, k == 1 ? vocabulary.Count : adj.Length, coc, discount, fallback);
        }
        progress?.Report(new NGramProgress("discounts", 2, 4));
        cancellation.ThrowIfCancellationRequested();

        // Stage 3 — initial probabilities. Input: adjusted counts grouped by context (the first k−1 words).
        // Output: uninterpolated p'(w|h) = (a(hw) − D(a(hw))) / Σ_w a(hw) and γ(h) = Σ_i D_i N_i(h·) / Σ_w a(hw).
        var uninterpolated = new float[n][];
        var gammas = new float[n][]; // gammas[k-1][context id of order k-1]; order 1: one context
        for (int k = 1; k <= n; k++)
        {
            int[] adj = adjusted[k - 1];
            Discount d = discounts[k - 1];
            int contexts = k == 1 ? 1 : counts.Distinct(k - 1);
            int[]? prefix = k == 1 ? null : counts.Prefixes(k);
            long[] denominator = new long[contexts];
            int[] n1 = new int[contexts], n2 = new int[contexts], n3 = new int[contexts];
            for (int id = 0; id < adj.Length; id++)
            {
                int ctx = prefix is null ? 0 : prefix[id];
                int c = adj[id];
                denominator[ctx] += c;
                if (c == 1) n1[ctx]++;
                else if (c == 2) n2[ctx]++;
                else if (c >= 3) n3[ctx]++;
            }
            float[] gamma = new float[contexts];
            float[] denominatorF = new float[contexts];
            for (int ctx = 0; ctx < contexts; ctx++)
            {
                if (denominator[ctx] == 0) continue;
                float den = (float)denominator[ctx];
                float g = 0f;
                g += d.D1 * (float)n1[ctx];
                g += d.D2 * (float)n2[ctx];
                g += d.D3Plus * (float)n3[ctx];
                gamma[ctx] = g / den;
                denominatorF[ctx] = den;
            }
            float[] u = new float[adj.Length];
            for (int id = 0; id < adj.Length; id++)
            {
                int ctx = prefix is null ? 0 : prefix[id];
                u[id] = denominatorF[ctx] == 0f ? 0f : d.Apply(adj[id]) / denominatorF[ctx];
            }
            uninterpolated[k - 1] = u;
            gammas[k - 1] = gamma;
        }
        progress?.Report(new NGramProgress("initial probabilities", 3, 4));
        cancellation.ThrowIfCancellationRequested();

        // Stage 4 — interpolation. p(w) = p'(w) + γ · 1/|V| (|V| counts <unk> but not <s>);
        // p(w|h) = p'(w|h) + γ(h) · p(w|h⁻) with h⁻ the context without its first word. Backoff of h = log10 γ(h) where
        // h is a context of the next order, else 0.
        var probabilities = new float[n][];
        float uniform = 1f / (float)(vocabulary.Count - 1);
        float[] lower = new float[vocabulary.Count];
        {
            float[] u = uninterpolated[0];
            float g = gammas[0][0];
            for (int w = 0; w < lower.Length; w++) lower[w] = u[w] + g * uniform;
        }
        var logs = new float[n][];
        logs[0] = ToLog10(lower);
        for (int k = 2; k <= n; k++)
        {
            float[] u = uninterpolated[k - 1];
            float[] gamma = gammas[k - 1];
            int[] prefix = counts.Prefixes(k);
            ulong[] keys = tables[k - 1]!.Keys;
            float[] p = new float[u.Length];
            for (int id = 0; id < p.Length; id++) p[id] = u[id] + gamma[prefix[id]] * lower[NGramTable.Suffix(keys[id])];
            logs[k - 1] = ToLog10(p);
            lower = p;
            uninterpolated[k - 1] = null!;
        }
        logs[0][Vocabulary.SentenceStart] = 0f; // lmplz writes <s> with log10 probability 0: it is never predicted.
        var backoffs = new float[n][];
        for (int k = 1; k < n; k++)
        {
            float[] gamma = gammas[k]; // contexts of order k+1 are k-grams
            float[] bo = new float[gamma.Length];
            for (int id = 0; id < bo.Length; id++) bo[id] = gamma[id] > 0f ? (float)Math.Log10(gamma[id]) : 0f;
            backoffs[k - 1] = bo;
        }
        backoffs[n - 1] = [];
        progress?.Report(new NGramProgress("interpolating", 4, 4));
        return new BackoffModel(vocabulary, tables, logs, backoffs, statistics);
    }

    private static float[] ToLog10(float[] p)
    {
        float[] log = new float[p.Length];
        for (int i = 0; i < p.Length; i++) log[i] = (float)Math.Log10(p[i]);
        return log;
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
            if (k > 2 && NGramTable.First(tables[k - 2]!.Keys[current]) == Vocabulary.SentenceStart) break;
            ulong[] keys = tables[k - 1]!.Keys;
            int best = -1, bestFirst = -1;
            int count = counts.Distinct(k);
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
