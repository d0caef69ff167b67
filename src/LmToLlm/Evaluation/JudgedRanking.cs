namespace LmToLlm.Evaluation;

/// <summary>
/// One query's ranking joined with its judgements: trec_eval's <c>RES_RELS</c> (<c>form_res_rels.c</c>).
/// Input: a ranked list in trec_eval order and the query's qrels. Output: the relevance of each ranked document
/// (<see cref="NotInPool"/> when unjudged, <see cref="UnjudgedInPool"/> for negative qrels values) and the counts
/// every measure starts from.
/// </summary>
internal sealed class JudgedRanking
{
    /// <summary>trec_eval's RELVALUE_NONPOOL: the document has no judgement.</summary>
    internal const int NotInPool = -1;

    /// <summary>trec_eval's RELVALUE_UNJUDGED: the qrels list it with a negative value (sampled pools, infAP).</summary>
    internal const int UnjudgedInPool = -2;

    internal JudgedRanking(RankedList ranking, QueryJudgments judgments, TrecEvalOptions options)
    {
        var documents = ranking.DocumentIdsFor(options.Version);
        int n = documents.Count;
        if (options.MaxDocumentsPerQuery is int max && n > max) n = max;
        var rels = new int[n];
        int kept = 0;
        for (int i = 0; i < n; i++)
        {
            int rel = judgments.TryGet(documents[i], out int r) ? (r < 0 ? UnjudgedInPool : r) : NotInPool;
            if (options.JudgedDocumentsOnly && rel < 0) continue;
            rels[kept++] = rel;
        }
        if (kept != n) Array.Resize(ref rels, kept);
        Relevance = rels;
        RelevanceLevel = options.RelevanceLevel;
        RoundRecallCutoffs = options.Version == TrecEvalVersion.V10_0;
        foreach (int rel in rels)
        {
            if (rel == NotInPool) NotInPoolCount++;
            else if (rel == UnjudgedInPool) UnjudgedInPoolCount++;
            else if (rel >= RelevanceLevel) RelevantRetrieved++;
        }
        LevelCounts = judgments.LevelCounts;
        LevelCountLength = judgments.LevelCountLength;
        Relevant = judgments.RelevantCount(RelevanceLevel);
    }

    /// <summary>Relevance of the document at each rank (index 0 = rank 1).</summary>
    internal int[] Relevance { get; }

    /// <summary>The threshold from which a level counts as relevant (<c>-l</c>).</summary>
    internal int RelevanceLevel { get; }

    /// <summary>trec_eval 10.0 rounds p·R to the nearest integer for recall levels; 9.0.8 truncates p·R + 0.9.</summary>
    internal bool RoundRecallCutoffs { get; }

    /// <summary>num_ret.</summary>
    internal int Retrieved => Relevance.Length;

    /// <summary>num_rel_ret.</summary>
    internal int RelevantRetrieved { get; }

    /// <summary>num_rel.</summary>
    internal int Relevant { get; }

    /// <summary>num_nonpool.</summary>
    internal int NotInPoolCount { get; }

    /// <summary>num_unjudged_in_pool.</summary>
    internal int UnjudgedInPoolCount { get; }

    /// <summary>rel_levels: judged documents per level, retrieved or not.</summary>
    internal long[] LevelCounts { get; }

    /// <summary>num_rel_levels.</summary>
    internal int LevelCountLength { get; }

    internal bool IsRelevant(int rank0) => Relevance[rank0] >= RelevanceLevel;

    /// <summary>Number of judged non-relevant documents of the query (levels below the threshold).</summary>
    internal long JudgedNonRelevant
    {
        get
        {
            long n = 0;
            for (int j = 0; j < RelevanceLevel && j < LevelCounts.Length; j++) n += LevelCounts[j];
            return n;
        }
    }
}
