using System.Runtime.InteropServices;
using LmToLlm.Corpora;
using LmToLlm.Primitives;
using LmToLlm.Text;

namespace LmToLlm.SuffixArrays;

/// <summary>What an index is built over.</summary>
public enum SuffixArrayMode
{
    /// <summary>Token ids: each line is a document; documents are kept apart by a separator no query contains.</summary>
    Tokens = 0,

    /// <summary>The file's bytes as they are (UTF-8): each line is a document, its newline the separator.</summary>
    Bytes = 1,
}

/// <summary>Options of <see cref="SuffixArrayBuilder.Build"/>.</summary>
public sealed record SuffixArrayBuildOptions
{
    /// <summary><c>whitespace</c> (the default: split on white space, as KenLM) or an analyzer name (<c>simple</c>, …); ignored in byte mode.</summary>
    public string Tokenizer { get; init; } = SuffixArrayTokenizer.WhitespaceName;

    /// <summary>Token ids (default) or raw bytes.</summary>
    public SuffixArrayMode Mode { get; init; } = SuffixArrayMode.Tokens;

    /// <summary>
    /// Bytes the construction may use (0: no limit). A corpus that does not fit is built as
    /// several shards, each within the budget; queries add the shards' counts.
    /// </summary>
    public long MemoryBudget { get; init; }

    /// <summary>The defaults.</summary>
    public static SuffixArrayBuildOptions Default { get; } = new();

    /// <summary>
    /// Asked for the analyzer <see cref="Tokenizer"/> names before the built-in ones (a resolver that knows analyzers of
    /// optional packages, such as <c>nori</c>; it returns null for names it does not know). Pass the same resolver to
    /// <see cref="SuffixArrayIndex.Open(string, bool, Func{string, Analyzer?})"/>.
    /// </summary>
    internal Func<string, Analyzer?>? Analyzers { get; init; }

    /// <summary>Threads that sort the suffixes (default 1; 0: every core). The index does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    /// <summary>Pointer width (3, 4 or 5) forced for tests of every layout (0: chosen per shard from its length; never narrower than a shard needs).</summary>
    internal int PointerWidth { get; init; }

    /// <summary>Token-id width forced for tests of the wider layouts (0: chosen from the vocabulary size; never narrower than it needs).</summary>
    internal int IdWidth { get; init; }
}

/// <summary>What a build produced.</summary>
public sealed record SuffixArrayBuildReport
{
    internal SuffixArrayBuildReport(long Documents, long Tokens, long StreamLength, int Shards, int VocabularySize, long FileBytes)
    {
        this.Documents = Documents; this.Tokens = Tokens; this.StreamLength = StreamLength; this.Shards = Shards; this.VocabularySize = VocabularySize; this.FileBytes = FileBytes;
    }

    /// <summary>Lines indexed.</summary>
    public long Documents { get; }

    /// <summary>Tokens (bytes in byte mode) without separators.</summary>
    public long Tokens { get; }

    /// <summary>Symbols in the token streams, separators included.</summary>
    internal long StreamLength { get; }

    /// <summary>Shards written.</summary>
    internal int Shards { get; }

    /// <summary>Distinct tokens (0 in byte mode).</summary>
    internal int VocabularySize { get; }

    /// <summary>Size of the index file.</summary>
    public long FileBytes { get; }
}

/// <summary>
/// Builds a suffix-array index from a text file, one document per line (<c>.gz</c> read transparently). Input: the
/// text. Output: one index file (<see cref="SuffixArrayFile"/>), written atomically. Token mode reads the text twice
/// (vocabulary, then ids shard by shard), so only one shard's stream and suffix array are in memory at a time.
/// </summary>
/// <example>
/// <code>
/// SuffixArrayBuilder.Build("train.txt", "train.sa");
/// using var index = SuffixArrayIndex.Open("train.sa");
/// long count = index.Count("the stock market fell");      // any length
/// var where = index.Find("the stock market fell", take: 5); // documents, offsets and snippets
/// var next = new InfiniGram(index).NextTokens(["the", "cat"]);
/// </code>
/// The sample <c>samples/InfiniGram</c> builds an index, counts a 23-word sentence, and compares the ∞-gram model with
/// a 5-gram model.
/// </example>
public static class SuffixArrayBuilder
{
    /// <summary>Bytes per symbol while a token shard is sorted: int ids, int suffix array, type bits and buckets.</summary>
    internal const int TokenBuildBytes = 9;

    /// <summary>Bytes per symbol while a byte shard is sorted: the bytes, int suffix array, type bits and buckets.</summary>
    internal const int ByteBuildBytes = 6;

    /// <summary>The longest shard an int suffix array can address.</summary>
    internal const long MaxShardLength = 0x7FFFFFC0;

