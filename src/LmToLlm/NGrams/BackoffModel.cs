using System.Globalization;
using System.Text;

namespace LmToLlm.NGrams;

/// <summary>
/// A backoff n-gram model as an ARPA file holds it: for each stored n-gram a log10 probability, and for each n-gram below
/// the highest order a log10 backoff weight. Query (Katz form, as KenLM): with w_i..w_n the longest stored n-gram ending in
/// the word, log10 p(w_n | w_1..w_{n−1}) = log10 p(w_i..w_n) + Σ_{j&lt;i} log10 bo(w_j..w_{n−1}) over the stored contexts
/// longer than the one matched. (Modified) Kneser-Ney estimation produces this form; ARPA files from KenLM or SRILM load into it.
/// </summary>
public sealed partial class BackoffModel : LanguageModel
{
    private readonly NGramVocabulary _vocabulary;
    private readonly NGramTable?[] _tables;
    private readonly float[][] _probs;
    private readonly float[][] _backoffs;

    // True when every order's ids are in lmplz's suffix order (see SuffixOrder.Renumber): the ARPA writer then needs no permutation.
    private readonly bool _inSuffixOrder;

    internal BackoffModel(NGramVocabulary vocabulary, NGramTable?[] tables, float[][] probs, float[][] backoffs, IReadOnlyList<OrderStatistics>? statistics, string name = "modified Kneser-Ney", bool inSuffixOrder = false)
    {
        _inSuffixOrder = inSuffixOrder;
        _vocabulary = vocabulary;
        _tables = tables;
        _probs = probs;
        _backoffs = backoffs;
        Statistics = statistics;
        Name = name;
    }

    /// <inheritdoc/>
    public override int Order => _probs.Length;

    /// <inheritdoc/>
    public override NGramVocabulary Vocabulary => _vocabulary;

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>Per order: counts-of-counts and discounts, when this model was estimated here (null when read from a file).</summary>
    public IReadOnlyList<OrderStatistics>? Statistics { get; }

    /// <summary>Number of n-grams stored for <paramref name="order"/>.</summary>
    internal int NGramCount(int order) => _probs[order - 1].Length;

    /// <summary>The stored log10 probability and backoff (0 at the highest order) of an n-gram, or null when it is not stored.</summary>
    internal (float Log10Prob, float Log10Backoff)? Find(params ReadOnlySpan<string> words)
    {
        if (words.Length == 0 || words.Length > Order) return null;
        Span<int> ids = stackalloc int[words.Length];
        for (int i = 0; i < words.Length; i++)
        {
            if (!_vocabulary.TryFind(words[i], out ids[i])) return null;
        }
        int id = NGramCounts.Find(_tables, ids);
        if (id < 0) return null;
        int k = words.Length;
        return (_probs[k - 1][id], k < Order ? _backoffs[k - 1][id] : 0f);
    }

