using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using LmToLlm.Corpora;

namespace LmToLlm.NGrams;

/// <summary>Options of n-gram counting.</summary>
/// <param name="Order">Highest order N (≥ 1); orders 1..N are counted.</param>
/// <param name="SkipSymbols">
/// What a literal <c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c> or <c>&lt;/s&gt;</c> in the training text means. <c>false</c> (default, as
/// <c>lmplz</c>): it is an error naming file and line. <c>true</c> (as <c>lmplz --skip_symbols</c>): the token is deleted,
/// which joins its neighbours into new n-grams.
/// </param>
/// <param name="Threads">
/// Threads that count each order (0 = one per core, at most 8). Each thread owns a hash partition of the n-grams; the
/// counts are the same for any value, the ids (and so the order of n-grams in tables and ARPA files) depend on it.
/// 1 gives the reproducible single-thread order.
/// </param>
public sealed record NGramCountOptions(int Order = 3, bool SkipSymbols = false, int Threads = 0);

/// <summary>Progress of a long n-gram job: the stage and how far it got (<see cref="Total"/> 0 when unknown).</summary>
public readonly record struct NGramProgress(string Stage, long Done, long Total);

/// <summary>
/// Counts of every n-gram of orders 1..N in a text, one sentence per line, words separated by whitespace (as KenLM),
/// each sentence wrapped as <c>&lt;s&gt; w1 … wn &lt;/s&gt;</c>. <c>&lt;s&gt;</c> occurs only as the first word of an n-gram.
/// Input: lines of text. Output: per order, dense n-gram ids with raw counts, keyed by (suffix id, first word id).
/// </summary>
public sealed class NGramCounts
{
    private readonly NGramTable?[] _tables; // index k-1; null for order 1 (unigram id = word id)
    private readonly int[][] _counts;       // raw counts per order
    private readonly int[]?[] _prefixes;    // prefix (w1..w(k-1)) id of each k-gram, k ≥ 2

    private NGramCounts(NGramVocabulary vocabulary, NGramTable?[] tables, int[][] counts, int[]?[] prefixes, long words, long sentences)
    {
        Vocabulary = vocabulary;
        _tables = tables;
        _counts = counts;
        _prefixes = prefixes;
        WordCount = words;
        SentenceCount = sentences;
    }

    /// <summary>The highest order N.</summary>
    internal int Order => _counts.Length;

    /// <summary>
    /// The highest n-gram order this library trains, reads (ARPA) or loads (binary): 15. A compile-time limit; an
    /// n-gram of order k takes k − 1 nested table lookups, and KenLM's default build stops at 6.
    /// </summary>
    internal const int MaxOrder = 15;

    /// <summary>The words of the training text (ids as <c>lmplz</c> assigns them).</summary>
    internal NGramVocabulary Vocabulary { get; }

    /// <summary>Number of words in the text, without sentence markers (lmplz's "Unigram tokens").</summary>
    internal long WordCount { get; }

    /// <summary>Number of sentences (lines).</summary>
    internal long SentenceCount { get; }

    /// <summary>Number of distinct n-grams of <paramref name="order"/> (unigrams: the vocabulary size, markers included).</summary>
    internal int Distinct(int order) => order == 1 ? Vocabulary.Count : _tables[order - 1]!.Count;

    /// <summary>True when a training run with <see cref="NGramTrainingOptions.ReleaseCounts"/> freed the counts.</summary>
    internal bool IsReleased { get; private set; }

    /// <summary>Frees the raw counts and prefixes of one order (memory-saving estimation); the counts are unusable afterwards.</summary>
    internal void Release(int order)
    {
        IsReleased = true;
        _counts[order - 1] = null!;
        _prefixes[order - 1] = null;
    }

    private void ThrowIfReleased()
    {
        if (IsReleased) throw new InvalidOperationException("these counts were freed by training with ReleaseCounts = true; count the text again");
    }

    internal NGramTable? Table(int order) => _tables[order - 1];
    internal int[] RawCounts(int order) => _counts[order - 1];
    internal int[] Prefixes(int order) => _prefixes[order - 1]!;

