namespace LmToLlm.Evaluation;

/// <summary>
/// The per-query formulas of trec_eval 9.0.8's standard measures (one method per <c>m_*.c</c> file), written
/// against <see cref="JudgedRanking"/>. Each fills the values of one measure for one query; values not set stay 0,
/// which is what trec_eval reports in the same situation. Ranks are 1-based in the formulas, 0-based in code.
/// </summary>
internal static class TrecMeasures
{
    /// <summary>trec_eval MIN_GEO_MEAN: floor of a value before its log is taken for gm_map and gm_bpref.</summary>
    internal const double MinGeoMean = 0.00001;

    private const double InfApEpsilon = 0.00001;

    /// <summary>AP = Σ over relevant retrieved documents of P@rank, divided by num_rel.</summary>
    internal static double AveragePrecision(JudgedRanking r)
    {
        long relSoFar = 0;
        double sum = 0;
        for (int i = 0; i < r.Retrieved; i++)
        {
            if (!r.IsRelevant(i)) continue;
            relSoFar++;
            sum += (double)relSoFar / (i + 1);
        }
        return relSoFar != 0 ? sum / r.Relevant : 0;
    }

    /// <summary>log(max(AP, 1e-5)), summed per query and exponentiated over the mean (geometric mean).</summary>
    internal static double LogAveragePrecision(JudgedRanking r) => Math.Log(Math.Max(AveragePrecision(r), MinGeoMean));

    /// <summary>R-precision: relevant documents in the top R (R = num_rel) divided by R.</summary>
    internal static double RPrecision(JudgedRanking r)
    {
        int look = Math.Min(r.Retrieved, r.Relevant);
        if (look == 0) return 0;
        long rel = 0;
        for (int i = 0; i < look; i++) if (r.IsRelevant(i)) rel++;
        return (double)rel / r.Relevant;
    }

    /// <summary>
    /// bpref (Buckley and Voorhees, SIGIR 2004): (1/R) Σ over relevant retrieved d of
    /// 1 − min(n_d, R) / min(N, R), n_d = judged non-relevant ranked above d, N = judged non-relevant of the query.
    /// Unjudged documents are skipped.
    /// </summary>
    internal static double Bpref(JudgedRanking r)
    {
        long numNonRel = r.JudgedNonRelevant;
        long nonRelSoFar = 0;
        double bpref = 0;
        for (int j = 0; j < r.Retrieved; j++)
        {
            int rel = r.Relevance[j];
            if (rel == JudgedRanking.NotInPool || rel == JudgedRanking.UnjudgedInPool) continue;
            if (rel >= 0 && rel < r.RelevanceLevel)
            {
                nonRelSoFar++;
                continue;
            }
            bpref += nonRelSoFar > 0
                ? 1.0 - (double)Math.Min(nonRelSoFar, r.Relevant) / Math.Min(numNonRel, r.Relevant)
                : 1.0;
        }
        if (r.Relevant != 0) bpref /= r.Relevant;
        return bpref;
    }

    /// <summary>log(max(bpref, 1e-5)), for gm_bpref.</summary>
    internal static double LogBpref(JudgedRanking r) => Math.Log(Math.Max(Bpref(r), MinGeoMean));

    /// <summary>1 / rank of the first relevant document, 0 if none is retrieved.</summary>
    internal static double ReciprocalRank(JudgedRanking r)
    {
        for (int i = 0; i < r.Retrieved; i++) if (r.IsRelevant(i)) return 1.0 / (i + 1);
        return 0;
    }

    /// <summary>
    /// Interpolated precision at recall levels: the level p becomes a cutoff of (long)(p·R + 0.9) relevant documents;
    /// the value is max precision at any rank at or after the rank where that many relevant documents are seen.
    /// </summary>
    internal static void InterpolatedPrecision(JudgedRanking r, double[] recallLevels, Span<double> values)
    {
        var cutoffs = new long[recallLevels.Length];
        for (int i = 0; i < cutoffs.Length; i++)
            cutoffs[i] = r.RoundRecallCutoffs
                ? (long)Math.Round(recallLevels[i] * r.Relevant, MidpointRounding.AwayFromZero) // 10.0: lround
                : (long)(recallLevels[i] * r.Relevant + 0.9);
        int cut = cutoffs.Length - 1;
        while (cut >= 0 && cutoffs[cut] > r.RelevantRetrieved) cut--;
        double interpolated = (double)r.RelevantRetrieved / r.Retrieved;
        long relSoFar = r.RelevantRetrieved;
        for (int i = r.Retrieved; i > 0 && relSoFar > 0; i--)
        {
            double precision = (double)relSoFar / i;
            if (interpolated < precision) interpolated = precision;
            if (r.IsRelevant(i - 1))
            {
                while (cut >= 0 && relSoFar == cutoffs[cut]) values[cut--] = interpolated;
                relSoFar--;
            }
        }
        while (cut >= 0) values[cut--] = interpolated;
    }

