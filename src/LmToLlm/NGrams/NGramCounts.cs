using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using LmToLlm.Corpora;

namespace LmToLlm.NGrams;

/// <summary>Options of n-gram counting.</summary>
public sealed record NGramCountOptions
{
    /// <summary>Highest order N (≥ 1); orders 1..N are counted.</summary>
    public int Order { get; init; } = 3;

    /// <summary>
    /// What a literal <c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c> or <c>&lt;/s&gt;</c> in the training text means. <c>false</c> (default, as
    /// <c>lmplz</c>): it is an error naming file and line. <c>true</c> (as <c>lmplz --skip_symbols</c>): the token is deleted,
    /// which joins its neighbours into new n-grams.
    /// </summary>
    public bool SkipSymbols { get; init; }

    /// <summary>
    /// Threads that count each order (0 = one per core, at most 8). Each thread owns a hash partition of the n-grams; the
    /// counts are the same for any value, the ids (and so the order of n-grams in tables and ARPA files) depend on it.
    /// 1 gives the reproducible single-thread order.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>The defaults.</summary>
    public static NGramCountOptions Default { get; } = new();

    /// <summary>The smallest <see cref="MemoryBudget"/>: 16 MiB.</summary>
    internal const long MinimumMemoryBudget = 16L << 20;

    /// <summary>
    /// Bytes for the token stream while counting (as <c>lmplz -S</c>); 0 (default) holds the whole text in memory. With a
    /// budget the token ids go to a temporary file and are counted in chunks that fit beside the count tables; the counts
    /// and ids are the same as without. The count tables themselves stay in memory here; <see cref="KneserNeyOnDisk"/>
    /// takes the same budget for counting and estimation on disk.
    /// </summary>
    internal long MemoryBudget { get; init; }

    /// <summary>Folder of the temporary files (default: the system's temporary folder).</summary>
    internal string? TempDirectory { get; init; }

    /// <summary>With a budget: at most this many tokens per chunk (0 = as the budget allows); lets tests use tiny chunks.</summary>
    internal int MaximumChunkTokens { get; init; }

