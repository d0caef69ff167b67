using LmToLlm.NGrams;

namespace LmToLlm.SuffixArrays;

/// <summary>
/// A run of removed tokens: it starts with an L-token span that occurs earlier in the corpus.
/// </summary>
/// <param name="Document">The document (0-based line).</param>
/// <param name="Offset">First removed token within the document.</param>
/// <param name="Length">Removed tokens in the run.</param>
/// <param name="Occurrences">Occurrences in the corpus of the run's first L tokens.</param>
/// <param name="FirstDocument">Where those L tokens occur first: document …</param>
/// <param name="FirstOffset">… and token offset.</param>
/// <param name="Documents">Distinct documents holding those L tokens.</param>
/// <param name="Text">The removed tokens.</param>
public sealed record RepeatedSpan(long Document, long Offset, int Length, long Occurrences, long FirstDocument, long FirstOffset, int Documents, string Text);

/// <summary>What exact-substring deduplication found and removes.</summary>
public sealed class SubstringDedupResult
{
    private readonly List<Range>[] _removed;

    internal SubstringDedupResult(int minLength, long tokens, IReadOnlyList<RepeatedSpan> spans, List<Range>[] removed)
    {
        MinLength = minLength;
        Tokens = tokens;
        Spans = spans;
        _removed = removed;
        RemovedTokens = spans.Sum(s => (long)s.Length);
        DocumentsChanged = removed.Count(r => r.Count > 0);
    }

    /// <summary>L: the shortest repeated span removed.</summary>
    public int MinLength { get; }

    /// <summary>Tokens in the corpus.</summary>
    public long Tokens { get; }

    /// <summary>Tokens removed.</summary>
    public long RemovedTokens { get; }

    /// <summary>Documents that lose at least one token.</summary>
    public int DocumentsChanged { get; }

    /// <summary>Every removed run, in corpus order.</summary>
    public IReadOnlyList<RepeatedSpan> Spans { get; }

    /// <summary>
    /// Document <paramref name="document"/> (its original line) with its removed runs cut out: the characters from a
    /// run's first token to its last, with the white space before the run (after it, for a run at the start).
    /// </summary>
    public string Clean(int document, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentOutOfRangeException.ThrowIfNegative(document);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(document, _removed.Length);
        var runs = _removed[document];
        if (runs.Count == 0) return line;
        var words = LanguageModel.SplitWords(line);
        var kept = new System.Text.StringBuilder(line.Length);
        int from = 0;
        foreach (var run in runs)
        {
            int first = run.Start.Value, last = run.End.Value - 1;
            int cutStart = first > 0 ? words[first - 1].End.Value : words[first].Start.Value;
            int cutEnd = first > 0 || last + 1 >= words.Count ? words[last].End.Value : words[last + 1].Start.Value;
            kept.Append(line, from, cutStart - from);
            from = cutEnd;
        }
        kept.Append(line, from, line.Length - from);
        return kept.ToString();
    }
}

/// <summary>
/// Exact-substring deduplication (Lee et al. 2022, "Deduplicating Training Data Makes Language Models Better",
/// ExactSubstr): every span of at least L tokens (white-space split) that occurs more than once is removed except
/// its first occurrence. Precisely: a token is removed when it lies in an L-token window that also occurs at an
/// earlier position. Input: documents (lines). Output: the removed runs and each document cleaned. One suffix array
/// and one LCP scan: the suffixes sharing their first L tokens are adjacent in the suffix array, and every one but
/// the earliest starts a removed window.
/// </summary>
public static class SubstringDeduplicator
{
    /// <summary>Lee et al.'s default L: 50 tokens.</summary>
    public const int DefaultMinLength = 50;

