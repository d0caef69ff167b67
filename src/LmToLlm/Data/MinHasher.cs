using System.Numerics;
using System.Runtime.CompilerServices;

namespace LmToLlm.Data;

/// <summary>
/// MinHash signatures (Broder 1997): for permutation i, sig[i] = min over shingles x of h_i(x), where
/// h_i(x) = ((a_i·x + b_i) mod p) mod 2^32 with p = 2^61 − 1 (a Mersenne prime), a_i ∈ [1, p), b_i ∈ [0, p)
/// drawn from a SplitMix64 stream seeded by <see cref="Seed"/> — the Carter–Wegman universal family over 64-bit
/// keys, as datasketch's <c>MinHash</c> uses. For two sets with Jaccard similarity J, P(sig_A[i] = sig_B[i]) ≈ J,
/// so the fraction of equal entries estimates J with standard error √(J(1−J)/num_perm).
/// Immutable and thread-safe.
/// </summary>
public sealed class MinHasher
{
    /// <summary>The Mersenne prime 2^61 − 1.</summary>
    public const ulong Prime = (1UL << 61) - 1;

    private readonly ulong[] _a;
    private readonly ulong[] _b;

    private MinHasher(int numPerm, ulong seed)
    {
        NumPerm = numPerm;
        Seed = seed;
        _a = new ulong[numPerm];
        _b = new ulong[numPerm];
        ulong state = seed;
        for (int i = 0; i < numPerm; i++)
        {
            do _a[i] = SplitMix64(ref state) & Prime; while (_a[i] == 0 || _a[i] == Prime);
            do _b[i] = SplitMix64(ref state) & Prime; while (_b[i] == Prime);
        }
    }

    /// <summary>A hasher with <paramref name="numPerm"/> permutations (≥ 1) drawn from <paramref name="seed"/>.</summary>
    public static MinHasher Create(int numPerm = 128, ulong seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numPerm, 1);
        return new MinHasher(numPerm, seed);
    }

    /// <summary>The number of permutations (signature length).</summary>
    public int NumPerm { get; }

    /// <summary>The seed the permutation parameters were drawn from.</summary>
    public ulong Seed { get; }

    /// <summary>
    /// Writes the signature of the shingle hashes <paramref name="shingles"/> (duplicates allowed) into
    /// <paramref name="signature"/> (length <see cref="NumPerm"/>). The empty set gives all entries <see cref="uint.MaxValue"/>.
    /// </summary>
    public void Compute(ReadOnlySpan<ulong> shingles, Span<uint> signature)
    {
        if (signature.Length != NumPerm) throw new ArgumentException($"signature length {signature.Length} ≠ num_perm {NumPerm}", nameof(signature));
        signature.Fill(uint.MaxValue);
        ulong[] a = _a, b = _b;
        foreach (ulong raw in shingles)
        {
            ulong x = Reduce(raw);
            for (int i = 0; i < a.Length && i < signature.Length; i++)
            {
                uint v = (uint)MulAddMod(a[i], x, b[i]);
                if (v < signature[i]) signature[i] = v;
            }
        }
    }

    /// <summary>h_i(x) for one permutation (for tests and explanations).</summary>
    public uint Hash(int permutation, ulong shingle) => (uint)MulAddMod(_a[permutation], Reduce(shingle), _b[permutation]);

    /// <summary>The fraction of equal entries of two signatures: the MinHash estimate of their sets' Jaccard similarity.</summary>
    public static double EstimateJaccard(ReadOnlySpan<uint> first, ReadOnlySpan<uint> second)
    {
        if (first.Length != second.Length) throw new ArgumentException("signatures differ in length", nameof(second));
        return (double)EqualCount(first, second) / first.Length;
    }

    internal static int EqualCount(ReadOnlySpan<uint> first, ReadOnlySpan<uint> second)
    {
        int equal = 0, i = 0;
        if (Vector.IsHardwareAccelerated && first.Length >= Vector<uint>.Count)
        {
            var acc = Vector<uint>.Zero;
            for (; i <= first.Length - Vector<uint>.Count; i += Vector<uint>.Count)
                acc -= Vector.AsVectorUInt32(Vector.Equals(new Vector<uint>(first[i..]), new Vector<uint>(second[i..])));
            equal = (int)Vector.Sum(acc);
        }
        for (; i < first.Length; i++) if (first[i] == second[i]) equal++;
        return equal;
    }

    /// <summary>x mod p for a 64-bit x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Reduce(ulong x)
    {
        ulong r = (x & Prime) + (x >> 61);
        return r >= Prime ? r - Prime : r;
    }

    /// <summary>(a·x + b) mod p for a, x, b &lt; p, with the 122-bit product folded modulo 2^61 − 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MulAddMod(ulong a, ulong x, ulong b)
    {
        ulong hi = Math.BigMul(a, x, out ulong lo);
        ulong sum = (lo & Prime) + ((lo >> 61) | (hi << 3)) + b;   // < 3·2^61
        sum = (sum & Prime) + (sum >> 61);
        return sum >= Prime ? sum - Prime : sum;
    }

    internal static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
