using System.Globalization;
using LmToLlm.Corpora;

namespace LmToLlm.Evaluation;

/// <summary>
/// trec_eval 9.0.8 in-process. Input: qrels, a run, the measures (<c>-m</c>) and options (<c>-l -c -M -J -N</c>).
/// Output: per-query values for the queries present in both run and qrels (in <c>strcmp</c> order of query id)
/// and the summary (<c>all</c>) values, printable in trec_eval's exact text format.
/// </summary>
/// <example>
/// <code>
/// var qrels = Qrels.Read("qrels.trec");
/// var result = TrecEval.Evaluate(qrels, "bm25.run", ["map", "ndcg_cut.10", "P.5,10"]);
/// double map = result.Summary("map");
/// result.Write(Console.Out, perQuery: true);   // the lines trec_eval -q prints
/// </code>
/// Rankings made in process are evaluated with <see cref="Evaluate(Qrels, IEnumerable{RunQuery}, IEnumerable{string}?, TrecEvalOptions?, string)"/>;
/// the sample <c>samples/LexicalVsSemantic</c> compares models this way.
/// </example>
public static class TrecEval
{
    /// <summary>
    /// Evaluates the TREC run file <paramref name="runPath"/> (<c>qid Q0 docno rank score tag</c>) against
    /// <paramref name="qrels"/>, as <c>trec_eval -m MEASURE … QRELS RUN</c>.
    /// </summary>
    /// <param name="qrels">The relevance judgements.</param>
    /// <param name="runPath">The run file (<c>.gz</c> read transparently).</param>
    /// <param name="measures">trec_eval's <c>-m</c> values: measures (<c>map</c>), measures with parameters
    /// (<c>ndcg_cut.10</c>, <c>P.5,10</c>) or sets (<c>official</c>, <c>all_trec</c>); null or empty: <c>official</c>.</param>
    /// <param name="options">trec_eval's <c>-l -c -M -J -N</c> switches and the version reproduced; null: its defaults.</param>
    /// <exception cref="LmToLlmFormatException">A malformed run line, or a docno repeated within a query.</exception>
    /// <exception cref="ArgumentException">An unknown measure or malformed measure parameters.</exception>
    /// <exception cref="LmToLlmException">No query has both results and judgements.</exception>
    public static TrecEvalResult Evaluate(Qrels qrels, string runPath, IEnumerable<string>? measures = null, TrecEvalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runPath);
        return Evaluate(qrels, Run.ReadTrec(runPath), Select(measures, options), options);
    }

    /// <summary>
    /// Evaluates rankings made in process (query id, then documents with scores; the order is trec_eval's: score
    /// descending, ties by docno) against <paramref name="qrels"/>; otherwise as the run-file overload.
    /// </summary>
    /// <param name="qrels">The relevance judgements.</param>
    /// <param name="rankings">Per query, the retrieved documents with their scores.</param>
    /// <param name="measures">As in the run-file overload.</param>
    /// <param name="options">As in the run-file overload.</param>
    /// <param name="runName">The run id printed as <c>runid</c>.</param>
    public static TrecEvalResult Evaluate(Qrels qrels, IEnumerable<RunQuery> rankings, IEnumerable<string>? measures = null, TrecEvalOptions? options = null, string runName = "run")
    {
        return Evaluate(qrels, Run.FromRankings(runName, rankings), Select(measures, options), options);
    }

    private static MeasureSelection? Select(IEnumerable<string>? measures, TrecEvalOptions? options) =>
        measures is null ? null : MeasureSelection.Parse(measures, (options ?? TrecEvalOptions.Default).Version);

    /// <summary>Evaluates <paramref name="run"/> against <paramref name="qrels"/>.</summary>
    /// <exception cref="LmToLlmException">No query has both results and judgements (trec_eval exits with an error too).</exception>
    internal static TrecEvalResult Evaluate(Qrels qrels, Run run, MeasureSelection? measures = null, TrecEvalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(qrels);
        ArgumentNullException.ThrowIfNull(run);
        measures ??= MeasureSelection.Official;
        options ??= TrecEvalOptions.Default;
        if (options.MaxDocumentsPerQuery is int max) ArgumentOutOfRangeException.ThrowIfNegative(max);

        var instances = measures.Measures;
        var offsets = new int[instances.Count];
        int slots = 0;
        for (int m = 0; m < instances.Count; m++)
        {
            offsets[m] = slots;
            slots += instances[m].ValueNames.Length;
        }
        int relStringIndex = -1;
        for (int m = 0; m < instances.Count; m++) if (instances[m].Definition.Kind == ValueKind.RelString) relStringIndex = m;

        if (options.Version == TrecEvalVersion.V10_0)
        {
            if (options.AverageOverAllJudgedQueries)
                throw new NotSupportedException("-c is not implemented in the trec_eval 10.0 compatibility mode (10.0 evaluates empty rankings for the missing queries)");
            foreach (string judged in qrels.QueryIds)
                if (run.Get(judged) is null)
                    throw new LmToLlmException($"judged query '{judged}' has no results in run '{run.Name}'; trec_eval 10.0 stops here (9.0.8 skips the query; -c averages it as 0)");
        }

        var queries = new List<QueryEvaluation>();
        var sums = new double[slots];
        foreach (string qid in run.QueryIds)
        {
            var judgments = qrels.Get(qid);
            if (judgments is null) continue;
            var ranking = new JudgedRanking(run.Get(qid)!, judgments, options);
            var values = new double[slots];
            for (int m = 0; m < instances.Count; m++)
                instances[m].Definition.Compute(ranking, instances[m], values.AsSpan(offsets[m], instances[m].ValueNames.Length), options);
            for (int s = 0; s < slots; s++) sums[s] += values[s];
            string? relString = relStringIndex >= 0 ? TrecMeasures.RelString(ranking, instances[relStringIndex].Reals[0]) : null;
            queries.Add(new QueryEvaluation(qid, values, relString));
        }
        if (queries.Count == 0)
            throw new LmToLlmException($"no query has both results in run '{run.Name}' and relevance judgements; check that the run and qrels use the same query ids (trec_eval stops here too)");

        var summary = Summarize(qrels, queries.Count, instances, offsets, sums, options);
        return new TrecEvalResult(run.Name, instances, offsets, queries, summary, options);
    }

    private static double[] Summarize(Qrels qrels, int evaluated, IReadOnlyList<MeasureInstance> instances, int[] offsets, double[] sums, TrecEvalOptions options)
    {
        bool complete = options.AverageOverAllJudgedQueries;
        int n = complete ? qrels.QueryCount : evaluated;
        var summary = (double[])sums.Clone();
        for (int m = 0; m < instances.Count; m++)
        {
            var instance = instances[m];
            for (int k = 0; k < instance.ValueNames.Length; k++)
            {
                int s = offsets[m] + k;
                switch (instance.Definition.Aggregate)
                {
                    case Aggregation.QueryCount:
                        summary[s] = n;
                        break;
                    case Aggregation.RelevantCount:
                        // trec_eval -c recounts from the qrels, every judgement with value > 0 (whatever -l says).
                        if (complete)
                            summary[s] = qrels.QueryIds.Sum(q => (double)qrels.Get(q)!.Judgments.Count(j => j.Value > 0));
                        break;
                    case Aggregation.Mean:
                        if (n != 0) summary[s] /= n;
                        break;
                    case Aggregation.GeometricMean:
                        double logSum = summary[s];
                        if (complete) logSum += (n - evaluated) * Math.Log(TrecMeasures.MinGeoMean);
                        summary[s] = Math.Exp(logSum / n);
                        break;
                }
            }
        }
        return summary;
    }
}

