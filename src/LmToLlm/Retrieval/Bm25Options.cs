using System.Globalization;

namespace LmToLlm.Retrieval;

/// <summary>
/// The BM25 variants, as catalogued by Kamphuis, de Vries, Boytsov and Lin, "Which BM25 Do You Mean? A Large-Scale
/// Reproducibility Study of Scoring Variants", ECIR 2020. Notation: N = number of documents (including empty ones,
/// Lucene <c>maxDoc</c>), df = document frequency, tf = term frequency in the document, L = document length in
/// tokens, L̄ = total tokens / N. A document's score is the sum over the query's term occurrences of the term's
/// contribution; all per-term arithmetic is in float (IEEE single), the sum in double, the result cast to float.
/// </summary>
public enum Bm25Variant
{
    /// <summary>
    /// Lucene 4.x <c>BM25Similarity</c>, bit for bit (the default): idf = ln(1 + (N − df + 0.5)/(df + 0.5)),
    /// contribution = idf·(k1+1)·tf / (tf + k1·(1 − b + b·L̂/L̄)), where L̂ is the length quantised to one byte
    /// (<see cref="LuceneNorms"/>), and the <c>k1·(…)</c> part comes from a 256-entry cache.
    /// </summary>
    Lucene,

    /// <summary>As <see cref="Lucene"/> but with the exact document length L instead of L̂ ("Lucene (accurate)" in Kamphuis et al.).</summary>
    LuceneExact,

    /// <summary>
    /// Robertson et al. (original): contribution = idf·tf / (tf + k1·(1 − b + b·L/L̄)) with
    /// idf = ln((N − df + 0.5)/(df + 0.5)). That idf is negative for terms in more than half of the documents,
    /// which breaks "more matching terms never hurts"; here it is clamped at 0:
    /// idf = ln(max(1, (N − df + 0.5)/(df + 0.5))) (the fix bm25s applies by default).
    /// </summary>
    Robertson,

    /// <summary>ATIRE (Trotman et al. 2014): idf = ln(N/df), contribution = idf·(k1+1)·tf / (tf + k1·(1 − b + b·L/L̄)).</summary>
    Atire,

    /// <summary>
    /// BM25L (Lv and Zhai 2011): idf = ln((N + 1)/(df + 0.5)), c = tf / (1 − b + b·L/L̄),
    /// contribution = idf·(k1+1)·(c + δ) / (k1 + c + δ); δ defaults to 0.5.
    /// </summary>
    Bm25L,

    /// <summary>
    /// BM25+ (Lv and Zhai 2011): idf = ln((N + 1)/df),
    /// contribution = idf·((k1+1)·tf / (k1·(1 − b + b·L/L̄) + tf) + δ) for documents containing the term; δ defaults to 1.
    /// </summary>
    Bm25Plus,

    /// <summary>
    /// Lucene 8 <c>BM25Similarity</c>, bit for bit (the scores Elasticsearch 7 and OpenSearch users see):
    /// idf = ln(1 + (N′ − df + 0.5)/(df + 0.5)) and L̄ = total tokens / N′ with N′ = documents having at least one token
    /// (Lucene's <c>docCount</c>), contribution = idf·tf / (tf + k1·(1 − b + b·L̂/L̄)) computed as
    /// w − w/(1 + tf·(1/K)), where L̂ is the length stored as <c>SmallFloat.intToByte4</c> (<see cref="LuceneNorms"/>),
    /// no (k1 + 1) factor; a term repeated in the query is one clause with w = count·idf.
    /// </summary>
    Lucene8,
}

/// <summary>
/// BM25 parameters. Defaults: <see cref="Bm25Variant.Lucene"/>, k1 = 1.2, b = 0.75, δ = the variant's default. Each
/// property checks its value when set: <see cref="ArgumentOutOfRangeException"/> naming the property.
/// </summary>
public sealed record Bm25Options
{
    /// <summary>The scoring variant (default <see cref="Bm25Variant.Lucene"/>).</summary>
    public Bm25Variant Variant
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Variant), value, "unknown BM25 variant");
    } = Bm25Variant.Lucene;

    /// <summary>Term-frequency saturation k1 ≥ 0 (default 1.2).</summary>
    public float K1
    {
        get;
        init => field = float.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(K1), value, "k1 must be a finite number ≥ 0");
    } = 1.2f;

    /// <summary>Length normalisation 0 ≤ b ≤ 1 (default 0.75).</summary>
    public float B
    {
        get;
        init => field = float.IsFinite(value) && value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(B), value, "b must be between 0 and 1");
    } = 0.75f;

    /// <summary>δ ≥ 0 for BM25L (default 0.5) and BM25+ (default 1); null = the variant's default; ignored by other variants.</summary>
    public float? Delta
    {
        get;
        init => field = value is not float d || (float.IsFinite(d) && d >= 0) ? value : throw new ArgumentOutOfRangeException(nameof(Delta), value, "delta must be a finite number ≥ 0");
    }

    /// <summary>The δ in use: <see cref="Delta"/>, or 0.5 for BM25L, 1 for BM25+, 0 otherwise.</summary>
    internal float EffectiveDelta => Delta ?? Variant switch
    {
        Bm25Variant.Bm25L => 0.5f,
        Bm25Variant.Bm25Plus => 1f,
        _ => 0f,
    };

    /// <summary>Default options (Lucene, k1 = 1.2, b = 0.75).</summary>
    public static Bm25Options Default { get; } = new();

    /// <summary>The names <see cref="ParseVariant"/> accepts, in enum order.</summary>
    internal static IReadOnlyList<string> VariantNames { get; } = ["lucene", "lucene-exact", "robertson", "atire", "bm25l", "bm25plus", "lucene8"];

    /// <summary>The stable name of a variant (<c>lucene</c>, <c>lucene-exact</c>, <c>robertson</c>, <c>atire</c>, <c>bm25l</c>, <c>bm25plus</c>, <c>lucene8</c>).</summary>
    internal static string VariantName(Bm25Variant variant) => VariantNames[(int)variant];

    /// <summary>The variant with the given name; <see cref="ArgumentException"/> listing the known names otherwise.</summary>
    internal static Bm25Variant ParseVariant(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < VariantNames.Count; i++)
            if (string.Equals(VariantNames[i], name, StringComparison.OrdinalIgnoreCase)) return (Bm25Variant)i;
        throw new ArgumentException($"unknown BM25 variant '{name}'; known variants: {string.Join(", ", VariantNames)}", nameof(name));
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{VariantName(Variant)}(k1={K1}, b={B}{(Variant is Bm25Variant.Bm25L or Bm25Variant.Bm25Plus ? $", delta={EffectiveDelta}" : "")})");
}
