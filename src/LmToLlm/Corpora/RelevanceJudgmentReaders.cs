using System.Globalization;

namespace LmToLlm.Corpora;

/// <summary>One relevance judgement as read from a qrels file: query, document, graded relevance and where it came from.</summary>
/// <param name="LineNumber">1-based line of the judgement in its file.</param>
/// <param name="QueryId">Query id (a string; never parsed as a number).</param>
/// <param name="DocumentId">Document id ("docno").</param>
/// <param name="Relevance">Graded relevance; 0 is judged non-relevant, negative means "in the pool but unjudged" (trec_eval).</param>
internal readonly record struct JudgmentLine(long LineNumber, string QueryId, string DocumentId, int Relevance);

/// <summary>
/// Streams a TREC qrels file, <c>qid iter docno rel</c> per line, fields separated by whitespace (the <c>iter</c>
/// column is ignored). Exactly four fields are required and <c>rel</c> must be an integer, as in trec_eval 9.0.8
/// (<c>get_qrels.c</c>), which also rejects blank lines. Errors name file and line.
/// </summary>
internal static class TrecQrelsReader
{
    /// <summary>Streams the judgements of <paramref name="path"/> (plain or <c>.gz</c>) in file order.</summary>
    internal static IEnumerable<JudgmentLine> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadCore(path);
    }

    private static IEnumerable<JudgmentLine> ReadCore(string path)
    {
        var fields = new Range[5];
        string lastQuery = "";
        var documents = new StringPool();
        foreach (var (number, line) in TextLines.Read(path))
        {
            int count = FieldSplitter.Split(line, fields);
            if (count != 4)
                ThrowHelper.Format(path, number, count == 0
                    ? "blank line; a TREC qrels line is 'qid iter docno rel' (trec_eval rejects blank lines too)"
                    : $"expected 4 whitespace-separated fields 'qid iter docno rel', found {(count > 4 ? "more than 4" : count.ToString(CultureInfo.InvariantCulture))}");
            int rel = FieldSplitter.ParseRelevance(path, number, line.AsSpan(fields[3]));
            string query = FieldSplitter.Reuse(ref lastQuery, line.AsSpan(fields[0]));
            yield return new JudgmentLine(number, query, documents.Get(line.AsSpan(fields[2])), rel);
        }
    }
}

/// <summary>
/// Streams a BEIR qrels TSV file: a header line (<c>query-id\tcorpus-id\tscore</c>) and then
/// <c>query-id\tcorpus-id\tscore</c> per line, tab-separated, integer score. Blank lines are skipped.
/// </summary>
internal static class BeirQrelsReader
{
    /// <summary>Streams the judgements of <paramref name="path"/> (plain or <c>.gz</c>) in file order.</summary>
    internal static IEnumerable<JudgmentLine> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadCore(path);
    }

    private static IEnumerable<JudgmentLine> ReadCore(string path)
    {
        bool header = true;
        foreach (var (number, line) in TextLines.Read(path))
        {
            if (header)
            {
                header = false;
                if (!line.StartsWith("query-id\t", StringComparison.Ordinal))
                    ThrowHelper.Format(path, number, "missing header 'query-id\\tcorpus-id\\tscore'; a BEIR qrels file starts with it (use the TREC qrels reader for 'qid 0 docno rel' files)");
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) continue;
            string[] parts = line.Split('\t');
            if (parts.Length != 3)
                ThrowHelper.Format(path, number, $"expected 3 tab-separated fields 'query-id corpus-id score', found {parts.Length}");
            if (parts[0].Length == 0 || parts[1].Length == 0)
                ThrowHelper.Format(path, number, "empty query-id or corpus-id");
            int rel = FieldSplitter.ParseRelevance(path, number, parts[2].AsSpan().Trim());
            yield return new JudgmentLine(number, parts[0], parts[1], rel);
        }
        if (header) ThrowHelper.Format(path, 1, "empty file; a BEIR qrels file has at least the header line");
    }
}

