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
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown BM25 variant"),
    };

    /// <summary>True when document lengths go through Lucene's one-byte norm (<see cref="LuceneNorms"/>).</summary>
    public virtual bool QuantisesLength => false;

    /// <summary>How the contribution saturates in tf (<see cref="Bm25TermWeight.Score"/>).</summary>
    public virtual Bm25TermWeight.Shape Shape => Bm25TermWeight.Shape.Saturation;

    /// <summary>idf of a term in <paramref name="df"/> of <paramref name="n"/> documents, in double, cast to float.</summary>
    public abstract float Idf(double n, int df);

    /// <summary>K = k1·(1 − b + b·L/L̄), the length part of the saturation's denominator.</summary>
    public virtual float LengthFactor(float k1, float b, float length, float averageLength) => k1 * ((1 - b) + b * length / averageLength);

    /// <summary>The tf-independent factor: Lucene's <c>weightValue</c> = idf·(k1 + 1) (boosts 1).</summary>
    public virtual float Weight(float idf, float k1) => idf * (k1 + 1);

    /// <summary>Lucene's tfNorm as its explanation shows it: tf·(k1 + 1) / (tf + K); score / idf for variants Lucene lacks.</summary>
    public virtual float ExplainTfNorm(float tf, float k1, float lengthFactor, float score, float idf) => tf * (k1 + 1) / (tf + lengthFactor);

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

        public override float ExplainTfNorm(float tf, float k1, float lengthFactor, float score, float idf) => tf / (tf + lengthFactor);
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

        public override float ExplainTfNorm(float tf, float k1, float lengthFactor, float score, float idf) => idf == 0 ? 0 : score / idf;
    }

    /// <summary>BM25+: idf = ln((N + 1)/df), contribution idf·((k1 + 1)·tf / (K + tf) + δ).</summary>
    private sealed class Bm25PlusFormula : Bm25Formula
    {
        public static readonly Bm25PlusFormula Instance = new();

        public override Bm25TermWeight.Shape Shape => Bm25TermWeight.Shape.Bm25Plus;

        public override float Idf(double n, int df) => (float)Math.Log((n + 1) / df);

        public override float ExplainTfNorm(float tf, float k1, float lengthFactor, float score, float idf) => idf == 0 ? 0 : score / idf;
    }
}