    /// <summary>Training on disk: at most this many records per sorted run (0 = as the budget allows); lets tests force many runs.</summary>
    internal int MaximumRunRecords { get; init; }
}

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
    public int Order => _counts.Length;

    /// <summary>
    /// The highest n-gram order this library trains, reads (ARPA) or loads (binary): 15. A compile-time limit; an
    /// n-gram of order k takes k − 1 nested table lookups, and KenLM's default build stops at 6.
    /// </summary>
    internal const int MaxOrder = 15;

    /// <summary>The words of the training text (ids as <c>lmplz</c> assigns them).</summary>
    internal NGramVocabulary Vocabulary { get; }

    /// <summary>Number of words in the text, without sentence markers (lmplz's "Unigram tokens").</summary>
    public long WordCount { get; }

    /// <summary>Number of sentences (lines).</summary>
    public long SentenceCount { get; }

    /// <summary>Number of distinct n-grams of <paramref name="order"/> (unigrams: the vocabulary size, markers included).</summary>
    public int Distinct(int order) => order == 1 ? Vocabulary.Count : _tables[order - 1]!.Count;

    /// <summary>True when a training run with <see cref="NGramTrainingOptions.ReleaseCounts"/> freed the counts.</summary>
    internal bool IsReleased { get; private set; }

    /// <summary>Frees the raw counts and prefixes of one order (memory-saving estimation); the counts are unusable afterwards.</summary>
    internal void Release(int order)
    {
        IsReleased = true;
        _counts[order - 1] = null!;
        _prefixes[order - 1] = null;
    }

    /// <summary>Frees every order's n-gram table too (memory-saving estimation, once the model has its own keys).</summary>
    internal void ReleaseTables()
    {
        IsReleased = true;
        Array.Clear(_tables);
    }

    /// <summary>As <see cref="Release"/> for an order k ≥ 2, handing its raw count and prefix arrays to the caller for reuse.</summary>
    internal (int[] Counts, int[] Prefixes) Take(int order)
    {
        var taken = (_counts[order - 1], _prefixes[order - 1]!);
        Release(order);
        return taken;
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
    public long Count(params ReadOnlySpan<string> words)
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
    public IEnumerable<(string[] Words, long Count)> Enumerate(int order)
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
    public void WriteTable(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool tsv = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase);
        AtomicFile.WriteText(path, writer => WriteTable(writer, tsv ? "\t" : ","), cancellationToken);
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
    internal static NGramCounts FromFile(string path, NGramCountOptions options, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        long total = 0;
        try { total = new FileInfo(path).Length; } catch (IOException) { }
        return Build(path, TextLines.Read(path), options, progress, cancellationToken, path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? 0 : total);
    }

    /// <summary>Counts the n-grams of <paramref name="lines"/> (one sentence each); errors name <paramref name="name"/>.</summary>
    public static NGramCounts FromLines(IEnumerable<string> lines, NGramCountOptions options, string name = "<text>", IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return Build(name, Number(lines), options, progress, cancellationToken, 0);

        static IEnumerable<(long, string)> Number(IEnumerable<string> lines)
        {
            long n = 0;
            foreach (string line in lines) yield return (++n, line);
        }
    }

    private static NGramCounts Build(string name, IEnumerable<(long Number, string Text)> lines, NGramCountOptions options, IProgress<StageProgress>? progress, CancellationToken cancellationToken, long totalBytes)
    {
        var text = ReadText(name, lines, options, spill: options.MemoryBudget > 0, progress, cancellationToken, totalBytes);
        using var spill = text.Spill;
        int threads = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Math.Min(8, Environment.ProcessorCount);
        if (spill is null)
        {
            int[] all = text.Tokens!.ToArray();
            text = text with { Tokens = null };
            return CountTokens(text.Vocabulary, [new TokenChunk(all, all.Length, true)], all.Length, options.Order, text.Words, text.Sentences, threads, progress, cancellationToken);
        }
        var counter = new ChunkedCount(options.MemoryBudget, options.Order, options.MaximumChunkTokens);
        return CountTokens(text.Vocabulary, spill.ChunksFromEnd(counter.ChunkTokens), spill.Count, options.Order, text.Words, text.Sentences, threads, progress, cancellationToken, counter);
    }

    /// <summary>The token ids of a text read once: in memory, or in a <see cref="TokenSpill"/> (which the caller disposes).</summary>
    internal sealed record TokenText(NGramVocabulary Vocabulary, IntList? Tokens, TokenSpill? Spill, long Words, long Sentences);

    /// <summary>
    /// Reads lines (one sentence each) into word ids, each sentence as <c>&lt;s&gt; w1 … wn &lt;/s&gt;</c>, numbering words
    /// as lmplz does. Errors name <paramref name="name"/> and the line.
    /// </summary>
    internal static TokenText ReadText(string name, IEnumerable<(long Number, string Text)> lines, NGramCountOptions options, bool spill, IProgress<StageProgress>? progress, CancellationToken cancellationToken, long totalBytes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Order, 1);
        if (options.Order > MaxOrder)
            throw new ArgumentOutOfRangeException(nameof(options), options.Order, $"order {options.Order} is above the supported maximum {MaxOrder} (a compile-time limit, NGramCounts.MaxOrder; KenLM's default build stops at 6)");
        if (options.MemoryBudget != 0 && options.MemoryBudget < NGramCountOptions.MinimumMemoryBudget)
            throw new ArgumentOutOfRangeException(nameof(options), options.MemoryBudget, $"MemoryBudget must be 0 (no limit) or at least {NGramCountOptions.MinimumMemoryBudget} bytes");
        var vocabulary = new NGramVocabulary();
        var tokenSpill = spill ? new TokenSpill(options.TempDirectory) : null;
        try
        {
            var tokens = spill ? null : new IntList(1 << 16);
            var sentence = new IntList(256);
            long words = 0, sentences = 0, bytes = 0;
            foreach (var (number, text) in lines)
            {
                sentence.Count = 0;
                sentence.Add(NGramVocabulary.SentenceStart);
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
                    sentence.Add(id);
                    words++;
                }
                sentence.Add(NGramVocabulary.SentenceEnd);
                if (tokens is not null) tokens.AddRange(sentence.Items.AsSpan(0, sentence.Count));
                else tokenSpill!.Add(sentence.Items.AsSpan(0, sentence.Count));
                sentences++;
                bytes += text.Length + 1;
                if ((sentences & 0x3FFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new StageProgress("reading", bytes, totalBytes));
                }
            }
            // Named at its last line (line 1 when empty), where a reader looking for the first word gave up.
            if (words == 0) ThrowHelper.Format(name, Math.Max(1, sentences), sentences == 0 ? "the training text has no words (the file is empty); give a text with one sentence per line" : $"the training text has no words in its {sentences} lines; give a text with one sentence per line");
            return new TokenText(vocabulary, tokens, tokenSpill, words, sentences);
        }
        catch
        {
            tokenSpill?.Dispose();
            throw;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Partition(ulong key, int parts) => (int)(((key * 0xD6E8FEB86659FD93UL) >> 40) % (uint)parts);

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v';

    /// <summary>
    /// Input: the token ids of all sentences, each <c>&lt;s&gt; … &lt;/s&gt;</c>, in sentence-aligned chunks from the end of the
    /// text. Output: count tables of orders 1..N. In each chunk, order k is built from order k−1 in one pass from the last
    /// position back: the k-gram ending at p is (the (k−1)-gram ending at p, word p−k+1). Each thread owns a hash partition
    /// of every order and numbers its n-grams in the order it first meets them; as every order visits the positions of the
    /// whole text from last to first whatever the chunking, the ids (and so the ARPA file) do not depend on the chunk size.
    /// </summary>
    internal static NGramCounts CountTokens(NGramVocabulary vocabulary, IEnumerable<TokenChunk> chunks, long totalTokens, int order, long words, long sentences, int threads, IProgress<StageProgress>? progress, CancellationToken cancellationToken, ChunkedCount? budget = null)
    {
        var partitions = CountChunks(vocabulary, chunks, totalTokens, order, threads, progress, cancellationToken, budget);
        chunks = null!; // the token arrays (the whole text in memory, or the last chunk) are garbage now: free them before merging
        LargeMemory.Collect(totalTokens * 4L);
        return Merge(vocabulary, partitions, order, words, sentences);
    }

    /// <summary>The count tables of every order, one per hash partition, before their ids are made global.</summary>
    private sealed record PartitionedCounts(int[] Unigrams, CountingTable[][] Tables);

    // A method of its own so that its token and id arrays are unreachable once it returns.
    private static PartitionedCounts CountChunks(NGramVocabulary vocabulary, IEnumerable<TokenChunk> chunks, long totalTokens, int order, int threads, IProgress<StageProgress>? progress, CancellationToken cancellationToken, ChunkedCount? budget)
    {
        int parts = Math.Max(1, threads);
        var unigrams = new int[vocabulary.Count];
        // Per order k ≥ 2 and partition: the table with raw counts and prefix ids. Ids of order k−1 inside keys and
        // prefixes are partition-local (local id · parts + partition) until every chunk is counted.
        var partTables = new CountingTable[order + 1][];
        int[] idsA = [], idsB = [];
        long done = 0;
        foreach (var chunk in chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int[] tokens = chunk.Tokens;
            int length = chunk.Length;
            foreach (int t in tokens.AsSpan(0, length)) unigrams[t]++;
            if (order > 2 && idsA.Length < length) idsA = new int[length];
            if (order > 3 && idsB.Length < length) idsB = new int[length];
            int[] current = tokens, next = idsA, spare = idsB; // ids of order k−1 (read) and of order k (written)
            for (int k = 2; k <= order; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (k == order && k > 3 && chunk.IsStartOfText && done == 0)
                {
                    // The whole text in one chunk: the highest order writes no ids, so the id array it does not read can
                    // go before its table grows.
                    if (!ReferenceEquals(idsA, current)) idsA = [];
                    if (!ReferenceEquals(idsB, current)) idsB = [];
                    next = spare = [];
                    LargeMemory.Collect(length * 8L);
                }
                if (partTables[k] is null)
                {
                    // Hash index room for the distinct k-grams: at most one per position where a k-gram fits, at most ~4×
                    // the (k−1)-grams (the columns grow by blocks as needed).
                    long previousDistinct = vocabulary.Count;
                    if (k > 2) { previousDistinct = 0; foreach (var t in partTables[k - 1]) previousDistinct += t.Count; }
                    long fits = Math.Min(Math.Max(16, length), previousDistinct * 4L + 1024);
                    if (!chunk.IsStartOfText) fits = Math.Min(fits, 1 << 20); // counting in chunks: let the index grow as it needs
                    int capacity = (int)Math.Min(fits, Array.MaxLength) / parts + 16;
                    partTables[k] = new CountingTable[parts];
                    for (int part = 0; part < parts; part++) partTables[k][part] = new CountingTable(capacity);
                }
                var tables = partTables[k];
                int[] cur = current, nxt = k < order ? next : [];
                int n = k;
                Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts, CancellationToken = cancellationToken }, part =>
                {
                    var table = tables[part];
                    for (int p = length - 1; p >= 1; p--)
                    {
                        int suffix = cur[p], before = cur[p - 1];
                        if (suffix < 0 || before < 0 || tokens[p] == NGramVocabulary.SentenceStart)
                        {
                            if (part == 0 && nxt.Length != 0) nxt[p] = -1;
                            continue;
                        }
                        ulong key = NGramTable.Key(suffix, tokens[p - n + 1]);
                        if (parts > 1 && Partition(key, parts) != part) continue;
                        int id = table.Add(key, before);
                        if (nxt.Length != 0) nxt[p] = id * parts + part;
                    }
                    if (chunk.IsStartOfText) table.ReleaseIndex(); // no more lookups: free the hash index early
                });
                if (chunk.IsStartOfText) LargeMemory.Collect(length * 8L); // the hash indexes released above
                if (k < order)
                {
                    nxt[0] = -1; // a chunk starts with <s>
                    int[] written = next;
                    next = current == tokens ? spare : current;
                    current = written;
                }
            }
            done += length;
            if (budget is not null)
            {
                // The hash indexes that doubled during the chunk left their old arrays behind: free them now, so that the
                // next chunk's blocks reuse that memory instead of growing the process.
                LargeMemory.Collect(length * 8L);
                budget.Measure(partTables);
            }
            progress?.Report(new StageProgress("counting", done, totalTokens));
        }
        return new PartitionedCounts(unigrams, partTables);
    }

    /// <summary>
    /// Input: the tables of every order, one per hash partition. Output: one table per order, global id = offset of the
    /// partition + local id; keys and prefixes of order k ≥ 3 hold local ids of order k−1, translated here. The
    /// partitions' arrays are released one by one as they are copied, so the peak is the tables plus one array.
    /// </summary>
    private static NGramCounts Merge(NGramVocabulary vocabulary, PartitionedCounts partitions, int order, long words, long sentences)
    {
        var partTables = partitions.Tables;
        int parts = order >= 2 ? partTables[2].Length : 1;
        var merged = new NGramTable?[order];
        var mergedCounts = new int[order][];
        var mergedPrefixes = new int[]?[order];
        mergedCounts[0] = partitions.Unigrams;
        int[] lowerOffsets = [];
        for (int k = 2; k <= order; k++)
        {
            var tables = partTables[k];
            int[] offsets = new int[parts + 1];
            for (int i = 0; i < parts; i++) offsets[i + 1] = checked(offsets[i] + tables[i].Count);
            int distinct = offsets[parts];
            bool translate = k >= 3 && parts > 1;
            int[] lower = lowerOffsets;
            // One column at a time, each block dropped once copied: the peak is the tables plus one order's column.
            ulong[] keys = new ulong[distinct];
            for (int i = 0; i < parts; i++)
            {
                int offset = offsets[i];
                tables[i].MoveKeys((first, source) =>
                {
                    var target = keys.AsSpan(offset + first, source.Length);
                    if (!translate) { source.CopyTo(target); return; }
                    for (int j = 0; j < source.Length; j++)
                    {
                        int local = NGramTable.Suffix(source[j]);
                        target[j] = NGramTable.Key(lower[local % parts] + local / parts, NGramTable.First(source[j]));
                    }
                });
            }
            LargeMemory.Collect(distinct * 8L);
            int[] rawCounts = new int[distinct];
            for (int i = 0; i < parts; i++)
            {
                int offset = offsets[i];
                tables[i].MoveCounts((first, source) => source.CopyTo(rawCounts.AsSpan(offset + first)));
            }
            LargeMemory.Collect(distinct * 4L);
            int[] prefixIds = new int[distinct];
            for (int i = 0; i < parts; i++)
            {
                int offset = offsets[i];
                tables[i].MovePrefixes((first, source) =>
                {
                    var target = prefixIds.AsSpan(offset + first, source.Length);
                    if (!translate) { source.CopyTo(target); return; }
                    for (int j = 0; j < source.Length; j++) target[j] = lower[source[j] % parts] + source[j] / parts;
                });
            }
            partTables[k] = null!;
            merged[k - 1] = NGramTable.Adopt(keys);
            mergedCounts[k - 1] = rawCounts;
            mergedPrefixes[k - 1] = prefixIds;
            lowerOffsets = offsets;
            LargeMemory.Collect(distinct * 16L);
        }
        // No compacting collection here: compacting copies the live tables, and the copy raised the peak (8 M-word
        // text: 559 or 611 MB, by the GC's timing) above what keeping the freed arrays resident costs (578–582 MB).
        return new NGramCounts(vocabulary, merged, mergedCounts, mergedPrefixes, words, sentences);
    }
}