    /// <summary>11pt_avg: the mean of <see cref="InterpolatedPrecision"/> over the recall levels.</summary>
    internal static double ElevenPointAverage(JudgedRanking r, double[] recallLevels)
    {
        Span<double> values = recallLevels.Length <= 64 ? stackalloc double[recallLevels.Length] : new double[recallLevels.Length];
        values.Clear();
        InterpolatedPrecision(r, recallLevels, values);
        double sum = 0;
        // trec_eval adds the levels from the highest recall down.
        for (int i = values.Length - 1; i >= 0; i--) sum += values[i];
        return sum / recallLevels.Length;
    }

    /// <summary>
    /// Walks the ranking once and calls <paramref name="atCutoff"/> for each cutoff k with the number of relevant
    /// documents in the top k (cutoffs beyond the ranking get the final count), as the trec_eval cutoff measures do.
    /// </summary>
    private static void RelevantAtCutoffs(JudgedRanking r, long[] cutoffs, Action<int, long, long> atCutoff)
    {
        int index = 0;
        long relSoFar = 0;
        for (int i = 0; i < r.Retrieved; i++)
        {
            if (i == cutoffs[index])
            {
                atCutoff(index, i, relSoFar);
                if (++index == cutoffs.Length) return;
            }
            if (r.IsRelevant(i)) relSoFar++;
        }
        for (; index < cutoffs.Length; index++) atCutoff(index, cutoffs[index], relSoFar);
    }

    /// <summary>P@k = relevant in top k / k (missing ranks count as non-relevant).</summary>
    internal static void Precision(JudgedRanking r, long[] cutoffs, Span<double> values)
    {
        var v = new double[cutoffs.Length];
        RelevantAtCutoffs(r, cutoffs, (index, k, rel) => v[index] = (double)rel / cutoffs[index]);
        v.CopyTo(values);
    }

    /// <summary>recall@k = relevant in top k / R (0 when R = 0).</summary>
    internal static void Recall(JudgedRanking r, long[] cutoffs, Span<double> values)
    {
        if (r.Relevant == 0) return;
        var v = new double[cutoffs.Length];
        RelevantAtCutoffs(r, cutoffs, (index, k, rel) => v[index] = (double)rel / r.Relevant);
        v.CopyTo(values);
    }

    /// <summary>relative_P@k = relevant in top k / min(k, R).</summary>
    internal static void RelativePrecision(JudgedRanking r, long[] cutoffs, Span<double> values)
    {
        if (r.Relevant == 0) return;
        var v = new double[cutoffs.Length];
        RelevantAtCutoffs(r, cutoffs, (index, k, rel) => v[index] = (double)rel / Math.Min(k, r.Relevant));
        v.CopyTo(values);
    }

    /// <summary>success@k = 1 if a relevant document is in the top k, else 0.</summary>
    internal static void Success(JudgedRanking r, long[] cutoffs, Span<double> values)
    {
        var v = new double[cutoffs.Length];
        RelevantAtCutoffs(r, cutoffs, (index, k, rel) => v[index] = rel != 0 ? 1.0 : 0.0);
        v.CopyTo(values);
    }

    /// <summary>map_cut@k: AP with the sum of precisions truncated at rank k, still divided by R.</summary>
    internal static void AveragePrecisionAtCutoffs(JudgedRanking r, long[] cutoffs, Span<double> values)
    {
        if (r.Relevant == 0) return;
        int index = 0;
        long relSoFar = 0;
        double sum = 0;
        for (int i = 0; i < r.Retrieved; i++)
        {
            if (i == cutoffs[index])
            {
                values[index] = sum / r.Relevant;
                if (++index == cutoffs.Length) return;
            }
            if (r.IsRelevant(i))
            {
                relSoFar++;
                sum += (double)relSoFar / (i + 1);
            }
        }
        for (; index < cutoffs.Length; index++) values[index] = sum / r.Relevant;
    }

