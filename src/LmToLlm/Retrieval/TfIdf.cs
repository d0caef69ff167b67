using System.Globalization;

namespace LmToLlm.Retrieval;

/// <summary>How a TF-IDF vector is normalised (scikit-learn <c>norm</c>).</summary>
public enum TfIdfNorm
{
    /// <summary>Divide by the Euclidean norm √Σw² (scikit-learn <c>'l2'</c>, the default): dot products are cosines.</summary>
    L2,

    /// <summary>Divide by Σ|w| (scikit-learn <c>'l1'</c>).</summary>
    L1,

    /// <summary>No normalisation (scikit-learn <c>None</c>).</summary>
    None,
}

/// <summary>
/// A document-frequency bound as scikit-learn's <c>min_df</c>/<c>max_df</c> take it: an absolute document count
/// (Python int) or a proportion of the documents in [0, 1] (Python float).
/// </summary>
public readonly record struct DocumentFrequencyLimit
{
    private DocumentFrequencyLimit(double value, bool isFraction)
    {
        Value = value;
        IsFraction = isFraction;
    }

    /// <summary>The count or the proportion.</summary>
    public double Value { get; }

    /// <summary>True for a proportion of the documents, false for an absolute count.</summary>
    public bool IsFraction { get; }

    /// <summary>An absolute number of documents (≥ 0).</summary>
    public static DocumentFrequencyLimit Count(int documents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(documents);
        return new(documents, false);
    }

    /// <summary>A proportion of the documents in [0, 1].</summary>
    public static DocumentFrequencyLimit Fraction(double proportion)
    {
        if (!(proportion >= 0 && proportion <= 1)) throw new ArgumentOutOfRangeException(nameof(proportion), proportion, "a document-frequency proportion must be in [0, 1]");
        return new(proportion, true);
    }

    /// <summary>The bound in documents for a collection of <paramref name="documents"/> (scikit-learn: <c>max_df * n_doc</c> for a float).</summary>
    internal double Resolve(int documents) => IsFraction ? Value * documents : Value;

    /// <summary>Parses <c>5</c> (a count) or <c>0.5</c> / <c>1.0</c> (a proportion: any text with a '.' or an exponent), as Python would type it.</summary>
    internal static DocumentFrequencyLimit Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count)) return Count(count);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double fraction)) return Fraction(fraction);
        throw new ArgumentException($"'{text}' is neither a document count nor a proportion in [0, 1]", nameof(text));
    }

    /// <inheritdoc />
    public override string ToString() => IsFraction ? Value.ToString("0.0##############", CultureInfo.InvariantCulture) : ((int)Value).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// TF-IDF options with the meaning and defaults of scikit-learn 1.2 <c>TfidfVectorizer</c> (the word n-gram range
/// belongs to the index: <see cref="InvertedIndexOptions"/>).
/// </summary>
public sealed record TfIdfOptions
{
    /// <summary>Vector normalisation (default <see cref="TfIdfNorm.L2"/>).</summary>
    public TfIdfNorm Norm { get; init; } = TfIdfNorm.L2;

    /// <summary>Multiply by idf (default true); false means idf = 1.</summary>
    public bool UseIdf { get; init; } = true;

    /// <summary>idf = ln((1 + N)/(1 + df)) + 1 when true (default), ln(N/df) + 1 when false.</summary>
    public bool SmoothIdf { get; init; } = true;

    /// <summary>Use 1 + ln(tf) instead of tf (default false).</summary>
    public bool SublinearTf { get; init; }

    /// <summary>Drop terms in fewer documents (default count 1: keep all).</summary>
    public DocumentFrequencyLimit MinDf { get; init; } = DocumentFrequencyLimit.Count(1);

    /// <summary>Drop terms in more documents (default proportion 1.0: keep all).</summary>
    public DocumentFrequencyLimit MaxDf { get; init; } = DocumentFrequencyLimit.Fraction(1.0);

    /// <summary>scikit-learn's defaults.</summary>
    public static TfIdfOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for an unknown <see cref="Norm"/>.</summary>
    internal void Validate()
    {
        if (!Enum.IsDefined(Norm)) throw new ArgumentOutOfRangeException(nameof(Norm), Norm, "unknown TF-IDF norm");
    }
}

/// <summary>A sparse vector: ascending term ids and their weights.</summary>
/// <param name="Terms">Term ids, ascending.</param>
/// <param name="Weights">The weights, aligned with <paramref name="Terms"/>.</param>
public sealed record SparseVector(int[] Terms, double[] Weights);

