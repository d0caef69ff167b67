namespace LmToLlm.Retrieval;

/// <summary>
/// One BM25 variant's arithmetic in one place (bm25s keeps one function per variant; formulas on
/// <see cref="Bm25Variant"/>, after Kamphuis et al. 2020): its idf, its per-document length factor K, its
/// tf-independent weight, the shape of its tf saturation and the tfNorm its explanation shows. Float arithmetic
/// exactly as the variant's reference computes it; only precomputation calls these, never the per-posting loop.
/// </summary>
internal abstract class Bm25Formula
{
    /// <summary>The formula of <paramref name="variant"/>.</summary>
    internal static Bm25Formula For(Bm25Variant variant) => variant switch
    {
        Bm25Variant.Lucene => LuceneFormula.Quantised,
        Bm25Variant.LuceneExact => LuceneFormula.Exact,
        Bm25Variant.Robertson => RobertsonFormula.Instance,
        Bm25Variant.Atire => AtireFormula.Instance,
        Bm25Variant.Bm25L => Bm25LFormula.Instance,
        Bm25Variant.Bm25Plus => Bm25PlusFormula.Instance,
        Bm25Variant.Lucene8 => Lucene8Formula.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown BM25 variant"),
    };

    /// <summary>True when document lengths go through Lucene's one-byte norm (<see cref="LuceneNorms"/>).</summary>
    public virtual bool QuantisesLength => false;

    /// <summary>The norm byte of a document length (when <see cref="QuantisesLength"/>): Lucene 4's <c>1/√L</c> byte.</summary>
    public virtual byte EncodeLength(int length) => LuceneNorms.EncodeLength(length);

    /// <summary>The length each norm byte stands for (when <see cref="QuantisesLength"/>).</summary>
    public virtual ReadOnlySpan<float> DecodedLengths => LuceneNorms.DecodedLengths;

    /// <summary>
    /// True when N (for idf and L̄) counts only documents with at least one token (Lucene 7+ <c>docCount</c>);
    /// false for every document (Lucene 4 <c>maxDoc</c>).
    /// </summary>
    public virtual bool CountsNonEmptyDocuments => false;

    /// <summary>
    /// True when a term repeated in the query is one clause boosted by its count (Lucene 7+ <c>BooleanQuery.rewrite</c>
    /// merges duplicate SHOULD clauses), false when each occurrence is a clause of its own (Lucene 4).
    /// </summary>
    public virtual bool MergesRepeatedTerms => false;

    /// <summary>How the contribution saturates in tf (<see cref="Bm25TermWeight.Score"/>).</summary>
    public virtual Bm25TermWeight.Shape Shape => Bm25TermWeight.Shape.Saturation;

    /// <summary>idf of a term in <paramref name="df"/> of <paramref name="n"/> documents, in double, cast to float.</summary>
    public abstract float Idf(double n, int df);

    /// <summary>K = k1·(1 − b + b·L/L̄), the length part of the saturation's denominator.</summary>
    public virtual float LengthFactor(float k1, float b, float length, float averageLength) => k1 * ((1 - b) + b * length / averageLength);

    /// <summary>The tf-independent factor: Lucene's <c>weightValue</c> = idf·(k1 + 1) (boosts 1).</summary>
    public virtual float Weight(float idf, float k1) => idf * (k1 + 1);

    /// <summary>The factor of a clause boosted by <paramref name="boost"/> (only when <see cref="MergesRepeatedTerms"/>).</summary>
    public virtual float BoostedWeight(float idf, float k1, int boost) => throw new NotSupportedException("this variant scores every occurrence on its own");

    /// <summary>Lucene's tfNorm as its explanation shows it: tf·(k1 + 1) / (tf + K); score / idf for variants Lucene lacks.</summary>
    public virtual float ExplainTfNorm(float tf, float k1, float lengthFactor, float score, float idf, float weight) => tf * (k1 + 1) / (tf + lengthFactor);

    /// <summary>Lucene 4.x: idf = ln(1 + (N − df + 0.5)/(df + 0.5)), quantised or exact lengths.</summary>
    private sealed class LuceneFormula(bool quantised) : Bm25Formula
    {
        public static readonly LuceneFormula Quantised = new(true), Exact = new(false);

