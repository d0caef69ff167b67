namespace LmToLlm.Evaluation;

/// <summary>The trec_eval 9.0.8 switches that change what is computed. Defaults are trec_eval's defaults.</summary>
public sealed record TrecEvalOptions
{
    /// <summary><c>-l</c>: the lowest judgement value that counts as relevant. Default 1.</summary>
    public int RelevanceLevel { get; init; } = 1;

    /// <summary>
    /// <c>-c</c>: average over every query of the qrels instead of the queries in both qrels and run; a judged query
    /// the run lacks contributes 0 to each mean (and 1e-5 to the geometric means), and <c>num_rel</c> counts every
    /// judgement with value &gt; 0. Default false.
    /// </summary>
    public bool AverageOverAllJudgedQueries { get; init; }

    /// <summary><c>-M</c>: evaluate only the first N ranked documents per query. Default: all.</summary>
    public int? MaxDocumentsPerQuery { get; init; }

    /// <summary><c>-J</c>: drop unjudged documents from the rankings before computing anything. Default false.</summary>
    public bool JudgedDocumentsOnly { get; init; }

    /// <summary><c>-N</c>: number of documents in the collection (only the utility measure uses it). Default 0.</summary>
    public long DocumentsInCollection { get; init; }

    /// <summary>
    /// Which trec_eval to reproduce. Default <see cref="TrecEvalVersion.V9_0_8"/>, the version the literature uses.
    /// </summary>
    public TrecEvalVersion Version { get; init; } = TrecEvalVersion.V9_0_8;

    /// <summary>trec_eval's defaults.</summary>
    public static TrecEvalOptions Default { get; } = new();
}

/// <summary>The trec_eval release whose behaviour is reproduced.</summary>
public enum TrecEvalVersion
{
    /// <summary>
    /// trec_eval 9.0.8 (reports itself as 9.0.7): scores compared as <c>float</c>; recall levels become
    /// (long)(p·R + 0.9) relevant documents; a judged query missing from the run is skipped.
    /// </summary>
    V9_0_8,

    /// <summary>
    /// trec_eval 10.0 (June 2026): scores compared as <c>double</c>; recall levels rounded, lround(p·R), for
    /// iprec_at_recall and 11pt_avg; all_trec adds rbp, rbp_resid and unj_5/10/20; a judged query missing from the run
    /// is an error. Compatibility mode: <c>-c</c> is not supported in it.
    /// </summary>
    V10_0,
}
