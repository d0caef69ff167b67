using System.Globalization;
using LmToLlm.Corpora;

namespace LmToLlm.NGrams;

/// <summary>
/// Reads ARPA backoff models (KenLM, SRILM). Input: <c>\data\</c> with <c>ngram k=count</c> lines, then sections
/// <c>\k-grams:</c> of "log10prob words [log10backoff]" lines (tabs or spaces), then <c>\end\</c>. Output: a <see cref="BackoffModel"/>.
/// </summary>
internal static class ArpaReader
{
    private const float MissingUnknownLog10 = -100f; // KenLM's assumption when <unk> is absent

    internal static BackoffModel Read(string path, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        using var lines = TextLines.Read(path).GetEnumerator();
        long lineNumber = 0;
        string? Next()
        {
            if (!lines.MoveNext()) return null;
            lineNumber = lines.Current.Number;
            return lines.Current.Text;
        }

        // Header: skip anything before \data\ (SRILM and others may write comments there).
        string? line;
        while ((line = Next()) is not null && line.Trim() != "\\data\\") { }
        if (line is null) ThrowHelper.Format(path, Math.Max(1, lineNumber), "missing \\data\\ section: not an ARPA file");
        var declared = new List<long>();
        // Counts are checked against the file before they size an allocation: an entry takes at least 4 bytes
        // ("p\tw\n"), and deflate expands at most 1032:1.
        long fileBytes = new FileInfo(path).Length;
        long room = (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? fileBytes * 1032 : fileBytes) / 4 + 1;
        while ((line = Next()) is not null)
        {
            string t = line.Trim();
            if (t.Length == 0)
            {
                if (declared.Count > 0) break;
                continue;
            }
            if (!t.StartsWith("ngram ", StringComparison.Ordinal)) break;
            int eq = t.IndexOf('=');
            int k = 0;
            long count = 0;
            if (eq < 0 || !int.TryParse(t.AsSpan(6, eq - 6), NumberStyles.None, CultureInfo.InvariantCulture, out k)
                || !long.TryParse(t.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out count))
                ThrowHelper.Format(path, lineNumber, $"malformed count line '{t}'; expected 'ngram K=COUNT'");
            if (k != declared.Count + 1) ThrowHelper.Format(path, lineNumber, $"expected 'ngram {declared.Count + 1}=…', found '{t}'");
            if (k > NGramCounts.MaxOrder)
                ThrowHelper.Format(path, lineNumber, $"order {k} is above the supported maximum n-gram order {NGramCounts.MaxOrder} (a compile-time limit, NGramCounts.MaxOrder)");
            if (count > room)
                ThrowHelper.Format(path, lineNumber, $"{count} {k}-grams declared, more than a {fileBytes}-byte file can hold; the \\data\\ counts are wrong");
            declared.Add(count);
        }
        if (declared.Count == 0) ThrowHelper.Format(path, lineNumber, "the \\data\\ section declares no n-gram counts");
        int order = declared.Count;
        for (int k = 1; k <= order; k++)
        {
            if (declared[k - 1] > int.MaxValue) ThrowHelper.Format(path, lineNumber, $"too many {k}-grams ({declared[k - 1]})");
        }

        var vocabulary = new NGramVocabulary();
        var tables = new NGramTable?[order];
        var probs = new float[order][];
        var backoffs = new float[order][];
        bool[] seenMarker = new bool[3];
        Span<Range> fields = stackalloc Range[order + 3];
        int[] ids = new int[order];
        for (int k = 1; k <= order; k++)
        {
            // Find the section header, skipping blank lines.
            while (line is not null && line.Trim().Length == 0) line = Next();
            string header = $"\\{k}-grams:";
            if (line is null || line.Trim() != header)
                ThrowHelper.Format(path, lineNumber, $"missing section {header} (found '{line?.Trim() ?? "end of file"}')");
            int count = (int)declared[k - 1];
            float[] prob = new float[k == 1 ? Math.Max(count, 3) : count];
            float[] backoff = k < order ? new float[prob.Length] : [];
            NGramTable? table = k == 1 ? null : new NGramTable(count);
            if (k == 1) prob[NGramVocabulary.Unknown] = MissingUnknownLog10;
            int read = 0;
            while ((line = Next()) is not null)
            {
                ReadOnlySpan<char> text = line;
                if (text.IsWhiteSpace() || (text.Length > 0 && text[0] == '\\')) break;
                if (read == count)
                    ThrowHelper.Format(path, lineNumber, $"the {header} section has more entries than the {count} that \\data\\ declares");
                int n = Split(text, fields);
                if (n != k + 1 && n != k + 2)
                    ThrowHelper.Format(path, lineNumber, $"expected a log10 probability, {k} word(s) and {(k < order ? "an optional backoff" : "no backoff")}; found {n} fields");
                float p = ParseFloat(path, lineNumber, text[fields[0]], "log10 probability");
                float bo = n == k + 2 ? ParseFloat(path, lineNumber, text[fields[k + 1]], "log10 backoff") : 0f;
                int id;
                if (k == 1)
                {
                    ReadOnlySpan<char> word = text[fields[1]];
                    if (vocabulary.TryFind(word, out id))
                    {
                        if (id > NGramVocabulary.SentenceEnd || seenMarker[id]) ThrowHelper.Format(path, lineNumber, $"the 1-gram '{word}' occurs twice");
                        seenMarker[id] = true;
                    }
                    else
                    {
                        id = vocabulary.Add(word.ToString());
                    }
                    if (id >= prob.Length)
                    {
                        Array.Resize(ref prob, id + 1);
                        if (k < order) Array.Resize(ref backoff, id + 1);
                    }
                }
                else
                {
                    for (int i = 0; i < k; i++)
                    {
                        ReadOnlySpan<char> word = text[fields[1 + i]];
                        if (!vocabulary.TryFind(word, out ids[i]))
                            ThrowHelper.Format(path, lineNumber, $"the word '{word}' of this {k}-gram is not among the 1-grams");
                    }
                    int suffix = NGramCounts.Find(tables, ids.AsSpan(1, k - 1));
                    if (suffix < 0)
                        ThrowHelper.Format(path, lineNumber, $"the {k - 1}-gram suffix of this {k}-gram is not in the model; backoff queries need every suffix of a stored n-gram");
                    id = table!.GetOrAdd(NGramTable.Key(suffix, ids[0]), out bool added);
                    if (!added) ThrowHelper.Format(path, lineNumber, $"the {k}-gram occurs twice");
                }
                prob[id] = p;
                if (k < order) backoff[id] = bo;
                read++;
                if ((read & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new StageProgress($"reading {k}-grams", read, count));
                }
            }
            if (read != count)
                ThrowHelper.Format(path, lineNumber, $"the {header} section has {read} entries but \\data\\ declares {count}");
            if (k == 1)
            {
                if (!seenMarker[NGramVocabulary.SentenceStart]) ThrowHelper.Format(path, lineNumber, "the 1-grams lack <s>; an ARPA model needs <s> and </s>");
                if (!seenMarker[NGramVocabulary.SentenceEnd]) ThrowHelper.Format(path, lineNumber, "the 1-grams lack </s>; an ARPA model needs <s> and </s>");
                Array.Resize(ref prob, vocabulary.Count);
                if (k < order) Array.Resize(ref backoff, vocabulary.Count);
            }
            else
            {
                table!.Trim();
            }
            tables[k - 1] = table;
            probs[k - 1] = prob;
            backoffs[k - 1] = backoff;
        }
        while (line is not null && line.Trim().Length == 0) line = Next();
        if (line is null || line.Trim() != "\\end\\")
            ThrowHelper.Format(path, lineNumber, $"missing \\end\\ after the {order}-grams (found '{line?.Trim() ?? "end of file"}')");
        return new BackoffModel(vocabulary, tables, probs, backoffs, null, $"ARPA {Path.GetFileName(path)}");
    }

    private static int Split(ReadOnlySpan<char> text, Span<Range> fields)
    {
        int n = 0, i = 0;
        while (true)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
            if (i >= text.Length) return n;
            int start = i;
            while (i < text.Length && text[i] != ' ' && text[i] != '\t') i++;
            if (n == fields.Length) return n + 1;
            fields[n++] = start..i;
        }
    }

    private static float ParseFloat(string path, long line, ReadOnlySpan<char> field, string what)
    {
        if (float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)) return value;
        if (field.SequenceEqual("-inf") || field.SequenceEqual("-Infinity")) return float.NegativeInfinity;
        return ThrowHelper.Format<float>(path, line, $"the {what} '{field}' is not a number");
    }
}
