using System.Globalization;
using CsvHelper;
using LmToLlm.Evaluation;

namespace LmToLlm.Experiments;

/// <summary>
/// Files of a model comparison: <c>metrics.csv</c> (one row per model: the <see cref="ModelComparison.Columns"/>
/// summary values, query count and search time) and <c>perquery.csv</c> (one row per model and evaluated query).
/// Values are written with round-trip precision; files are written atomically.
/// </summary>
internal static class ComparisonReport
{
    /// <summary>For each column, the model with the highest summary value (first one on ties).</summary>
    internal static IReadOnlyDictionary<string, string> BestPerColumn(IReadOnlyList<ModelResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return ModelComparison.Columns.ToDictionary(
            c => c.ValueName,
            c => results.MaxBy(r => r.Evaluation.Summary(c.ValueName))!.Model,
            StringComparer.Ordinal);
    }

    /// <summary>Writes <c>model,num_q,map,ndcg_cut_10,P_10,recall_100,recip_rank,search_seconds</c>.</summary>
    internal static void WriteMetricsCsv(string path, IReadOnlyList<ModelResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(results);
        AtomicFile.WriteText(path, writer =>
        {
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
            csv.WriteField("model");
            csv.WriteField("num_q");
            foreach (var (name, _) in ModelComparison.Columns) csv.WriteField(name);
            csv.WriteField("search_seconds");
            csv.NextRecord();
            foreach (var r in results)
            {
                csv.WriteField(r.Model);
                csv.WriteField(((long)r.Evaluation.Summary("num_q")).ToString(CultureInfo.InvariantCulture));
                foreach (var (name, _) in ModelComparison.Columns) csv.WriteField(r.Evaluation.Summary(name).ToString("R", CultureInfo.InvariantCulture));
                csv.WriteField(r.SearchTime.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture));
                csv.NextRecord();
            }
        }, cancellationToken);
    }

    /// <summary>Writes <c>model,query,map,ndcg_cut_10,P_10,recall_100,recip_rank</c>, queries in trec_eval order.</summary>
    internal static void WritePerQueryCsv(string path, IReadOnlyList<ModelResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(results);
        AtomicFile.WriteText(path, writer =>
        {
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
            csv.WriteField("model");
            csv.WriteField("query");
            foreach (var (name, _) in ModelComparison.Columns) csv.WriteField(name);
            csv.NextRecord();
            foreach (var r in results)
            {
                var columns = ModelComparison.Columns.Select(c => r.Evaluation.PerQuery(c.ValueName)).ToArray();
                foreach (var q in r.Evaluation.Queries)
                {
                    csv.WriteField(r.Model);
                    csv.WriteField(q.QueryId);
                    foreach (var column in columns) csv.WriteField(column[q.QueryId].ToString("R", CultureInfo.InvariantCulture));
                    csv.NextRecord();
                }
            }
        }, cancellationToken);
    }
}
