using LmToLlm.Embeddings;
using LmToLlm.Retrieval.Dense;
using Microsoft.ML;

namespace LmToLlm.ML;

/// <summary>
/// LmToLlm's featurizers as ML.NET text transforms: <c>mlContext.Transforms.Text.TfIdfVectors("Features", "Text")</c>.
/// Each reads a scalar text column and writes a known-size float vector column; fitted pipelines save and load
/// with <c>mlContext.Model</c> (call <see cref="RegisterLmToLlm"/> on the loading context first).
/// </summary>
public static class LmToLlmCatalog
{
    /// <summary>
    /// Term-frequency vectors: slot i = the number of occurrences of vocabulary term i in the text (scikit-learn
    /// <c>CountVectorizer</c> with this library's analyzer); terms unseen in training are dropped.
    /// </summary>
    /// <param name="catalog">The text transforms of an <see cref="MLContext"/>.</param>
    /// <param name="outputColumnName">The vector column to write.</param>
    /// <param name="inputColumnName">The text column to read (default: <paramref name="outputColumnName"/>).</param>
    /// <param name="options">Analyzer and n-gram range (default <c>simple</c> unigrams).</param>
    public static TextVectorEstimator TermFrequencyVectors(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string? inputColumnName = null, LexicalVectorOptions? options = null) =>
        Lexical(catalog, outputColumnName, inputColumnName, options, LexicalWeighting.TermFrequency);

    /// <summary>
    /// TF-IDF vectors exactly as scikit-learn's <c>TfidfVectorizer.transform</c> with this library's analyzer (the
    /// weighting of <c>LmToLlm.Retrieval.TfIdf</c>): w(t) = tf'(t)·idf(t) / norm, idf(t) = ln((1 + N)/(1 + df(t))) + 1
    /// over the N training texts, L2 norm by default; computed in double, stored as float.
    /// </summary>
    /// <param name="catalog">The text transforms of an <see cref="MLContext"/>.</param>
    /// <param name="outputColumnName">The vector column to write.</param>
    /// <param name="inputColumnName">The text column to read (default: <paramref name="outputColumnName"/>).</param>
    /// <param name="options">Analyzer, n-gram range and <see cref="LexicalVectorOptions.TfIdf"/> (default scikit-learn's).</param>
    public static TextVectorEstimator TfIdfVectors(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string? inputColumnName = null, LexicalVectorOptions? options = null) =>
        Lexical(catalog, outputColumnName, inputColumnName, options, LexicalWeighting.TfIdf);

    /// <summary>
    /// BM25-weighted vectors: slot t = the BM25 contribution of term t for the text taken as one more document of the
    /// training collection, idf(t)·(k1 + 1)·tf / (tf + k1·(1 − b + b·L/L̄)) for Lucene's BM25 (Robertson et al. 1994;
    /// Lucene 4 BM25Similarity with its one-byte length norm), i.e. <c>LmToLlm.Retrieval.Bm25.TextVector</c>.
    /// </summary>
    /// <param name="catalog">The text transforms of an <see cref="MLContext"/>.</param>
    /// <param name="outputColumnName">The vector column to write.</param>
    /// <param name="inputColumnName">The text column to read (default: <paramref name="outputColumnName"/>).</param>
    /// <param name="options">Analyzer, n-gram range and <see cref="LexicalVectorOptions.Bm25"/> (default Lucene, k1 = 1.2, b = 0.75).</param>
    public static TextVectorEstimator Bm25Vectors(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string? inputColumnName = null, LexicalVectorOptions? options = null) =>
        Lexical(catalog, outputColumnName, inputColumnName, options, LexicalWeighting.Bm25);

    /// <summary>
    /// Dense document vectors pooled from word vectors (Word2Vec, fastText, GloVe in word2vec format) by
    /// <c>LmToLlm.Retrieval.Dense.DenseEncoder</c>: mean, TF-IDF-weighted mean or SIF (Arora et al. 2017, default);
    /// the pooling statistics (idf, word frequencies, SIF's removed component) are fitted on the training texts.
    /// The word vectors are saved inside the model.
    /// </summary>
    /// <param name="catalog">The text transforms of an <see cref="MLContext"/>.</param>
    /// <param name="outputColumnName">The vector column to write.</param>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="inputColumnName">The text column to read (default: <paramref name="outputColumnName"/>).</param>
    /// <param name="options">Pooling, SIF's a and the analyzer (default SIF, a = 1e-3, <c>simple</c>).</param>
    public static TextVectorEstimator DocumentEmbeddings(this TransformsCatalog.TextTransforms catalog, string outputColumnName, WordVectors vectors, string? inputColumnName = null, DenseEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        options ??= new DenseEncoderOptions();
        return new TextVectorEstimator(ContextOf(catalog), CheckName(outputColumnName), inputColumnName ?? outputColumnName,
            texts => new DenseFeaturizer(DenseEncoder.Fit(vectors, texts, options)));
    }

    /// <summary>
    /// Registers this assembly with <paramref name="context"/>'s component catalog, which <c>mlContext.Model.Load</c>
    /// needs to find the LmToLlm mappings of a saved pipeline (as for any ML.NET custom mapping). Returns the context.
    /// </summary>
    public static MLContext RegisterLmToLlm(this MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ComponentCatalog.RegisterAssembly(typeof(LmToLlmCatalog).Assembly);
        return context;
    }

    private static TextVectorEstimator Lexical(TransformsCatalog.TextTransforms catalog, string outputColumnName, string? inputColumnName, LexicalVectorOptions? options, LexicalWeighting weighting)
    {
        options ??= LexicalVectorOptions.Default;
        _ = Text.Analyzer.FromName(options.Analyzer);   // an unknown analyzer fails here, not at Fit
        // k1, b, δ and the n-gram bounds were checked when set; MaxNGram ≥ MinNGram is checked at Fit.
        return new TextVectorEstimator(ContextOf(catalog), CheckName(outputColumnName), inputColumnName ?? outputColumnName,
            texts => LexicalFeaturizer.Fit(texts, weighting, options));
    }

    private static string CheckName(string outputColumnName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        return outputColumnName;
    }

    /// <summary>
    /// The context the helper chains are built with. ML.NET keeps a catalog's environment internal, so the chains
    /// (trivial, deterministic transforms: copies, custom mappings, a value map) are built on one shared context;
    /// creating an <see cref="MLContext"/> per estimator would cost more than fitting a small vocabulary.
    /// </summary>
    private static MLContext ContextOf(TransformsCatalog.TextTransforms catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return SharedContext.Value;
    }

    private static readonly Lazy<MLContext> SharedContext = new(() => new MLContext(seed: 0));
}