/// <summary>One line of a TREC run file. The rank column is kept as read but never used for ordering (trec_eval ignores it).</summary>
/// <param name="LineNumber">1-based line in the file.</param>
/// <param name="QueryId">Query id.</param>
/// <param name="DocumentId">Document id ("docno").</param>
/// <param name="Score">The score column parsed as a double (trec_eval then rounds it to <c>float</c> for ranking).</param>
/// <param name="Tag">The run tag (last column).</param>
internal readonly record struct RunLine(long LineNumber, string QueryId, string DocumentId, double Score, string Tag);

/// <summary>
/// Streams a TREC run file, <c>qid Q0 docno rank score tag</c>, whitespace-separated. Exactly six fields are
/// required; the score must be a number; blank lines are skipped (as trec_eval does). Errors name file and line.
/// The rank column is not validated: trec_eval ignores it and ranks by score.
/// </summary>
internal static class TrecRunReader
{
    /// <summary>Streams the lines of <paramref name="path"/> (plain or <c>.gz</c>) in file order.</summary>
    internal static IEnumerable<RunLine> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadCore(path);
    }

    private static IEnumerable<RunLine> ReadCore(string path)
    {
        var fields = new Range[7];
        string lastQuery = "", lastTag = "";
        var documents = new StringPool();
        foreach (var (number, line) in TextLines.Read(path))
        {
            int count = FieldSplitter.Split(line, fields);
            if (count == 0) continue;
            if (count != 6)
                ThrowHelper.Format(path, number, $"expected 6 whitespace-separated fields 'qid Q0 docno rank score tag', found {(count > 6 ? "more than 6" : count.ToString(CultureInfo.InvariantCulture))}");
            if (!double.TryParse(line.AsSpan(fields[4]), NumberStyles.Float, CultureInfo.InvariantCulture, out double score))
                ThrowHelper.Format(path, number, $"score '{line[fields[4]]}' is not a number");
            // Runs repeat the query id and the tag on every line: share one string while they do not change.
            string query = FieldSplitter.Reuse(ref lastQuery, line.AsSpan(fields[0]));
            string tag = FieldSplitter.Reuse(ref lastTag, line.AsSpan(fields[5]));
            yield return new RunLine(number, query, documents.Get(line.AsSpan(fields[2])), score, tag);
        }
    }
}

/// <summary>Whitespace field splitting shared by the TREC readers (C <c>isspace</c> semantics: space, tab, \v, \f, \r).</summary>
internal static class FieldSplitter
{
    /// <summary>Splits <paramref name="line"/> into at most <c>fields.Length</c> field ranges; returns the count (capped at the array length).</summary>
    internal static int Split(ReadOnlySpan<char> line, Span<Range> fields)
    {
        int count = 0, i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsSpace(line[i])) i++;
            if (i >= line.Length) break;
            int start = i;
            while (i < line.Length && !IsSpace(line[i])) i++;
            if (count == fields.Length) return count;
            fields[count++] = new Range(start, i);
        }
        return count;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\v' or '\f' or '\r' or '\n';

    /// <summary>The highest relevance level accepted: levels index dense per-level count arrays.</summary>
    internal const int MaxRelevance = 1_000_000;

    internal static int ParseRelevance(string path, long number, ReadOnlySpan<char> text)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int rel))
            ThrowHelper.Format(path, number, $"relevance '{text}' is not an integer");
        // Relevance levels index per-level count arrays (as in trec_eval), so a huge level would mean a huge allocation.
        if (rel > MaxRelevance)
            ThrowHelper.Format(path, number, $"relevance {rel} is above the supported maximum {MaxRelevance}; use small graded levels (0, 1, 2, ...)");
        return rel;
    }

    /// <summary><paramref name="last"/> when it equals <paramref name="field"/>, else a new string that becomes <paramref name="last"/>.</summary>
    internal static string Reuse(ref string last, ReadOnlySpan<char> field)
    {
        if (!field.SequenceEqual(last)) last = field.ToString();
        return last;
    }
}

/// <summary>One string per distinct docno: the same documents recur across the queries of a run or qrels file.</summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    internal StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    internal string Get(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out string? known)) return known;
        string created = text.ToString();
        _strings.Add(created, created);
        return created;
    }
}
