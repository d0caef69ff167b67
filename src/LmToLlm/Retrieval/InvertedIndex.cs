using LmToLlm.Corpora;
using LmToLlm.Text;

namespace LmToLlm.Retrieval;

/// <summary>Options of <see cref="InvertedIndex.Build"/>.</summary>
/// <param name="MinNGram">Smallest word n-gram indexed (default 1). n-grams are the analyzer's tokens joined by one space,
/// as scikit-learn's <c>ngram_range=(MinNGram, MaxNGram)</c> with <c>analyzer='word'</c>.</param>
/// <param name="MaxNGram">Largest word n-gram indexed (default 1).</param>
public sealed record InvertedIndexOptions(int MinNGram = 1, int MaxNGram = 1)
{
    /// <summary>Unigrams only (the default).</summary>
    public static InvertedIndexOptions Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinNGram, 1, nameof(MinNGram));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxNGram, MinNGram, nameof(MaxNGram));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxNGram, 16, nameof(MaxNGram));
    }
}

/// <summary>
/// An immutable inverted index: for every term (int id, terms sorted in Unicode code-point order) the ascending
/// list of documents (int id = corpus position) that contain it with the term frequency, in compressed blocks of 128 postings with skip data (see PostingStore);
/// plus document lengths (tokens) and the collection statistics BM25 and TF-IDF need.
/// Safe to read from many threads at once.
/// </summary>
/// <remarks>
/// Input: documents in corpus order, analysed with one <see cref="Analyzer"/> (text = <see cref="Document.FullText"/>).
/// Output: term dictionary, postings <c>(doc, tf)</c> sorted by doc within a term, lengths, statistics.
/// Documents without any token are kept: they count in <see cref="DocumentCount"/> (Lucene's <c>maxDoc</c>,
/// scikit-learn's <c>n_samples</c>) but not in <see cref="NonEmptyDocumentCount"/> (Lucene's <c>docCount</c>).
/// </remarks>
public sealed partial class InvertedIndex
{
    private readonly Utf8StringTable _terms;        // sorted in code-point order (= UTF-8 byte order)
    private readonly PostingStore _postings;        // blocks of 128 bit-packed (doc gap, tf) with skip data
    private readonly int[] _maxFreq;                // largest tf of each term (for pruning bounds)
    private readonly Utf8StringTable _documentIds;
    private readonly int[] _documentLengths;

    internal InvertedIndex(string analyzerName, InvertedIndexOptions options, Utf8StringTable terms, PostingStore postings,
        int[] maxFrequency, long totalTokens, Utf8StringTable documentIds, int[] documentLengths, Text.Analyzer? analyzer = null)
    {
        AnalyzerName = analyzerName;
        Options = options;
        _terms = terms;
        _postings = postings;
        _maxFreq = maxFrequency;
        _documentIds = documentIds;
        _documentLengths = documentLengths;
        TotalTokens = totalTokens;
        int nonEmpty = 0;
        foreach (int length in documentLengths) if (length > 0) nonEmpty++;
        NonEmptyDocumentCount = nonEmpty;
        // The instance the index was built with when there is one (analyzers of optional packages have no name lookup yet).
        Analyzer = analyzer ?? Text.Analyzer.FromName(analyzerName);
    }

    /// <summary>An index from CSR postings (<paramref name="termStart"/> offsets into the aligned doc/tf arrays).</summary>
    internal static InvertedIndex FromCsr(string analyzerName, InvertedIndexOptions options, string[] terms, int[] termStart,
        ReadOnlySpan<int> postingDocs, ReadOnlySpan<int> postingFreqs, IReadOnlyList<string> documentIds, int[] documentLengths, Text.Analyzer? analyzer = null)
    {
        var maxFreq = new int[terms.Length];
        long total = 0;
        for (int t = 0; t < terms.Length; t++)
        {
            int max = 0;
            foreach (int f in postingFreqs[termStart[t]..termStart[t + 1]])
            {
                total += f;
                if (f > max) max = f;
            }
            maxFreq[t] = max;
        }
        return new InvertedIndex(analyzerName, options, Utf8StringTable.Create(terms), PostingStore.Build(termStart, postingDocs, postingFreqs),
            maxFreq, total, Utf8StringTable.Create(documentIds), documentLengths, analyzer);
    }