    /// <summary>The word ids of n-gram <paramref name="id"/> of <paramref name="order"/>, oldest first.</summary>
    internal void Words(int order, int id, Span<int> words) => Words(_tables, order, id, words);

    internal static void Words(NGramTable?[] tables, int order, int id, Span<int> words)
    {
        for (int k = order, i = 0; k >= 1; k--, i++)
        {
            if (k == 1) { words[i] = id; break; }
            ulong key = tables[k - 1]!.Keys[id];
            words[i] = NGramTable.First(key);
            id = NGramTable.Suffix(key);
        }
    }

    /// <summary>The id of the n-gram <paramref name="words"/> (oldest first) in its order's table, or −1.</summary>
    internal static int Find(NGramTable?[] tables, ReadOnlySpan<int> words)
    {
        int id = words[^1];
        for (int i = words.Length - 2, k = 2; i >= 0; i--, k++)
        {
            id = tables[k - 1]!.Find(NGramTable.Key(id, words[i]));
            if (id < 0) return -1;
        }
        return id;
    }

    /// <summary>The raw count of the n-gram spelled by <paramref name="words"/> (0 when unseen or longer than N).</summary>
    internal long Count(params ReadOnlySpan<string> words)
    {
        ThrowIfReleased();
        if (words.Length == 0 || words.Length > Order) return 0;
        Span<int> ids = stackalloc int[words.Length];
        for (int i = 0; i < words.Length; i++)
        {
            if (!Vocabulary.TryFind(words[i], out ids[i])) return 0;
        }
        int id = Find(_tables, ids);
        return id < 0 ? 0 : _counts[words.Length - 1][id];
    }

