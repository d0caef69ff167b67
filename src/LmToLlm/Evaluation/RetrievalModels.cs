using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Evaluation;

/// <summary>
/// A collection prepared once for every model of a comparison: the documents in corpus order and an inverted index
/// over them (document id i = i-th document). Models that need other structures (dense vectors, LSA) build them from
/// <see cref="Corpus"/> in their factory.
/// </summary>
public sealed class RetrievalCollection
{
    /// <summary>Creates the collection; <paramref name="index"/> must have been built from <paramref name="corpus"/> in order.</summary>
    public RetrievalCollection(IReadOnlyList<Document> corpus, InvertedIndex index)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(index);
        if (corpus.Count != index.DocumentCount)
            throw new ArgumentException($"the index holds {index.DocumentCount} documents but the corpus has {corpus.Count}", nameof(index));
        Corpus = corpus;
        Index = index;
    }

    /// <summary>Indexes <paramref name="corpus"/> with <paramref name="analyzer"/>.</summary>
    public static RetrievalCollection Build(IReadOnlyList<Document> corpus, Analyzer analyzer, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(analyzer);
        return new RetrievalCollection(corpus, InvertedIndex.Build(corpus, analyzer, progress: progress, cancellationToken: cancellationToken));
    }

    /// <summary>The documents; position = document id in <see cref="SearchHit.Document"/>.</summary>
    public IReadOnlyList<Document> Corpus { get; }

    /// <summary>The inverted index over <see cref="Corpus"/>.</summary>
    public InvertedIndex Index { get; }
}

/// <summary>
/// A ranking model that <c>lmtollm compare</c> can run. Contract: for each query text, the top k documents as
/// <see cref="SearchHit"/>s (document = position in <see cref="RetrievalCollection.Corpus"/>), best first.
/// Implementations must be safe to call once from one thread; they may parallelise internally.
/// </summary>
public interface IRetrievalModel
{
    /// <summary>The model's name, used as run tag and file name (no white space).</summary>
    string Name { get; }

    /// <summary>Searches every query; result i belongs to query i.</summary>
    SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, CancellationToken cancellationToken);
}

/// <summary>
/// The models known to <c>lmtollm compare</c>, by name. Built in: <c>bm25</c> (Lucene BM25, k1 = 1.2, b = 0.75),
/// <c>bm25-&lt;variant&gt;</c> for the other BM25 variants (<c>bm25-lucene-exact</c>, <c>bm25-robertson</c>,
/// <c>bm25-atire</c>, <c>bm25-bm25l</c>, <c>bm25-bm25plus</c>), <c>tfidf</c> (scikit-learn defaults, cosine) and
/// <c>tfidf-sublinear</c>, <c>rm3</c> (BM25 with RM3 feedback). Later capabilities (dense, LSA, hybrid) add theirs with <see cref="Register"/>.
/// </summary>
public static class RetrievalModels
{
    private static readonly object Gate = new();
    private static readonly List<(string Name, string Description, Func<RetrievalCollection, IRetrievalModel> Factory)> Registry = [];

    static RetrievalModels()
    {
        Register("bm25", "BM25, Lucene 4.x arithmetic, k1=1.2 b=0.75", c => new Bm25Model("bm25", Bm25.Create(c.Index)));
        foreach (string variant in Bm25Options.VariantNames.Skip(1))
        {
            var options = new Bm25Options { Variant = Bm25Options.ParseVariant(variant) };
            Register($"bm25-{variant}", $"BM25 variant {options}", c => new Bm25Model($"bm25-{variant}", Bm25.Create(c.Index, options)));
        }
        Register("tfidf", "TF-IDF cosine, scikit-learn TfidfVectorizer defaults", c => new TfIdfModel("tfidf", TfIdf.Create(c.Index)));
        Register("rm3", "BM25 + RM3 pseudo-relevance feedback, Anserini defaults (fbDocs 10, fbTerms 10, original weight 0.5)", c =>
        {
            var rm3 = LmToLlm.Retrieval.Feedback.Rm3.Create(Bm25.Create(c.Index));
            return new DelegateModel("rm3", (q, k, ct) => rm3.SearchMany(q, k, cancellationToken: ct));
        });
        Register("tfidf-sublinear", "TF-IDF cosine with sublinear tf (1 + ln tf)", c => new TfIdfModel("tfidf-sublinear", TfIdf.Create(c.Index, new TfIdfOptions { SublinearTf = true })));
    }

    /// <summary>The registered names, in registration order.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Gate) return Registry.Select(r => r.Name).ToArray();
        }
    }

    /// <summary>The one-line description of a registered model.</summary>
    public static string Describe(string name)
    {
        lock (Gate) return Registry.First(r => r.Name == name).Description;
    }

    /// <summary>Adds (or replaces) a model factory under <paramref name="name"/> (no white space).</summary>
    public static void Register(string name, string description, Func<RetrievalCollection, IRetrievalModel> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(factory);
        if (name.Any(char.IsWhiteSpace)) throw new ArgumentException($"model name '{name}' contains white space", nameof(name));
        lock (Gate)
        {
            int at = Registry.FindIndex(r => r.Name == name);
            if (at >= 0) Registry[at] = (name, description, factory);
            else Registry.Add((name, description, factory));
        }
    }

    /// <summary>Builds the model <paramref name="name"/> for <paramref name="collection"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static IRetrievalModel Create(string name, RetrievalCollection collection)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(collection);
        Func<RetrievalCollection, IRetrievalModel>? factory;
        lock (Gate) factory = Registry.FirstOrDefault(r => r.Name == name).Factory;
        if (factory is null) throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Names)}", nameof(name));
        return factory(collection);
    }

    private sealed class Bm25Model(string name, Bm25 bm25) : IRetrievalModel
    {
        public string Name => name;

        public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, CancellationToken cancellationToken) =>
            bm25.SearchMany(queries, k, cancellationToken: cancellationToken);
    }

    private sealed class TfIdfModel(string name, TfIdf tfidf) : IRetrievalModel
    {
        public string Name => name;

        public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, CancellationToken cancellationToken) =>
            tfidf.SearchMany(queries, k, cancellationToken: cancellationToken);
    }
}