    /// <summary>Builds the index of <paramref name="textPath"/> into <paramref name="indexPath"/>.</summary>
    public static SuffixArrayBuildReport Build(string textPath, string indexPath, SuffixArrayBuildOptions? options = null,
        IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(textPath);
        ArgumentNullException.ThrowIfNull(indexPath);
        options ??= new SuffixArrayBuildOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.MemoryBudget);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxDegreeOfParallelism);
        string data = indexPath + ".shards." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            var shards = new List<(long Length, long Documents, long FirstDocument, int PointerWidth)>();
            IReadOnlyList<string> vocabulary;
            int idWidth;
            long tokens;
            string tokenizer;
            if (options.PointerWidth is not (0 or 3 or 4 or 5)) throw new ArgumentOutOfRangeException(nameof(options), "the pointer width must be 0, 3, 4 or 5");
            int pointerWidth = options.PointerWidth;
            using (var shardStream = new FileStream(data, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose))
            {
                var writer = new SuffixArrayFile.HashingWriter(shardStream);
                if (options.Mode == SuffixArrayMode.Bytes)
                {
                    tokenizer = "bytes";
                    vocabulary = [];
                    idWidth = 1;
                    tokens = BuildBytes(textPath, options, pointerWidth, writer, shards, progress, cancellationToken);
                }
                else
                {
                    var splitter = SuffixArrayTokenizer.FromName(options.Tokenizer, options.Analyzers);
                    tokenizer = splitter.Name;
                    var words = CollectVocabulary(textPath, splitter, progress, cancellationToken, out long lines);
                    if (lines == 0) ThrowHelper.Format(textPath, 0, "the corpus is empty (no lines); there is nothing to index");
                    vocabulary = words.Tokens;
                    idWidth = Math.Max(options.IdWidth, SuffixArrayFile.IdWidthFor(words.Count + 1L));
                    tokens = BuildTokens(textPath, splitter, words, idWidth, pointerWidth, options, lines, writer, shards, progress, cancellationToken);
                }
                shardStream.Flush();
                progress?.Report(new StageProgress("writing", 0, shards.Count));
                AtomicFile.Write(indexPath, output =>
                {
                    var w = new SuffixArrayFile.HashingWriter(output);
                    SuffixArrayFile.WriteHead(w, options.Mode, idWidth, shards.Max(s => s.PointerWidth), tokenizer, vocabulary, shards);
                    shardStream.Position = 0;
                    var buffer = new byte[1 << 20];
                    int read;
                    while ((read = shardStream.Read(buffer)) > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        w.Write(buffer.AsSpan(0, read));
                    }
                    w.Finish();
                }, cancellationToken);
            }
            return new SuffixArrayBuildReport(shards.Sum(s => s.Documents), tokens, shards.Sum(s => s.Length), shards.Count, vocabulary.Count, new FileInfo(indexPath).Length);
        }
        finally
        {
            File.Delete(data);
        }
    }

    private static Vocabulary CollectVocabulary(string path, SuffixArrayTokenizer splitter, IProgress<StageProgress>? progress, CancellationToken cancellationToken, out long lines)
    {
        var vocabulary = new Vocabulary();
        lines = 0;
        foreach (var (_, text) in TextLines.Read(path))
        {
            foreach (string token in splitter.Tokenize(text)) vocabulary.Add(token);
            if (++lines % 16384 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new StageProgress("vocabulary", lines, 0));
            }
        }
        return vocabulary;
    }

    private static long Capacity(SuffixArrayBuildOptions options, int bytesPerSymbol) =>
        options.MemoryBudget == 0 ? MaxShardLength : Math.Min(MaxShardLength, options.MemoryBudget / bytesPerSymbol);

    private static long BuildTokens(string path, SuffixArrayTokenizer splitter, Vocabulary vocabulary, int idWidth, int pointerWidth, SuffixArrayBuildOptions options, long lines,
        SuffixArrayFile.HashingWriter writer, List<(long, long, long, int)> shards, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        long capacity = Capacity(options, TokenBuildBytes);
        var stream = new List<int>();
        var starts = new List<long>();
        long documents = 0, tokens = 0;
        var ids = new List<int>();
        foreach (var (number, text) in TextLines.Read(path))
        {
            ids.Clear();
            foreach (string token in splitter.Tokenize(text)) ids.Add(vocabulary.IdOf(token) + 1);
            long needed = ids.Count + 2; // its separator before, the closing separator after
            if (needed > capacity)
                throw new LmToLlmException($"{path}:{number}: the memory budget of {options.MemoryBudget:N0} bytes is too small for this document of {ids.Count:N0} tokens; the budget must be at least {needed * TokenBuildBytes:N0} bytes");
            if (stream.Count > 0 && stream.Count + needed > capacity)
            {
                FlushTokens(stream, starts, documents, vocabulary.Count + 1, idWidth, pointerWidth, SortThreads(options), writer, shards, progress, cancellationToken);
                documents += starts.Count;
                stream.Clear();
                starts.Clear();
            }
            stream.Add(0);
            starts.Add(stream.Count);
            stream.AddRange(ids);
            tokens += ids.Count;
            if (number % 16384 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new StageProgress("tokens", number, lines));
            }
        }
        FlushTokens(stream, starts, documents, vocabulary.Count + 1, idWidth, pointerWidth, SortThreads(options), writer, shards, progress, cancellationToken);
        return tokens;
    }

    private static int SortThreads(SuffixArrayBuildOptions options) =>
        options.MaxDegreeOfParallelism == 0 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;

    private static void FlushTokens(List<int> stream, List<long> starts, long firstDocument, int alphabet, int idWidth, int pointerWidth, int threads,
        SuffixArrayFile.HashingWriter writer, List<(long, long, long, int)> shards, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        stream.Add(0); // the closing separator
        var text = CollectionsMarshal.AsSpan(stream);
        progress?.Report(new StageProgress("sorting", 0, text.Length));
        var sa = SuffixSorter.Sort<int>(text, alphabet, cancellationToken, threads);
        progress?.Report(new StageProgress("sorting", text.Length, text.Length));
        writer.Write(idWidth == 4 ? MemoryMarshal.AsBytes(text) : SuffixArrayFile.PackIds(text, idWidth));
        writer.PadTo8();
        int width = WriteShardTail(writer, sa, pointerWidth, starts, text.Length);
        shards.Add((text.Length, starts.Count, firstDocument, width));
    }

    /// <summary>
    /// Writes the suffix array and the document starts at the shard's pointer width (the forced one when it is wide
    /// enough, else the narrowest that holds the shard's length); returns that width.
    /// </summary>
    private static int WriteShardTail(SuffixArrayFile.HashingWriter writer, int[] sa, int forcedWidth, List<long> starts, long length)
    {
        int width = Math.Max(forcedWidth, SuffixArrayFile.PointerWidthFor(length));
        writer.Write(width == 4 ? MemoryMarshal.AsBytes(sa.AsSpan()) : SuffixArrayFile.PackPointers(sa, width));
        writer.PadTo8();
        // Shards hold at most 2^31 symbols (int suffix arrays), so every start fits an int.
        var table = new int[starts.Count + 1];
        for (int i = 0; i < starts.Count; i++) table[i] = (int)starts[i];
        table[^1] = (int)length;
        writer.Write(width == 4 ? MemoryMarshal.AsBytes(table.AsSpan()) : SuffixArrayFile.PackPointers(table, width));
        writer.PadTo8();
        return width;
    }

    private static long BuildBytes(string path, SuffixArrayBuildOptions options, int pointerWidth, SuffixArrayFile.HashingWriter writer,
        List<(long, long, long, int)> shards, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        byte[] all;
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) all = HugePages.ReadFile(path); // one copy of the text in memory
        else
        {
            using var input = TextLines.OpenRead(path);
            all = BinaryFormat.ReadAll(input);
        }
        if (all.Length == 0) ThrowHelper.Format(path, 0, "the corpus is empty; there is nothing to index");
        long capacity = Capacity(options, ByteBuildBytes);
        long documents = 0;
        int begin = 0;
        while (begin < all.Length)
        {
            int end = (int)Math.Min(all.Length, begin + capacity);
            if (end < all.Length)
            {
                int lastNewline = all.AsSpan(begin, end - begin).LastIndexOf((byte)'\n');
                if (lastNewline < 0)
                {
                    int lineEnd = all.AsSpan(begin).IndexOf((byte)'\n');
                    long needed = (lineEnd < 0 ? all.Length - begin : lineEnd + 1) * (long)ByteBuildBytes;
                    throw new LmToLlmException($"{path}:{documents + 1}: the memory budget of {options.MemoryBudget:N0} bytes is too small for this line; the budget must be at least {needed:N0} bytes");
                }
                end = begin + lastNewline + 1;
            }
            var text = all.AsSpan(begin, end - begin);
            var starts = new List<long> { 0 };
            for (int i = 0; i + 1 < text.Length; i++)
                if (text[i] == (byte)'\n') starts.Add(i + 1);
            progress?.Report(new StageProgress("sorting", 0, text.Length));
            var sa = SuffixSorter.Sort<byte>(text, 256, cancellationToken, SortThreads(options));
            progress?.Report(new StageProgress("sorting", text.Length, text.Length));
            writer.Write(text);
            writer.PadTo8();
            int width = WriteShardTail(writer, sa, pointerWidth, starts, text.Length);
            shards.Add((text.Length, starts.Count, documents, width));
            documents += starts.Count;
            begin = end;
        }
        return all.Length - all.AsSpan().Count((byte)'\n');
    }
}
