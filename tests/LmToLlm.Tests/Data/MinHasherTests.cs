using System.Numerics;
using FsCheck.Xunit;
using LmToLlm.Data;

namespace LmToLlm.Tests.Data;

public class MinHasherTests
{
    private static readonly BigInteger P = (BigInteger.One << 61) - 1;

    [Property(MaxTest = 500)]
    public bool Modular_arithmetic_matches_big_integers(ulong a0, ulong x0, ulong b0, int spread)
    {
        // FsCheck's ulongs are small; spread them over 64 bits too.
        if ((spread & 1) == 1) { a0 *= 0x9E3779B97F4A7C15UL; x0 = ~x0 * 0xBF58476D1CE4E5B9UL; b0 ^= 0xFFFF_FFFF_0000_0000UL; }
        ulong a = a0 % MinHasher.Prime, x = MinHasher.Reduce(x0), b = b0 % MinHasher.Prime;
        return (BigInteger)x == x0 % P && (BigInteger)MinHasher.MulAddMod(a, x, b) == ((BigInteger)a * x + b) % P;
    }

    [Fact]
    public void Modular_arithmetic_at_the_edges()
    {
        // Edge values near the prime and 2^64.
        foreach (ulong v in new[] { 0UL, 1UL, MinHasher.Prime - 1, MinHasher.Prime, MinHasher.Prime + 1, ulong.MaxValue })
        {
            Assert.Equal(v % P, (BigInteger)MinHasher.Reduce(v));
            ulong r = MinHasher.Reduce(v);
            Assert.Equal(((BigInteger)(MinHasher.Prime - 1) * r + (MinHasher.Prime - 1)) % P, (BigInteger)MinHasher.MulAddMod(MinHasher.Prime - 1, r, MinHasher.Prime - 1));
        }
    }

    [Fact]
    public void Signature_entry_is_the_minimum_hash_over_the_set()
    {
        var hasher = MinHasher.Create(numPerm: 4, seed: 7);
        ulong[] set = [3, 1_000_000_007, ulong.MaxValue];
        var sig = new uint[4];
        hasher.Compute(set, sig);
        for (int i = 0; i < 4; i++)
            Assert.Equal(set.Min(x => hasher.Hash(i, x)), sig[i]);
        // Order and repetition do not matter: it is a set sketch.
        var again = new uint[4];
        hasher.Compute([ulong.MaxValue, 3, 3, 1_000_000_007], again);
        Assert.Equal(sig, again);
    }

    [Fact]
    public void Empty_set_gives_all_max_and_identical_sets_estimate_one()
    {
        var hasher = MinHasher.Create(16);
        var sig = new uint[16];
        hasher.Compute([], sig);
        Assert.All(sig, v => Assert.Equal(uint.MaxValue, v));
        var a = new uint[16];
        var b = new uint[16];
        hasher.Compute([1, 2, 3], a);
        hasher.Compute([3, 2, 1], b);
        Assert.Equal(1.0, MinHasher.EstimateJaccard(a, b));
    }

    [Fact]
    public void Same_seed_same_signature_other_seed_other_signature()
    {
        ulong[] set = [11, 22, 33, 44];
        var a = new uint[32];
        var b = new uint[32];
        var c = new uint[32];
        MinHasher.Create(32, 5).Compute(set, a);
        MinHasher.Create(32, 5).Compute(set, b);
        MinHasher.Create(32, 6).Compute(set, c);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Estimate_is_unbiased_within_four_standard_errors()
    {
        // Sets of 300 with 200 shared: J = 200 / 400 = 0.5; 1024 permutations: standard error √(0.25/1024) = 0.0156.
        var hasher = MinHasher.Create(1024, 3);
        ulong[] a = [.. Enumerable.Range(0, 300).Select(i => (ulong)i * 7919)];
        ulong[] b = [.. Enumerable.Range(100, 300).Select(i => (ulong)i * 7919)];
        var sa = new uint[1024];
        var sb = new uint[1024];
        hasher.Compute(a, sa);
        hasher.Compute(b, sb);
        Assert.InRange(MinHasher.EstimateJaccard(sa, sb), 0.5 - 4 * 0.0156, 0.5 + 4 * 0.0156);
    }
}

/// <summary>The vectorized signature path must give the scalar path's signature bit for bit.</summary>
[Collection(nameof(MinHasherPathTests))]
public class MinHasherPathTests
{
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool Vector_and_scalar_paths_agree(ulong[] shingles, int seed)
    {
        var hasher = MinHasher.Create(64, (ulong)seed);
        ulong[] spread = [.. shingles.Select(s => s * 0x9E3779B97F4A7C15UL), ulong.MaxValue, MinHasher.Prime, MinHasher.Prime - 1, 0];
        var vector = new uint[64];
        var scalar = new uint[64];
        lock (typeof(MinHasher))
        {
            MinHasher.UseVectors = true;
            hasher.Compute(spread, vector);
            MinHasher.UseVectors = false;
            try { hasher.Compute(spread, scalar); }
            finally { MinHasher.UseVectors = true; }
        }
        // And both equal the definition: the minimum of h_i over the set.
        return vector.AsSpan().SequenceEqual(scalar) && Enumerable.Range(0, 64).All(i => scalar[i] == spread.Min(x => hasher.Hash(i, x)));
    }
}
