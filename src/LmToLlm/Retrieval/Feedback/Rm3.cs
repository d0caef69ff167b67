namespace LmToLlm.Retrieval.Feedback;

/// <summary>Settings of <see cref="Rm3"/>; the defaults are Anserini's (<c>-rm3</c>).</summary>
public sealed record Rm3Options
{
    /// <summary>The defaults.</summary>
    public static Rm3Options Default { get; } = new();

    /// <summary>Top documents of the first BM25 pass taken as relevant (fbDocs, default 10).</summary>
    public int FeedbackDocuments { get; init; } = 10;

    /// <summary>Terms kept per feedback document and in the relevance model (fbTerms, default 10).</summary>
    public int FeedbackTerms { get; init; } = 10;

    /// <summary>Weight of the original query in the interpolation (originalQueryWeight, default 0.5).</summary>
    public float OriginalQueryWeight { get; init; } = 0.5f;

    /// <summary>Feedback terms must occur in at most this share of the documents (default 0.1, Anserini's stop-word cut).</summary>
    public float MaxDocumentFrequencyRatio { get; init; } = 0.1f;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(FeedbackDocuments, 1, nameof(FeedbackDocuments));
        ArgumentOutOfRangeException.ThrowIfLessThan(FeedbackTerms, 1, nameof(FeedbackTerms));
        if (!(OriginalQueryWeight is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(OriginalQueryWeight), OriginalQueryWeight, "must be in [0, 1]");
        if (!(MaxDocumentFrequencyRatio is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(MaxDocumentFrequencyRatio), MaxDocumentFrequencyRatio, "must be in (0, 1]");
    }
}

/// <summary>One term of an expanded query and its weight (the boost of its BM25 clause).</summary>
/// <param name="Term">Term id in the index.</param>
/// <param name="Weight">Interpolated relevance-model weight.</param>
internal readonly record struct WeightedTerm(int Term, float Weight);

/// <summary>
/// RM3 pseudo-relevance feedback on BM25 (Lavrenko &amp; Croft 2001, relevance models; RM3 as Abdul-Jaleel et al.
/// 2004 and Anserini's <c>Rm3Reranker</c>). Input: a BM25 model and a query text. Output: the query expanded with
/// weighted feedback terms, and the BM25 ranking of that weighted query.
/// <para>
/// First pass: BM25 top <c>fbDocs</c> with scores s_i. Each feedback document's vector holds the raw frequency of
/// each of its terms that has 2–20 characters, only letters or digits, and df/N ≤ 0.1, pruned to its <c>fbTerms</c>
/// largest. RM(t) = Σ_i s_i · tf_i(t) / |d_i|₁, pruned to <c>fbTerms</c> and scaled to unit L1. The final weight is
/// w(t) = λ·q(t) + (1−λ)·RM(t) with q(t) = the term's share of the query's tokens (unknown tokens included).
/// The second pass scores Σ_t w(t)·BM25(t, d). Deviations from Anserini: terms of any script pass the letter test
/// (Anserini keeps only [a-z0-9]+, which would drop Korean), and ties in pruning go to the lexicographically smaller term.
/// </para>
/// </summary>
public sealed class Rm3 : IRanker
{
    private readonly int[] _documentStart;
    private readonly int[] _forwardTerms;
    private readonly int[] _forwardFrequencies;

    private Rm3(Bm25 bm25, Rm3Options options, int[] documentStart, int[] forwardTerms, int[] forwardFrequencies)
    {
        Bm25 = bm25;
        Options = options;
        _documentStart = documentStart;
        _forwardTerms = forwardTerms;
        _forwardFrequencies = forwardFrequencies;
    }

    /// <summary>The underlying BM25 model (both passes).</summary>
    internal Bm25 Bm25 { get; }

    /// <summary>The settings.</summary>
    internal Rm3Options Options { get; }

