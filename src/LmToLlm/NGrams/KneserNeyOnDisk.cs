using LmToLlm.Primitives;
using System.Text;

namespace LmToLlm.NGrams;

/// <summary>
/// (Modified) Kneser-Ney exactly as <see cref="KneserNeyEstimator"/> (and so as lmplz), within a memory budget: every
/// order's n-grams live in files of fixed-width records that are sorted on disk and read in streams, so memory holds only
/// the sort buffers and arrays the size of the vocabulary, whatever the size of the text. A k-gram's words are stored
/// last word first, so that sorting records sorts n-grams in suffix order, the order lmplz writes its ARPA in.
/// Stages, per order k:
/// <list type="number">
/// <item>count: windows of k tokens from the token file, merged in a hashed buffer, sorted runs merged → raw counts;</item>
/// <item>adjust: raw counts joined with the (k+1)-grams, whose suffix order groups them by their k-gram suffix → the
/// adjusted counts, their count-of-counts and the discounts; records re-sorted by context;</item>
/// <item>per context: Σ a(hw), N1, N2, N3+ → γ(h) (the backoff of h), and p′(w|h) for each member, re-sorted in suffix order;</item>
/// <item>interpolate: joined with the (k−1)-gram probabilities by suffix → p(w|h).</item>
/// </list>
/// The ARPA is then written by joining each order's probabilities with the backoffs from the order above.
/// </summary>
internal sealed class KneserNeyOnDisk : IDisposable
{
    private readonly NGramVocabulary _vocabulary;
    private readonly float[] _unigrams;         // p(w), linear
    private readonly float[] _unigramGammas;    // γ(w) as a context of bigrams (0 for none)
    private readonly RecordFile?[] _probabilities; // index k−1, k ≥ 2: (words last first, p bits)
    private readonly RecordFile?[] _gammas;        // index k−1, 2 ≤ k < N: (words last first, γ bits)

    private KneserNeyOnDisk(NGramVocabulary vocabulary, float[] unigrams, float[] unigramGammas, RecordFile?[] probabilities, RecordFile?[] gammas, long words, OrderStatistics[] statistics)
    {
        _vocabulary = vocabulary;
        _unigrams = unigrams;
        _unigramGammas = unigramGammas;
        _probabilities = probabilities;
        _gammas = gammas;
        WordCount = words;
        Statistics = statistics;
    }

    /// <summary>Words of the training text (lmplz's unigram tokens).</summary>
    public long WordCount { get; }

    /// <summary>Vocabulary size with <c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>.</summary>
    public int VocabularySize => _vocabulary.Count;

    /// <summary>Counts-of-counts and discounts of each order.</summary>
    public OrderStatistics[] Statistics { get; }

    private int Order => _probabilities.Length;

    /// <summary>Estimates a model of the text file <paramref name="path"/> (<c>.gz</c> transparently) within <see cref="NGramCountOptions.MemoryBudget"/>.</summary>
    /// <exception cref="LmToLlmFormatException">As <see cref="NGramCounts"/>: a reserved word, invalid UTF-8, an empty text.</exception>
    /// <exception cref="BadDiscountException">Discounts out of range and no fallback requested.</exception>
    internal static KneserNeyOnDisk Train(string path, NGramCountOptions counting, bool modified, bool discountFallback, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        long total = 0;
        try { total = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? 0 : new FileInfo(path).Length; } catch (IOException) { }
        return Train(path, Corpora.TextLines.Read(path), counting, modified, discountFallback, progress, cancellationToken, total);
    }

    internal static KneserNeyOnDisk Train(string name, IEnumerable<(long Number, string Text)> lines, NGramCountOptions counting, bool modified, bool discountFallback, IProgress<StageProgress>? progress, CancellationToken cancellationToken, long totalBytes = 0)
    {
        if (counting.MemoryBudget < NGramCountOptions.MinimumMemoryBudget)
            throw new ArgumentOutOfRangeException(nameof(counting), counting.MemoryBudget, $"MemoryBudget must be at least {NGramCountOptions.MinimumMemoryBudget} bytes");
        var text = NGramCounts.ReadText(name, lines, counting, spill: true, progress, cancellationToken, totalBytes);
        using var spill = text.Spill!;
        var pipeline = new Pipeline(text.Vocabulary, counting, modified, discountFallback, progress, cancellationToken);
        return pipeline.Run(spill, text.Words);
    }