    /// <summary>
    /// infAP (Yilmaz and Aslam, CIKM 2006) as trec_eval computes it: for the relevant document at rank k+1 (k ≥ 1),
    /// 1/(k+1) + (k/(k+1)) · ((rel+nonrel+unjudged above)/k) · ((rel above + ε)/(rel above + nonrel above + 2ε)); 1 at rank 1.
    /// </summary>
    internal static double InferredAveragePrecision(JudgedRanking r)
    {
        long nonRelSoFar = 0, relSoFar = 0, unjudgedSoFar = 0;
        double sum = 0;
        for (int j = 0; j < r.Retrieved; j++)
        {
            int rel = r.Relevance[j];
            if (rel == JudgedRanking.NotInPool) continue;
            if (rel == JudgedRanking.UnjudgedInPool)
            {
                unjudgedSoFar++;
                continue;
            }
            if (rel >= 0 && rel < r.RelevanceLevel)
            {
                nonRelSoFar++;
                continue;
            }
            relSoFar++;
            if (j == 0)
            {
                sum += 1.0;
                continue;
            }
            double fj = j;
            sum += 1.0 / (fj + 1.0)
                + (fj / (fj + 1.0))
                * ((relSoFar - 1 + nonRelSoFar + unjudgedSoFar) / fj)
                * ((relSoFar - 1 + InfApEpsilon) / (relSoFar - 1 + nonRelSoFar + 2 * InfApEpsilon));
        }
        if (r.Relevant != 0) sum /= r.Relevant;
        return sum;
    }

    /// <summary>
    /// Precision at multiples m of R: cutoff (long)(m·R + 0.9) documents; beyond the ranking the value is
    /// num_rel_ret / cutoff.
    /// </summary>
    internal static void RPrecisionMultiples(JudgedRanking r, double[] multiples, Span<double> values)
    {
        var cutoffs = new long[multiples.Length];
        for (int i = 0; i < cutoffs.Length; i++) cutoffs[i] = (long)(multiples[i] * r.Relevant + 0.9);
        int cut = cutoffs.Length - 1;
        while (cut >= 0 && cutoffs[cut] > r.Retrieved)
        {
            values[cut] = (double)r.RelevantRetrieved / cutoffs[cut];
            cut--;
        }
        long relSoFar = r.RelevantRetrieved;
        for (int i = r.Retrieved; i > 0 && relSoFar > 0; i--)
        {
            double precision = (double)relSoFar / i;
            while (cut >= 0 && i == cutoffs[cut]) values[cut--] = precision;
            if (r.IsRelevant(i - 1)) relSoFar--;
        }
    }

    /// <summary>Set utility a·rel_ret + b·nonrel_ret + c·rel_not_ret + d·nonrel_not_ret (default a=1, b=−1, c=d=0).</summary>
    internal static double Utility(JudgedRanking r, double[] coefficients, long documentsInCollection)
    {
        if (coefficients.Length != 4)
            throw new ArgumentException("utility needs exactly 4 coefficients a,b,c,d (as trec_eval -m utility.1,-1,0,0)");
        return coefficients[0] * r.RelevantRetrieved
            + coefficients[1] * (r.Retrieved - r.RelevantRetrieved)
            + coefficients[2] * (r.Relevant - r.RelevantRetrieved)
            + coefficients[3] * (documentsInCollection + r.RelevantRetrieved - r.Retrieved - r.Relevant);
    }

    /// <summary>binG: (1/R) Σ over relevant retrieved documents of 1 / log2(2 + non-relevant documents ranked above).</summary>
    internal static double BinaryG(JudgedRanking r)
    {
        long relSoFar = 0;
        double sum = 0;
        for (int i = 0; i < r.Retrieved; i++)
        {
            if (!r.IsRelevant(i)) continue;
            relSoFar++;
            sum += 1.0 / Math.Log2(3 + i - relSoFar);
        }
        return relSoFar != 0 ? sum / r.Relevant : 0;
    }

    /// <summary>set_P = num_rel_ret / num_ret.</summary>
    internal static double SetPrecision(JudgedRanking r) => r.Retrieved != 0 ? (double)r.RelevantRetrieved / r.Retrieved : 0;

    /// <summary>set_relative_P = num_rel_ret / min(num_ret, R).</summary>
    internal static double SetRelativePrecision(JudgedRanking r) =>
        r.Retrieved != 0 && r.Relevant != 0 ? (double)r.RelevantRetrieved / Math.Min(r.Retrieved, r.Relevant) : 0;

    /// <summary>set_recall = num_rel_ret / R.</summary>
    internal static double SetRecall(JudgedRanking r) => r.Relevant != 0 ? (double)r.RelevantRetrieved / r.Relevant : 0;

    /// <summary>set_map = num_rel_ret² / (num_ret · R).</summary>
    internal static double SetMap(JudgedRanking r) =>
        r.Retrieved != 0 && r.Relevant != 0 ? (double)r.RelevantRetrieved * r.RelevantRetrieved / ((double)r.Retrieved * r.Relevant) : 0;