    /// <summary>Every stored n-gram of <paramref name="order"/> with its log10 probability and backoff.</summary>
    internal IEnumerable<(string[] Words, float Log10Prob, float Log10Backoff)> Enumerate(int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, Order);
        int[] ids = new int[order];
        for (int id = 0; id < _probs[order - 1].Length; id++)
        {
            NGramCounts.Words(_tables, order, id, ids);
            var words = new string[order];
            for (int i = 0; i < order; i++) words[i] = _vocabulary[ids[i]];
            yield return (words, _probs[order - 1][id], order < Order ? _backoffs[order - 1][id] : 0f);
        }
    }

    /// <inheritdoc/>
    public override WordProbability Score(ReadOnlySpan<int> context, int word)
    {
        if (context.Length > Order - 1) context = context[^(Order - 1)..];
        if ((uint)word >= (uint)_vocabulary.Count) word = NGramVocabulary.Unknown;
        // Longest match: extend w leftwards one context word at a time.
        int match = word, length = 1;
        for (int i = context.Length - 1; i >= 0; i--)
        {
            int next = _tables[length]!.Find(NGramTable.Key(match, context[i]));
            if (next < 0) break;
            match = next;
            length++;
        }
        float log = _probs[length - 1][match];
        // Backoffs of the stored contexts longer than the matched one (length − 1 words).
        if (context.Length >= length)
        {
            int ctx = context[^1];
            for (int j = 1; j <= context.Length; j++)
            {
                if (j >= length) log += _backoffs[j - 1][ctx];
                if (j == context.Length) break;
                ctx = _tables[j]!.Find(NGramTable.Key(ctx, context[^(j + 1)]));
                if (ctx < 0) break;
            }
        }
        return new WordProbability(log, length);
    }

    // ---------------------------------------------------------------- ARPA

    /// <summary>
    /// Writes the model as an ARPA file (as <c>lmplz</c>: tab-separated, shortest round-trip float32 values, backoff column
    /// on every order below the highest, <c>&lt;s&gt;</c> with probability 0, each order's n-grams in lmplz's suffix order:
    /// by last word, then the one before, …, by word id). Atomic: a temp file is moved into place.
    /// </summary>
    public void WriteArpa(string path, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, stream => WriteArpa(stream, progress), cancellationToken);
    }

    /// <summary>
    /// Writes the model in ARPA format (UTF-8, LF) to <paramref name="stream"/>. Blocks of n-grams are formatted in
    /// parallel and written in order (the next batch is formatted while one is written), so the output is the same for
    /// any number of cores.
    /// </summary>
    public void WriteArpa(Stream stream, IProgress<StageProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var words = new ArpaWords(_vocabulary);
        var header = new ByteBuffer(256);
        long[] counts = new long[Order];
        for (int k = 1; k <= Order; k++) counts[k - 1] = _probs[k - 1].Length;
        header.ArpaHeader(counts);
        header.WriteTo(stream);
        const int block = 1 << 15;
        int parallel = Math.Max(1, Environment.ProcessorCount) * 2;
        // Two sets of buffers: one batch of blocks is written to the stream while the next is formatted.
        var sets = new ByteBuffer[2][];
        for (int s = 0; s < 2; s++)
        {
            sets[s] = new ByteBuffer[parallel];
            for (int i = 0; i < parallel; i++) sets[s][i] = new ByteBuffer(block * 48);
        }
        Task writing = Task.CompletedTask;
        int set = 0;
        try
        {
            int[]? ranks = null; // of the previous order's n-grams in suffix order (null: words, whose rank is their id)
            for (int k = 1; k <= Order; k++)
            {
                int[]? permutation = k == 1 || _inSuffixOrder ? null : SuffixOrder.Permutation(_tables[k - 1]!, _probs[k - 1].Length, ranks, _probs[k - 2].Length);
                ranks = null; // the previous order's ranks are spent: let them go before this order's are made
                writing.GetAwaiter().GetResult();
                header.Clear();
                header.ArpaSection(k);
                header.WriteTo(stream);
                int count = _probs[k - 1].Length;
                int blocks = (count + block - 1) / block;
                for (int first = 0; first < blocks; first += parallel)
                {
                    int batch = Math.Min(parallel, blocks - first);
                    int order = k;
                    var buffers = sets[set];
                    Parallel.For(0, batch, b =>
                    {
                        int start = (first + b) * block;
                        FormatBlock(order, start, Math.Min(count, start + block), permutation, words, buffers[b]);
                    });
                    writing.GetAwaiter().GetResult(); // the previous batch is in the stream; this one goes next, in order
                    writing = Task.Run(() =>
                    {
                        for (int b = 0; b < batch; b++) buffers[b].WriteTo(stream);
                    });
                    set ^= 1;
                }
                if (permutation is not null)
                {
                    if (k < Order) ranks = SuffixOrder.Ranks(permutation);
                    LargeMemory.Collect(permutation.Length * 8L); // this order's permutation (and the ranks before it) are garbage now
                }
                progress?.Report(new StageProgress($"writing {k}-grams", k, Order));
            }
            writing.GetAwaiter().GetResult();
        }
        finally
        {
            // Never leave a write running on a stream the caller is about to close (formatting failed or was cancelled).
            if (!writing.IsCompleted) writing.ContinueWith(static _ => { }, TaskScheduler.Default).Wait();
        }
        header.Clear();
        header.ArpaEnd();
        header.WriteTo(stream);
    }

    /// <summary>Formats lines [start, end) of order k: the n-grams <paramref name="permutation"/>[i] (null: id i).</summary>
    private void FormatBlock(int k, int start, int end, int[]? permutation, ArpaWords words, ByteBuffer output)
    {
        output.Clear();
        // The words of an n-gram are a chain of lookups (key → suffix id → key of the order below …), each a likely cache
        // miss. Walking the chains of a batch of n-grams one level at a time lets those independent loads overlap.
        const int batch = 64;
        Span<int> ids = stackalloc int[batch * k]; // ids[i * k + j]: word j of n-gram i of the batch
        Span<int> links = stackalloc int[batch];
        float[] probs = _probs[k - 1];
        float[] backoffs = _backoffs[k - 1];
        for (int first = start; first < end; first += batch)
        {
            int count = Math.Min(batch, end - first);
            for (int i = 0; i < count; i++) links[i] = permutation is null ? first + i : permutation[first + i];
            for (int level = k, j = 0; level >= 2; level--, j++)
            {
                ulong[] keys = _tables[level - 1]!.Keys;
                for (int i = 0; i < count; i++)
                {
                    ulong key = keys[links[i]];
                    ids[i * k + j] = NGramTable.First(key);
                    links[i] = NGramTable.Suffix(key);
                }
            }
            for (int i = 0; i < count; i++) ids[i * k + k - 1] = links[i];
            for (int i = 0; i < count; i++)
            {
                int id = permutation is null ? first + i : permutation[first + i];
                output.ArpaLine(probs[id], ids.Slice(i * k, k), words, k < Order, k < Order ? backoffs[id] : 0f);
            }
        }
    }

    /// <summary>Reads an ARPA file (KenLM, SRILM; <c>.gz</c> transparently).</summary>
    /// <exception cref="LmToLlmFormatException">A missing section, a count that differs from <c>\data\</c>, a non-numeric field, an unknown word, a missing suffix n-gram.</exception>
    internal static BackoffModel ReadArpa(string path, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ArpaReader.Read(path, progress, cancellationToken);
}