    /// <summary>The name of the analyzer the index was built with (stored in the index file).</summary>
    public string AnalyzerName { get; }

    /// <summary>The analyzer the index was built with; queries must be analysed with it.</summary>
    public Analyzer Analyzer { get; }

    /// <summary>The n-gram range the index was built with.</summary>
    public InvertedIndexOptions Options { get; }

    /// <summary>Number of documents, including documents without any token (Lucene <c>maxDoc</c>).</summary>
    public int DocumentCount => _documentLengths.Length;

    /// <summary>Number of documents with at least one token (Lucene <c>docCount</c>).</summary>
    public int NonEmptyDocumentCount { get; }

    /// <summary>Number of distinct terms.</summary>
    public int TermCount => _terms.Count;

    /// <summary>Total number of indexed tokens (n-grams) in the collection (Lucene <c>sumTotalTermFreq</c>).</summary>
    public long TotalTokens { get; }

    /// <summary>Total number of postings, i.e. the sum of document frequencies (Lucene <c>sumDocFreq</c>).</summary>
    public int PostingCount => _postings.PostingCount;

    /// <summary>The external id of document <paramref name="document"/> (its corpus position, from 0).</summary>
    /// <remarks>Ids are stored as UTF-8; each call returns a new string.</remarks>
    public string DocumentId(int document)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(document);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(document, DocumentCount);
        return _documentIds[document];
    }

    /// <summary>Number of tokens (n-grams) of document <paramref name="document"/>.</summary>
    public int DocumentLength(int document) => _documentLengths[document];

    /// <summary>Document lengths in corpus order.</summary>
    public ReadOnlySpan<int> DocumentLengths => _documentLengths;

    /// <summary>The text of term <paramref name="term"/>.</summary>
    /// <remarks>Terms are stored as UTF-8; each call returns a new string.</remarks>
    public string Term(int term)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(term);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(term, TermCount);
        return _terms[term];
    }

    /// <summary>The id of <paramref name="term"/>, or -1 when the index does not contain it (binary search, no allocation).</summary>
    public int TermId(ReadOnlySpan<char> term) => _terms.Find(term);

    /// <summary>Number of documents containing term <paramref name="term"/>.</summary>
    public int DocumentFrequency(int term) => _postings.DocumentFrequency(term);

    /// <summary>Largest frequency of term <paramref name="term"/> in any document.</summary>
    public int MaxTermFrequency(int term) => _maxFreq[term];

    /// <summary>The documents (ascending) containing term <paramref name="term"/>.</summary>
    /// <remarks>Postings are stored compressed: each call decodes them into a new array. To read many terms
    /// without allocating, use <see cref="DecodePostings"/> with reused buffers.</remarks>
    public ReadOnlySpan<int> PostingDocuments(int term)
    {
        var docs = new int[DocumentFrequency(term)];
        var freqs = new int[docs.Length];
        _postings.Decode(term, docs, freqs);
        return docs;
    }

    /// <summary>The term frequencies aligned with <see cref="PostingDocuments"/>.</summary>
    /// <remarks>Each call decodes into a new array; see <see cref="DecodePostings"/>.</remarks>
    public ReadOnlySpan<int> PostingFrequencies(int term)
    {
        var docs = new int[DocumentFrequency(term)];
        var freqs = new int[docs.Length];
        _postings.Decode(term, docs, freqs);
        return freqs;
    }

    /// <summary>
    /// Decodes the postings of term <paramref name="term"/> into caller buffers: ascending documents and their term
    /// frequencies (both at least <see cref="DocumentFrequency"/> long). Allocates nothing.
    /// </summary>
    public void DecodePostings(int term, Span<int> documents, Span<int> frequencies)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(term);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(term, TermCount);
        int df = DocumentFrequency(term);
        if (documents.Length < df) throw new ArgumentException($"needs room for {df} documents", nameof(documents));
        if (frequencies.Length < df) throw new ArgumentException($"needs room for {df} frequencies", nameof(frequencies));
        _postings.Decode(term, documents, frequencies);
    }

    /// <summary>The frequency of <paramref name="term"/> in <paramref name="document"/>, 0 when absent (skip list, one block decoded).</summary>
    internal int Frequency(int term, int document)
    {
        var last = _postings.BlockLastDocuments;
        int lo = _postings.FirstBlock(term), hi = _postings.EndBlock(term);
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (last[mid] < document) lo = mid + 1; else hi = mid;
        }
        if (lo == _postings.EndBlock(term)) return 0;
        Span<int> docs = stackalloc int[PostingBlocks.Size];
        int n = _postings.DecodeDocuments(term, lo, docs);
        int at = docs[..n].BinarySearch(document);
        if (at < 0) return 0;
        Span<int> freqs = stackalloc int[PostingBlocks.Size];
        _postings.DecodeFrequencies(term, lo, freqs);
        return freqs[at];
    }

    internal PostingStore Postings => _postings;
    internal Utf8StringTable TermTable => _terms;
    internal Utf8StringTable DocumentIdTable => _documentIds;
    internal int[] LengthsArray => _documentLengths;

    /// <summary>Largest document frequency of any term (size of a buffer that holds any posting list).</summary>
    internal int MaxDocumentFrequency
    {
        get
        {
            int max = 0;
            for (int t = 0; t < TermCount; t++) max = Math.Max(max, DocumentFrequency(t));
            return max;
        }
    }

    // Decoded copies, for tests and for the ML.NET state (which stores plain CSR arrays).
    internal int[] TermStarts => _postings.TermStarts.ToArray();
    internal int[] PostingDocsArray => DecodeAll().Docs;
    internal int[] PostingFreqsArray => DecodeAll().Freqs;
    internal string[] Terms => _terms.ToArray();
    internal string[] DocumentIds => _documentIds.ToArray();

    private (int[] Docs, int[] Freqs) DecodeAll()
    {
        var docs = new int[PostingCount];
        var freqs = new int[PostingCount];
        var starts = _postings.TermStarts;
        for (int t = 0; t < TermCount; t++) _postings.Decode(t, docs.AsSpan(starts[t]), freqs.AsSpan(starts[t]));
        return (docs, freqs);
    }

    /// <summary>
    /// The term ids of the query's token (n-gram) occurrences in text order, analysed like the documents;
    /// tokens the index does not contain are dropped (they match nothing). A term repeated in the query appears
    /// once per occurrence.
    /// </summary>
    public int[] AnalyzeQuery(ReadOnlySpan<char> text)
    {
        var sink = new QuerySink(this);
        var grams = new NGramSink(sink, Options.MinNGram, Options.MaxNGram);
        Analyzer.Analyze(text, grams.Target);
        grams.Flush();
        return sink.Ids.ToArray();
    }

    /// <summary>
    /// Builds an index from <paramref name="corpus"/> (streamed once, in order) with <paramref name="analyzer"/>.
    /// Analysis runs on all cores in batches; the result does not depend on the degree of parallelism.
    /// </summary>
    /// <param name="corpus">The documents; document id i is the i-th document.</param>
    /// <param name="analyzer">The analyzer applied to <see cref="Document.FullText"/>.</param>
    /// <param name="options">n-gram range; <see cref="InvertedIndexOptions.Default"/> when null.</param>
    /// <param name="progress">Receives the number of documents indexed so far.</param>
    /// <param name="cancellationToken">Stops the build between batches.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads for analysis (-1 = all cores, 1 = single thread).</param>
    public static InvertedIndex Build(IEnumerable<Document> corpus, Analyzer analyzer, InvertedIndexOptions? options = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(analyzer);
        options ??= InvertedIndexOptions.Default;
        options.Validate();
        var builder = new IndexBuilder(analyzer, options, maxDegreeOfParallelism);
        var batch = new List<Document>(IndexBuilder.BatchSize);
        foreach (var document in corpus)
        {
            ArgumentNullException.ThrowIfNull(document, nameof(corpus));
            batch.Add(document);
            if (batch.Count == IndexBuilder.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                builder.AddBatch(batch);
                batch.Clear();
                progress?.Report(builder.DocumentCount);
            }
        }
        if (batch.Count > 0)
        {
            builder.AddBatch(batch);
            progress?.Report(builder.DocumentCount);
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (builder.DocumentCount == 0) throw new LmToLlmException("the corpus has no documents; nothing to index");
        return builder.Finish();
    }

    /// <summary>The distinct term ids of <paramref name="ids"/> in ascending order, with how often each occurs (sorts <paramref name="ids"/> in place).</summary>
    internal static (int[] Terms, int[] Counts) CountTerms(int[] ids)
    {
        Array.Sort(ids);
        int distinct = 0;
        for (int i = 0; i < ids.Length; i++)
            if (i == 0 || ids[i] != ids[i - 1]) distinct++;
        var terms = new int[distinct];
        var counts = new int[distinct];
        int k = -1;
        for (int i = 0; i < ids.Length; i++)
        {
            if (i == 0 || ids[i] != ids[i - 1]) terms[++k] = ids[i];
            counts[k]++;
        }
        return (terms, counts);
    }

    /// <summary>
    /// As <see cref="AnalyzeQuery(ReadOnlySpan{char})"/>, and <paramref name="tokenCount"/> = all token (n-gram)
    /// occurrences of the text, unknown ones included: its length as a document of this index would count it.
    /// </summary>
    internal int[] AnalyzeText(ReadOnlySpan<char> text, out int tokenCount)
    {
        var sink = new QuerySink(this);
        var grams = new NGramSink(sink, Options.MinNGram, Options.MaxNGram);
        Analyzer.Analyze(text, grams.Target);
        grams.Flush();
        tokenCount = sink.Tokens;
        return sink.Ids.ToArray();
    }

    /// <summary>Collects term ids of the query tokens the index knows, and counts all tokens.</summary>
    private sealed class QuerySink(InvertedIndex index) : ITokenSink
    {
        public List<int> Ids { get; } = [];

        public int Tokens { get; private set; }

        public void Add(ReadOnlySpan<char> token)
        {
            Tokens++;
            int id = index.TermId(token);
            if (id >= 0) Ids.Add(id);
        }
    }
}

