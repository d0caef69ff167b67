using System.Collections.Concurrent;
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
/// list of documents (int id = corpus position) that contain it with the term frequency, in flat CSR arrays;
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
    private readonly string[] _terms;
    private readonly Dictionary<string, int> _termIds;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _termLookup;
    private readonly int[] _termStart;      // CSR offsets, length TermCount + 1
    private readonly int[] _postingDocs;    // doc ids, ascending within a term
    private readonly int[] _postingFreqs;   // term frequencies, aligned with _postingDocs
    private readonly int[] _maxFreq;        // largest tf of each term (for pruning bounds)
    private readonly string[] _documentIds;
    private readonly int[] _documentLengths;

    internal InvertedIndex(string analyzerName, InvertedIndexOptions options, string[] terms, int[] termStart, int[] postingDocs,
        int[] postingFreqs, string[] documentIds, int[] documentLengths)
    {
        AnalyzerName = analyzerName;
        Options = options;
        _terms = terms;
        _termStart = termStart;
        _postingDocs = postingDocs;
        _postingFreqs = postingFreqs;
        _documentIds = documentIds;
        _documentLengths = documentLengths;
        _termIds = new Dictionary<string, int>(terms.Length, StringComparer.Ordinal);
        for (int i = 0; i < terms.Length; i++) _termIds.Add(terms[i], i);
        _termLookup = _termIds.GetAlternateLookup<ReadOnlySpan<char>>();
        _maxFreq = new int[terms.Length];
        long total = 0;
        for (int t = 0; t < terms.Length; t++)
        {
            int max = 0;
            for (int p = termStart[t]; p < termStart[t + 1]; p++)
            {
                int f = postingFreqs[p];
                total += f;
                if (f > max) max = f;
            }
            _maxFreq[t] = max;
        }
        TotalTokens = total;
        int nonEmpty = 0;
        foreach (int length in documentLengths) if (length > 0) nonEmpty++;
        NonEmptyDocumentCount = nonEmpty;
        Analyzer = Text.Analyzer.FromName(analyzerName);
    }

    /// <summary>The name of the analyzer the index was built with (stored in the index file).</summary>
    public string AnalyzerName { get; }

    /// <summary>The analyzer the index was built with; queries must be analysed with it.</summary>
    public Analyzer Analyzer { get; }

    /// <summary>The n-gram range the index was built with.</summary>
    public InvertedIndexOptions Options { get; }

    /// <summary>Number of documents, including documents without any token (Lucene <c>maxDoc</c>).</summary>
    public int DocumentCount => _documentIds.Length;

    /// <summary>Number of documents with at least one token (Lucene <c>docCount</c>).</summary>
    public int NonEmptyDocumentCount { get; }

    /// <summary>Number of distinct terms.</summary>
    public int TermCount => _terms.Length;

    /// <summary>Total number of indexed tokens (n-grams) in the collection (Lucene <c>sumTotalTermFreq</c>).</summary>
    public long TotalTokens { get; }

    /// <summary>Total number of postings, i.e. the sum of document frequencies (Lucene <c>sumDocFreq</c>).</summary>
    public int PostingCount => _postingDocs.Length;

    /// <summary>The external id of document <paramref name="document"/> (its corpus position, from 0).</summary>
    public string DocumentId(int document) => _documentIds[document];

    /// <summary>Number of tokens (n-grams) of document <paramref name="document"/>.</summary>
    public int DocumentLength(int document) => _documentLengths[document];

    /// <summary>Document lengths in corpus order.</summary>
    public ReadOnlySpan<int> DocumentLengths => _documentLengths;

    /// <summary>The text of term <paramref name="term"/>.</summary>
    public string Term(int term) => _terms[term];

    /// <summary>The id of <paramref name="term"/>, or -1 when the index does not contain it.</summary>
    public int TermId(ReadOnlySpan<char> term) => _termLookup.TryGetValue(term, out int id) ? id : -1;

    /// <summary>Number of documents containing term <paramref name="term"/>.</summary>
    public int DocumentFrequency(int term) => _termStart[term + 1] - _termStart[term];

    /// <summary>Largest frequency of term <paramref name="term"/> in any document.</summary>
    public int MaxTermFrequency(int term) => _maxFreq[term];

    /// <summary>The documents (ascending) containing term <paramref name="term"/>.</summary>
    public ReadOnlySpan<int> PostingDocuments(int term) => _postingDocs.AsSpan(_termStart[term], DocumentFrequency(term));

    /// <summary>The term frequencies aligned with <see cref="PostingDocuments"/>.</summary>
    public ReadOnlySpan<int> PostingFrequencies(int term) => _postingFreqs.AsSpan(_termStart[term], DocumentFrequency(term));

    /// <summary>Offset of term <paramref name="term"/>'s postings in the flat posting arrays.</summary>
    internal int PostingStart(int term) => _termStart[term];

    internal int[] PostingDocsArray => _postingDocs;
    internal int[] PostingFreqsArray => _postingFreqs;
    internal int[] TermStarts => _termStart;
    internal string[] Terms => _terms;
    internal string[] DocumentIds => _documentIds;

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

    /// <summary>Collects term ids of the query tokens the index knows.</summary>
    private sealed class QuerySink(InvertedIndex index) : ITokenSink
    {
        public List<int> Ids { get; } = [];

        public void Add(ReadOnlySpan<char> token)
        {
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
/// Accumulates analysed batches into a forward index (per document: sorted temporary term ids with counts),
/// then transposes it into postings with final term ids (terms sorted in code-point order).
/// </summary>
internal sealed class IndexBuilder
{
    public const int BatchSize = 2048;
    private readonly Analyzer _analyzer;
    private readonly InvertedIndexOptions _options;
    private readonly int _parallelism;
    private readonly ConcurrentDictionary<string, int> _tempIds = new(StringComparer.Ordinal);
    private int _nextTempId = -1;
    private readonly List<string> _documentIds = [];
    private readonly IntBuffer _documentLengths = new();
    private readonly IntBuffer _forwardStart = new();   // per document start into forward arrays
    private readonly IntBuffer _forwardTerms = new();
    private readonly IntBuffer _forwardFreqs = new();

    public IndexBuilder(Analyzer analyzer, InvertedIndexOptions options, int parallelism)
    {
        _analyzer = analyzer;
        _options = options;
        _parallelism = parallelism == 0 ? 1 : parallelism;
        _forwardStart.Add(0);
    }

    public int DocumentCount => _documentIds.Count;

    public void AddBatch(List<Document> batch)
    {
        int chunks = Math.Min(batch.Count, Math.Max(1, _parallelism < 0 ? Environment.ProcessorCount * 4 : _parallelism * 4));
        var results = new ChunkResult[chunks];
        var po = new ParallelOptions { MaxDegreeOfParallelism = _parallelism };
        Parallel.For(0, chunks, po, () => new Collector(this), (chunk, _, collector) =>
        {
            int lo = (int)((long)batch.Count * chunk / chunks), hi = (int)((long)batch.Count * (chunk + 1) / chunks);
            var result = new ChunkResult();
            for (int d = lo; d < hi; d++) collector.Collect(batch[d].FullText, result);
            results[chunk] = result;
            return collector;
        }, _ => { });
        foreach (var document in batch) _documentIds.Add(document.Id);
        foreach (var result in results)
        {
            int offset = _forwardTerms.Count;
            for (int i = 0; i < result.Lengths.Count; i++)
            {
                _documentLengths.Add(result.Lengths[i]);
                _forwardStart.Add(offset + result.Ends[i]);
            }
            _forwardTerms.AddRange(result.Terms.AsSpan());
            _forwardFreqs.AddRange(result.Freqs.AsSpan());
        }
        if ((long)_forwardTerms.Count > int.MaxValue - BatchSize * 64L)
            throw new LmToLlmException("the index would exceed 2^31 postings; split the corpus into shards");
    }

    private int TempId(ReadOnlySpan<char> token)
    {
        var lookup = _tempIds.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(token, out int id)) return id;
        int fresh = Interlocked.Increment(ref _nextTempId);
        return lookup.TryAdd(token, fresh) ? fresh : _tempIds[token.ToString()];
    }

    public InvertedIndex Finish()
    {
        // Final ids: terms sorted in Unicode code-point order (scikit-learn sorts its vocabulary the same way).
        int tempCount = _nextTempId + 1;
        var tempTerms = new string?[tempCount];
        foreach (var pair in _tempIds) tempTerms[pair.Value] = pair.Key;
        var terms = new List<(string Term, int Temp)>(_tempIds.Count);
        for (int i = 0; i < tempCount; i++) if (tempTerms[i] is { } term) terms.Add((term, i));
        terms.Sort((a, b) => CodePointOrder.Compare(a.Term, b.Term));
        var finalOf = new int[tempCount];
        var termTexts = new string[terms.Count];
        for (int i = 0; i < terms.Count; i++) { finalOf[terms[i].Temp] = i; termTexts[i] = terms[i].Term; }

        var fTerms = _forwardTerms.AsSpan();
        var fFreqs = _forwardFreqs.AsSpan();
        var start = new int[termTexts.Length + 1];
        for (int i = 0; i < fTerms.Length; i++) start[finalOf[fTerms[i]] + 1]++;
        for (int t = 0; t < termTexts.Length; t++) start[t + 1] += start[t];
        var cursor = start.AsSpan(0, termTexts.Length).ToArray();
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
        return new InvertedIndex(_analyzer.Name, _options, termTexts, start, docs, freqs, [.. _documentIds], _documentLengths.AsSpan().ToArray());
    }

    /// <summary>Forward entries of a contiguous run of documents.</summary>
    private sealed class ChunkResult
    {
        public readonly IntBuffer Terms = new();
        public readonly IntBuffer Freqs = new();
        public readonly List<int> Ends = [];     // end offset (relative to chunk) of each document
        public readonly List<int> Lengths = [];
    }

    /// <summary>Per-thread analysis state: token ids of the current document, reused across documents.</summary>
    private sealed class Collector : ITokenSink
    {
        private readonly IndexBuilder _owner;
        private readonly NGramSink _grams;
        private int[] _ids = new int[256];
        private int _count;

        public Collector(IndexBuilder owner)
        {
            _owner = owner;
            _grams = new NGramSink(this, owner._options.MinNGram, owner._options.MaxNGram);
        }

        public void Add(ReadOnlySpan<char> token)
        {
            if (_count == _ids.Length) Array.Resize(ref _ids, _ids.Length * 2);
            _ids[_count++] = _owner.TempId(token);
        }

        public void Collect(string text, ChunkResult result)
        {
            _count = 0;
            _owner._analyzer.Analyze(text, _grams.Target);
            _grams.Flush();
            var ids = _ids.AsSpan(0, _count);
            ids.Sort();
            int i = 0;
            while (i < ids.Length)
            {
                int j = i + 1;
                while (j < ids.Length && ids[j] == ids[i]) j++;
                result.Terms.Add(ids[i]);
                result.Freqs.Add(j - i);
                i = j;
            }
            result.Ends.Add(result.Terms.Count);
            result.Lengths.Add(_count);
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
