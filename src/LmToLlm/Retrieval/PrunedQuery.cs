namespace LmToLlm.Retrieval;

/// <summary>
/// The per-query state both pruning searches need. Input: a <see cref="Bm25"/> and query term occurrences.
/// Output: the distinct terms sorted by <see cref="Bm25TermWeight.MaxScore"/> ascending, their scoring weights, how
/// often each counts in a score and in a bound, and the clauses in the order the reference sums them.
/// </summary>
internal sealed class PrunedQuery
{
    // Safety margin on bounds: contributions are exact floats, but bound sums and document sums are rounded in
    // different orders; 1e-9 relative covers that with room to spare and costs nothing in pruning power.
    public const double Margin = 1 + 1e-9;

    public PrunedQuery(Bm25 model, ReadOnlySpan<int> queryTerms)
    {
        var distinct = new List<int>();
        foreach (int t in queryTerms) if (!distinct.Contains(t)) distinct.Add(t);
        var weights = new Bm25TermWeight[distinct.Count];
        for (int i = 0; i < weights.Length; i++) weights[i] = model.MakeWeight(distinct[i]);
        Array.Sort(weights, static (a, b) => a.MaxScore != b.MaxScore ? a.MaxScore.CompareTo(b.MaxScore) : a.Term.CompareTo(b.Term));
        Times = new int[weights.Length];
        foreach (int t in queryTerms) Times[IndexOf(weights, t)]++;
        bool merged = model.MergesRepeatedTerms;
        // Lucene 4: one clause per occurrence, in query order. Lucene 8: one boosted clause per distinct term.
        var clauses = new List<int>();
        foreach (int t in merged ? distinct.ToArray() : queryTerms) clauses.Add(IndexOf(weights, t));
        Clauses = clauses.ToArray();
        ScoreTimes = new int[weights.Length];
        Slack = new double[weights.Length];
        Bound = new double[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            int times = Times[i];
            ScoreTimes[i] = merged ? 1 : times;
            // A merged clause scores with weight = times·idf in float, which may exceed times × the unboosted
            // score by a few ulps of the weight (rounding of the weight, the quotient and the difference);
            // 2^-20 of the weight is a 16-fold margin on that error.
            if (merged && times > 1) Slack[i] = times * (double)weights[i].Weight * (1.0 / (1 << 20));
            if (merged) weights[i] = model.Boosted(weights[i], times);
            // Occurrences of a term repeated in the query each contribute, so its bound counts once per occurrence.
            Bound[i] = (double)weights[i].MaxScore * times + Slack[i];
        }
        Weights = weights;
    }

    /// <summary>Distinct terms sorted by MaxScore ascending, with the weights they score with (boosted when merged).</summary>
    public Bm25TermWeight[] Weights { get; }

    /// <summary>Per distinct term: its occurrences in the query.</summary>
    public int[] Times { get; }

    /// <summary>Per distinct term: how many clauses its contribution counts in (occurrences, or 1 when merged).</summary>
    public int[] ScoreTimes { get; }

    /// <summary>Per distinct term: rounding allowance of a merged, boosted clause (0 otherwise).</summary>
    public double[] Slack { get; }

    /// <summary>Per distinct term: the largest contribution it can make to any document's score.</summary>
    public double[] Bound { get; }

    /// <summary>Per scored clause, in the order the reference sums them: index into <see cref="Weights"/>.</summary>
    public int[] Clauses { get; }

    /// <summary>The bound of term <paramref name="i"/> within a block whose largest contribution is <paramref name="blockMax"/>.</summary>
    public double BlockBound(int i, float blockMax) => (double)blockMax * Times[i] + Slack[i];

    private static int IndexOf(Bm25TermWeight[] weights, int term)
    {
        for (int i = 0; i < weights.Length; i++) if (weights[i].Term == term) return i;
        throw new InvalidOperationException("query term missing from its own weights");
    }
}
