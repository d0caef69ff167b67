namespace LmToLlm.NGrams;

/// <summary>Options of sampling.</summary>
public sealed record GenerationOptions
{
    /// <summary>Seed of the pseudo-random generator: the same seed, model and prefix give the same text.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Divides the natural-log probabilities before renormalizing (1 = the model's distribution; → 0 greedy; 0 = argmax).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Sample only among the K most probable words (0 = all).</summary>
    public int TopK { get; init; }

    /// <summary>Stop after this many words when <c>&lt;/s&gt;</c> was not drawn (default 30).</summary>
    public int MaxTokens { get; init; } = 30;

    /// <summary>Whether <c>&lt;unk&gt;</c> may be drawn (default false).</summary>
    public bool AllowUnknown { get; init; }

    /// <summary>The defaults.</summary>
    public static GenerationOptions Default { get; } = new();
}

/// <summary>
/// Samples continuations from a <see cref="LanguageModel"/>: at each step p(w | context) for every word but <c>&lt;s&gt;</c>,
/// q(w) ∝ p(w)^(1/T) restricted to the top K, one draw from q; stops at <c>&lt;/s&gt;</c> or after MaxTokens words.
/// </summary>
public static class TextGenerator
{
    /// <summary>Continues <paramref name="prefix"/> (whitespace-separated words, sentence start implied); returns the new words.</summary>
    public static IReadOnlyList<string> Continue(LanguageModel model, string prefix, GenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prefix);
        options ??= new GenerationOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Temperature);
        ArgumentOutOfRangeException.ThrowIfNegative(options.TopK);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTokens);
        var vocabulary = model.Vocabulary;
        var context = new List<int> { NGramVocabulary.SentenceStart };
        foreach (var range in LanguageModel.SplitWords(prefix)) context.Add(vocabulary.Find(prefix.AsSpan(range)));
        var random = new Random(unchecked((int)options.Seed)); // the seed's low 32 bits, as before seeds became ulong
        var output = new List<string>();
        int v = vocabulary.Count;
        double[] weights = new double[v];
        int[] order = new int[v];
        for (int step = 0; step < options.MaxTokens; step++)
        {
            int n = Math.Min(context.Count, model.Order - 1);
            var ctx = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(context)[^n..];
            int candidates = 0;
            double best = double.NegativeInfinity;
            for (int w = 0; w < v; w++)
            {
                if (w == NGramVocabulary.SentenceStart || (w == NGramVocabulary.Unknown && !options.AllowUnknown)) continue;
                double logit = model.Score(ctx, w).Log10Prob * Math.Log(10.0);
                if (double.IsNegativeInfinity(logit)) continue;
                weights[w] = logit;
                order[candidates++] = w;
                best = Math.Max(best, logit);
            }
            if (candidates == 0) break;
            Span<int> chosen = order.AsSpan(0, candidates);
            if (options.TopK > 0 && options.TopK < candidates)
            {
                // Most probable first; ties by id, so the cut is deterministic.
                chosen.Sort((a, b) => weights[b].CompareTo(weights[a]) is int c && c != 0 ? c : a.CompareTo(b));
                chosen = chosen[..options.TopK];
                chosen.Sort();
            }
            int next;
            if (options.Temperature == 0)
            {
                next = chosen[0];
                foreach (int w in chosen) if (weights[w] > weights[next]) next = w;
            }
            else
            {
                double total = 0;
                foreach (int w in chosen) total += Math.Exp((weights[w] - best) / options.Temperature);
                double u = random.NextDouble() * total;
                next = chosen[^1];
                foreach (int w in chosen)
                {
                    u -= Math.Exp((weights[w] - best) / options.Temperature);
                    if (u < 0) { next = w; break; }
                }
            }
            if (next == NGramVocabulary.SentenceEnd) break;
            output.Add(vocabulary[next]);
            context.Add(next);
        }
        return output;
    }
}
