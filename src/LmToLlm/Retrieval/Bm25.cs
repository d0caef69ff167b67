using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace LmToLlm.Retrieval;

/// <summary>
/// BM25 ranking over an <see cref="InvertedIndex"/> (see <see cref="Bm25Variant"/> for the formulas).
/// Immutable and thread-safe; per-document length factors are precomputed once, per-term upper bounds lazily.
/// </summary>
/// <remarks>
/// Input: an index and a query (text or term-id occurrences). Output: the top k documents, best first, scores
/// exactly those of exhaustive scoring, ties by corpus order. Search uses MaxScore dynamic pruning
/// (Turtle and Flood 1995) with exact per-term maxima, so it never changes the result.
/// </remarks>
public sealed class Bm25
{
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
        // Lucene avgFieldLength: (float)(sumTotalTermFreq / (double)maxDoc), 1 when the field is empty.
        AverageDocumentLength = index.TotalTokens <= 0 ? 1f : (float)(index.TotalTokens / (double)n);
        float k1 = options.K1, b = options.B, avgdl = AverageDocumentLength;
        _normCache = new float[256];
        var decoded = LuceneNorms.DecodedLengths;
        for (int i = 0; i < 256; i++) _normCache[i] = k1 * ((1 - b) + b * decoded[i] / avgdl);
        _lengthFactor = new float[n];
        var lengths = index.DocumentLengths;
        if (options.Variant == Bm25Variant.Lucene)
        {
            _norms = new byte[n];
            for (int d = 0; d < n; d++)
            {
                _norms[d] = LuceneNorms.EncodeLength(lengths[d]);
                _lengthFactor[d] = _normCache[_norms[d]];
            }
        }
        else if (options.Variant == Bm25Variant.Bm25L)
        {
            for (int d = 0; d < n; d++) _lengthFactor[d] = (1 - b) + b * lengths[d] / avgdl;
        }
        else
        {
            for (int d = 0; d < n; d++) _lengthFactor[d] = k1 * ((1 - b) + b * lengths[d] / avgdl);
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
        options.Validate();
        return new Bm25(index, options);
    }

    /// <summary>Lucene 4.x BM25Similarity (length quantised to one byte), the default variant.</summary>
    public static Bm25 Lucene(InvertedIndex index, float k1 = 1.2f, float b = 0.75f) =>
        Create(index, new Bm25Options { Variant = Bm25Variant.Lucene, K1 = k1, B = b });

    /// <summary>The index searched.</summary>
    public InvertedIndex Index { get; }

    /// <summary>The parameters.</summary>
    public Bm25Options Options { get; }

    /// <summary>δ in use (see <see cref="Bm25Options.EffectiveDelta"/>).</summary>
    public float Delta { get; }

    /// <summary>L̄ = (float)(total tokens / (double)N), N including empty documents (Lucene <c>avgFieldLength</c>).</summary>
    public float AverageDocumentLength { get; }