/// <summary>
/// Chunk sizes of counting within a memory budget: half of what the count tables do not use (the other half is room for
/// the tables' growth during the chunk), at most an eighth of the budget, at 12 bytes per token of a chunk (the tokens
/// and two id arrays). Small chunks cost almost nothing (the work is per token), and the arrays keep their largest size.
/// </summary>
internal sealed class ChunkedCount(long budget, int order, int maximumChunkTokens = 0)
{
    /// <summary>The smallest chunk, so that a budget below the tables' size still makes progress.</summary>
    internal const int MinimumChunkTokens = 1 << 16;
    private long _tableBytes;

    public long ChunkTokens()
    {
        if (maximumChunkTokens > 0) return maximumChunkTokens;
        // Before the first chunk is counted, expect the tables to take half the budget.
        int arrays = Math.Min(3, order);
        long bytes = Math.Min(budget / 8, (budget - Math.Max(_tableBytes, budget / 2)) / 2);
        return Math.Max(MinimumChunkTokens, bytes / (arrays * sizeof(int)));
    }

    public void Measure(CountingTable[][] tables)
    {
        long bytes = 0;
        for (int k = 2; k < tables.Length; k++)
        {
            if (tables[k] is null) continue;
            foreach (var table in tables[k]) bytes += table.Bytes;
        }
        _tableBytes = bytes;
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

    public void AddRange(ReadOnlySpan<int> values)
    {
        if (Count + values.Length > Items.Length)
            Array.Resize(ref Items, (int)Math.Min(Array.MaxLength, Math.Max(Count + (long)values.Length, Items.Length * 3L / 2)));
        values.CopyTo(Items.AsSpan(Count));
        Count += values.Length;
    }

    public int[] ToArray() => Items.AsSpan(0, Count).ToArray();
}

/// <summary>
/// Collects garbage between the stages of big jobs: the stages free arrays of hundreds of MB, and collecting before
/// allocating the next ones keeps the peak resident memory near the live data. Each call says how many bytes the stage
/// freed; below <see cref="Threshold"/> it does nothing, since a full collection of a busy process (a test host, an
/// application holding other data) costs more than a small job's arrays are worth.
/// </summary>
internal static class LargeMemory
{
    private const long Threshold = 8L << 20;

    internal static void Collect(long freedBytes)
    {
        if (freedBytes >= Threshold) GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    /// <summary>
    /// Collects and gives the freed memory back to the system at once (a compacting, aggressive collection), for stages
    /// that must stay within a budget: otherwise the freed arrays of one stage stay resident while the next allocates.
    /// </summary>
    internal static void Return(long freedBytes)
    {
        if (freedBytes >= Threshold) GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
