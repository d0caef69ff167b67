using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Feedback;

namespace LmToLlm.Experiments;

/// <summary>
/// The models a comparison can run, by name: each a factory that builds an <see cref="IRanker"/> for a
/// <see cref="RetrievalCollection"/>. A new catalog holds the built-in lexical models: <c>bm25</c> (Lucene BM25,
/// k1 = 1.2, b = 0.75), <c>bm25-&lt;variant&gt;</c> for the other BM25 variants (<c>bm25-lucene-exact</c>,
/// <c>bm25-robertson</c>, <c>bm25-atire</c>, <c>bm25-bm25l</c>, <c>bm25-bm25plus</c>, <c>bm25-lucene8</c>), <c>tfidf</c> (scikit-learn
/// defaults, cosine), <c>tfidf-sublinear</c> and <c>rm3</c> (BM25 with RM3 feedback). Callers add theirs with <see cref="Register(string, string, Func{RetrievalCollection, IRanker})"/> (and
/// <see cref="SemanticModels.Register"/> adds dense, LSA and hybrid); each catalog is independent of the others.
/// Not thread-safe while being registered into.
/// </summary>
public sealed class ModelCatalog
{
    private readonly List<(string Name, string Description, Func<RetrievalCollection, IProgress<double>?, CancellationToken, IRanker> Factory)> _models = [];

    /// <summary>A catalog with the built-in lexical models.</summary>
    public ModelCatalog()
    {
        Register("bm25", "BM25, Lucene 4.x arithmetic, k1=1.2 b=0.75", c => Bm25.Create(c.Index));
        foreach (var variant in Enum.GetValues<Bm25Variant>().Where(v => v != Bm25Variant.Lucene))
        {
            var options = new Bm25Options { Variant = variant };
            Register($"bm25-{Bm25Options.VariantName(variant)}", $"BM25 variant {options}", c => Bm25.Create(c.Index, options));
        }
        Register("tfidf", "TF-IDF cosine, scikit-learn TfidfVectorizer defaults", c => TfIdf.Create(c.Index));
        Register("tfidf-sublinear", "TF-IDF cosine with sublinear tf (1 + ln tf)", c => TfIdf.Create(c.Index, new TfIdfOptions { SublinearTf = true }));
        Register("rm3", "BM25 + RM3 pseudo-relevance feedback, Anserini defaults (fbDocs 10, fbTerms 10, original weight 0.5)",
            c => Rm3.Create(Bm25.Create(c.Index)));
    }

    /// <summary>The registered names, in registration order.</summary>
    internal IReadOnlyList<string> Names => _models.Select(r => r.Name).ToArray();

    /// <summary>The one-line description of a registered model.</summary>
    internal string Describe(string name) => Find(name).Description;

    /// <summary>True when <paramref name="name"/> is registered.</summary>
    internal bool Contains(string name) => _models.Exists(r => r.Name == name);

    /// <summary>Adds (or replaces) a model factory under <paramref name="name"/> (no white space).</summary>
    public void Register(string name, string description, Func<RetrievalCollection, IRanker> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Register(name, description, (c, _, _) => factory(c));
    }

    /// <summary>
    /// Adds (or replaces) a factory for a model whose building takes long: it reports the fraction built (0 to 1) and
    /// honours the cancellation token it is given.
    /// </summary>
    public void Register(string name, string description, Func<RetrievalCollection, IProgress<double>?, CancellationToken, IRanker> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(factory);
        if (name.Any(char.IsWhiteSpace)) throw new ArgumentException($"model name '{name}' contains white space", nameof(name));
        int at = _models.FindIndex(r => r.Name == name);
        if (at >= 0) _models[at] = (name, description, factory);
        else _models.Add((name, description, factory));
    }

    /// <summary>
    /// Builds the model <paramref name="name"/> for <paramref name="collection"/>, reporting the fraction built (0 to 1)
    /// when the model's factory does, and honouring <paramref name="cancellationToken"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public IRanker Create(string name, RetrievalCollection collection, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var factory = Find(name).Factory;
        cancellationToken.ThrowIfCancellationRequested();
        return factory(collection, progress, cancellationToken);
    }

    private (string Name, string Description, Func<RetrievalCollection, IProgress<double>?, CancellationToken, IRanker> Factory) Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int at = _models.FindIndex(r => r.Name == name);
        if (at < 0) throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Names)}", nameof(name));
        return _models[at];
    }
}
