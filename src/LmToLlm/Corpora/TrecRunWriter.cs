using System.Globalization;

namespace LmToLlm.Corpora;

/// <summary>One ranked document of a run: its external id and score.</summary>
/// <param name="DocumentId">The collection's document id (no white space).</param>
/// <param name="Score">The score; ranks follow the order given, not the score.</param>
public readonly record struct RunEntry(string DocumentId, double Score);

/// <summary>The ranked list of one query in a run.</summary>
/// <param name="QueryId">The query id (no white space).</param>
/// <param name="Entries">The documents, best first.</param>
public sealed record RunQuery(string QueryId, IReadOnlyList<RunEntry> Entries);

/// <summary>
/// Writes TREC run files: one line <c>qid Q0 docid rank score tag</c> per ranked document, single spaces,
/// ranks from 1 in the order given, scores with round-trip precision (the shortest text that parses back to the
/// same double, or to the same float with <c>singlePrecision</c>), LF line ends, UTF-8. Files are written atomically.
/// </summary>
internal static class TrecRunWriter
{
    /// <summary>Writes <paramref name="queries"/> to <paramref name="path"/> atomically (temporary file, then move).</summary>
    /// <param name="path">The run file.</param>
    /// <param name="queries">Ranked lists in the order they should appear; a query without entries writes no line.</param>
    /// <param name="tag">The run tag (last column; no white space).</param>
    /// <param name="singlePrecision">Print scores as the shortest text of the float they hold (for float scorers such as BM25).</param>
    /// <param name="cancellationToken">Stops the write; the file is then left as it was (see <see cref="AtomicFile"/>).</param>
    internal static void Write(string path, IEnumerable<RunQuery> queries, string tag, bool singlePrecision = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(queries);
        CheckField(tag, nameof(tag));
        AtomicFile.WriteText(path, writer => Write(writer, queries, tag, singlePrecision), cancellationToken);
    }

    /// <summary>Writes run lines to <paramref name="writer"/> (same format as <see cref="Write(string, IEnumerable{RunQuery}, string, bool, CancellationToken)"/>).</summary>
    internal static void Write(TextWriter writer, IEnumerable<RunQuery> queries, string tag, bool singlePrecision = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(queries);
        CheckField(tag, nameof(tag));
        foreach (var query in queries)
        {
            ArgumentNullException.ThrowIfNull(query, nameof(queries));
            CheckField(query.QueryId, "query id");
            int rank = 1;
            foreach (var entry in query.Entries)
            {
                CheckField(entry.DocumentId, "document id");
                writer.Write(query.QueryId);
                writer.Write(" Q0 ");
                writer.Write(entry.DocumentId);
                writer.Write(' ');
                writer.Write(rank++.ToString(CultureInfo.InvariantCulture));
                writer.Write(' ');
                writer.Write(FormatScore(entry.Score, singlePrecision));
                writer.Write(' ');
                writer.Write(tag);
                writer.Write('\n');
            }
        }
    }

    /// <summary>The shortest round-trip text of a score (invariant culture; <c>singlePrecision</c>: of the float it holds).</summary>
    internal static string FormatScore(double score, bool singlePrecision = false)
    {
        if (!double.IsFinite(score)) throw new ArgumentOutOfRangeException(nameof(score), score, "run scores must be finite");
        return singlePrecision
            ? ((float)score).ToString("R", CultureInfo.InvariantCulture)
            : score.ToString("R", CultureInfo.InvariantCulture);
    }

    private static void CheckField(string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value, what);
        if (value.Length == 0 || value.AsSpan().IndexOfAny(" \t\r\n\v\f") >= 0)
            throw new ArgumentException($"a TREC run {what} must be non-empty and contain no white space: '{value}'", what);
    }
}
