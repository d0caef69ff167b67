using LmToLlm.Corpora;
using LmToLlm.Primitives;

namespace LmToLlm.Evaluation;

/// <summary>
/// Relevance judgements of a test collection: per query, the graded relevance of each judged document.
/// Input: judgement lines (TREC or BEIR qrels). Output: per-query lookup docno → relevance plus the count of
/// judged documents per relevance level, which trec_eval's measures need (<c>rel_levels</c> in <c>form_res_rels.c</c>).
/// A document judged twice for one query is an error, as in trec_eval.
/// </summary>
/// <example>
/// <code>
/// var qrels = Qrels.Read("qrels.tsv");
/// int relevant = qrels.Get("q1")?.RelevantCount() ?? 0;
/// </code>
/// The sample <c>samples/LexicalVsSemantic</c> reads BEIR qrels and evaluates every model against them with
/// <see cref="Experiments.ModelComparison"/> (trec_eval measures).
/// </example>
public sealed class Qrels
{
    private readonly Dictionary<string, QueryJudgments> _queries;

    private Qrels(Dictionary<string, QueryJudgments> queries)
    {
        _queries = queries;
        var ids = queries.Keys.ToArray();
        Array.Sort(ids, CodePointComparer.Instance);
        QueryIds = ids;
    }

    /// <summary>Query ids with at least one judgement, in trec_eval order (byte-wise <c>strcmp</c>).</summary>
    internal IReadOnlyList<string> QueryIds { get; }

    /// <summary>Number of judged queries.</summary>
    internal int QueryCount => _queries.Count;

    /// <summary>Reads a TREC qrels file (<c>qid 0 docno rel</c>).</summary>
    internal static Qrels ReadTrec(string path) => FromLines(TrecQrelsReader.Read(path), path);

    /// <summary>Reads a BEIR qrels TSV file (header, then <c>query-id corpus-id score</c>).</summary>
    internal static Qrels ReadBeir(string path) => FromLines(BeirQrelsReader.Read(path), path);

    /// <summary>Reads <paramref name="path"/> as BEIR TSV when its first line is the BEIR header, else as TREC qrels.</summary>
    public static Qrels Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string first = TextLines.Read(path).Select(l => l.Text).FirstOrDefault() ?? "";
        return first.StartsWith("query-id\t", StringComparison.Ordinal) ? ReadBeir(path) : ReadTrec(path);
    }

    /// <summary>Builds qrels from judgement lines; <paramref name="source"/> names the file in errors.</summary>
    /// <exception cref="LmToLlmFormatException">A document is judged twice for the same query.</exception>
    internal static Qrels FromLines(IEnumerable<JudgmentLine> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(source);
        var builders = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (!builders.TryGetValue(line.QueryId, out var docs))
                builders[line.QueryId] = docs = new Dictionary<string, int>(StringComparer.Ordinal);
            if (!docs.TryAdd(line.DocumentId, line.Relevance))
                ThrowHelper.Format(source, line.LineNumber, $"document '{line.DocumentId}' is judged twice for query '{line.QueryId}'; keep one judgement (trec_eval stops on duplicates too)");
        }
        return new Qrels(builders.ToDictionary(kv => kv.Key, kv => new QueryJudgments(kv.Value), StringComparer.Ordinal));
    }

    /// <summary>Builds qrels from (query, document, relevance) triples (duplicates raise <see cref="ArgumentException"/>).</summary>
    public static Qrels FromJudgments(IEnumerable<(string QueryId, string DocumentId, int Relevance)> judgments)
    {
        ArgumentNullException.ThrowIfNull(judgments);
        try
        {
            return FromLines(judgments.Select((j, i) => new JudgmentLine(i + 1, j.QueryId, j.DocumentId, j.Relevance)), "judgments");
        }
        catch (LmToLlmFormatException e)
        {
            throw new ArgumentException(e.Problem, nameof(judgments), e);
        }
    }

    /// <summary>The judgements of <paramref name="queryId"/>, or null when the query has none.</summary>
    public QueryJudgments? Get(string queryId) => _queries.GetValueOrDefault(queryId);

    /// <summary>Number of relevant documents (relevance ≥ <paramref name="relevanceLevel"/>) of a query; 0 if unjudged.</summary>
    internal int RelevantCount(string queryId, int relevanceLevel = 1) => Get(queryId)?.RelevantCount(relevanceLevel) ?? 0;
}

/// <summary>The judgements of one query.</summary>
public sealed class QueryJudgments
{
    private readonly Dictionary<string, int> _relevance;

    internal QueryJudgments(Dictionary<string, int> relevance)
    {
        _relevance = relevance;
        int max = -1;
        foreach (int r in relevance.Values) max = Math.Max(max, r);
        var counts = new long[max + 1];
        foreach (int r in relevance.Values) if (r >= 0) counts[r]++;
        LevelCounts = counts;
        int levels = 0;
        for (int i = 0; i < counts.Length; i++) if (counts[i] != 0) levels = i + 1;
        LevelCountLength = levels;
    }

    /// <summary>Number of judged documents at each relevance level 0..max (negative judgements are not counted).</summary>
    internal long[] LevelCounts { get; }

    /// <summary>trec_eval's <c>num_rel_levels</c>: one more than the highest level with a judged document (0 if none).</summary>
    internal int LevelCountLength { get; }

    /// <summary>Number of judged documents (all levels, including negative "unjudged in pool" entries).</summary>
    internal int Count => _relevance.Count;

    /// <summary>The relevance of <paramref name="documentId"/>, or null when it is not judged.</summary>
    public int? this[string documentId] => _relevance.TryGetValue(documentId, out int r) ? r : null;

    internal bool TryGet(string documentId, out int relevance) => _relevance.TryGetValue(documentId, out relevance);

    /// <summary>Number of documents with relevance ≥ <paramref name="relevanceLevel"/> (trec_eval's <c>num_rel</c>).</summary>
    public int RelevantCount(int relevanceLevel = 1)
    {
        long n = 0;
        for (int i = Math.Max(0, relevanceLevel); i < LevelCounts.Length; i++) n += LevelCounts[i];
        return (int)n;
    }

    /// <summary>Documents and their relevance, in no particular order.</summary>
    public IEnumerable<KeyValuePair<string, int>> Judgments => _relevance;
}