    /// <summary>Every n-gram of <paramref name="order"/> with its raw count, in id order (first appearance; unigrams by word id).</summary>
    internal IEnumerable<(string[] Words, long Count)> Enumerate(int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, Order);
        ThrowIfReleased();
        int[] counts = _counts[order - 1];
        int[] ids = new int[order];
        for (int id = 0; id < counts.Length; id++)
        {
            if (counts[id] == 0) continue; // <unk>, which never occurs in training text
            Words(order, id, ids);
            var words = new string[order];
            for (int i = 0; i < order; i++) words[i] = Vocabulary[ids[i]];
            yield return (words, counts[id]);
        }
    }

    /// <summary>
    /// Writes all counts as a table with columns <c>order</c>, <c>ngram</c> (words joined by single spaces), <c>count</c>:
    /// tab-separated when <paramref name="path"/> ends in <c>.tsv</c>, else comma-separated (RFC 4180 quoting). Atomic.
    /// </summary>
    internal void WriteTable(string path, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool tsv = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase);
        AtomicFile.WriteText(path, writer => WriteTable(writer, tsv ? "\t" : ","), cancellation);
    }

    /// <summary>Writes the count table (see <see cref="WriteTable(string, CancellationToken)"/>) to <paramref name="writer"/>.</summary>
    internal void WriteTable(TextWriter writer, string delimiter = "\t")
    {
        ArgumentNullException.ThrowIfNull(writer);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter, NewLine = "\n" };
        if (delimiter == "\t") config.Mode = CsvMode.NoEscape;
        using var csv = new CsvWriter(writer, config, leaveOpen: true);
        csv.WriteField("order"); csv.WriteField("ngram"); csv.WriteField("count"); csv.NextRecord();
        for (int order = 1; order <= Order; order++)
        {
            foreach (var (words, count) in Enumerate(order))
            {
                csv.WriteField(order);
                csv.WriteField(string.Join(' ', words));
                csv.WriteField(count);
                csv.NextRecord();
            }
        }
    }

    /// <summary>Counts the n-grams of the text file <paramref name="path"/> (UTF-8, <c>.gz</c> transparently).</summary>
    /// <exception cref="LmToLlmFormatException">A reserved token in the text (unless skipped), invalid UTF-8, or an empty text.</exception>
    internal static NGramCounts FromFile(string path, NGramCountOptions options, IProgress<NGramProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        long total = 0;
        try { total = new FileInfo(path).Length; } catch (IOException) { }
        return Build(path, TextLines.Read(path), options, progress, cancellation, path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? 0 : total);
    }

    /// <summary>Counts the n-grams of <paramref name="lines"/> (one sentence each); errors name <paramref name="name"/>.</summary>
    public static NGramCounts FromLines(IEnumerable<string> lines, NGramCountOptions options, string name = "<text>", IProgress<NGramProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return Build(name, Number(lines), options, progress, cancellation, 0);

        static IEnumerable<(long, string)> Number(IEnumerable<string> lines)
        {
            long n = 0;
            foreach (string line in lines) yield return (++n, line);
        }
    }

    private static NGramCounts Build(string name, IEnumerable<(long Number, string Text)> lines, NGramCountOptions options, IProgress<NGramProgress>? progress, CancellationToken cancellation, long totalBytes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Order, 1);
        if (options.Order > MaxOrder)
            throw new ArgumentOutOfRangeException(nameof(options), options.Order, $"order {options.Order} is above the supported maximum {MaxOrder} (a compile-time limit, NGramCounts.MaxOrder; KenLM's default build stops at 6)");
        var vocabulary = new NGramVocabulary();
        var tokens = new IntList(1 << 16);
        long words = 0, sentences = 0, bytes = 0;
        foreach (var (number, text) in lines)
        {
            tokens.Add(NGramVocabulary.SentenceStart);
            ReadOnlySpan<char> rest = text;
            while (true)
            {
                int start = 0;
                while (start < rest.Length && IsSpace(rest[start])) start++;
                if (start == rest.Length) break;
                int end = start;
                while (end < rest.Length && !IsSpace(rest[end])) end++;
                ReadOnlySpan<char> word = rest[start..end];
                rest = rest[end..];
                int id = vocabulary.GetOrAdd(word);
                if (id <= NGramVocabulary.SentenceEnd)
                {
                    if (options.SkipSymbols) continue;
                    ThrowHelper.Format(name, number, $"the word '{word}' is reserved for the model; rename it in the text or pass --skip-symbols to delete it (as lmplz --skip_symbols)");
                }
                tokens.Add(id);
                words++;
            }
            tokens.Add(NGramVocabulary.SentenceEnd);
            sentences++;
            bytes += text.Length + 1;
            if ((sentences & 0x3FFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
                progress?.Report(new NGramProgress("reading", bytes, totalBytes));
            }
        }
        if (words == 0) ThrowHelper.Format(name, 0, "the training text has no words; give a text with one sentence per line");
        int threads = options.Threads > 0 ? options.Threads : Math.Min(8, Environment.ProcessorCount);
        return CountTokens(vocabulary, tokens.ToArray(), options.Order, words, sentences, threads, progress, cancellation);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Partition(ulong key, int parts) => (int)(((key * 0xD6E8FEB86659FD93UL) >> 40) % (uint)parts);

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v';

    /// <summary>
    /// Input: the token ids of all sentences, each <c>&lt;s&gt; … &lt;/s&gt;</c>. Output: count tables of orders 1..N.
    /// Order k is built from order k−1 in one pass: the k-gram ending at p is (the (k−1)-gram ending at p, word p−k+1).
    /// </summary>
    internal static NGramCounts CountTokens(NGramVocabulary vocabulary, int[] tokens, int order, long words, long sentences, int threads, IProgress<NGramProgress>? progress, CancellationToken cancellation)
    {
        var tables = new NGramTable?[order];
        var counts = new int[order][];
        var prefixes = new int[]?[order];
        var unigrams = new int[vocabulary.Count];
        foreach (int t in tokens) unigrams[t]++;
        counts[0] = unigrams;
        progress?.Report(new NGramProgress("counting 1-grams", 1, order));
        int[] current = order > 1 ? (int[])tokens.Clone() : [];
        int[] next = order > 2 ? new int[tokens.Length] : []; // ids of order k, read by order k+1
        int previousDistinct = vocabulary.Count;
        int parts = Math.Max(1, threads);
        for (int k = 2; k <= order; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            // Room for the distinct k-grams: at most one per position where a k-gram fits, at most ~4× the (k−1)-grams.
            long fits = Math.Max(16, tokens.Length - (k - 1) * sentences);
            int capacity = (int)Math.Min(Math.Min(fits, previousDistinct * 4L + 1024), Array.MaxLength) / parts + 16;
            var partTables = new NGramTable[parts];
            var partCounts = new IntList[parts];
            var partPrefixes = new IntList[parts];
            int order_ = k;
            int[] cur = current, nxt = next;
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts, CancellationToken = cancellation }, part =>
            {
                var table = new NGramTable(capacity);
                var count = new IntList(capacity);
                var prefix = new IntList(capacity);
                for (int p = tokens.Length - 1; p >= 1; p--)
                {
                    int suffix = cur[p], before = cur[p - 1];
                    if (suffix < 0 || before < 0 || tokens[p] == NGramVocabulary.SentenceStart)
                    {
                        if (part == 0 && nxt.Length != 0) nxt[p] = -1;
                        continue;
                    }
                    ulong key = NGramTable.Key(suffix, tokens[p - order_ + 1]);
                    if (parts > 1 && Partition(key, parts) != part) continue;
                    int id = table.GetOrAdd(key, out bool added);
                    if (added)
                    {
                        count.Add(0);
                        prefix.Add(before);
                    }
                    count.Items[id]++;
                    if (nxt.Length != 0) nxt[p] = id * parts + part;
                }
                table.ReleaseIndex();
                partTables[part] = table;
                partCounts[part] = count;
                partPrefixes[part] = prefix;
            });
            if (k < order) next[0] = -1;
            LargeMemory.Collect(); // the partitions' hash indexes are garbage now: free them before merging
            // Merge the partitions: global id = offset of the partition + local id.
            int[] offsets = new int[parts + 1];
            for (int i = 0; i < parts; i++) offsets[i + 1] = checked(offsets[i] + partTables[i].Count);
            int distinct = offsets[parts];
            if (parts > 1 && k < order)
            {
                for (int p = 0; p < next.Length; p++)
                {
                    int v = next[p];
                    if (v >= 0) next[p] = offsets[v % parts] + v / parts;
                }
            }
            ulong[] keys = new ulong[distinct];
            for (int i = 0; i < parts; i++) Array.Copy(partTables[i].Keys, 0, keys, offsets[i], partTables[i].Count);
            partTables = null!;
            int[] mergedCounts = new int[distinct];
            for (int i = 0; i < parts; i++) Array.Copy(partCounts[i].Items, 0, mergedCounts, offsets[i], partCounts[i].Count);
            partCounts = null!;
            int[] mergedPrefixes = new int[distinct];
            for (int i = 0; i < parts; i++) Array.Copy(partPrefixes[i].Items, 0, mergedPrefixes, offsets[i], partPrefixes[i].Count);
            partPrefixes = null!;
            tables[k - 1] = NGramTable.Adopt(keys);
            counts[k - 1] = mergedCounts;
            prefixes[k - 1] = mergedPrefixes;
            (current, next) = (next, current);
            if (k + 1 == order) next = []; // the last order's ids are not needed by anything: no array for them
            previousDistinct = distinct;
            LargeMemory.Collect();
            progress?.Report(new NGramProgress($"counting {k}-grams", k, order));
        }
        return new NGramCounts(vocabulary, tables, counts, prefixes, words, sentences);
    }
}

/// <summary>A growable int array without per-item overhead.</summary>
internal sealed class IntList(int capacity)
{
    internal int[] Items = new int[Math.Max(4, capacity)];
    internal int Count;

    public void Add(int value)
    {
        if (Count == Items.Length) Array.Resize(ref Items, (int)Math.Min(Array.MaxLength, Items.Length * 3L / 2));
        Items[Count++] = value;
    }

    internal int[] ToArray() => Items.AsSpan(0, Count).ToArray();
}

/// <summary>
/// Collects garbage between the stages of big jobs: the stages free arrays of hundreds of MB, and collecting before
/// allocating the next ones keeps the peak resident memory near the live data. No-op for small jobs.
/// </summary>
internal static class LargeMemory
{
    private const long Threshold = 128L << 20;

    internal static void Collect()
    {
        if (GC.GetTotalMemory(false) > Threshold) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
    }
}
