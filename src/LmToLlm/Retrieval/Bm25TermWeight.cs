using System.Runtime.CompilerServices;

namespace LmToLlm.Retrieval;

/// <summary>
/// The precomputed weight of one query term under a BM25 variant: idf, the per-term factor and the exact largest
/// contribution of the term over the collection (<see cref="MaxScore"/>, the MaxScore pruning bound). Scored on
/// (tf, length factor) alone, with no document id (tantivy's <c>Bm25Weight::score(fieldnorm_id, term_freq)</c>);
/// the length factor of a document is <see cref="Bm25.LengthFactor"/>.
/// </summary>
internal readonly record struct Bm25TermWeight
{
    internal enum Shape : byte { Saturation, Bm25L, Bm25Plus, InverseSaturation }

    internal Bm25TermWeight(int term, float idf, float weight, float k1, float delta, Shape kind, float maxScore)
    {
        Term = term;
        Idf = idf;
        Weight = weight;
        K1 = k1;
        Delta = delta;
        Kind = kind;
        MaxScore = maxScore;
    }

    /// <summary>The term id.</summary>
    internal int Term { get; }

    /// <summary>The variant's idf (float).</summary>
    internal float Idf { get; }

    /// <summary>The tf-independent factor: idf·(k1 + 1) (Lucene's <c>weightValue</c>); idf for Robertson.</summary>
    internal float Weight { get; }

    /// <summary>k1.</summary>
    internal float K1 { get; }

    /// <summary>δ (BM25L, BM25+).</summary>
    internal float Delta { get; }

    internal Shape Kind { get; }

    /// <summary>The largest contribution of this term to any document (exact, same float arithmetic as <see cref="Score"/>).</summary>
    internal float MaxScore { get; init; }

    /// <summary>
    /// The contribution for a document containing the term <paramref name="tf"/> times, whose length factor is
    /// <paramref name="lengthFactor"/> (float arithmetic): Lucene family <c>Weight·tf / (tf + K)</c> with
    /// K = k1·(1 − b + b·L/L̄) (Lucene: from the norm cache); Lucene 8 <c>Weight − Weight/(1 + tf·(1/K))</c> with
    /// the length factor 1/K; BM25L and BM25+ as documented on <see cref="Bm25Variant"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal float Score(int tf, float lengthFactor)
    {
        float f = tf;
        switch (Kind)
        {
            case Shape.Saturation:
                return Weight * f / (f + lengthFactor);
            case Shape.InverseSaturation:
                // Lucene 8: the length factor is 1/K, and weight·tf/(tf + K) is computed as weight − weight/(1 + tf/K).
                return Weight - Weight / (1f + f * lengthFactor);
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