    /// <summary>Writes the model as ARPA, byte for byte as lmplz does (n-grams in suffix order), to <paramref name="stream"/>.</summary>
    public void WriteArpa(Stream stream, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int n = Order;
        var words = new ArpaWords(_vocabulary);
        var output = new ByteBuffer(1 << 21);
        long[] counts = new long[n];
        counts[0] = _vocabulary.Count;
        for (int k = 2; k <= n; k++) counts[k - 1] = _probabilities[k - 1]!.Count;
        output.ArpaHeader(counts);
        output.ArpaSection(1);
        for (int w = 0; w < _unigrams.Length; w++)
        {
            float probability = w == NGramVocabulary.SentenceStart ? 0f : MathF.Log10(_unigrams[w]); // lmplz: <s> is never predicted
            output.ArpaLine(probability, [w], words, n > 1, KneserNeyEstimator.Log10Backoff(_unigramGammas[w]));
            if (output.Length > 1 << 20) output.WriteTo(stream);
        }
        Span<int> ids = stackalloc int[n];
        for (int k = 2; k <= n; k++)
        {
            output.ArpaSection(k);
            var reader = _probabilities[k - 1]!.Read();
            var gammas = k < n ? _gammas[k - 1]!.Read() : null;
            bool hasGamma = gammas?.MoveNext() ?? false;
            while (reader.MoveNext())
            {
                var record = reader.Current;
                var key = record[..k];
                for (int j = 0; j < k; j++) ids[j] = key[k - 1 - j]; // stored last word first
                // The backoffs are those of the contexts of order k+1, a subset of these n-grams in the same order.
                float gamma = 0f;
                if (gammas is not null)
                {
                    while (hasGamma && gammas.Current[..k].SequenceCompareTo(key) < 0) hasGamma = gammas.MoveNext();
                    if (hasGamma && gammas.Current[..k].SequenceEqual(key)) gamma = BitConverter.Int32BitsToSingle(gammas.Current[k]);
                }
                output.ArpaLine(MathF.Log10(BitConverter.Int32BitsToSingle(record[k])), ids[..k], words, k < n, KneserNeyEstimator.Log10Backoff(gamma));
                if (output.Length > 1 << 20)
                {
                    output.WriteTo(stream);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            progress?.Report(new StageProgress($"writing {k}-grams", k, n));
        }
        output.ArpaEnd();
        output.WriteTo(stream);
    }

    public void Dispose()
    {
        foreach (var file in _probabilities) file?.Dispose();
        foreach (var file in _gammas) file?.Dispose();
    }

    /// <summary>One training run: the options, and the files of the orders in flight.</summary>
    private sealed class Pipeline(NGramVocabulary vocabulary, NGramCountOptions options, bool modified, bool discountFallback, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        private readonly int _order = options.Order;
        private readonly string? _directory = options.TempDirectory;
        // Two fifths of the budget sort (a tenth more merges their runs); the token chunks and their window hashes take a
        // sixteenth together, and the rest is room for the read buffers and for the garbage the collector has not
        // returned yet.
        private readonly long _sortBytes = options.MemoryBudget * 2 / 5;
        private readonly long _chunkTokens = Math.Max(ChunkedCount.MinimumChunkTokens, options.MemoryBudget / 32 / sizeof(int));
        private uint[] _hashes = []; // the window hashes of a chunk, one array for every order's counting
        private readonly int _threads = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Math.Min(8, Environment.ProcessorCount);
        private int Stages => 4 * _order;
        private int _stage;

        private void Report(string what)
        {
            progress?.Report(new StageProgress(what, ++_stage, Stages));
            cancellationToken.ThrowIfCancellationRequested();
        }

        public KneserNeyOnDisk Run(TokenSpill spill, long words)
        {
            int n = _order, size = vocabulary.Count;
            var raw = new RecordFile?[n + 1];
            var probabilities = new RecordFile?[n];
            var gammas = new RecordFile?[n];
            var contexts = new RecordFile?[n + 1];
            try
            {
                // 1. Raw counts of every order.
                long[] unigramCounts = new long[size];
                for (int k = 1; k <= n; k++)
                {
                    if (k >= 2) raw[k] = Count(spill, k, k == 2 ? unigramCounts : null, k == 2 ? size : raw[k - 1]!.Count);
                    else if (n == 1) CountUnigrams(spill, unigramCounts);
                    Report($"counting {k}-grams");
                }
                _hashes = [];

                // 2. Adjusted counts and discounts of every order (fail fast, before the heavy stages), each order re-sorted by context.
                var statistics = new OrderStatistics[n];
                var discounts = new Discount[n];
                long[] unigramAdjusted = AdjustUnigrams(unigramCounts, raw, statistics, discounts);
                int[] last = [size - 1]; // lmplz's last n-gram of each order in suffix order, while it still holds one
                for (int k = 2; k <= n; k++)
                {
                    contexts[k] = Adjust(k, raw, ref last, statistics, discounts);
                    raw[k - 1]?.Dispose();
                    raw[k - 1] = null;
                    Report($"adjusting {k}-grams");
                }
                raw[n]?.Dispose();
                raw[n] = null;

                // 3–4. Probabilities, one order at a time.
                var d1 = discounts[0];
                long sum = 0, n1 = 0, n2 = 0, n3 = 0;
                foreach (long c in unigramAdjusted)
                {
                    sum += c;
                    if (c == 1) n1++;
                    else if (c == 2) n2++;
                    else if (c >= 3) n3++;
                }
                float gamma = KneserNeyEstimator.Gamma(d1, n1, n2, n3, sum);
                float uniform = 1f / (float)(size - 1), denominator = (float)sum;
                float[] unigrams = new float[size];
                for (int w = 0; w < size; w++) unigrams[w] = d1.Apply(unigramAdjusted[w]) / denominator + gamma * uniform;
                float[] unigramGammas = new float[size];
                Report("probabilities of 1-grams");
                for (int k = 2; k <= n; k++)
                {
                    var initial = Initial(contexts[k]!, k, discounts[k - 1], out gammas[k - 2], k == 2 ? unigramGammas : null);
                    contexts[k]!.Dispose();
                    contexts[k] = null;
                    using (initial) probabilities[k - 1] = Interpolate(initial, k, discounts[k - 1], unigrams, probabilities[k - 2]);
                    Report($"probabilities of {k}-grams");
                }
                return new KneserNeyOnDisk(vocabulary, unigrams, unigramGammas, probabilities, gammas, words, statistics);
            }
            catch
            {
                foreach (var file in raw.Concat(probabilities).Concat(gammas).Concat(contexts)) file?.Dispose();
                throw;
            }
        }

        private static void CountUnigrams(TokenSpill spill, long[] counts)
        {
            foreach (var chunk in spill.ChunksFromEnd(() => 1 << 20))
            {
                foreach (int t in chunk.Tokens.AsSpan(0, chunk.Length)) counts[t]++;
            }
        }

        /// <summary>
        /// Raw counts of order k: (words last first, count), sorted. Each thread owns a hash partition of the n-grams and a
        /// sorter of its own (the hash lookups that merge repeats are the work), and the partitions are merged at the end.
        /// </summary>
        private RecordFile Count(TokenSpill spill, int k, long[]? unigrams, long lowerDistinct)
        {
            int parts = _threads;
            var sorters = new RecordSorter[parts];
            // An order has at least about as many distinct n-grams as the order below: its tables start that large rather
            // than doubling up to it.
            for (int i = 0; i < parts; i++) sorters[i] = new RecordSorter(k + 1, k, sumCounts: true, _sortBytes / parts, _directory, options.MaximumRunRecords, lowerDistinct / parts);
            try
            {
                foreach (var chunk in spill.ChunksFromEnd(() => _chunkTokens))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int[] tokens = chunk.Tokens;
                    int length = chunk.Length;
                    if (unigrams is not null)
                    {
                        foreach (int t in tokens.AsSpan(0, length)) unigrams[t]++;
                    }
                    // Every window's hash once, by all threads (each partition then reads the ones it owns); windows that
                    // cross a sentence start are hashed too and never added.
                    if (_hashes.Length < length) _hashes = new uint[length];
                    uint[] hashed = _hashes;
                    ParallelBlocks.For(length, HashBlock, (start, end) =>
                    {
                        for (int p = Math.Max(k - 1, start); p < end; p++)
                            hashed[p] = RecordSorter.HashReversed(tokens.AsSpan(p - k + 1, k)); // the window ending at p
                    }, parts);
                    Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
                    {
                        Span<int> record = stackalloc int[k + 1];
                        record[k] = 1;
                        var sorter = sorters[part];
                        int start = 0; // the sentence's <s>: a chunk starts with one
                        // The slot of the window Ahead positions later is prefetched now, so that the table's cache misses
                        // overlap rather than come one after another.
                        const int Ahead = 16;
                        for (int p = k - 1; p < Math.Min(length, k - 1 + Ahead); p++) PrefetchOwn(sorter, hashed[p], parts, part);
                        for (int p = 0; p < length; p++)
                        {
                            if (p >= k - 1 && p + Ahead < length) PrefetchOwn(sorter, hashed[p + Ahead], parts, part);
                            if (tokens[p] == NGramVocabulary.SentenceStart) { start = p; continue; }
                            if (p - start + 1 < k) continue; // <s> only as the first word: no window crosses a sentence start
                            uint hash = hashed[p];
                            if (parts > 1 && Partition(hash, parts) != part) continue;
                            for (int j = 0; j < k; j++) record[j] = tokens[p - j];
                            sorter.Add(record, hash);
                        }
                    });
                }
                return RecordSorter.Merge(sorters, cancellationToken);
            }
            finally
            {
                foreach (var sorter in sorters) sorter.Dispose();
            }
        }

        // A remix of the table's hash, so that the partition and the slot within it use different bits.
        private static int Partition(uint hash, int parts) => (int)(((ulong)(hash * 0x9E3779B1u) * (uint)parts) >> 32);

        private const int HashBlock = 1 << 16;

        private static void PrefetchOwn(RecordSorter sorter, uint hash, int parts, int part)
        {
            if (parts == 1 || Partition(hash, parts) == part) sorter.Prefetch(hash);
        }

        private long[] AdjustUnigrams(long[] counts, RecordFile?[] raw, OrderStatistics[] statistics, Discount[] discounts)
        {
            int n = _order, size = counts.Length;
            long[] adjusted = new long[size];
            if (n == 1)
            {
                counts.CopyTo(adjusted, 0);
            }
            else
            {
                var bigrams = raw[2]!.Read();
                while (bigrams.MoveNext()) adjusted[bigrams.Current[0]]++; // distinct left neighbours of the last word
            }
            adjusted[NGramVocabulary.SentenceStart] = 0;
            adjusted[NGramVocabulary.Unknown] = 0;
            long[] bins = new long[5];
            foreach (long c in adjusted)
            {
                if ((ulong)(c - 1) < 4u) bins[c]++;
            }
            if (n > 1) KneserNeyEstimator.CountLastAsRaw(bins, adjusted[size - 1], counts[size - 1]);
            Finish(1, size, bins, statistics, discounts);
            return adjusted;
        }

        private void Finish(int k, long distinct, long[] bins, OrderStatistics[] statistics, Discount[] discounts)
        {
            var (discount, coc, fallback) = KneserNeyEstimator.Discounts(bins, k, modified, discountFallback);
            discounts[k - 1] = discount;
            statistics[k - 1] = new OrderStatistics(k, distinct, coc, discount, fallback);
        }

        /// <summary>
        /// Adjusted counts of order k ≥ 2: raw at the highest order and for n-grams starting with &lt;s&gt;, else the number
        /// of (k+1)-grams with this suffix. Output: (context words last first, last word, adjusted count), sorted by context.
        /// </summary>
        private RecordFile Adjust(int k, RecordFile?[] raw, ref int[] last, OrderStatistics[] statistics, Discount[] discounts)
        {
            int n = _order;
            using var sorter = new RecordSorter(k + 1, k, sumCounts: false, _sortBytes, _directory, options.MaximumRunRecords);
            var self = raw[k]!.Read();
            var higher = k < n ? raw[k + 1]!.Read() : null;
            bool hasHigher = higher?.MoveNext() ?? false;
            long[] bins = new long[5];
            Span<int> record = stackalloc int[k + 1];
            int[] lastKey = new int[k];
            long lastRaw = 0, lastAdjusted = 0, distinct = 0;
            while (self.MoveNext())
            {
                var current = self.Current;
                var key = current[..k];
                int count = current[k], adjusted = count;
                if (k < n)
                {
                    int extensions = 0;
                    while (hasHigher && higher!.Current[..k].SequenceCompareTo(key) < 0) hasHigher = higher.MoveNext();
                    while (hasHigher && higher!.Current[..k].SequenceEqual(key))
                    {
                        extensions++;
                        hasHigher = higher.MoveNext();
                    }
                    if (key[k - 1] != NGramVocabulary.SentenceStart) adjusted = extensions;
                }
                if ((uint)(adjusted - 1) < 4u) bins[adjusted]++;
                key[1..].CopyTo(record);
                record[k - 1] = key[0];
                record[k] = adjusted;
                sorter.Add(record);
                key.CopyTo(lastKey);
                lastRaw = count;
                lastAdjusted = adjusted;
                if ((++distinct & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            }
            if (k < n && last.Length == k - 1 && lastKey.AsSpan(0, k - 1).SequenceEqual(last))
            {
                KneserNeyEstimator.CountLastAsRaw(bins, lastAdjusted, lastRaw);
                last = lastKey;
            }
            else
            {
                last = []; // the chain ended: no higher order has the quirk
            }
            Finish(k, distinct, bins, statistics, discounts);
            return sorter.Sort(cancellationToken);
        }

        /// <summary>
        /// Input: order k by context. Output: (words last first, adjusted count, Σ a(h·) as float bits, γ(h) bits) in
        /// suffix order, and γ of each context (its words last first, γ bits), which comes out in suffix order of the
        /// contexts as it is. Bigram contexts are words: their γ goes to <paramref name="unigramGammas"/>.
        /// </summary>
        private RecordFile Initial(RecordFile byContext, int k, Discount d, out RecordFile? contextGammas, float[]? unigramGammas)
        {
            using var sorter = new RecordSorter(k + 3, k, sumCounts: false, _sortBytes, _directory, options.MaximumRunRecords);
            var gammas = unigramGammas is null ? new RecordFile(_directory, k) : null;
            try
            {
                var reader = byContext.Read();
                int[] context = new int[k - 1];
                var members = new IntList(64); // (last word, adjusted count) of the context's n-grams
                Span<int> record = stackalloc int[k + 3];
                Span<int> gammaRecord = stackalloc int[k];
                bool more = reader.MoveNext();
                while (more)
                {
                    reader.Current[..(k - 1)].CopyTo(context);
                    members.Count = 0;
                    long sum = 0, n1 = 0, n2 = 0, n3 = 0;
                    do
                    {
                        var current = reader.Current;
                        int adjusted = current[k];
                        members.Add(current[k - 1]);
                        members.Add(adjusted);
                        sum += adjusted;
                        if (adjusted == 1) n1++;
                        else if (adjusted == 2) n2++;
                        else if (adjusted >= 3) n3++;
                        more = reader.MoveNext();
                    }
                    while (more && reader.Current[..(k - 1)].SequenceEqual(context));
                    float gamma = KneserNeyEstimator.Gamma(d, n1, n2, n3, sum);
                    int gammaBits = BitConverter.SingleToInt32Bits(gamma), sumBits = BitConverter.SingleToInt32Bits((float)sum);
                    context.CopyTo(record[1..]);
                    for (int i = 0; i < members.Count; i += 2)
                    {
                        record[0] = members.Items[i];
                        record[k] = members.Items[i + 1];
                        record[k + 1] = sumBits;
                        record[k + 2] = gammaBits;
                        sorter.Add(record);
                    }
                    if (gammas is null)
                    {
                        unigramGammas![context[0]] = gamma;
                    }
                    else
                    {
                        context.CopyTo(gammaRecord);
                        gammaRecord[k - 1] = gammaBits;
                        gammas.Append(gammaRecord);
                    }
                }
                gammas?.Complete();
                contextGammas = gammas;
                return sorter.Sort(cancellationToken);
            }
            catch
            {
                gammas?.Dispose();
                throw;
            }
        }

        /// <summary>p(w|h) = p′(w|h) + γ(h) p(w|h⁻), joining order k with order k−1 by suffix. Output: (words last first, p bits).</summary>
        private RecordFile Interpolate(RecordFile initial, int k, Discount d, float[] unigrams, RecordFile? lowerFile) =>
            RecordFile.Create(_directory, k + 1, output =>
            {
                var reader = initial.Read();
                var lower = lowerFile?.Read();
                bool hasLower = lower?.MoveNext() ?? false;
                Span<int> record = stackalloc int[k + 1];
                long done = 0;
                while (reader.MoveNext())
                {
                    var current = reader.Current;
                    var suffix = current[..(k - 1)];
                    float p;
                    if (lower is null)
                    {
                        p = unigrams[suffix[0]];
                    }
                    else
                    {
                        while (hasLower && lower.Current[..(k - 1)].SequenceCompareTo(suffix) < 0) hasLower = lower.MoveNext();
                        if (!hasLower || !lower.Current[..(k - 1)].SequenceEqual(suffix)) throw new InvalidOperationException("an n-gram's suffix is missing from the order below");
                        p = BitConverter.Int32BitsToSingle(lower.Current[k - 1]);
                    }
                    float sum = BitConverter.Int32BitsToSingle(current[k + 1]), gamma = BitConverter.Int32BitsToSingle(current[k + 2]);
                    float probability = d.Apply(current[k]) / sum + gamma * p;
                    current[..k].CopyTo(record);
                    record[k] = BitConverter.SingleToInt32Bits(probability);
                    output.Append(record);
                    if ((++done & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                }
            });
    }
}