/// <summary>
/// Turns a token stream into the word n-grams of a range (scikit-learn <c>_word_ngrams</c> order is not needed:
/// only the multiset matters). With the range (1, 1) tokens pass through untouched.
/// </summary>
internal sealed class NGramSink : ITokenSink
{
    private readonly ITokenSink _inner;
    private readonly int _min;
    private readonly int _max;
    private readonly List<string> _window = [];
    private readonly System.Text.StringBuilder _gram = new();
    private char[] _buffer = new char[64];

    public NGramSink(ITokenSink inner, int min, int max)
    {
        _inner = inner;
        _min = min;
        _max = max;
    }

    /// <summary>The sink the analyzer should write to.</summary>
    public ITokenSink Target => _min == 1 && _max == 1 ? _inner : this;

    public void Add(ReadOnlySpan<char> token)
    {
        // Emit every n-gram ending at this token, n in [min, max].
        _window.Add(token.ToString());
        if (_window.Count > _max) _window.RemoveAt(0);
        int count = _window.Count;
        for (int n = _min; n <= Math.Min(_max, count); n++)
        {
            if (n == 1) { _inner.Add(token); continue; }
            _gram.Clear();
            for (int i = count - n; i < count; i++)
            {
                if (i > count - n) _gram.Append(' ');
                _gram.Append(_window[i]);
            }
            if (_buffer.Length < _gram.Length) _buffer = new char[_gram.Length * 2];
            _gram.CopyTo(0, _buffer, 0, _gram.Length);
            _inner.Add(_buffer.AsSpan(0, _gram.Length));
        }
    }