/// <summary>The values of every selected measure for one query.</summary>
internal sealed class QueryEvaluation
{
    internal QueryEvaluation(string queryId, double[] values, string? relString)
    {
        QueryId = queryId;
        Values = values;
        RelString = relString;
    }

    /// <summary>The query id.</summary>
    internal string QueryId { get; }

    internal double[] Values { get; }

    /// <summary>The <c>relstring</c> value when that measure was selected.</summary>
    internal string? RelString { get; }
}

/// <summary>
/// What <c>TrecEval.Evaluate</c> computed: per-query values and the summary, addressable by value name
/// (<c>map</c>, <c>P_10</c>, <c>ndcg_cut_10</c>, ...), and printable as trec_eval prints them.
/// </summary>
public sealed class TrecEvalResult
{
    private readonly IReadOnlyList<MeasureInstance> _instances;
    private readonly int[] _offsets;
    private readonly double[] _summary;
    private readonly Dictionary<string, int> _slotOf;

    internal TrecEvalResult(string runName, IReadOnlyList<MeasureInstance> instances, int[] offsets, List<QueryEvaluation> queries, double[] summary, TrecEvalOptions options)
    {
        RunName = runName;
        _instances = instances;
        _offsets = offsets;
        Queries = queries;
        _summary = summary;
        Options = options;
        ValueNames = instances.SelectMany(m => m.ValueNames).ToArray();
        _slotOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int s = 0; s < ValueNames.Count; s++) _slotOf.TryAdd(ValueNames[s], s);
    }

    /// <summary>The run id (tag of the run's last line).</summary>
    public string RunName { get; }

    /// <summary>The options used.</summary>
    internal TrecEvalOptions Options { get; }

    /// <summary>Names of the numeric values, in print order.</summary>
    public IReadOnlyList<string> ValueNames { get; }

    /// <summary>Evaluated queries (in both run and qrels), in trec_eval order.</summary>
    internal IReadOnlyList<QueryEvaluation> Queries { get; }

    /// <summary>The summary value printed on the <c>all</c> line for <paramref name="valueName"/> (mean, sum, count or geometric mean).</summary>
    public double Summary(string valueName) => _summary[Slot(valueName)];

    /// <summary>The value of <paramref name="valueName"/> for one evaluated query.</summary>
    internal double Value(string valueName, string queryId)
    {
        var query = Queries.FirstOrDefault(q => q.QueryId == queryId) ?? throw new KeyNotFoundException($"query '{queryId}' was not evaluated");
        return query.Values[Slot(valueName)];
    }

    /// <summary>
    /// Per-query values of <paramref name="valueName"/> by query id. For gm_map and gm_bpref these are the logs
    /// trec_eval averages (trec_eval does not print them per query).
    /// </summary>
    public IReadOnlyDictionary<string, double> PerQuery(string valueName)
    {
        int slot = Slot(valueName);
        return Queries.ToDictionary(q => q.QueryId, q => q.Values[slot], StringComparer.Ordinal);
    }

    private int Slot(string valueName) =>
        _slotOf.TryGetValue(valueName, out int slot) ? slot : throw new KeyNotFoundException($"value '{valueName}' was not computed; computed: {string.Join(", ", ValueNames)}");

    /// <summary>Writes trec_eval's output: per-query lines when <paramref name="perQuery"/> (<c>-q</c>), then the summary unless <paramref name="summary"/> is false (<c>-n</c>).</summary>
    public void Write(TextWriter writer, bool perQuery = false, bool summary = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (perQuery)
        {
            foreach (var query in Queries)
            {
                for (int m = 0; m < _instances.Count; m++)
                {
                    var instance = _instances[m];
                    if (!instance.Definition.PerQuery) continue;
                    if (instance.Definition.Kind == ValueKind.RelString)
                    {
                        WriteLine(writer, instance.PrintName, query.QueryId, $"'{query.RelString}'");
                        continue;
                    }
                    WriteValues(writer, instance, _offsets[m], query.QueryId, query.Values);
                }
            }
        }
        if (!summary) return;
        for (int m = 0; m < _instances.Count; m++)
        {
            var instance = _instances[m];
            switch (instance.Definition.Kind)
            {
                case ValueKind.RelString:
                    continue;
                case ValueKind.RunId:
                    WriteLine(writer, "runid", "all", RunName);
                    continue;
                default:
                    WriteValues(writer, instance, _offsets[m], "all", _summary);
                    continue;
            }
        }
    }

    /// <summary>The text <see cref="Write"/> produces.</summary>
    internal string ToText(bool perQuery = false, bool summary = true)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        Write(writer, perQuery, summary);
        return writer.ToString();
    }

    private static void WriteValues(TextWriter writer, MeasureInstance instance, int offset, string qid, double[] values)
    {
        for (int k = 0; k < instance.ValueNames.Length; k++)
        {
            double v = values[offset + k];
            string text = instance.Definition.Kind == ValueKind.Integer
                ? ((long)v).ToString(CultureInfo.InvariantCulture)
                : CFormat.Fixed(v, 4, 6);
            WriteLine(writer, instance.ValueNames[k], qid, text);
        }
    }

    // printf("%-22s\t%s\t%s\n")
    private static void WriteLine(TextWriter writer, string name, string qid, string value)
    {
        writer.Write(name.PadRight(22));
        writer.Write('\t');
        writer.Write(qid);
        writer.Write('\t');
        writer.Write(value);
        writer.Write('\n');
    }
}
