using LmToLlm.Corpora;
using LmToLlm.Text;

namespace LmToLlm.Retrieval;

/// <summary>Options of <see cref="InvertedIndex.Build"/>.</summary>
public sealed record InvertedIndexOptions
{
    /// <summary>
    /// Smallest word n-gram indexed (default 1). n-grams are the analyzer's tokens joined by one space,
    /// as scikit-learn's <c>ngram_range=(MinNGram, MaxNGram)</c> with <c>analyzer='word'</c>.
    /// </summary>
    public int MinNGram
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MinNGram), value, "must be at least 1");
    } = 1;

    /// <summary>Largest word n-gram indexed, at most 16 and at least <see cref="MinNGram"/> (default 1).</summary>
    public int MaxNGram
    {
        get;
        init => field = value is >= 1 and <= 16 ? value : throw new ArgumentOutOfRangeException(nameof(MaxNGram), value, "must be between 1 and 16");
    } = 1;

    /// <summary>The defaults.</summary>
    public static InvertedIndexOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <see cref="MaxNGram"/> &lt; <see cref="MinNGram"/> (each alone is checked when set).</summary>
    internal void Validate() => ArgumentOutOfRangeException.ThrowIfLessThan(MaxNGram, MinNGram, nameof(MaxNGram));
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

    internal InvertedIndex(Analyzer analyzer, InvertedIndexOptions options, Utf8StringTable terms, PostingStore postings,
        int[] maxFrequency, long totalTokens, Utf8StringTable documentIds, int[] documentLengths)
    {
        Analyzer = analyzer;
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
    }

    /// <summary>An index from CSR postings (<paramref name="termStart"/> offsets into the aligned doc/tf arrays).</summary>
    internal static InvertedIndex FromCsr(Analyzer analyzer, InvertedIndexOptions options, string[] terms, int[] termStart,
        ReadOnlySpan<int> postingDocs, ReadOnlySpan<int> postingFreqs, IReadOnlyList<string> documentIds, int[] documentLengths)
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
        return new InvertedIndex(analyzer, options, Utf8StringTable.Create(terms), PostingStore.Build(termStart, postingDocs, postingFreqs),
            maxFreq, total, Utf8StringTable.Create(documentIds), documentLengths);
    }

    /// <summary>The name of the analyzer the index was built with (stored in the index file).</summary>
    internal string AnalyzerName => Analyzer.Name;

    /// <summary>The analyzer the index was built with; queries must be analysed with it.</summary>
    internal Analyzer Analyzer { get; }

    /// <summary>The n-gram range the index was built with.</summary>
    internal InvertedIndexOptions Options { get; }

    /// <summary>Number of documents, including documents without any token (Lucene <c>maxDoc</c>).</summary>
    public int DocumentCount => _documentLengths.Length;

    /// <summary>Number of documents with at least one token (Lucene <c>docCount</c>).</summary>
    internal int NonEmptyDocumentCount { get; }

    /// <summary>Number of distinct terms.</summary>
    public int TermCount => _terms.Count;

    /// <summary>Total number of indexed tokens (n-grams) in the collection (Lucene <c>sumTotalTermFreq</c>).</summary>
    public long TotalTokens { get; }

    /// <summary>Total number of postings, i.e. the sum of document frequencies (Lucene <c>sumDocFreq</c>).</summary>
    internal int PostingCount => _postings.PostingCount;

    /// <summary>The external id of document <paramref name="document"/> (its corpus position, from 0).</summary>
    /// <remarks>Ids are stored as UTF-8; each call returns a new string.</remarks>
    public string DocumentId(int document)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(document);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(document, DocumentCount);
        return _documentIds[document];
    }

    /// <summary>Number of tokens (n-grams) of document <paramref name="document"/>.</summary>
    public int DocumentLength(int document)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(document);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(document, DocumentCount);
        return _documentLengths[document];
    }

    /// <summary>Document lengths in corpus order.</summary>
    internal ReadOnlySpan<int> DocumentLengths => _documentLengths;

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
    public int DocumentFrequency(int term)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(term);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(term, TermCount);
        return _postings.DocumentFrequency(term);
    }

    /// <summary>Largest frequency of term <paramref name="term"/> in any document.</summary>
    internal int MaxTermFrequency(int term) => _maxFreq[term];

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
    internal ReadOnlySpan<int> PostingFrequencies(int term)
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
    internal void DecodePostings(int term, Span<int> documents, Span<int> frequencies)
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
    /// <example>
    /// <code>
    /// var index = InvertedIndex.Build(BeirJsonl.ReadCorpus("corpus.jsonl"), Analyzer.English);
    /// using (var file = File.Create("corpus.lmi")) index.Save(file);
    /// </code>
    /// The sample <c>samples/QuickStart</c> builds an index of three documents and searches it.
    /// </example>
    public static InvertedIndex Build(IEnumerable<Document> corpus, Analyzer analyzer, InvertedIndexOptions? options = null,
        IProgress<int>? progress = null, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
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

