using System.Numerics.Tensors;
using LmToLlm.Primitives;
using MathNet.Numerics.LinearAlgebra;

namespace LmToLlm.Retrieval.Lsa;

/// <summary>
/// A tall dense block of columns (rows × c, row-major, c small) and the products the randomized SVD needs on it:
/// the Gram matrix Yᵀ Y, the product with a small c × c' matrix, and orthonormalisation by CholeskyQR2
/// (Fukaya et al. 2014: two rounds of Q = Y R⁻¹ with Rᵀ R = Yᵀ Y), which costs two Gram products instead of a
/// Householder QR. Every sum is a row of element-wise <c>t + w · s</c> updates in a fixed order, in fixed
/// chunks of rows, so the result does not depend on the number of cores or on the CPU's vector width.
/// </summary>
internal static class ColumnBlock
{
    private const int Chunk = 1024;   // rows per partial Gram matrix: fixed, so the summation order is too

    /// <summary>target[j] += w · source[j], each element rounded as <c>t + w * s</c> (no fused multiply-add).</summary>
    public static void AddScaled(Span<double> target, double w, ReadOnlySpan<double> source) =>
        TensorPrimitives.MultiplyAdd(source, w, target, target);

    /// <summary>Yᵀ Y (c × c, row-major) of Y (rows × c, row-major).</summary>
    public static double[] Gram(double[] y, int rows, int c, CancellationToken cancellationToken)
    {
        int chunks = (rows + Chunk - 1) / Chunk;
        var partial = new double[Math.Max(1, chunks)][];
        ParallelBlocks.For(rows, Chunk, (start, end) =>
        {
            var g = new double[c * c];
            for (int r = start; r < end; r++)
            {
                var row = y.AsSpan(r * c, c);
                // Upper triangle only: G[i, i..] += y[i] · y[i..].
                for (int i = 0; i < c; i++)
                    if (row[i] != 0) AddScaled(g.AsSpan(i * c + i, c - i), row[i], row[i..]);
            }
            partial[start / Chunk] = g;
        }, cancellationToken: cancellationToken);
        var gram = partial[0] ?? new double[c * c];
        for (int chunk = 1; chunk < chunks; chunk++) TensorPrimitives.Add(gram, partial[chunk], gram);
        for (int i = 0; i < c; i++)
            for (int j = 0; j < i; j++) gram[i * c + j] = gram[j * c + i];
        return gram;
    }

    /// <summary>Y M (rows × c') of Y (rows × c) and M (c × c', row-major), in parallel over rows.</summary>
    public static double[] Multiply(double[] y, int rows, int c, double[] m, int cOut, CancellationToken cancellationToken)
    {
        var result = new double[rows * cOut];
        ParallelBlocks.For(rows, Chunk, (start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                var source = y.AsSpan(r * c, c);
                var target = result.AsSpan(r * cOut, cOut);
                for (int i = 0; i < c; i++)
                    if (source[i] != 0) AddScaled(target, source[i], m.AsSpan(i * cOut, cOut));
            }
        }, cancellationToken: cancellationToken);
        return result;
    }

    /// <summary>
    /// An orthonormal basis of the columns of Y (rows × c, rows ≥ c): CholeskyQR2, or MathNet's Householder QR when
    /// Yᵀ Y is too ill-conditioned for Cholesky (a pivot below 10⁻¹⁰ of the largest diagonal entry).
    /// </summary>
    public static double[] Orthonormal(double[] y, int rows, int c, CancellationToken cancellationToken)
    {
        var q = y;
        for (int round = 0; round < 2; round++)
        {
            var inverse = InverseCholeskyFactor(Gram(q, rows, c, cancellationToken), c);
            if (inverse is null) return HouseholderQ(y, rows, c, cancellationToken);
            q = Multiply(q, rows, c, inverse, c, cancellationToken);
        }
        return q;
    }

    /// <summary>R⁻¹ (upper triangular, row-major) for Rᵀ R = G, or null when G is not safely positive definite.</summary>
    private static double[]? InverseCholeskyFactor(double[] gram, int c)
    {
        // Cholesky G = L Lᵀ (R = Lᵀ), then R⁻¹ = (L⁻¹)ᵀ by forward substitution on the identity.
        var l = new double[c * c];
        double largest = 0;
        for (int i = 0; i < c; i++) largest = Math.Max(largest, gram[i * c + i]);
        if (!(largest > 0)) return null;
        for (int j = 0; j < c; j++)
        {
            double d = gram[j * c + j];
            for (int p = 0; p < j; p++) d -= l[j * c + p] * l[j * c + p];
            if (!(d > 1e-10 * largest)) return null;
            double pivot = Math.Sqrt(d);
            l[j * c + j] = pivot;
            for (int i = j + 1; i < c; i++)
            {
                double s = gram[i * c + j];
                for (int p = 0; p < j; p++) s -= l[i * c + p] * l[j * c + p];
                l[i * c + j] = s / pivot;
            }
        }
        var inverse = new double[c * c];   // X = L⁻¹, lower triangular; R⁻¹ = Xᵀ
        for (int col = 0; col < c; col++)
            for (int i = col; i < c; i++)
            {
                double s = i == col ? 1 : 0;
                for (int p = col; p < i; p++) s -= l[i * c + p] * inverse[p * c + col];
                inverse[i * c + col] = s / l[i * c + i];
            }
        var upper = new double[c * c];
        for (int i = 0; i < c; i++)
            for (int j = i; j < c; j++) upper[i * c + j] = inverse[j * c + i];
        return upper;
    }

    private static double[] HouseholderQ(double[] y, int rows, int c, CancellationToken cancellationToken)
    {
        var matrix = Matrix<double>.Build.DenseOfRowMajor(rows, c, y);
        return Interruptible.Run(() => matrix.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).Q, cancellationToken).ToRowMajorArray();
    }
}
