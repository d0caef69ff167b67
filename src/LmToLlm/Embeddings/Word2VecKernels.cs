using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LmToLlm.Embeddings;

/// <summary>
/// The three vector operations of the word2vec inner loop on rows of length <c>n</c>, fused so that each row is
/// loaded once per update. Results do not depend on the thread count: with one thread training is reproducible.
/// </summary>
internal static class Word2VecKernels
{
    /// <summary>Σ a[i]·b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Dot(ref float a, ref float b, int n)
    {
        int i = 0;
        float sum;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), acc);
            sum = Vector256.Sum(acc);
        }
        else
        {
            sum = 0;
        }
        for (; i < n; i++) sum += Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
        return sum;
    }

    /// <summary>
    /// The output-layer update of one (hidden, output) pair with gradient·rate <paramref name="g"/>:
    /// <c>error += g·output</c> (with the output row before the update), then <c>output += g·hidden</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Update(ref float hidden, ref float output, ref float error, float g, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var gv = Vector256.Create(g);
            for (; i <= n - 8; i += 8)
            {
                var o = Vector256.LoadUnsafe(ref output, (nuint)i);
                Vector256.FusedMultiplyAdd(gv, o, Vector256.LoadUnsafe(ref error, (nuint)i)).StoreUnsafe(ref error, (nuint)i);
                Vector256.FusedMultiplyAdd(gv, Vector256.LoadUnsafe(ref hidden, (nuint)i), o).StoreUnsafe(ref output, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float o = Unsafe.Add(ref output, i);
            Unsafe.Add(ref error, i) = MathF.FusedMultiplyAdd(g, o, Unsafe.Add(ref error, i));
            Unsafe.Add(ref output, i) = MathF.FusedMultiplyAdd(g, Unsafe.Add(ref hidden, i), o);
        }
    }

    /// <summary><c>target += source</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref float target, ref float source, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            for (; i <= n - 8; i += 8)
                (Vector256.LoadUnsafe(ref target, (nuint)i) + Vector256.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref target, i) += Unsafe.Add(ref source, i);
    }
}
