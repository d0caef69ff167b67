namespace LmToLlm.Retrieval;

/// <summary>
/// BM25 ranking over an <see cref="InvertedIndex"/> (see <see cref="Bm25Variant"/> for the formulas).
/// Immutable and thread-safe; per-document length factors are precomputed once, per-term upper bounds lazily.
/// </summary>
/// <remarks>
/// Input: an index and a query (text or term-id occurrences). Output: the top k documents, best first, scores
/// exactly those of exhaustive scoring, ties by corpus order. Search uses MaxScore dynamic pruning
/// (Turtle and Flood 1995) with exact per-term and per-block maxima, so it never changes the result.
/// </remarks>
/// <example>
/// <code>
/// var index = InvertedIndex.Build(BeirJsonl.ReadCorpus("corpus.jsonl"), Analyzer.Simple);
/// var bm25 = Bm25.Lucene(index, k1: 1.2f, b: 0.75f);
/// foreach (var hit in bm25.Search("word frequency", k: 10)) Console.WriteLine($"{index.DocumentId(hit.Document)} {hit.Score}");
/// </code>
/// The sample <c>samples/QuickStart</c> runs this end to end; <c>samples/LexicalVsSemantic</c> compares BM25 with other models.
/// </example>
public sealed partial class Bm25 : IRanker
{
    private readonly Bm25Formula _formula;
    private readonly float[] _lengthFactor;   // per document: k1·(1 − b + b·L/L̄) (BM25L: 1 − b + b·L/L̄); Lucene: from the 256-entry cache
    private readonly float[] _normCache;      // Lucene: k1·(1 − b + b·decoded(i)/L̄) for each norm byte i
    private readonly byte[]? _norms;          // Lucene: norm byte of each document
    private readonly float[] _maxScore;       // per term: exact largest contribution, NaN = not computed yet
    private readonly float[] _blockMax;       // per posting block: exact largest contribution, valid once its term's _maxScore is

    private Bm25(InvertedIndex index, Bm25Options options)
    {
        Index = index;
        Options = options;
        Delta = options.EffectiveDelta;
        int n = index.DocumentCount;
        _formula = Bm25Formula.For(options.Variant);
        CollectionSize = _formula.CountsNonEmptyDocuments ? index.NonEmptyDocumentCount : n;
        // Lucene avgFieldLength: (float)(sumTotalTermFreq / (double)maxDoc) (Lucene 8: docCount), 1 when the field is empty.
        AverageDocumentLength = index.TotalTokens <= 0 ? 1f : (float)(index.TotalTokens / (double)CollectionSize);
        float k1 = options.K1, b = options.B, avgdl = AverageDocumentLength;
        _normCache = new float[256];
        var decoded = _formula.DecodedLengths;
        for (int i = 0; i < 256; i++) _normCache[i] = _formula.LengthFactor(k1, b, decoded[i], avgdl);
        _lengthFactor = new float[n];
        var lengths = index.DocumentLengths;
        if (_formula.QuantisesLength)
        {
            _norms = new byte[n];
            for (int d = 0; d < n; d++)
            {
                _norms[d] = _formula.EncodeLength(lengths[d]);
                _lengthFactor[d] = _normCache[_norms[d]];
            }
        }
        else
        {
            for (int d = 0; d < n; d++) _lengthFactor[d] = _formula.LengthFactor(k1, b, lengths[d], avgdl);
        }
        _maxScore = new float[index.TermCount];
        Array.Fill(_maxScore, float.NaN);
        _blockMax = new float[index.Postings.BlockCount];
    }

    /// <summary>Creates a BM25 ranker; <paramref name="options"/> null means <see cref="Bm25Options.Default"/> (Lucene, 1.2, 0.75).</summary>
    public static Bm25 Create(InvertedIndex index, Bm25Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        options ??= Bm25Options.Default;
        return new Bm25(index, options);
    }

    /// <summary>Lucene 4.x BM25Similarity (length quantised to one byte), the default variant.</summary>
    public static Bm25 Lucene(InvertedIndex index, float k1 = 1.2f, float b = 0.75f) =>
        Create(index, new Bm25Options { Variant = Bm25Variant.Lucene, K1 = k1, B = b });

    /// <summary>The index searched.</summary>
    internal InvertedIndex Index { get; }

    /// <summary>The parameters.</summary>
    internal Bm25Options Options { get; }

    /// <summary>δ in use (see <see cref="Bm25Options.EffectiveDelta"/>).</summary>
    internal float Delta { get; }

