namespace LmToLlm.Primitives;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seeded generator, identical on every platform, for
/// initialisation, shuffling, hash coefficients and the synthetic collections. A class, so that helpers handed the
/// generator advance the one stream.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next() => Next(ref _state);

    /// <summary>The SplitMix64 step on a caller-held state.</summary>
    public static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n) from all 64 bits (multiply-shift; the bias is below 2⁻³² for n &lt; 2³¹).</summary>
    public ulong NextBelow(ulong n) => (ulong)(((UInt128)Next() * n) >> 64);

    /// <summary>Uniform in [0, n) from the high 32 bits (multiply-shift; the bias is below 2⁻³² for the small n it serves).</summary>
    public int NextSmall(int n) => (int)(((Next() >> 32) * (ulong)n) >> 32);

    /// <summary>k distinct values of [0, n), in draw order (partial Fisher–Yates with <see cref="NextSmall"/>).</summary>
    public int[] Sample(int n, int k)
    {
        var all = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < k; i++)
        {
            int j = i + NextSmall(n - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all[..k];
    }
}
