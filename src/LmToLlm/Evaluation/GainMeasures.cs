namespace LmToLlm.Evaluation;

/// <summary>
/// The gain-based measures of trec_eval 9.0.8 (<c>m_ndcg.c</c>, <c>m_ndcg_rel.c</c>, <c>m_Rndcg.c</c>, <c>m_G.c</c>).
/// A relevance level's gain is the level itself unless a <c>level=gain</c> parameter overrides it; the ideal ranking
/// takes the query's judged documents from the highest gain down, stopping at the first gain ≤ 0. These measures
/// use every judged level, whatever <c>-l</c> says.
/// </summary>
internal static class GainMeasures
{
    private readonly record struct LevelGain(long Level, double Gain, long Count);

    /// <summary>trec_eval's setup_gains: parameter pairs first, then each level 0..num_rel_levels−1, sorted by gain.</summary>
    private static LevelGain[] Gains(JudgedRanking r, (long Level, double Gain)[] pairs)
    {
        var gains = new List<LevelGain>(pairs.Length + r.LevelCountLength);
        foreach (var (level, gain) in pairs) gains.Add(new LevelGain(level, gain, 0));
        for (int i = 0; i < r.LevelCountLength; i++)
        {
            int j = gains.FindIndex(g => g.Level == i);
            if (j >= 0) gains[j] = gains[j] with { Count = r.LevelCounts[i] };
            else gains.Add(new LevelGain(i, i, r.LevelCounts[i]));
        }
        // trec_eval compares (int)(gain1 - gain2) with glibc's stable merge sort.
        return OrderStableByTruncatedDifference(gains.ToArray());
    }

    private static LevelGain[] OrderStableByTruncatedDifference(LevelGain[] gains)
    {
        // Insertion sort: stable, and uses exactly trec_eval's comparison (int)(a - b).
        var sorted = (LevelGain[])gains.Clone();
        for (int i = 1; i < sorted.Length; i++)
        {
            var item = sorted[i];
            int j = i - 1;
            while (j >= 0 && (int)(sorted[j].Gain - item.Gain) > 0)
            {
                sorted[j + 1] = sorted[j];
                j--;
            }
            sorted[j + 1] = item;
        }
        return sorted;
    }

    private static double GainOf(int relevance, LevelGain[] gains)
    {
        foreach (var g in gains) if (g.Level == relevance) return g.Gain;
        return 0.0;
    }

    /// <summary>Steps through the ideal ranking: the gain at each successive rank (0 once exhausted).</summary>
    private struct IdealWalk(LevelGain[] gains)
    {
        private int _level = gains.Length - 1;
        private long _atLevel;

        public double Gain = gains.Length > 0 ? gains[^1].Gain : 0.0;

        public void Next()
        {
            _atLevel++;
            while (_level >= 0 && _atLevel > gains[_level].Count)
            {
                _atLevel = 1;
                _level--;
                Gain = _level >= 0 ? gains[_level].Gain : 0.0;
            }
        }
    }

    /// <summary>nDCG = DCG / ideal DCG over the whole ranking, DCG = Σ gain(rank) / log2(rank + 1).</summary>
    internal static double Ndcg(JudgedRanking r, (long Level, double Gain)[] pairs)
    {
        var gains = Gains(r, pairs);
        double dcg = 0, idealDcg = 0;
        var ideal = new IdealWalk(gains);
        int i;
        for (i = 0; i < r.Retrieved && ideal.Gain > 0.0; i++)
        {
            double gain = GainOf(r.Relevance[i], gains);
            if (gain != 0) dcg += gain / Math.Log2(i + 2);
            ideal.Next();
            if (ideal.Gain > 0.0) idealDcg += ideal.Gain / Math.Log2(i + 2);
        }
        for (; i < r.Retrieved; i++)
        {
            double gain = GainOf(r.Relevance[i], gains);
            if (gain != 0) dcg += gain / Math.Log2(i + 2);
        }
        while (ideal.Gain > 0.0)
        {
            ideal.Next();
            if (ideal.Gain > 0.0) idealDcg += ideal.Gain / Math.Log2(i + 2);
            i++;
        }
        return idealDcg > 0.0 ? dcg / idealDcg : 0;
    }

    /// <summary>ndcg_rel: nDCG at each relevant document's rank (and at ranks R for unretrieved ones), averaged over the ideal's relevant count.</summary>
    internal static double NdcgRel(JudgedRanking r, (long Level, double Gain)[] pairs)
    {
        var gains = Gains(r, pairs);
        double dcg = 0, idealDcg = 0, sum = 0;
        long relRet = 0, rel = 0;
        var ideal = new IdealWalk(gains);
        int i;
        for (i = 0; i < r.Retrieved && ideal.Gain > 0.0; i++)
        {
            double gain = GainOf(r.Relevance[i], gains);
            if (gain != 0) dcg += gain / Math.Log2(i + 2);
            ideal.Next();
            if (ideal.Gain > 0.0)
            {
                rel++;
                idealDcg += ideal.Gain / Math.Log2(i + 2);
            }
            if (gain > 0)
            {
                sum += dcg / idealDcg;
                relRet++;
            }
        }
        for (; i < r.Retrieved; i++)
        {
            double gain = GainOf(r.Relevance[i], gains);
            if (gain != 0) dcg += gain / Math.Log2(i + 2);
            if (gain > 0)
            {
                sum += dcg / idealDcg;
                relRet++;
            }
        }
        while (ideal.Gain > 0.0)
        {
            ideal.Next();
            if (ideal.Gain > 0.0)
            {
                rel++;
                idealDcg += ideal.Gain / Math.Log2(i + 2);
            }
            i++;
        }
        sum += (rel - relRet) * dcg / idealDcg;
        return sum > 0.0 ? sum / rel : 0;
    }