    /// <summary>The variant's idf of a term with document frequency <paramref name="df"/>, computed in double and cast to float.</summary>
    public float Idf(int df)
    {
        double n = Index.DocumentCount;
        return Options.Variant switch
        {
            Bm25Variant.Lucene or Bm25Variant.LuceneExact => (float)Math.Log(1 + (n - df + 0.5D) / (df + 0.5D)),
            Bm25Variant.Robertson => (float)Math.Log(Math.Max(1.0, (n - df + 0.5D) / (df + 0.5D))),
            Bm25Variant.Atire => (float)Math.Log(n / df),
            Bm25Variant.Bm25L => (float)Math.Log((n + 1) / (df + 0.5D)),
            Bm25Variant.Bm25Plus => (float)Math.Log((n + 1) / df),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>The precomputed weight of term <paramref name="term"/> (idf, weight, length factors, upper bound).</summary>
    public Bm25TermWeight Weight(int term)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(term);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(term, Index.TermCount);
        return MakeWeight(term);
    }

    /// <summary>
    /// The BM25 weights of <paramref name="text"/>'s terms as if it were one more document of the collection (the
    /// collection statistics N, df and L̄ unchanged): per distinct known term t, in ascending term id,
    /// <see cref="Bm25TermWeight.Score"/>(tf, ·) with the length L = all token occurrences of the text (unknown
    /// ones included), through Lucene's one-byte norm for <see cref="Bm25Variant.Lucene"/>. For a document of the
    /// collection this equals <c>Weight(t).Score(tf, document)</c> for each of its terms.
    /// </summary>
    public SparseVector TextVector(ReadOnlySpan<char> text)
    {
        var (terms, counts) = InvertedIndex.CountTerms(Index.AnalyzeText(text, out int length));
        float k1 = Options.K1, b = Options.B, avgdl = AverageDocumentLength;
        float factor = Options.Variant switch
        {
            Bm25Variant.Lucene => _normCache[LuceneNorms.EncodeLength(length)],
            Bm25Variant.Bm25L => (1 - b) + b * length / avgdl,
            _ => k1 * ((1 - b) + b * length / avgdl),
        };
        float[] lengthFactor = [factor];
        var weights = new double[terms.Length];
        for (int i = 0; i < terms.Length; i++) weights[i] = MakeWeight(terms[i], lengthFactor, computeMaxScore: false).Score(counts[i], 0);
        return new SparseVector(terms, weights);
    }

    private Bm25TermWeight MakeWeight(int term) => MakeWeight(term, _lengthFactor, computeMaxScore: true);

    private Bm25TermWeight MakeWeight(int term, float[] lengthFactor, bool computeMaxScore)
    {
        float idf = Idf(Index.DocumentFrequency(term));
        float k1 = Options.K1;
        var kind = Options.Variant switch
        {
            Bm25Variant.Bm25L => Bm25TermWeight.Shape.Bm25L,
            Bm25Variant.Bm25Plus => Bm25TermWeight.Shape.Bm25Plus,
            _ => Bm25TermWeight.Shape.Saturation,
        };
        // Lucene: weightValue = idf · queryBoost · topLevelBoost · (k1 + 1), boosts 1; Robertson has no (k1 + 1).
        float weight = Options.Variant == Bm25Variant.Robertson ? idf : idf * (k1 + 1);
        var w = new Bm25TermWeight(term, idf, weight, k1, Delta, kind, lengthFactor, float.NaN);
        if (!computeMaxScore) return w;
        float max = Volatile.Read(ref _maxScore[term]);
        if (float.IsNaN(max))
        {
            // Exact maxima of every block, then of the term; the term's value is published last (a release write),
            // so a thread that reads it also sees the block values. Benign race: all threads compute the same floats.
            max = 0f;
            var postings = Index.Postings;
            Span<int> docs = stackalloc int[PostingBlocks.Size];
            Span<int> freqs = stackalloc int[PostingBlocks.Size];
            for (int b = postings.FirstBlock(term); b < postings.EndBlock(term); b++)
            {
                int n = postings.DecodeDocuments(term, b, docs);
                postings.DecodeFrequencies(term, b, freqs);
                float blockMax = 0f;
                for (int i = 0; i < n; i++) blockMax = Math.Max(blockMax, w.Score(freqs[i], docs[i]));
                _blockMax[b] = blockMax;
                max = Math.Max(max, blockMax);
            }
            Volatile.Write(ref _maxScore[term], max);
        }
        return w with { MaxScore = max };
    }

    /// <summary>The score of <paramref name="document"/> for the query: contributions of the query's term occurrences
    /// in query order summed in double, cast to float (0 when no term matches).</summary>
    public float Score(ReadOnlySpan<int> queryTerms, int document)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(document);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(document, Index.DocumentCount);
        CheckTerms(queryTerms);
        double sum = 0;
        foreach (int term in queryTerms)
        {
            int tf = Index.Frequency(term, document);
            if (tf > 0) sum += MakeWeight(term).Score(tf, document);
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
    public SearchHit[] Search(ReadOnlySpan<int> queryTerms, int k)
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
    public SearchHit[] SearchExhaustive(ReadOnlySpan<int> queryTerms, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckTerms(queryTerms);
        var sums = new double[Index.DocumentCount];
        var matched = new bool[Index.DocumentCount];
        var postings = Index.Postings;
        Span<int> docs = stackalloc int[PostingBlocks.Size];
        Span<int> freqs = stackalloc int[PostingBlocks.Size];
        foreach (int term in queryTerms)
        {
            var w = MakeWeight(term);
            for (int b = postings.FirstBlock(term); b < postings.EndBlock(term); b++)
            {
                int n = postings.DecodeDocuments(term, b, docs);
                postings.DecodeFrequencies(term, b, freqs);
                for (int i = 0; i < n; i++)
                {
                    sums[docs[i]] += w.Score(freqs[i], docs[i]);
                    matched[docs[i]] = true;
                }
            }
        }
        var heap = new TopKHeap(Math.Min(k, Index.DocumentCount));
        for (int d = 0; d < sums.Length; d++) if (matched[d]) heap.Offer(new SearchHit(d, (float)sums[d]));
        return heap.ToSortedArray();
    }

    /// <summary>
    /// Why <paramref name="document"/> scored what it did for <paramref name="query"/>, shaped like Lucene 4's
    /// <c>IndexSearcher.explain</c> for a BooleanQuery of TermQuery clauses under BM25Similarity.
    /// </summary>
    public Explanation Explain(string query, int document)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(document);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(document, Index.DocumentCount);
        var terms = Index.AnalyzeQuery(query);
        var clauses = new List<Explanation>();
        double sum = 0;
        foreach (int term in terms)
        {
            int tf = Index.Frequency(term, document);
            if (tf == 0) continue;
            var w = MakeWeight(term);
            float score = w.Score(tf, document);
            sum += score;
            clauses.Add(new Explanation(score, $"weight(body:{Index.Term(term)} in {document}) [BM25Similarity/{Bm25Options.VariantName(Options.Variant)}], result of:",
                [ExplainClause(w, tf, document, score)]));
        }
        float total = (float)sum;
        if (clauses.Count == 0) return new Explanation(0f, "no matching term", []);
        // Lucene rewrites a one-clause BooleanQuery to its TermQuery; otherwise the explanation is the clause sum.
        return terms.Length == 1 ? clauses[0] : new Explanation(total, "sum of:", clauses);
    }

    private Explanation ExplainClause(Bm25TermWeight w, int tf, int document, float score)
    {
        var inv = CultureInfo.InvariantCulture;
        int df = Index.DocumentFrequency(w.Term);
        var idf = new Explanation(w.Idf, string.Create(inv, $"idf(docFreq={df}, maxDocs={Index.DocumentCount})"), []);
        float length = _norms is null ? Index.DocumentLength(document) : LuceneNorms.DecodedLengths[_norms[document]];
        var parts = new List<Explanation>
        {
            new(tf, "termFreq=" + Explanation.FormatValue(tf), []),
            new(Options.K1, "parameter k1", []),
            new(Options.B, "parameter b", []),
            new(AverageDocumentLength, "avgFieldLength", []),
            new(length, _norms is null ? "fieldLength" : "fieldLength (quantised norm)", []),
        };
        if (w.Kind != Bm25TermWeight.Shape.Saturation) parts.Add(new Explanation(Delta, "parameter delta", []));
        // Lucene's explainScore: tfNorm = freq·(k1 + 1) / (freq + k1·(1 − b + b·fieldLength/avgdl)), score = idf·tfNorm.
        float f = tf;
        float tfNorm = Options.Variant switch
        {
            Bm25Variant.Lucene or Bm25Variant.LuceneExact or Bm25Variant.Atire => f * (Options.K1 + 1) / (f + _lengthFactor[document]),
            Bm25Variant.Robertson => f / (f + _lengthFactor[document]),
            _ => w.Idf == 0 ? 0 : score / w.Idf,
        };
        return new Explanation(score, string.Create(inv, $"score(doc={document},freq={Explanation.FormatValue(tf)}), product of:"),
            [idf, new Explanation(tfNorm, "tfNorm, computed from:", parts)]);
    }

    /// <summary>Document-at-a-time MaxScore over the query's distinct terms (scratch state of one query).</summary>
    private ref struct MaxScoreSearch
    {
        private readonly Bm25 _model;
        private readonly Bm25TermWeight[] _weights;   // distinct terms sorted by MaxScore ascending
        private readonly int[] _clauses;              // per query occurrence: index into _weights
        private readonly double[] _prefixBound;       // Σ MaxScore of _weights[0..i]
        private readonly float[] _contribution;       // per distinct term: contribution to the current document
        private readonly int[] _times;                // per distinct term: occurrences in the query

        public MaxScoreSearch(Bm25 model, ReadOnlySpan<int> queryTerms)
        {
            _model = model;
            var distinct = new List<int>();
            foreach (int t in queryTerms) if (!distinct.Contains(t)) distinct.Add(t);
            var weights = new Bm25TermWeight[distinct.Count];
            for (int i = 0; i < weights.Length; i++) weights[i] = model.MakeWeight(distinct[i]);
            Array.Sort(weights, static (a, b) => a.MaxScore != b.MaxScore ? a.MaxScore.CompareTo(b.MaxScore) : a.Term.CompareTo(b.Term));
            _weights = weights;
            _clauses = new int[queryTerms.Length];
            for (int c = 0; c < queryTerms.Length; c++)
                for (int i = 0; i < weights.Length; i++)
                    if (weights[i].Term == queryTerms[c]) { _clauses[c] = i; break; }
            _prefixBound = new double[weights.Length];
            _times = new int[weights.Length];
            foreach (int c in _clauses) _times[c]++;
            double acc = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                // Occurrences of a term repeated in the query each contribute, so its bound counts once per occurrence.
                acc += (double)weights[i].MaxScore * _times[i];
                _prefixBound[i] = acc;
            }
            _contribution = new float[weights.Length];
        }

        // Safety margin on bounds: contributions are exact floats, but bound sums and document sums are rounded in
        // different orders; 1e-9 relative covers that with room to spare and costs nothing in pruning power.
        private const double Margin = 1 + 1e-9;

        public SearchHit[] Run(int k)
        {
            int m = _weights.Length;
            // All per-term cursor state in one pooled array: no allocation per query beyond the scratch above.
            int[] scratch = ArrayPool<int>.Shared.Rent(m * (7 + 2 * PostingBlocks.Size));
            try
            {
                var cursors = new BlockCursors(_model.Index.Postings, scratch, m);
                for (int i = 0; i < m; i++) cursors.Open(i, _weights[i].Term);
                return Run(k, ref cursors);
            }
            finally
            {
                ArrayPool<int>.Shared.Return(scratch);
            }
        }

        private SearchHit[] Run(int k, ref BlockCursors cursors)
        {
            int m = _weights.Length;
            var heap = new TopKHeap(k);
            double threshold = double.NegativeInfinity;
            int firstEssential = 0;
            Span<double> blockBound = m <= 64 ? stackalloc double[m] : new double[m];
            while (true)
            {
                int doc = int.MaxValue;
                for (int i = firstEssential; i < m; i++) doc = Math.Min(doc, cursors.Doc(i));
                if (doc == int.MaxValue) break;

                double partial = 0;
                for (int i = firstEssential; i < m; i++)
                {
                    if (cursors.Doc(i) == doc)
                    {
                        float c = _weights[i].Score(cursors.Frequency(i), doc);
                        _contribution[i] = c;
                        partial += c * (double)_times[i];
                        cursors.Next(i);
                    }
                    else _contribution[i] = 0f;
                }
                // Tighter bounds for the non-essential terms: the exact maxima of the blocks that may hold doc
                // (found on the skip list without decoding), as prefix sums like _prefixBound.
                if (firstEssential > 0 && (partial + _prefixBound[firstEssential - 1]) * Margin > threshold)
                {
                    double acc = 0;
                    for (int i = 0; i < firstEssential; i++)
                    {
                        int block = cursors.BlockOf(i, doc);
                        acc += (block < 0 ? 0f : _model._blockMax[block]) * (double)_times[i];
                        blockBound[i] = acc;
                    }
                }
                else _prefixBound.AsSpan(0, firstEssential).CopyTo(blockBound);   // the term bounds prune doc already
                bool candidate = true;
                for (int i = firstEssential - 1; i >= 0; i--)
                {
                    if ((partial + Math.Min(_prefixBound[i], blockBound[i])) * Margin <= threshold) { candidate = false; break; }
                    cursors.Advance(i, doc);
                    if (cursors.Doc(i) == doc)
                    {
                        float c = _weights[i].Score(cursors.Frequency(i), doc);
                        _contribution[i] = c;
                        partial += c * (double)_times[i];
                    }
                    else _contribution[i] = 0f;
                }
                if (!candidate) continue;

                // The exact score: clause contributions summed in query order in double, cast to float (Lucene).
                double sum = 0;
                foreach (int c in _clauses) sum += _contribution[c];
                var hit = new SearchHit(doc, (float)sum);
                if (!heap.IsFull)
                {
                    heap.Offer(hit);
                    if (!heap.IsFull) continue;
                }
                else if (hit.Score > heap.Worst.Score) heap.Offer(hit);
                else continue;
                threshold = heap.Worst.Score;
                while (firstEssential < m && _prefixBound[firstEssential] * Margin <= threshold) firstEssential++;
                if (firstEssential == m) break;
            }
            return heap.ToSortedArray();
        }
    }