    /// <summary>set_F = (β+1)·P·R / (β·P + R) with set precision P and set recall R (default β = 1).</summary>
    internal static double SetF(JudgedRanking r, double beta)
    {
        if (r.RelevantRetrieved == 0) return 0;
        double p = (double)r.RelevantRetrieved / r.Retrieved;
        double rec = (double)r.RelevantRetrieved / r.Relevant;
        return (beta + 1.0) * p * rec / (beta * p + rec);
    }

    /// <summary>unj@k (trec_eval 10.0): fraction of the top k (missing ranks count) that is not judged.</summary>
    internal static void Unjudged(JudgedRanking r, long[] cutoffs, Span<double> values)
    {
        int index = 0;
        long unjudged = 0;
        for (int i = 0; i < r.Retrieved; i++)
        {
            if (i == cutoffs[index])
            {
                values[index] = (double)unjudged / i;
                if (++index == cutoffs.Length) return;
            }
            if (r.Relevance[i] is JudgedRanking.NotInPool or JudgedRanking.UnjudgedInPool) unjudged++;
        }
        for (; index < cutoffs.Length; index++) values[index] = (double)unjudged / cutoffs[index];
    }

    /// <summary>
    /// rbp_resid (trec_eval 10.0; Moffat and Zobel, TOIS 2008): the RBP mass that unjudged documents and the ranks
    /// after the list could add, p^n + (1 − p)·Σ over unjudged ranks i of p^(i−1); 0 when every document is judged.
    /// </summary>
    internal static double RbpResidual(JudgedRanking r, double p)
    {
        long unjudged = 0;
        double sum = 0, weight = 1.0;
        for (int i = 0; i < r.Retrieved; i++)
        {
            if (r.Relevance[i] < 0)
            {
                unjudged++;
                sum += weight;
            }
            weight *= p;
        }
        return unjudged != 0 ? weight + (1 - p) * sum : 0;
    }

    /// <summary>Judged non-relevant documents retrieved.</summary>
    internal static double NonRelevantJudgedRetrieved(JudgedRanking r) =>
        r.Retrieved - r.NotInPoolCount - r.UnjudgedInPoolCount - r.RelevantRetrieved;

    /// <summary>
    /// The relevance of the first N ranked documents as characters: the digit for 0..9, '&gt;' above 9,
    /// '-' not judged, '.' in pool but unjudged, '&lt;' otherwise.
    /// </summary>
    internal static string RelString(JudgedRanking r, double length)
    {
        long len = Math.Max(0, Math.Min((long)length, r.Retrieved));
        var chars = new char[len];
        for (int i = 0; i < len; i++)
        {
            int rel = r.Relevance[i];
            chars[i] = rel switch
            {
                > 9 => '>',
                >= 0 => (char)('0' + rel),
                JudgedRanking.NotInPool => '-',
                JudgedRanking.UnjudgedInPool => '.',
                _ => '<',
            };
        }
        return new string(chars);
    }

    /// <summary>
    /// nDCG@k with the relevance level as gain and 1/log2(rank+1) discount; the ideal ranking orders the query's
    /// judged documents by level (m_ndcg_cut.c: ignores -l and gain parameters).
    /// </summary>
    internal static void NdcgAtCutoffs(JudgedRanking r, long[] cutoffs, Span<double> values)
    {
        int index = 0;
        double sum = 0;
        int i;
        for (i = 0; i < r.Retrieved; i++)
        {
            if (i == cutoffs[index])
            {
                values[index] = sum;
                if (++index == cutoffs.Length) break;
            }
            double gain = r.Relevance[i];
            if (gain > 0) sum += gain / Math.Log2(i + 2);
        }
        for (; index < cutoffs.Length; index++) values[index] = sum;

        index = 0;
        int level = r.LevelCountLength - 1;
        long atLevel = 0;
        double ideal = 0;
        for (i = 0; ; i++)
        {
            atLevel++;
            while (level > 0 && atLevel > r.LevelCounts[level])
            {
                level--;
                atLevel = 1;
            }
            if (level <= 0) break; // trec_eval tests level == 0; a query with no judged level has nothing ideal either
            if (i == cutoffs[index])
            {
                if (ideal > 0.0) values[index] /= ideal;
                if (++index == cutoffs.Length) return;
            }
            ideal += level / Math.Log2(i + 2);
        }
        for (; index < cutoffs.Length; index++)
            if (ideal > 0.0) values[index] /= ideal;
    }
}