    /// <summary>Rndcg: nDCG taken at each rank where the ideal gain changes (and at the end of the ranking), averaged.</summary>
    internal static double RNdcg(JudgedRanking r, (long Level, double Gain)[] pairs)
    {
        var gains = Gains(r, pairs);
        if (r.Relevant == 0) return 0;
        double dcg = 0, idealDcg = 0, sum = 0;
        long changes = 0;
        var ideal = new IdealWalk(gains);
        double oldIdealGain = ideal.Gain;
        int i;
        for (i = 0; i < r.Retrieved && ideal.Gain > 0.0; i++)
        {
            double gain = GainOf(r.Relevance[i], gains);
            ideal.Next();
            if (oldIdealGain != ideal.Gain)
            {
                if (idealDcg > 0.0)
                {
                    sum += dcg / idealDcg;
                    changes++;
                }
                oldIdealGain = ideal.Gain;
            }
            if (gain != 0) dcg += gain / Math.Log2(i + 2);
            if (ideal.Gain > 0.0) idealDcg += ideal.Gain / Math.Log2(i + 2);
        }
        if (i < r.Retrieved)
        {
            for (; i < r.Retrieved; i++)
            {
                double gain = GainOf(r.Relevance[i], gains);
                if (gain != 0) dcg += gain / Math.Log2(i + 2);
            }
            if (idealDcg > 0.0)
            {
                sum += dcg / idealDcg;
                changes++;
            }
        }
        while (ideal.Gain > 0.0)
        {
            ideal.Next();
            if (oldIdealGain != ideal.Gain)
            {
                if (idealDcg > 0.0)
                {
                    sum += dcg / idealDcg;
                    changes++;
                }
                oldIdealGain = ideal.Gain;
            }
            if (ideal.Gain > 0.0) idealDcg += ideal.Gain / Math.Log2(i + 2);
            i++;
        }
        return sum / changes;
    }

    /// <summary>
    /// rbp (trec_eval 10.0; Moffat and Zobel, TOIS 2008): (1 − p)·Σ gain(rank i)·p^(i−1), p = 0.9 unless a <c>p=</c>
    /// parameter says otherwise. Gains outside [0, 1] are rescaled to (g − min)/(max − min) with min and max taken over
    /// the query's gains and 0 (trec_eval starts both from uninitialised variables that are 0 in practice).
    /// </summary>
    internal static double Rbp(JudgedRanking r, (long Level, double Gain)[] pairs, double p)
    {
        var gains = Gains(r, pairs);
        double min = 0, max = 0;
        foreach (var g in gains)
        {
            min = Math.Min(min, g.Gain);
            max = Math.Max(max, g.Gain);
        }
        if (min < 0 || max > 1)
            for (int i = 0; i < gains.Length; i++) gains[i] = gains[i] with { Gain = (gains[i].Gain - min) / (max - min) };
        double sum = 0, weight = 1.0;
        for (int i = 0; i < r.Retrieved; i++)
        {
            double gain = GainOf(r.Relevance[i], gains);
            if (gain != 0) sum += gain * weight;
            weight *= p;
        }
        return (1.0 - p) * sum;
    }

    /// <summary>G: normalized gain with cost 2 + Σ ideal-or-minimum cost − Σ gain (m_G.c).</summary>
    internal static double G(JudgedRanking r, (long Level, double Gain)[] pairs)
    {
        var gains = Gains(r, pairs);
        double resultsG = 0, sumResults = 0, sumIdeal = 0, sumCost = 0;
        const double minCost = 1.0;
        var ideal = new IdealWalk(gains);
        int i;
        for (i = 0; i < r.Retrieved && ideal.Gain > 0.0; i++)
        {
            double gain = GainOf(r.Relevance[i], gains);
            sumResults += gain;
            ideal.Next();
            if (ideal.Gain > 0.0) sumIdeal += ideal.Gain;
            sumCost += ideal.Gain >= minCost ? ideal.Gain : minCost;
            if (gain != 0) resultsG += gain / Math.Log2(2 + sumCost - sumResults);
        }
        for (; i < r.Retrieved; i++)
        {
            double gain = GainOf(r.Relevance[i], gains);
            sumResults += gain;
            sumCost += minCost;
            if (gain != 0) resultsG += gain / Math.Log2(2 + sumCost - sumResults);
        }
        while (ideal.Gain > 0.0)
        {
            ideal.Next();
            if (ideal.Gain > 0.0) sumIdeal += ideal.Gain;
        }
        return sumIdeal > 0.0 ? resultsG / sumIdeal : 0;
    }
}