/// <summary>
/// TF-IDF vectors of the documents of an <see cref="InvertedIndex"/> with scikit-learn <c>TfidfVectorizer</c> semantics,
/// and dot-product (cosine with <see cref="TfIdfNorm.L2"/>) top-k search. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Input: an index (its terms are the vocabulary, sorted as scikit-learn sorts it) and options.
/// Output: per document w(t) = tf'(t)·idf(t) / norm, tf' = tf or 1 + ln tf; queries are transformed the same way
/// (unknown terms dropped) and ranked by Σ q(t)·d(t), documents with score &gt; 0 only, ties by corpus order.
/// All arithmetic in double, as NumPy/SciPy do.
/// </remarks>
/// <example>
/// <code>
/// var tfidf = TfIdf.Create(index);
/// SearchHit[] top = tfidf.Search("aeroelastic models", k: 10);
/// </code>
/// The sample <c>samples/LexicalVsSemantic</c> (its <c>Real/</c> comparison) ranks BEIR collections with TF-IDF beside BM25.
/// </example>
public sealed class TfIdf : IRanker
{
    private readonly double[] _idf;            // per term; NaN for terms outside the vocabulary (pruned by min/max df)
    private readonly double[] _postingWeight;  // aligned with the index's postings; 0 for pruned terms
    private readonly int[] _docStart;          // forward CSR: per document range in _docTerms/_docWeights
    private readonly int[] _docTerms;
    private readonly double[] _docWeights;

    private TfIdf(InvertedIndex index, TfIdfOptions options)
    {
        Index = index;
        Options = options;
        int n = index.DocumentCount;
        double low = options.MinDf.Resolve(n), high = options.MaxDf.Resolve(n);
        if (high < low) throw new ArgumentException("MaxDf corresponds to fewer documents than MinDf", nameof(options));
        _idf = new double[index.TermCount];
        int kept = 0;
        for (int t = 0; t < _idf.Length; t++)
        {
            int df = index.DocumentFrequency(t);
            if (df < low || df > high) { _idf[t] = double.NaN; continue; }
            kept++;
            int s = options.SmoothIdf ? 1 : 0;
            // scikit-learn: df += smooth; n += smooth; idf = log(n / df) + 1
            _idf[t] = options.UseIdf ? Math.Log((double)(n + s) / (df + s)) + 1 : 1.0;
        }
        if (kept == 0) throw new ArgumentException("after pruning, no terms remain; try a lower min_df or a higher max_df", nameof(options));
        VocabularySize = kept;

        // Forward CSR in ascending term order (scikit-learn's column order), raw weights tf'·idf.
        // Postings are decoded one block at a time; p is the posting's position in the index's posting order.
        var postings = index.Postings;
        var starts = postings.TermStarts;
        int postingCount = postings.PostingCount;
        Span<int> docBuffer = stackalloc int[PostingBlocks.Size];
        Span<int> freqBuffer = stackalloc int[PostingBlocks.Size];
        _docStart = new int[n + 1];
        for (int t = 0; t < _idf.Length; t++)
        {
            if (double.IsNaN(_idf[t])) continue;
            var blocks = new PostingCursor(postings, t, docBuffer, freqBuffer);
            while (blocks.MoveNext(withFrequencies: false))
                foreach (int d in blocks.Documents) _docStart[d + 1]++;
        }
        for (int d = 0; d < n; d++) _docStart[d + 1] += _docStart[d];
        _docTerms = new int[_docStart[n]];
        _docWeights = new double[_docStart[n]];
        var cursor = _docStart.AsSpan(0, n).ToArray();
        var postingSlot = new int[postingCount];
        for (int t = 0; t < _idf.Length; t++)
        {
            if (double.IsNaN(_idf[t])) continue;
            int p = starts[t];
            var blocks = new PostingCursor(postings, t, docBuffer, freqBuffer);
            while (blocks.MoveNext(withFrequencies: true))
            {
                var docs = blocks.Documents;
                var freqs = blocks.Frequencies;
                for (int i = 0; i < docs.Length; i++, p++)
                {
                    int slot = cursor[docs[i]]++;
                    _docTerms[slot] = t;
                    _docWeights[slot] = TermFrequency(freqs[i]) * _idf[t];
                    postingSlot[p] = slot;
                }
            }
        }
        for (int d = 0; d < n; d++) Normalize(_docWeights.AsSpan(_docStart[d], _docStart[d + 1] - _docStart[d]));
        _postingWeight = new double[postingCount];
        for (int t = 0; t < _idf.Length; t++)
            if (!double.IsNaN(_idf[t]))
                for (int p = starts[t]; p < starts[t + 1]; p++) _postingWeight[p] = _docWeights[postingSlot[p]];
    }

    /// <summary>Fits TF-IDF on the documents of <paramref name="index"/>; options null = scikit-learn's defaults.</summary>
    public static TfIdf Create(InvertedIndex index, TfIdfOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        options ??= TfIdfOptions.Default;
        options.Validate();
        return new TfIdf(index, options);
    }

    /// <summary>The index the vectors come from.</summary>
    internal InvertedIndex Index { get; }

    /// <summary>The options.</summary>
    internal TfIdfOptions Options { get; }

    /// <summary>Number of terms kept after min_df/max_df pruning.</summary>
    internal int VocabularySize { get; }