    /// <summary>Resets the window at the end of a text.</summary>
    public void Flush() => _window.Clear();
}

/// <summary>
/// Accumulates analysed batches into a forward index (per document: temporary term ids with counts), then
/// transposes it into postings with final term ids (terms sorted in code-point order).
/// Each worker thread analyses a fixed slice of every batch with its own <see cref="TermTable"/>; the sequential
/// merge maps each worker's local ids to global temporary ids (one table lookup per new local term, not per token).
/// </summary>
internal sealed class IndexBuilder
{
    public const int BatchSize = 4096;
    private readonly InvertedIndexOptions _options;
    private readonly Analyzer _analyzer;
    private readonly Worker[] _workers;
    private readonly ParallelOptions _parallel;
    private readonly TermTable _global = new();
    private readonly List<string> _documentIds = [];
    private readonly IntBuffer _documentLengths = new();
    private readonly IntBuffer _forwardStart = new();   // per document start into forward arrays
    private readonly IntBuffer _forwardTerms = new();
    private readonly IntBuffer _forwardFreqs = new();

    public IndexBuilder(Analyzer analyzer, InvertedIndexOptions options, int parallelism)
    {
        _analyzer = analyzer;
        _options = options;
        int workers = parallelism < 0 ? Environment.ProcessorCount : Math.Max(1, parallelism);
        _workers = new Worker[workers];
        for (int w = 0; w < workers; w++) _workers[w] = new Worker(this);
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = workers };
        _forwardStart.Add(0);
    }

    public int DocumentCount => _documentIds.Count;

    public void AddBatch(List<Document> batch)
    {
        int n = batch.Count, workers = _workers.Length;
        if (workers == 1) _workers[0].Process(batch, 0, n);
        else Parallel.For(0, workers, _parallel, w => _workers[w].Process(batch, (int)((long)n * w / workers), (int)((long)n * (w + 1) / workers)));
        foreach (var document in batch) _documentIds.Add(document.Id);
        foreach (var worker in _workers)
        {
            int offset = _forwardTerms.Count;
            var ends = worker.Ends.AsSpan();
            var lengths = worker.Lengths.AsSpan();
            for (int i = 0; i < ends.Length; i++)
            {
                _documentLengths.Add(lengths[i]);
                _forwardStart.Add(offset + ends[i]);
            }
            if (workers == 1)
            {
                _forwardTerms.AddRange(worker.Terms.AsSpan());   // the only worker's table is the global one
            }
            else
            {
                var globalOf = worker.GlobalIds();
                foreach (int local in worker.Terms.AsSpan())
                {
                    int global = globalOf[local];
                    if (global < 0) global = globalOf[local] = _global.GetOrAdd(worker.Table.Term(local));
                    _forwardTerms.Add(global);
                }
            }
            _forwardFreqs.AddRange(worker.Freqs.AsSpan());
        }
        if ((long)_forwardTerms.Count > int.MaxValue - BatchSize * 64L)
            throw new LmToLlmException("the index would exceed 2^31 postings; split the corpus into shards");
    }

    public InvertedIndex Finish()
    {
        // Final ids: terms sorted in Unicode code-point order (scikit-learn sorts its vocabulary the same way).
        var table = _workers.Length == 1 ? _workers[0].Table : _global;
        int count = table.Count;
        var texts = new string[count];
        for (int i = 0; i < count; i++) texts[i] = table.Term(i).ToString();
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        Array.Sort(order, (a, b) => CodePointOrder.Compare(texts[a], texts[b]));
        var finalOf = new int[count];
        var termTexts = new string[count];
        for (int i = 0; i < count; i++) { finalOf[order[i]] = i; termTexts[i] = texts[order[i]]; }

        var fTerms = _forwardTerms.AsSpan();
        var fFreqs = _forwardFreqs.AsSpan();
        var start = new int[count + 1];
        for (int i = 0; i < fTerms.Length; i++) start[finalOf[fTerms[i]] + 1]++;
        for (int t = 0; t < count; t++) start[t + 1] += start[t];
        var cursor = start.AsSpan(0, count).ToArray();
        var docs = new int[fTerms.Length];
        var freqs = new int[fTerms.Length];
        var fStart = _forwardStart.AsSpan();
        for (int d = 0; d < _documentIds.Count; d++)
        {
            for (int i = fStart[d]; i < fStart[d + 1]; i++)
            {
                int p = cursor[finalOf[fTerms[i]]]++;
                docs[p] = d;
                freqs[p] = fFreqs[i];
            }
        }
        return InvertedIndex.FromCsr(_analyzer.Name, _options, termTexts, start, docs, freqs, _documentIds, _documentLengths.AsSpan().ToArray(), _analyzer);
    }

    /// <summary>
    /// One analysis thread: a local term table kept across batches, and for the current batch slice the forward
    /// entries (local term id, tf) of each document in order. Term frequencies are counted with a per-term
    /// "last document seen" stamp instead of sorting.
    /// </summary>
    private sealed class Worker : ITokenSink
    {
        private readonly IndexBuilder _owner;
        private readonly NGramSink _grams;
        private int[] _lastDocument = new int[1024];
        private int[] _count = new int[1024];
        private int[] _globalOf = new int[1024];
        private readonly IntBuffer _documentTerms = new();
        private int _document;   // running document stamp, unique per worker
        private int _tokens;

        public readonly TermTable Table = new();
        public readonly IntBuffer Terms = new();
        public readonly IntBuffer Freqs = new();
        public readonly IntBuffer Ends = new();      // end offset (within this batch slice) of each document
        public readonly IntBuffer Lengths = new();

        public Worker(IndexBuilder owner)
        {
            _owner = owner;
            _grams = new NGramSink(this, owner._options.MinNGram, owner._options.MaxNGram);
            Array.Fill(_globalOf, -1);
        }

        /// <summary>Local id → global temporary id (-1 until the merge resolves it), sized to the local table.</summary>
        public int[] GlobalIds()
        {
            if (_globalOf.Length < Table.Count)
            {
                int old = _globalOf.Length;
                Array.Resize(ref _globalOf, Math.Max(Table.Count, old * 2));
                _globalOf.AsSpan(old).Fill(-1);
            }
            return _globalOf;
        }

        public void Process(List<Document> batch, int from, int to)
        {
            Terms.Clear();
            Freqs.Clear();
            Ends.Clear();
            Lengths.Clear();
            for (int d = from; d < to; d++)
            {
                _document++;
                _tokens = 0;
                _documentTerms.Clear();
                _owner._analyzer.Analyze(batch[d].FullText, _grams.Target);
                _grams.Flush();
                foreach (int id in _documentTerms.AsSpan())
                {
                    Terms.Add(id);
                    Freqs.Add(_count[id]);
                }
                Ends.Add(Terms.Count);
                Lengths.Add(_tokens);
            }
        }

        public void Add(ReadOnlySpan<char> token)
        {
            _tokens++;
            int id = Table.GetOrAdd(token);
            if (id >= _lastDocument.Length)
            {
                Array.Resize(ref _lastDocument, _lastDocument.Length * 2);
                Array.Resize(ref _count, _count.Length * 2);
            }
            if (_lastDocument[id] != _document)
            {
                _lastDocument[id] = _document;
                _count[id] = 1;
                _documentTerms.Add(id);
            }
            else _count[id]++;
        }
    }
}

/// <summary>A growable int array without per-item overhead.</summary>
internal sealed class IntBuffer
{
    private int[] _items = new int[64];

    public int Count { get; private set; }

    public void Add(int value)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = value;
    }

    public void AddRange(ReadOnlySpan<int> values)
    {
        if (Count + values.Length > _items.Length) Array.Resize(ref _items, Math.Max(_items.Length * 2, Count + values.Length));
        values.CopyTo(_items.AsSpan(Count));
        Count += values.Length;
    }

    public Span<int> AsSpan() => _items.AsSpan(0, Count);

    public void Clear() => Count = 0;
}

/// <summary>Orders strings by Unicode code point (UTF-16 ordinal order differs only for surrogates vs U+E000..U+FFFF).</summary>
internal static class CodePointOrder
{
    public static int Compare(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            char x = a[i], y = b[i];
            if (x != y) return Fix(x) - Fix(y);
        }
        return a.Length - b.Length;
    }

    // Surrogates (U+D800..U+DFFF) encode code points above U+FFFF, so they must sort after U+E000..U+FFFF.
    private static int Fix(char c) => c >= 0xD800 ? (c >= 0xE000 ? c - 0x800 : c + 0x2000) : c;
}
