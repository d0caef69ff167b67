using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Runtime.CompilerServices;
using LmToLlm.Primitives;

namespace LmToLlm.Data;

/// <summary>
/// MinHash signatures (Broder 1997): for permutation i, sig[i] = min over shingles x of h_i(x), where
/// h_i(x) = ((a_i·x + b_i) mod p) mod 2^32 with p = 2^61 − 1 (a Mersenne prime), a_i ∈ [1, p), b_i ∈ [0, p)
/// drawn from a SplitMix64 stream seeded by <see cref="Seed"/> — the Carter–Wegman universal family over 64-bit
/// keys, as datasketch's <c>MinHash</c> uses. For two sets with Jaccard similarity J, P(sig_A[i] = sig_B[i]) ≈ J,
/// so the fraction of equal entries estimates J with standard error √(J(1−J)/num_perm).
/// Immutable and thread-safe.
/// </summary>
internal sealed class MinHasher
{
    /// <summary>The Mersenne prime 2^61 − 1.</summary>
    internal const ulong Prime = (1UL << 61) - 1;

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
            do _a[i] = SplitMix64.Next(ref state) & Prime; while (_a[i] == 0 || _a[i] == Prime);
            do _b[i] = SplitMix64.Next(ref state) & Prime; while (_b[i] == Prime);
        }
    }

    /// <summary>A hasher with <paramref name="numPerm"/> permutations (≥ 1) drawn from <paramref name="seed"/>.</summary>
    internal static MinHasher Create(int numPerm = 128, ulong seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numPerm, 1);
        return new MinHasher(numPerm, seed);
    }

    /// <summary>The number of permutations (signature length).</summary>
    internal int NumPerm { get; }

    /// <summary>The seed the permutation parameters were drawn from.</summary>
    internal ulong Seed { get; }

    /// <summary>
    /// Writes the signature of the shingle hashes <paramref name="shingles"/> (duplicates allowed) into
    /// <paramref name="signature"/> (length <see cref="NumPerm"/>). The empty set gives all entries <see cref="uint.MaxValue"/>.
    /// </summary>
    internal void Compute(ReadOnlySpan<ulong> shingles, Span<uint> signature)
    {
        if (signature.Length != NumPerm) throw new ArgumentException($"signature length {signature.Length} ≠ num_perm {NumPerm}", nameof(signature));
        ulong[]? rented = null;
        Span<ulong> reduced = shingles.Length <= 256 ? stackalloc ulong[shingles.Length] : (rented = ArrayPool<ulong>.Shared.Rent(shingles.Length)).AsSpan(0, shingles.Length);
        for (int k = 0; k < shingles.Length; k++) reduced[k] = Reduce(shingles[k]);
        if (Avx2.IsSupported && UseVectors) ComputeAvx2(reduced, signature);
        else ComputeScalar(reduced, signature);
        if (rented is not null) ArrayPool<ulong>.Shared.Return(rented);
    }

    /// <summary>False forces the scalar path (tests compare both).</summary>
    internal static bool UseVectors { get; set; } = true;

    /// <summary>Permutation-major: a_i, b_i and the running minimum stay in registers over all shingles.</summary>
    private void ComputeScalar(ReadOnlySpan<ulong> reduced, Span<uint> signature)
    {
        for (int i = 0; i < signature.Length; i++)
        {
            ulong a = _a[i], b = _b[i];
            uint min = uint.MaxValue;
            foreach (ulong x in reduced)
            {
                uint v = (uint)MulAddMod(a, x, b);
                if (v < min) min = v;
            }
            signature[i] = min;
        }
    }

    /// <summary>
    /// Four shingles at a time with 32×32→64-bit multiplies: a·x = a1x1·2^64 + (a0x1 + a1x0)·2^32 + a0x0, folded with
    /// 2^61 ≡ 1 (so 2^64 ≡ 8) into a sum below 2^64, then reduced like <see cref="MulAddMod"/>. Bit-identical to the scalar path.
    /// </summary>
    private void ComputeAvx2(ReadOnlySpan<ulong> reduced, Span<uint> signature)
    {
        int full = reduced.Length & ~3;
        var low32 = Vector256.Create(0xFFFF_FFFFUL);
        var low29 = Vector256.Create((1UL << 29) - 1);
        var prime = Vector256.Create(Prime);
        var primeMinusOne = Vector256.Create(Prime - 1);
        for (int i = 0; i < signature.Length; i++)
        {
            ulong a = _a[i], b = _b[i];
            var a0 = Vector256.Create(a & 0xFFFF_FFFFUL).AsUInt32();
            var a1 = Vector256.Create(a >> 32).AsUInt32();
            var bv = Vector256.Create(b);
            var min = Vector256.Create((ulong)uint.MaxValue);
            for (int k = 0; k < full; k += 4)
            {
                var x = Vector256.Create(reduced.Slice(k, 4));
                var x0 = x.AsUInt32();
                var x1 = Avx2.ShiftRightLogical(x, 32).AsUInt32();
                var p00 = Avx2.Multiply(a0, x0);
                var mid = Avx2.Add(Avx2.Multiply(a0, x1), Avx2.Multiply(a1, x0));
                var p11 = Avx2.Multiply(a1, x1);
                var sum = Avx2.Add(Avx2.ShiftLeftLogical(p11, 3), Avx2.ShiftRightLogical(mid, 29));
                sum = Avx2.Add(sum, Avx2.ShiftLeftLogical(Avx2.And(mid, low29), 32));
                sum = Avx2.Add(sum, Avx2.Add(Avx2.And(p00, prime), Avx2.ShiftRightLogical(p00, 61)));
                sum = Avx2.Add(sum, bv);
                sum = Avx2.Add(Avx2.And(sum, prime), Avx2.ShiftRightLogical(sum, 61));              // < 2^61 + 8
                var over = Avx2.CompareGreaterThan(sum.AsInt64(), primeMinusOne.AsInt64()).AsUInt64();
                sum = Avx2.Subtract(sum, Avx2.And(over, prime));
                var v = Avx2.And(sum, low32);
                var smaller = Avx2.CompareGreaterThan(min.AsInt64(), v.AsInt64()).AsUInt64();
                min = Avx2.BlendVariable(min, v, smaller);
            }
            uint m = (uint)Math.Min(Math.Min(min[0], min[1]), Math.Min(min[2], min[3]));
            for (int k = full; k < reduced.Length; k++)
            {
                uint v = (uint)MulAddMod(a, reduced[k], b);
                if (v < m) m = v;
            }
            signature[i] = m;
        }
    }

    /// <summary>h_i(x) for one permutation (for tests and explanations).</summary>
    internal uint Hash(int permutation, ulong shingle) => (uint)MulAddMod(_a[permutation], Reduce(shingle), _b[permutation]);

    /// <summary>The fraction of equal entries of two signatures: the MinHash estimate of their sets' Jaccard similarity.</summary>
    internal static double EstimateJaccard(ReadOnlySpan<uint> first, ReadOnlySpan<uint> second)
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
}