    /// <summary>
    /// Finds the repeated spans of <paramref name="documents"/>; <paramref name="maxDegreeOfParallelism"/> threads sort
    /// the suffixes (0: every core). The result does not depend on it.
    /// </summary>
    public static SubstringDedupResult Find(IReadOnlyList<string> documents, int minLength = DefaultMinLength,
        IProgress<StageProgress>? progress = null, int maxDegreeOfParallelism = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDegreeOfParallelism);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var stream = new List<int>();
        var starts = new long[documents.Count + 1];
        var words = new List<string[]>(documents.Count);
        for (int d = 0; d < documents.Count; d++)
        {
            stream.Add(0);
            starts[d] = stream.Count;
            string line = documents[d];
            var tokens = LanguageModel.SplitWords(line).Select(r => line[r]).ToArray();
            words.Add(tokens);
            foreach (string token in tokens)
            {
                if (!ids.TryGetValue(token, out int id)) ids[token] = id = ids.Count + 1;
                stream.Add(id);
            }
            if ((d & 0x3FFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new StageProgress("tokens", d, documents.Count));
            }
        }
        stream.Add(0);
        starts[documents.Count] = stream.Count;
        int[] text = [.. stream];
        stream.Clear();
        progress?.Report(new StageProgress("sorting", 0, text.Length));
        var sa = SuffixSorter.Sort<int>(text, ids.Count + 1, cancellationToken, maxDegreeOfParallelism == 0 ? Environment.ProcessorCount : maxDegreeOfParallelism);
        progress?.Report(new StageProgress("sorting", text.Length, text.Length));
        int[] lcp = LcpArray.Build(text, sa, 0, cancellationToken);

        // Each maximal run of ranks with lcp ≥ L shares its first L tokens; all but its earliest position start a removed window.
        var windowOf = new int[text.Length]; // group + 1 for window starts, 0 elsewhere
        var groups = new List<(int First, int Size, int Documents)>();
        int DocumentOf(long position)
        {
            int i = Array.BinarySearch(starts, position);
            return i >= 0 ? i : ~i - 1;
        }
        for (int r = 0; r < sa.Length;)
        {
            int end = r + 1;
            while (end < sa.Length && lcp[end] >= minLength) end++;
            if (end - r > 1)
            {
                int first = int.MaxValue;
                var docs = new HashSet<int>();
                for (int k = r; k < end; k++)
                {
                    first = Math.Min(first, sa[k]);
                    docs.Add(DocumentOf(sa[k]));
                }
                groups.Add((first, end - r, docs.Count));
                for (int k = r; k < end; k++)
                    if (sa[k] != first) windowOf[sa[k]] = groups.Count;
            }
            r = end;
        }

        // Sweep: a window starting at p removes [p, p + L) (never past its document: lcp stops at separators);
        // overlapping or touching windows merge into one run, reported with the group of its first window.
        var spans = new List<RepeatedSpan>();
        var removed = new List<Range>[documents.Count];
        for (int d = 0; d < documents.Count; d++)
        {
            removed[d] = [];
            long docStart = starts[d], docEnd = starts[d + 1] - 1;
            long runStart = -1, until = -1;
            int runGroup = 0;
            void Close()
            {
                var (first, size, docCount) = groups[runGroup - 1];
                int firstDoc = DocumentOf(first);
                int offset = (int)(runStart - docStart), length = (int)(until - runStart);
                removed[d].Add(offset..(offset + length));
                spans.Add(new RepeatedSpan(d, offset, length, size, firstDoc, first - starts[firstDoc], docCount, string.Join(' ', words[d][offset..(offset + length)])));
            }
            for (long p = docStart; p < docEnd; p++)
            {
                if (windowOf[p] == 0) continue;
                if (runStart >= 0 && p <= until)
                {
                    until = Math.Max(until, p + minLength);
                    continue;
                }
                if (runStart >= 0) Close();
                runStart = p;
                until = p + minLength;
                runGroup = windowOf[p];
            }
            if (runStart >= 0) Close();
        }
        return new SubstringDedupResult(minLength, text.Length - documents.Count - 1, spans, removed);
    }
}
