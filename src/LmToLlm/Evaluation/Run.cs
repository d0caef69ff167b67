using LmToLlm.Corpora;
using LmToLlm.Primitives;

namespace LmToLlm.Evaluation;

/// <summary>
/// A retrieval run: per query, the retrieved documents with scores, held in the order trec_eval 9.0.8 ranks them
/// (<c>form_res_rels.c</c>): score rounded to <c>float</c> descending, ties broken by docno in descending
/// byte order (<c>strcmp</c>); the run's own rank column plays no part. A query with no documents does not exist
/// in a run (as in a TREC run file, where a query appears only through its lines).
/// A docno listed twice for one query is an error, as in trec_eval.
/// </summary>
internal sealed class Run
{
    private readonly Dictionary<string, RankedList> _queries;

    private Run(string name, Dictionary<string, RankedList> queries)
    {
        Name = name;
        _queries = queries;
        var ids = queries.Keys.ToArray();
        Array.Sort(ids, CodePointComparer.Instance);
        QueryIds = ids;
    }

    /// <summary>The run id trec_eval prints as <c>runid</c>: the tag of the file's last line.</summary>
    internal string Name { get; }

    /// <summary>Query ids in trec_eval order (byte-wise <c>strcmp</c>).</summary>
    internal IReadOnlyList<string> QueryIds { get; }

    /// <summary>Number of queries with at least one retrieved document.</summary>
    internal int QueryCount => _queries.Count;

    /// <summary>The ranked list of <paramref name="queryId"/>, or null when the run has no result for it.</summary>
    internal RankedList? Get(string queryId) => _queries.GetValueOrDefault(queryId);

    /// <summary>Reads a TREC run file (<c>qid Q0 docno rank score tag</c>).</summary>
    /// <exception cref="LmToLlmFormatException">Malformed line, or a docno repeated within a query.</exception>
    internal static Run ReadTrec(string path) => FromLines(TrecRunReader.Read(path), path);

    /// <summary>Builds a run from run lines; <paramref name="source"/> names the file in errors.</summary>
    internal static Run FromLines(IEnumerable<RunLine> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(source);
        var builders = new Dictionary<string, QueryBuilder>(StringComparer.Ordinal);
        string name = "";
        string? currentQuery = null;
        var b = new QueryBuilder();
        // Docnos of the current query only: runs list a query's lines together, so one set serves them all.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (!ReferenceEquals(line.QueryId, currentQuery) && line.QueryId != currentQuery)
            {
                currentQuery = line.QueryId;
                if (!builders.TryGetValue(currentQuery, out var found)) builders[currentQuery] = found = new QueryBuilder();
                b = found;
                seen.Clear();
                seen.UnionWith(b.Docs); // a query that comes back after another one
            }
            if (!seen.Add(line.DocumentId))
                ThrowHelper.Format(source, line.LineNumber, $"document '{line.DocumentId}' is listed twice for query '{line.QueryId}'; a run may rank a document once per query (trec_eval stops with 'duplicate docs' too)");
            b.Docs.Add(line.DocumentId);
            b.Scores.Add(line.Score);
            name = line.Tag;
        }
        return new Run(name, builders.ToDictionary(kv => kv.Key, kv => new RankedList(kv.Value.Docs.ToArray(), kv.Value.Scores.ToArray()), StringComparer.Ordinal));
    }

    private sealed class QueryBuilder
    {
        public List<string> Docs { get; } = [];
        public List<double> Scores { get; } = [];
    }

    /// <summary>Builds a run from rankings made in process (per query, documents with scores), as <see cref="FromScores"/>.</summary>
    internal static Run FromRankings(string name, IEnumerable<RunQuery> rankings)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        return FromScores(name, rankings.SelectMany(r => r.Entries.Select(e => (r.QueryId, e.DocumentId, e.Score))));
    }

    /// <summary>
    /// Builds a run from scored documents (any order; they are ranked as trec_eval ranks them).
    /// A repeated (query, document) pair raises <see cref="ArgumentException"/>.
    /// </summary>
    internal static Run FromScores(string name, IEnumerable<(string QueryId, string DocumentId, double Score)> scores)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(scores);
        try
        {
            return FromLines(scores.Select((s, i) => new RunLine(i + 1, s.QueryId, s.DocumentId, s.Score, name)), name);
        }
        catch (LmToLlmFormatException e)
        {
            throw new ArgumentException(e.Problem, nameof(scores), e);
        }
    }
}

/// <summary>The documents retrieved for one query in trec_eval 9.0.8 rank order (index 0 = rank 1).</summary>
internal sealed class RankedList
{
    private readonly string[] _documents;
    private readonly double[] _scores;
    private int[]? _doubleOrder;

    internal RankedList(string[] documents, double[] scores)
    {
        _documents = documents;
        _scores = scores;
        // trec_eval 9.0.8 stores sim as float: equal floats tie even when the doubles differ.
        var keys = new double[scores.Length];
        for (int i = 0; i < keys.Length; i++) keys[i] = (float)scores[i];
        var order = Rank(keys);
        DocumentIds = order.Select(i => documents[i]).ToArray();
        Scores = order.Select(i => scores[i]).ToArray();
    }

    /// <summary>Positions into the input, ranked by key descending then docno descending (<c>strcmp</c>).</summary>
    private int[] Rank(double[] keys)
    {
        var order = new int[keys.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            int c = keys[b].CompareTo(keys[a]);
            return c != 0 ? c : CodePointComparer.CompareStrings(_documents[b], _documents[a]);
        });
        return order;
    }

    /// <summary>Document ids in the order the given trec_eval version ranks them (10.0 compares scores as double).</summary>
    internal IReadOnlyList<string> DocumentIdsFor(TrecEvalVersion version)
    {
        if (version == TrecEvalVersion.V9_0_8) return DocumentIds;
        _doubleOrder ??= Rank(_scores);
        return _doubleOrder.Select(i => _documents[i]).ToArray();
    }

    /// <summary>Document ids, best first.</summary>
    internal IReadOnlyList<string> DocumentIds { get; }

    /// <summary>Scores as given (double), aligned with <see cref="DocumentIds"/>.</summary>
    internal IReadOnlyList<double> Scores { get; }

    /// <summary>Number of retrieved documents.</summary>
    internal int Count => DocumentIds.Count;
}