    /// <summary>Prepares RM3 over <paramref name="bm25"/>: a forward index of the terms eligible for feedback.</summary>
    public static Rm3 Create(Bm25 bm25, Rm3Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(bm25);
        options ??= new Rm3Options();
        options.Validate();
        var index = bm25.Index;
        int n = index.DocumentCount;
        var eligible = new bool[index.TermCount];
        var perDocument = new int[n + 1];
        for (int t = 0; t < index.TermCount; t++)
        {
            if (!IsFeedbackTerm(index.Term(t)) || (float)index.DocumentFrequency(t) / n > options.MaxDocumentFrequencyRatio) continue;
            eligible[t] = true;
            foreach (int d in index.PostingDocuments(t)) perDocument[d + 1]++;
        }
        for (int d = 0; d < n; d++) perDocument[d + 1] += perDocument[d];
        var terms = new int[perDocument[n]];
        var freqs = new int[terms.Length];
        var fill = perDocument[..n];
        var docs = new int[Math.Max(1, index.TermCount == 0 ? 1 : MaxDf(index))];
        var tfs = new int[docs.Length];
        for (int t = 0; t < index.TermCount; t++)
        {
            if (!eligible[t]) continue;
            int df = index.DocumentFrequency(t);
            index.DecodePostings(t, docs, tfs);
            for (int i = 0; i < df; i++)
            {
                int at = fill[docs[i]]++;
                terms[at] = t;
                freqs[at] = tfs[i];
            }
        }
        return new Rm3(bm25, options, perDocument, terms, freqs);
    }

    private static int MaxDf(InvertedIndex index)
    {
        int max = 0;
        for (int t = 0; t < index.TermCount; t++) max = Math.Max(max, index.DocumentFrequency(t));
        return max;
    }

    /// <summary>Anserini's term filter: 2–20 characters, letters and digits only (any script).</summary>
    internal static bool IsFeedbackTerm(string term)
    {
        if (term.Length is < 2 or > 20) return false;
        foreach (char c in term)
            if (!char.IsLetterOrDigit(c)) return false;
        return true;
    }

    /// <summary>The expanded query of <paramref name="query"/>: original and feedback terms with their weights, heaviest first (ties by term text).</summary>
    internal WeightedTerm[] Expand(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var index = Bm25.Index;
        var known = index.AnalyzeText(query, out int tokenCount);
        if (known.Length == 0) return [];
        var first = Bm25.Search(known, Options.FeedbackDocuments);
        var model = RelevanceModel(first);
        var weights = new Dictionary<int, double>();
        float lambda = Options.OriginalQueryWeight;
        foreach (int t in known) weights[t] = weights.GetValueOrDefault(t) + lambda * (1.0 / tokenCount);
        foreach (var (t, p) in model) weights[t] = weights.GetValueOrDefault(t) + (1 - lambda) * p;
        return Ordered(weights.Select(kv => new WeightedTerm(kv.Key, (float)kv.Value)));
    }

    /// <summary>RM(t) for the feedback documents: per-document vectors pruned, score-weighted, pruned, L1-normalised.</summary>
    private List<(int Term, double Weight)> RelevanceModel(SearchHit[] feedback)
    {
        var sums = new Dictionary<int, double>();
        foreach (var hit in feedback)
        {
            int start = _documentStart[hit.Document], end = _documentStart[hit.Document + 1];
            var vector = Ordered(Enumerable.Range(start, end - start).Select(i => new WeightedTerm(_forwardTerms[i], _forwardFrequencies[i])))
                .Take(Options.FeedbackTerms).ToArray();
            double norm = vector.Sum(v => (double)v.Weight);
            if (norm <= 0.001) continue;
            foreach (var v in vector) sums[v.Term] = sums.GetValueOrDefault(v.Term) + v.Weight / norm * hit.Score;
        }
        var kept = Ordered(sums.Select(kv => new WeightedTerm(kv.Key, (float)kv.Value))).Take(Options.FeedbackTerms).ToArray();
        double total = kept.Sum(k => (double)sums[k.Term]);
        return kept.Select(k => (k.Term, total > 0 ? sums[k.Term] / total : 0)).ToList();
    }

    private WeightedTerm[] Ordered(IEnumerable<WeightedTerm> terms) =>
        [.. terms.OrderByDescending(t => t.Weight).ThenBy(t => Bm25.Index.Term(t.Term), StringComparer.Ordinal)];

    /// <summary>The top <paramref name="k"/> documents for the expanded query (second pass), best first, ties by lower document id.</summary>
    public SearchHit[] Search(string query, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return Search(Expand(query), k);
    }

    /// <summary>BM25 of a weighted query: Σ_t w(t)·BM25(t, d) (see <see cref="WeightedQuery"/>).</summary>
    internal SearchHit[] Search(ReadOnlySpan<WeightedTerm> query, int k) => WeightedQuery.Search(Bm25, query, k);

    /// <summary>Searches many queries on all cores (or <paramref name="maxDegreeOfParallelism"/> threads); results in query order.</summary>
    public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default) =>
        BatchSearch.Run(queries, k, maxDegreeOfParallelism, cancellationToken, Search);
}
