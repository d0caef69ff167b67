using LmToLlm.Retrieval;

namespace LmToLlm.ML;

/// <summary>
/// Options of the lexical estimators (<see cref="LmToLlmCatalog.TermFrequencyVectors"/>,
/// <see cref="LmToLlmCatalog.TfIdfVectors"/>, <see cref="LmToLlmCatalog.Bm25Vectors"/>). The vocabulary is fitted
/// on the training data: every distinct token (word n-gram) the analyzer produces there, in the order scikit-learn
/// sorts a vocabulary (ordinal), one vector slot each.
/// </summary>
public sealed record LexicalVectorOptions
{
    /// <summary>
    /// The analyzer's stable name (default <c>simple</c>): <c>simple</c>, <c>english</c>, <c>korean</c>,
    /// <c>korean-bigrams</c>, <c>char:MIN-MAX</c>, <c>char-nowrap:MIN-MAX</c> (see <c>Analyzer.FromName</c>).
    /// </summary>
    public string Analyzer { get; init; } = "simple";

    /// <summary>The word n-gram range of the vocabulary (default unigrams, as <see cref="InvertedIndexOptions.Default"/>).</summary>
    public InvertedIndexOptions NGrams { get; init; } = InvertedIndexOptions.Default;

    /// <summary>TF-IDF weighting for <see cref="LmToLlmCatalog.TfIdfVectors"/> (default scikit-learn's: smooth idf, raw tf, L2 norm, no df pruning).</summary>
    public TfIdfOptions TfIdf { get; init; } = TfIdfOptions.Default;

    /// <summary>BM25 weighting for <see cref="LmToLlmCatalog.Bm25Vectors"/> (default Lucene's: k1 = 1.2, b = 0.75, one-byte length norms).</summary>
    public Bm25Options Bm25 { get; init; } = Bm25Options.Default;

    /// <summary>The defaults.</summary>
    public static LexicalVectorOptions Default { get; } = new();
}