        public override bool QuantisesLength => quantised;

        public override float Idf(double n, int df) => (float)Math.Log(1 + (n - df + 0.5D) / (df + 0.5D));
    }

    /// <summary>Robertson: idf = ln(max(1, (N − df + 0.5)/(df + 0.5))), contribution idf·tf / (tf + K).</summary>
    private sealed class RobertsonFormula : Bm25Formula
    {
        public static readonly RobertsonFormula Instance = new();

        public override float Idf(double n, int df) => (float)Math.Log(Math.Max(1.0, (n - df + 0.5D) / (df + 0.5D)));

        public override float Weight(float idf, float k1) => idf;

        public override float ExplainTfNorm(float tf, float k1, float lengthFactor, float score, float idf, float weight) => tf / (tf + lengthFactor);
    }

    /// <summary>ATIRE: idf = ln(N/df).</summary>
    private sealed class AtireFormula : Bm25Formula
    {
        public static readonly AtireFormula Instance = new();

        public override float Idf(double n, int df) => (float)Math.Log(n / df);
    }

    /// <summary>BM25L: idf = ln((N + 1)/(df + 0.5)), K = 1 − b + b·L/L̄ (no k1), c = tf/K.</summary>
    private sealed class Bm25LFormula : Bm25Formula
    {
        public static readonly Bm25LFormula Instance = new();

        public override Bm25TermWeight.Shape Shape => Bm25TermWeight.Shape.Bm25L;

        public override float Idf(double n, int df) => (float)Math.Log((n + 1) / (df + 0.5D));

        public override float LengthFactor(float k1, float b, float length, float averageLength) => (1 - b) + b * length / averageLength;

        public override float ExplainTfNorm(float tf, float k1, float lengthFactor, float score, float idf, float weight) => idf == 0 ? 0 : score / idf;
    }

    /// <summary>BM25+: idf = ln((N + 1)/df), contribution idf·((k1 + 1)·tf / (K + tf) + δ).</summary>
    private sealed class Bm25PlusFormula : Bm25Formula
    {
        public static readonly Bm25PlusFormula Instance = new();

        public override Bm25TermWeight.Shape Shape => Bm25TermWeight.Shape.Bm25Plus;

        public override float Idf(double n, int df) => (float)Math.Log((n + 1) / df);

        public override float ExplainTfNorm(float tf, float k1, float lengthFactor, float score, float idf, float weight) => idf == 0 ? 0 : score / idf;
    }

    /// <summary>
    /// Lucene 8 <c>BM25Similarity</c> (the scores of Elasticsearch 7 and OpenSearch): idf as Lucene 4 but over
    /// docCount, L̄ = total tokens / docCount, the length stored as <c>SmallFloat.intToByte4</c>, a cache of
    /// 1/K per norm byte and contribution weight − weight / (1 + tf·(1/K)) with weight = boost·idf (no k1 + 1).
    /// </summary>
    private sealed class Lucene8Formula : Bm25Formula
    {
        public static readonly Lucene8Formula Instance = new();

        public override bool QuantisesLength => true;

        public override byte EncodeLength(int length) => LuceneNorms.IntToByte4(length);

        public override ReadOnlySpan<float> DecodedLengths => LuceneNorms.DecodedLengths4;

        public override bool CountsNonEmptyDocuments => true;

        public override bool MergesRepeatedTerms => true;

        public override Bm25TermWeight.Shape Shape => Bm25TermWeight.Shape.InverseSaturation;

        public override float Idf(double n, int df) => (float)Math.Log(1 + (n - df + 0.5D) / (df + 0.5D));

        // Lucene 8 caches the inverse: cache[i] = 1f / (k1·((1 − b) + b·LENGTH_TABLE[i]/avgdl)).
        public override float LengthFactor(float k1, float b, float length, float averageLength) => 1f / (k1 * ((1 - b) + b * length / averageLength));

        public override float Weight(float idf, float k1) => idf;

        public override float BoostedWeight(float idf, float k1, int boost) => boost * idf;

        // Lucene 8 explains the tf part as freq / (freq + K), which is score / weight.
        public override float ExplainTfNorm(float tf, float k1, float lengthFactor, float score, float idf, float weight) => weight == 0 ? 0 : score / weight;
    }
}
