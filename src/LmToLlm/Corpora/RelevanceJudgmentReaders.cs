using System.Globalization;

namespace LmToLlm.Corpora;

/// <summary>One relevance judgement as read from a qrels file: query, document, graded relevance and where it came from.</summary>
/// <param name="LineNumber">1-based line of the judgement in its file.</param>
/// <param name="QueryId">Query id (a string; never parsed as a number).</param>
/// <param name="DocumentId">Document id ("docno").</param>
/// <param name="Relevance">Graded relevance; 0 is judged non-relevant, negative means "in the pool but unjudged" (trec_eval).</param>
public readonly record struct JudgmentLine(long LineNumber, string QueryId, string DocumentId, int Relevance);

/// <summary>
/// Streams a TREC qrels file, <c>qid iter docno rel</c> per line, fields separated by whitespace (the <c>iter</c>
/// column is ignored). Exactly four fields are required and <c>rel</c> must be an integer, as in trec_eval 9.0.8
/// (<c>get_qrels.c</c>), which also rejects blank lines. Errors name file and line.
/// </summary>
public static class TrecQrelsReader
{
    /// <summary>Streams the judgements of <paramref name="path"/> (plain or <c>.gz</c>) in file order.</summary>
    public static IEnumerable<JudgmentLine> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadCore(path);
    }

    private static IEnumerable<JudgmentLine> ReadCore(string path)
    {
        var fields = new string[5];
        foreach (var (number, line) in TextLines.Read(path))
        {
            int count = FieldSplitter.Split(line, fields);
            if (count != 4)
                ThrowHelper.Format(path, number, count == 0
                    ? "blank line; a TREC qrels line is 'qid iter docno rel' (trec_eval rejects blank lines too)"
                    : $"expected 4 whitespace-separated fields 'qid iter docno rel', found {(count > 4 ? "more than 4" : count.ToString(CultureInfo.InvariantCulture))}");
            int rel = FieldSplitter.ParseRelevance(path, number, fields[3]);
            yield return new JudgmentLine(number, fields[0], fields[2], rel);
        }
    }
}

/// <summary>
/// Streams a BEIR qrels TSV file: a header line (<c>query-id\tcorpus-id\tscore</c>) and then
/// <c>query-id\tcorpus-id\tscore</c> per line, tab-separated, integer score. Blank lines are skipped.
/// </summary>
public static class BeirQrelsReader
{
    /// <summary>Streams the judgements of <paramref name="path"/> (plain or <c>.gz</c>) in file order.</summary>
    public static IEnumerable<JudgmentLine> Read(string path)
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
            int rel = FieldSplitter.ParseRelevance(path, number, parts[2].Trim());
            yield return new JudgmentLine(number, parts[0], parts[1], rel);
        }
        if (header) ThrowHelper.Format(path, 0, "empty file; a BEIR qrels file has at least the header line");
    }
}

/// <summary>One line of a TREC run file. The rank column is kept as read but never used for ordering (trec_eval ignores it).</summary>
/// <param name="LineNumber">1-based line in the file.</param>
/// <param name="QueryId">Query id.</param>
/// <param name="DocumentId">Document id ("docno").</param>
/// <param name="Score">The score column parsed as a double (trec_eval then rounds it to <c>float</c> for ranking).</param>
/// <param name="Tag">The run tag (last column).</param>
public readonly record struct RunLine(long LineNumber, string QueryId, string DocumentId, double Score, string Tag);

/// <summary>
/// Streams a TREC run file, <c>qid Q0 docno rank score tag</c>, whitespace-separated. Exactly six fields are
/// required; the score must be a number; blank lines are skipped (as trec_eval does). Errors name file and line.
/// The rank column is not validated: trec_eval ignores it and ranks by score.
/// </summary>
public static class TrecRunReader
{
    /// <summary>Streams the lines of <paramref name="path"/> (plain or <c>.gz</c>) in file order.</summary>
    public static IEnumerable<RunLine> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadCore(path);
    }

    private static IEnumerable<RunLine> ReadCore(string path)
    {
        var fields = new string[7];
        foreach (var (number, line) in TextLines.Read(path))
        {
            int count = FieldSplitter.Split(line, fields);
            if (count == 0) continue;
            if (count != 6)
                ThrowHelper.Format(path, number, $"expected 6 whitespace-separated fields 'qid Q0 docno rank score tag', found {(count > 6 ? "more than 6" : count.ToString(CultureInfo.InvariantCulture))}");
            if (!double.TryParse(fields[4], NumberStyles.Float, CultureInfo.InvariantCulture, out double score))
                ThrowHelper.Format(path, number, $"score '{fields[4]}' is not a number");
            yield return new RunLine(number, fields[0], fields[2], score, fields[5]);
        }
    }
}

/// <summary>Whitespace field splitting shared by the TREC readers (C <c>isspace</c> semantics: space, tab, \v, \f, \r).</summary>
internal static class FieldSplitter
{
    /// <summary>Splits <paramref name="line"/> into at most <c>fields.Length</c> fields; returns the count (capped at the array length).</summary>
    public static int Split(string line, string[] fields)
    {
        int count = 0, i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsSpace(line[i])) i++;
            if (i >= line.Length) break;
            int start = i;
            while (i < line.Length && !IsSpace(line[i])) i++;
            if (count == fields.Length) return count;
            fields[count++] = line[start..i];
        }
        return count;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\v' or '\f' or '\r' or '\n';

    public static int ParseRelevance(string path, long number, string text)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int rel))
            ThrowHelper.Format(path, number, $"relevance '{text}' is not an integer");
        return rel;
    }
}
