using LmToLlm.Embeddings;

namespace LmToLlm.Retrieval.Dense;

/// <summary>
/// Dense retrieval as an <see cref="IRanker"/>: a query text is pooled by <see cref="Encoder"/> and ranked by exact
/// cosine in <see cref="Index"/>. Input: an encoder and an index of the collection encoded with it. Output: top k by cosine.
/// </summary>
public sealed class DenseRanker : IRanker
{
    /// <summary>Pairs an encoder with the index of the documents it encoded.</summary>
    /// <exception cref="ArgumentException">The index holds vectors of another length than the encoder gives.</exception>
    public DenseRanker(DenseEncoder encoder, DenseIndex index)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(index);
        if (encoder.Dimensions != index.Dimensions)
            throw new ArgumentException($"the encoder gives {encoder.Dimensions}-dimensional vectors but the index holds {index.Dimensions}-dimensional ones", nameof(index));
        Encoder = encoder;
        Index = index;
    }

    /// <summary>Fits an encoder on <paramref name="collectionTexts"/> and indexes them (document i = text i).</summary>
    internal static DenseRanker Build(WordVectors vectors, IReadOnlyList<string> collectionTexts, DenseEncoderOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collectionTexts);
        var encoder = DenseEncoder.Fit(vectors, collectionTexts, options, cancellationToken);
        return new DenseRanker(encoder, DenseIndex.Create(encoder.EncodeMany(collectionTexts, cancellationToken: cancellationToken), encoder.Dimensions));
    }

    /// <summary>The query and document encoder.</summary>
    internal DenseEncoder Encoder { get; }

    /// <summary>The document vectors.</summary>
    internal DenseIndex Index { get; }

    /// <inheritdoc />
    public SearchHit[] Search(string query, int k)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Index.Search(Encoder.Encode(query), k);
    }

    /// <inheritdoc />
    public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return Index.SearchMany(queries.Select(Encoder.Encode).ToArray(), k, maxDegreeOfParallelism, cancellationToken);
    }
}
