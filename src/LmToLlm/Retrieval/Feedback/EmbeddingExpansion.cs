using LmToLlm.Embeddings;

namespace LmToLlm.Retrieval.Feedback;

/// <summary>Settings of <see cref="EmbeddingExpansion"/> (documented defaults, RM3's where they mean the same).</summary>
public sealed record EmbeddingExpansionOptions
{
    /// <summary>The defaults.</summary>
    public static EmbeddingExpansionOptions Default { get; } = new();

    /// <summary>Expansion words added (default 10, as RM3's fbTerms).</summary>
    public int ExpansionTerms { get; init; } = 10;

    /// <summary>Weight of the original query in the interpolation (default 0.5, as RM3's).</summary>
    public float OriginalQueryWeight { get; init; } = 0.5f;

    /// <summary>Nearest words examined before those unknown to the index are dropped (default 50).</summary>
    public int Candidates { get; init; } = 50;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the property that is out of range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ExpansionTerms, 1, nameof(ExpansionTerms));
        if (Candidates < ExpansionTerms) throw new ArgumentOutOfRangeException(nameof(Candidates), Candidates, $"must be at least ExpansionTerms ({ExpansionTerms})");
        if (!(OriginalQueryWeight is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(OriginalQueryWeight), OriginalQueryWeight, "must be in [0, 1]");
    }
}

/// <summary>
/// Query expansion with word embeddings (Kuzi, Shtok &amp; Kurland 2016, the centroid method): the words nearest the
/// mean unit vector of the query's words are added to the BM25 query with weights.
/// Input: a BM25 model and word vectors (looked up by the query's white-space/punctuation tokens, lower case).
/// Output: a weighted query w(t) = λ·q(t) + (1−λ)·E(t), where q(t) is the term's share of the query's tokens and
/// E(t) the cosine of expansion word t with the centroid, over the top <see cref="EmbeddingExpansionOptions.ExpansionTerms"/>
/// words with positive cosine that are not query words and occur in the index, scaled to unit L1; ranked by
/// Σ_t w(t)·BM25(t, d) (<see cref="WeightedQuery"/>).
/// </summary>
public sealed class EmbeddingExpansion : IRanker
{
    private readonly Bm25 _bm25;
    private readonly WordVectors _vectors;

    private EmbeddingExpansion(Bm25 bm25, WordVectors vectors, EmbeddingExpansionOptions options)
    {
        _bm25 = bm25;
        _vectors = vectors;
        Options = options;
    }

    /// <summary>The settings.</summary>
    internal EmbeddingExpansionOptions Options { get; }

    /// <summary>Prepares expansion over <paramref name="bm25"/> with <paramref name="vectors"/>.</summary>
    public static EmbeddingExpansion Create(Bm25 bm25, WordVectors vectors, EmbeddingExpansionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bm25);
        ArgumentNullException.ThrowIfNull(vectors);
        options ??= new EmbeddingExpansionOptions();
        options.Validate();
        return new EmbeddingExpansion(bm25, vectors, options);
    }

    /// <summary>The expanded query, heaviest term first.</summary>
    internal WeightedTerm[] Expand(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var index = _bm25.Index;
        var known = index.AnalyzeText(query, out int tokenCount);
        var weights = new Dictionary<int, double>();
        float lambda = Options.OriginalQueryWeight;
        foreach (int t in known) weights[t] = weights.GetValueOrDefault(t) + lambda / tokenCount;
        var rows = Text.Analyzer.Simple.Tokenize(query).Select(w => _vectors.TryGetIndex(w, out int r) ? r : -1).Where(r => r >= 0).Distinct().ToArray();
        if (rows.Length > 0)
        {
            var centroid = new float[_vectors.Dimensions];
            foreach (int r in rows) System.Numerics.Tensors.TensorPrimitives.Add(centroid, _vectors.UnitVector(r), centroid);
            var queryTerms = new HashSet<int>(known);
            var expansion = new List<(int Term, double Score)>();
            foreach (var candidate in _vectors.MostSimilar(centroid, Options.Candidates, rows))
            {
                if (candidate.Score <= 0 || expansion.Count == Options.ExpansionTerms) break;
                var terms = index.AnalyzeQuery(candidate.Word);
                if (terms.Length != 1 || queryTerms.Contains(terms[0]) || expansion.Any(e => e.Term == terms[0])) continue;
                expansion.Add((terms[0], candidate.Score));
            }
            double total = expansion.Sum(e => e.Score);
            foreach (var (term, score) in expansion) weights[term] = weights.GetValueOrDefault(term) + (1 - lambda) * score / total;
        }
        return [.. weights.Select(kv => new WeightedTerm(kv.Key, (float)kv.Value)).OrderByDescending(t => t.Weight).ThenBy(t => index.Term(t.Term), StringComparer.Ordinal)];
    }

    /// <summary>The top <paramref name="k"/> documents for the expanded query.</summary>
    public SearchHit[] Search(string query, int k) => WeightedQuery.Search(_bm25, Expand(query), k);

    /// <summary>Searches many queries on all cores; results in query order.</summary>
    public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default) =>
        BatchSearch.Run(queries, k, maxDegreeOfParallelism, cancellationToken, Search);
}
