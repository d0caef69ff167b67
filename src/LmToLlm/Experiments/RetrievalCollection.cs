using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Experiments;

/// <summary>
/// A collection prepared once for every model of a comparison: the documents in corpus order and an inverted index
/// over them (document id i = i-th document). Models that need other structures (dense vectors, LSA) build them from
/// <see cref="Corpus"/> in their factory.
/// </summary>
public sealed class RetrievalCollection
{
    /// <summary>Creates the collection; <paramref name="index"/> must have been built from <paramref name="corpus"/> in order.</summary>
    internal RetrievalCollection(IReadOnlyList<Document> corpus, InvertedIndex index)
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