    /// <summary>True when term <paramref name="term"/> survived min_df/max_df pruning.</summary>
    public bool InVocabulary(int term) => !double.IsNaN(_idf[term]);

    /// <summary>
    /// idf of a vocabulary term: ln((1 + N)/(1 + df)) + 1 (smooth), ln(N/df) + 1 (not smooth), 1 without idf;
    /// N = all documents, empty ones included. NaN for a term pruned by min_df/max_df.
    /// </summary>
    internal double Idf(int term) => _idf[term];

    /// <summary>The normalised TF-IDF vector of document <paramref name="document"/> (empty for a document without vocabulary terms).</summary>
    internal SparseVector DocumentVector(int document)
    {
        int from = _docStart[document], to = _docStart[document + 1];
        return new SparseVector(_docTerms[from..to], _docWeights[from..to]);
    }

    /// <summary>The normalised TF-IDF vector of a query text (scikit-learn <c>transform</c>; unknown and pruned terms dropped).</summary>
    public SparseVector QueryVector(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (ids, counts) = InvertedIndex.CountTerms(Index.AnalyzeQuery(text));
        int distinct = 0;
        foreach (int t in ids)
            if (InVocabulary(t)) distinct++;
        var terms = new int[distinct];
        var weights = new double[distinct];
        int k = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            if (!InVocabulary(ids[i])) continue;
            terms[k] = ids[i];
            weights[k++] = TermFrequency(counts[i]) * _idf[ids[i]];
        }
        Normalize(weights);
        return new SparseVector(terms, weights);
    }

    /// <summary>
    /// The top <paramref name="k"/> documents by Σ q(t)·d(t) (the cosine with L2 norm), only scores &gt; 0,
    /// ties by corpus order.
    /// </summary>
    public SearchHit[] Search(string query, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return Search(QueryVector(query), k);
    }

    /// <summary>As <see cref="Search(string, int)"/> for a query vector.</summary>
    internal SearchHit[] Search(SparseVector query, int k)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (query.Terms.Length == 0 || k == 0) return [];
        var scratch = t_scratch ??= new Scratch();
        scratch.Ensure(Index.DocumentCount);
        var sums = scratch.Sums;
        var touched = scratch.Touched;
        int touchedCount = 0;
        var postings = Index.Postings;
        var starts = postings.TermStarts;
        Span<int> docBuffer = stackalloc int[PostingBlocks.Size];
        for (int i = 0; i < query.Terms.Length; i++)
        {
            int t = query.Terms[i];
            double q = query.Weights[i];
            int p = starts[t];
            var blocks = new PostingCursor(postings, t, docBuffer, default);
            while (blocks.MoveNext(withFrequencies: false))
            {
                var docs = blocks.Documents;
                for (int j = 0; j < docs.Length; j++, p++)
                {
                    int d = docs[j];
                    if (!scratch.Seen[d]) { scratch.Seen[d] = true; touched[touchedCount++] = d; }
                    sums[d] += q * _postingWeight[p];
                }
            }
        }
        var heap = new TopKHeap(Math.Min(k, Index.DocumentCount)); // k beyond the corpus means "all"
        for (int i = 0; i < touchedCount; i++)
        {
            int d = touched[i];
            if (sums[d] > 0) heap.Offer(new SearchHit(d, sums[d]));
            sums[d] = 0;
            scratch.Seen[d] = false;
        }
        return heap.ToSortedArray();
    }

    /// <summary>Searches many queries on all cores (or <paramref name="maxDegreeOfParallelism"/> threads); results in query order.</summary>
    public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default) =>
        BatchSearch.Run(queries, k, maxDegreeOfParallelism, cancellationToken, Search);

    private double TermFrequency(int tf) => Options.SublinearTf ? Math.Log(tf) + 1 : tf;

    /// <summary>scikit-learn <c>normalize</c>: sum in stored (term) order, then divide each weight by the norm; zero rows stay zero.</summary>
    private void Normalize(Span<double> weights)
    {
        double norm = 0;
        switch (Options.Norm)
        {
            case TfIdfNorm.L2:
                foreach (double w in weights) norm += w * w;
                norm = Math.Sqrt(norm);
                break;
            case TfIdfNorm.L1:
                foreach (double w in weights) norm += Math.Abs(w);
                break;
            default:
                return;
        }
        if (norm == 0) return;
        for (int i = 0; i < weights.Length; i++) weights[i] /= norm;
    }

    [ThreadStatic] private static Scratch? t_scratch;

    /// <summary>Per-thread accumulators, cleared after each query (only touched entries).</summary>
    private sealed class Scratch
    {
        public double[] Sums = [];
        public bool[] Seen = [];
        public int[] Touched = [];

        public void Ensure(int n)
        {
            if (Sums.Length >= n) return;
            Sums = new double[n];
            Seen = new bool[n];
            Touched = new int[n];
        }
    }
}
