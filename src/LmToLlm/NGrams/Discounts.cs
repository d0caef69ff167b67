namespace LmToLlm.NGrams;

/// <summary>
/// Kneser-Ney discounts of one order: D1 for n-grams with (adjusted) count 1, D2 for count 2, D3+ for counts ≥ 3.
/// Float32 like <c>lmplz</c>.
/// </summary>
public readonly record struct Discount
{
    internal Discount(float D1, float D2, float D3Plus)
    {
        this.D1 = D1; this.D2 = D2; this.D3Plus = D3Plus;
    }

    /// <summary>Discount of n-grams seen once.</summary>
    public float D1 { get; }

    /// <summary>Discount of n-grams seen twice.</summary>
    public float D2 { get; }

    /// <summary>Discount of n-grams seen three times or more.</summary>
    public float D3Plus { get; }

    /// <summary><c>lmplz --discount_fallback</c>'s default: D1 = 0.5, D2 = 1, D3+ = 1.5.</summary>
    internal static Discount LmplzFallback { get; } = new(0.5f, 1f, 1.5f);

    /// <summary>The discount for a count: 0 for 0, D1, D2, D3+ for 3 and above.</summary>
    internal float Get(long count) => count switch { <= 0 => 0f, 1 => D1, 2 => D2, _ => D3Plus };

    /// <summary>(float)count − D(count), as <c>lmplz</c> computes it.</summary>
    internal float Apply(long count) => (float)count - Get(count);
}

/// <summary>Counts-of-counts of one order: how many n-grams have (adjusted) count 1, 2, 3 and 4.</summary>
internal readonly record struct CountsOfCounts
{
    internal CountsOfCounts(long N1, long N2, long N3, long N4)
    {
        this.N1 = N1; this.N2 = N2; this.N3 = N3; this.N4 = N4;
    }

    /// <summary>n-grams seen once.</summary>
    public long N1 { get; }

    /// <summary>n-grams seen twice.</summary>
    public long N2 { get; }

    /// <summary>n-grams seen three times.</summary>
    public long N3 { get; }

    /// <summary>n-grams seen four times.</summary>
    public long N4 { get; }

    /// <summary>
    /// Modified Kneser-Ney discounts (Chen &amp; Goodman 1998, eq. 26): Y = n1 / (n1 + 2 n2),
    /// D_k = k − (k+1) · Y · n_{k+1} / n_k for k = 1, 2, 3. Evaluated in float32 left to right with a rounding after
    /// each operation, exactly as <c>lmplz</c> (so the results are equal bit for bit).
    /// </summary>
    /// <exception cref="BadDiscountException">Some n_k is 0, or a discount falls outside [0, k] (as <c>lmplz</c>).</exception>
    public Discount Modified(int order)
    {
        long[] n = [0, N1, N2, N3, N4];
        for (int j = 1; j <= 3; j++)
        {
            if (n[j] == 0)
                throw new BadDiscountException($"could not calculate Kneser-Ney discounts for {order}-grams with adjusted count {j + 1} because no {order}-grams with adjusted count {j} were observed; is this small or artificial data? Pass --discount-fallback (DiscountFallback) to use D1=0.5 D2=1 D3+=1.5 instead", order);
        }
        float y = (float)n[1] / (float)(n[1] + 2.0 * n[2]);
        Span<float> d = stackalloc float[4];
        for (int j = 1; j <= 3; j++)
        {
            float term = (float)(j + 1) * y;
            term *= (float)n[j + 1];
            term /= (float)n[j];
            d[j] = (float)j - term;
            if (d[j] < 0f || d[j] > j)
                throw new BadDiscountException($"{order}-gram discount out of range for adjusted count {j}: {d[j]} (counts-of-counts n1..n4 = {N1} {N2} {N3} {N4}); the data is probably small or artificial. Pass --discount-fallback (DiscountFallback) to use D1=0.5 D2=1 D3+=1.5 instead", order);
        }
        return new Discount(d[1], d[2], d[3]);
    }

    /// <summary>The single Kneser-Ney discount D = n1 / (n1 + 2 n2) (Ney, Essen &amp; Kneser 1994), used for all counts.</summary>
    /// <exception cref="BadDiscountException">n1 or n2 is 0.</exception>
    public Discount Single(int order)
    {
        if (N1 == 0 || N2 == 0)
            throw new BadDiscountException($"could not calculate the Kneser-Ney discount for {order}-grams: n1 = {N1}, n2 = {N2} (no n-grams with adjusted count 1 or 2); is this small or artificial data? Pass --discount-fallback to use D=0.5 D2=1 D3+=1.5 instead", order);
        float d = (float)N1 / (float)(N1 + 2.0 * N2);
        return new Discount(d, d, d);
    }
}

/// <summary>Kneser-Ney discounts cannot be estimated from the counts of one order (the error <c>lmplz</c> raises).</summary>
internal sealed class BadDiscountException(string message, int order) : LmToLlmException(message)
{
    /// <summary>The n-gram order whose discounts failed.</summary>
    internal int Order { get; } = order;
}

/// <summary>What Kneser-Ney estimation found for one order.</summary>
public sealed record OrderStatistics
{
    internal OrderStatistics(int Order, long NGrams, CountsOfCounts Counts, Discount Discount, bool IsFallback)
    {
        this.Order = Order; this.NGrams = NGrams; this.Counts = Counts; this.Discount = Discount; this.IsFallback = IsFallback;
    }

    /// <summary>The n-gram order.</summary>
    public int Order { get; }

    /// <summary>Number of n-grams of this order in the model.</summary>
    public long NGrams { get; }

    /// <summary>The counts-of-counts the discounts were computed from (adjusted counts below the highest order).</summary>
    internal CountsOfCounts Counts { get; }

    /// <summary>The discounts used.</summary>
    public Discount Discount { get; }

    /// <summary>True when the discounts could not be estimated and the fallback was used.</summary>
    public bool IsFallback { get; }
}