    /// <summary>
    /// Document-at-a-time cursors over the posting blocks of m terms: each holds one decoded block (documents
    /// always, frequencies on first use) and moves with <see cref="Next"/> or skips whole blocks with
    /// <see cref="Advance"/> using the blocks' last documents.
    /// </summary>
    private ref struct BlockCursors
    {
        private const int Size = PostingBlocks.Size;
        private readonly PostingStore _postings;
        private readonly Span<int> _doc;        // current document, int.MaxValue when exhausted
        private readonly Span<int> _block;      // current block
        private readonly Span<int> _end;        // end block (exclusive)
        private readonly Span<int> _count;      // postings in the current block
        private readonly Span<int> _pos;        // position in the current block
        private readonly Span<int> _term;
        private readonly Span<int> _shallow;    // block found by the last BlockOf
        private readonly Span<int> _docs;       // m × Size decoded documents
        private readonly Span<int> _freqs;      // m × Size decoded frequencies; [i·Size] = −1 until decoded

        public BlockCursors(PostingStore postings, int[] scratch, int m)
        {
            _postings = postings;
            var s = scratch.AsSpan();
            _doc = s[..m]; s = s[m..];
            _block = s[..m]; s = s[m..];
            _end = s[..m]; s = s[m..];
            _count = s[..m]; s = s[m..];
            _pos = s[..m]; s = s[m..];
            _term = s[..m]; s = s[m..];
            _shallow = s[..m]; s = s[m..];
            _docs = s[..(m * Size)]; s = s[(m * Size)..];
            _freqs = s[..(m * Size)];
        }

        public void Open(int i, int term)
        {
            _term[i] = term;
            _shallow[i] = 0;
            _end[i] = _postings.EndBlock(term);
            Load(i, _postings.FirstBlock(term));
        }

        public readonly int Doc(int i) => _doc[i];

        private void Load(int i, int block)
        {
            _block[i] = block;
            if (block >= _end[i])
            {
                _doc[i] = int.MaxValue;
                return;
            }
            var docs = _docs.Slice(i * Size, Size);
            _count[i] = _postings.DecodeDocuments(_term[i], block, docs);
            _pos[i] = 0;
            _freqs[i * Size] = -1;
            _doc[i] = docs[0];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Next(int i)
        {
            int p = _pos[i] + 1;
            if (p < _count[i])
            {
                _pos[i] = p;
                _doc[i] = _docs[i * Size + p];
            }
            else Load(i, _block[i] + 1);
        }

        /// <summary>Moves cursor i to its first document ≥ <paramref name="target"/>.</summary>
        public void Advance(int i, int target)
        {
            if (_doc[i] >= target) return;
            var last = _postings.BlockLastDocuments;
            int b = _block[i];
            if (last[b] < target)
            {
                // Gallop over the skip list (last document of each block), then binary search.
                int end = _end[i], step = 1, lo = b, hi = b + 1;
                while (hi < end && last[hi] < target)
                {
                    lo = hi;
                    step <<= 1;
                    hi = Math.Min(end, hi + step);
                }
                int left = lo + 1, right = hi;   // last[lo] < target; answer in (lo, hi]
                while (left < right)
                {
                    int mid = (left + right) >>> 1;
                    if (last[mid] < target) left = mid + 1; else right = mid;
                }
                Load(i, left);
                if (left >= end) return;
            }
            var docs = _docs.Slice(i * Size, _count[i]);
            int pos = _pos[i];
            while (docs[pos] < target) pos++;   // the block's last document is ≥ target
            _pos[i] = pos;
            _doc[i] = docs[pos];
        }

        /// <summary>
        /// The block of cursor i that may hold <paramref name="target"/>, or −1 past its end; decodes nothing.
        /// Targets only grow (document-at-a-time), so the search resumes where the previous one stopped.
        /// </summary>
        public readonly int BlockOf(int i, int target)
        {
            if (_doc[i] == int.MaxValue) return -1;
            var last = _postings.BlockLastDocuments;
            int b = Math.Max(_block[i], _shallow[i]), end = _end[i];
            while (b < end && last[b] < target) b++;
            _shallow[i] = b;
            return b < end ? b : -1;
        }

        public int Frequency(int i)
        {
            var freqs = _freqs.Slice(i * Size, Size);
            if (freqs[0] < 0) _postings.DecodeFrequencies(_term[i], _block[i], freqs);
            return freqs[_pos[i]];
        }
    }
}

/// <summary>
/// The precomputed weight of one query term under a BM25 variant: idf, the per-term factor, a reference to the
/// per-document length factors (for Lucene the 256-entry norm cache already applied) and the exact largest
/// contribution of the term over the collection (<see cref="MaxScore"/>, the MaxScore pruning bound).
/// </summary>
public readonly record struct Bm25TermWeight
{
    internal enum Shape : byte { Saturation, Bm25L, Bm25Plus }

    private readonly float[] _lengthFactor;

    internal Bm25TermWeight(int term, float idf, float weight, float k1, float delta, Shape kind, float[] lengthFactor, float maxScore)
    {
        Term = term;
        Idf = idf;
        Weight = weight;
        K1 = k1;
        Delta = delta;
        Kind = kind;
        _lengthFactor = lengthFactor;
        MaxScore = maxScore;
    }

    /// <summary>The term id.</summary>
    public int Term { get; }

    /// <summary>The variant's idf (float).</summary>
    public float Idf { get; }

    /// <summary>The tf-independent factor: idf·(k1 + 1) (Lucene's <c>weightValue</c>); idf for Robertson.</summary>
    public float Weight { get; }

    /// <summary>k1.</summary>
    public float K1 { get; }

    /// <summary>δ (BM25L, BM25+).</summary>
    public float Delta { get; }

    internal Shape Kind { get; }

    /// <summary>The largest contribution of this term to any document (exact, same float arithmetic as <see cref="Score"/>).</summary>
    public float MaxScore { get; init; }

    /// <summary>
    /// The contribution for a document containing the term <paramref name="tf"/> times (float arithmetic):
    /// Lucene family <c>Weight·tf / (tf + K[doc])</c> with K = k1·(1 − b + b·L/L̄) (Lucene: from the norm cache);
    /// BM25L and BM25+ as documented on <see cref="Bm25Variant"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int tf, int document)
    {
        float f = tf;
        float lengthFactor = _lengthFactor[document];
        switch (Kind)
        {
            case Shape.Saturation:
                return Weight * f / (f + lengthFactor);
            case Shape.Bm25L:
            {
                float c = f / lengthFactor;
                return Idf * ((K1 + 1) * (c + Delta) / (K1 + c + Delta));
            }
            default:
                return Idf * ((K1 + 1) * f / (lengthFactor + f) + Delta);
        }
    }
}