    /// <summary>L̄ = (float)(total tokens / (double)N), N including empty documents (Lucene <c>avgFieldLength</c>);
    /// for <see cref="Bm25Variant.Lucene8"/> N counts only documents with tokens.</summary>
    internal float AverageDocumentLength { get; }

    /// <summary>N of idf and L̄: every document (Lucene 4 <c>maxDoc</c>) or, for Lucene 8, those with tokens (<c>docCount</c>).</summary>
    internal int CollectionSize { get; }

    /// <summary>The variant's idf of a term with document frequency <paramref name="df"/>, computed in double and cast to float.</summary>
    internal float Idf(int df) => _formula.Idf(CollectionSize, df);

    /// <summary>
    /// K of <paramref name="document"/>, the length factor <see cref="Bm25TermWeight.Score"/> takes:
    /// k1·(1 − b + b·L/L̄) (Lucene: through the one-byte norm; BM25L: without k1; Lucene 8: its inverse 1/K).
    /// </summary>
    internal float LengthFactor(int document) => _lengthFactor[document];

    internal float[] LengthFactors => _lengthFactor;

    internal float BlockMax(int block) => _blockMax[block];

    /// <summary>The precomputed weight of term <paramref name="term"/> (idf, weight, length factors, upper bound).</summary>
    internal Bm25TermWeight Weight(int term)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(term);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(term, Index.TermCount);
        return MakeWeight(term);
    }

    /// <summary>
    /// The BM25 weights of <paramref name="text"/>'s terms as if it were one more document of the collection (the
    /// collection statistics N, df and L̄ unchanged): per distinct known term t, in ascending term id,
    /// <see cref="Bm25TermWeight.Score"/>(tf, K) with the length L = all token occurrences of the text (unknown
    /// ones included), through Lucene's one-byte norm for <see cref="Bm25Variant.Lucene"/>. For a document of the
    /// collection this equals <c>Weight(t).Score(tf, LengthFactor(document))</c> for each of its terms.
    /// </summary>
    public SparseVector TextVector(ReadOnlySpan<char> text)
    {
        var (terms, counts) = InvertedIndex.CountTerms(Index.AnalyzeText(text, out int length));
        float factor = _formula.QuantisesLength
            ? _normCache[_formula.EncodeLength(length)]
            : _formula.LengthFactor(Options.K1, Options.B, length, AverageDocumentLength);
        var weights = new double[terms.Length];
        for (int i = 0; i < terms.Length; i++) weights[i] = MakeWeight(terms[i], computeMaxScore: false).Score(counts[i], factor);
        return new SparseVector(terms, weights);
    }

    internal Bm25TermWeight MakeWeight(int term, bool computeMaxScore = true)
    {
        float idf = Idf(Index.DocumentFrequency(term));
        float k1 = Options.K1;
        var w = new Bm25TermWeight(term, idf, _formula.Weight(idf, k1), k1, Delta, _formula.Shape, float.NaN);
        if (!computeMaxScore) return w;
        float max = Volatile.Read(ref _maxScore[term]);
        if (float.IsNaN(max))
        {
            // Exact maxima of every block, then of the term; the term's value is published last (a release write),
            // so a thread that reads it also sees the block values. Benign race: all threads compute the same floats.
            max = 0f;
            var cursor = new PostingCursor(Index.Postings, term, stackalloc int[PostingBlocks.Size], stackalloc int[PostingBlocks.Size]);
            while (cursor.MoveNext(withFrequencies: true))
            {
                var docs = cursor.Documents;
                var freqs = cursor.Frequencies;
                float blockMax = 0f;
                for (int i = 0; i < docs.Length; i++) blockMax = Math.Max(blockMax, w.Score(freqs[i], _lengthFactor[docs[i]]));
                _blockMax[cursor.Block] = blockMax;
                max = Math.Max(max, blockMax);
            }
            Volatile.Write(ref _maxScore[term], max);
        }
        return w with { MaxScore = max };
    }

    /// <summary>True when a repeated query term is one boosted clause (<see cref="Bm25Variant.Lucene8"/>).</summary>
    internal bool MergesRepeatedTerms => _formula.MergesRepeatedTerms;

    /// <summary>The scoring weight of a clause that stands for <paramref name="boost"/> occurrences of <paramref name="weight"/>'s term
    /// (when <see cref="MergesRepeatedTerms"/>); <see cref="Bm25TermWeight.MaxScore"/> stays the unboosted one.</summary>
    internal Bm25TermWeight Boosted(Bm25TermWeight weight, int boost) =>
        boost == 1 ? weight : new Bm25TermWeight(weight.Term, weight.Idf, _formula.BoostedWeight(weight.Idf, Options.K1, boost), weight.K1, weight.Delta, weight.Kind, weight.MaxScore);

    /// <summary>
    /// The clauses the reference scores for query term occurrences, in query order: one per occurrence (Lucene 4), or
    /// one per distinct term in order of first occurrence, boosted by its count (Lucene 8 merges duplicate clauses).
    /// </summary>
    internal Bm25TermWeight[] Clauses(ReadOnlySpan<int> queryTerms)
    {
        if (!MergesRepeatedTerms)
        {
            var each = new Bm25TermWeight[queryTerms.Length];
            for (int i = 0; i < each.Length; i++) each[i] = MakeWeight(queryTerms[i]);
            return each;
        }
        var distinct = new List<int>();
        var counts = new List<int>();
        foreach (int t in queryTerms)
        {
            int at = distinct.IndexOf(t);
            if (at < 0) { distinct.Add(t); counts.Add(1); }
            else counts[at]++;
        }
        var merged = new Bm25TermWeight[distinct.Count];
        for (int i = 0; i < merged.Length; i++) merged[i] = Boosted(MakeWeight(distinct[i]), counts[i]);
        return merged;
    }

    /// <summary>The score of <paramref name="document"/> for the query: the contributions of the query's clauses (see
    /// <see cref="Bm25Variant"/>) in query order summed in double, cast to float (0 when no term matches).</summary>
    internal float Score(ReadOnlySpan<int> queryTerms, int document)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(document);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(document, Index.DocumentCount);
        CheckTerms(queryTerms);
        double sum = 0;
        foreach (var w in Clauses(queryTerms))
        {
            int tf = Index.Frequency(w.Term, document);
            if (tf > 0) sum += w.Score(tf, _lengthFactor[document]);
        }
        return (float)sum;
    }

    private void CheckTerms(ReadOnlySpan<int> queryTerms)
    {
        foreach (int term in queryTerms)
            if ((uint)term >= (uint)Index.TermCount)
                throw new ArgumentOutOfRangeException(nameof(queryTerms), term, $"term ids must be in [0, {Index.TermCount}); drop unknown terms (InvertedIndex.AnalyzeQuery does)");
    }

    /// <summary>The top <paramref name="k"/> documents for a query text, analysed with the index's analyzer.</summary>
    public SearchHit[] Search(string query, int k)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Search(Index.AnalyzeQuery(query), k);
    }

    /// <summary>
    /// The top <paramref name="k"/> documents for query term occurrences (each occurrence is one clause; unknown
    /// terms must already be dropped), best first, ties by corpus order. Only documents matching at least one term
    /// are returned. Exactly equal to <see cref="SearchExhaustive"/>.
    /// </summary>
    internal SearchHit[] Search(ReadOnlySpan<int> queryTerms, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckTerms(queryTerms);
        if (queryTerms.Length == 0 || k == 0) return [];
        return new MaxScoreSearch(this, queryTerms).Run(Math.Min(k, Index.DocumentCount)); // k = int.MaxValue means "all", not a 2^31 heap
    }

    /// <summary>Searches many queries on all cores (or <paramref name="maxDegreeOfParallelism"/> threads); results in query order.</summary>
    public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default) =>
        BatchSearch.Run(queries, k, maxDegreeOfParallelism, cancellationToken, Search);

    /// <summary>
    /// Reference implementation: scores every matching document term-at-a-time (clauses in query order, double
    /// accumulators), then sorts. Slow for large corpora; used to check <see cref="Search(ReadOnlySpan{int}, int)"/>.
    /// </summary>
    internal SearchHit[] SearchExhaustive(ReadOnlySpan<int> queryTerms, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckTerms(queryTerms);
        var sums = new double[Index.DocumentCount];
        var matched = new bool[Index.DocumentCount];
        Span<int> docBuffer = stackalloc int[PostingBlocks.Size];
        Span<int> freqBuffer = stackalloc int[PostingBlocks.Size];
        foreach (var w in Clauses(queryTerms))
        {
            var cursor = new PostingCursor(Index.Postings, w.Term, docBuffer, freqBuffer);
            while (cursor.MoveNext(withFrequencies: true))
            {
                var docs = cursor.Documents;
                var freqs = cursor.Frequencies;
                for (int i = 0; i < docs.Length; i++)
                {
                    sums[docs[i]] += w.Score(freqs[i], _lengthFactor[docs[i]]);
                    matched[docs[i]] = true;
                }
            }
        }
        var heap = new TopKHeap(Math.Min(k, Index.DocumentCount));
        for (int d = 0; d < sums.Length; d++) if (matched[d]) heap.Offer(new SearchHit(d, (float)sums[d]));
        return heap.ToSortedArray();
    }
}
