using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Lsa;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval.Lsa;

public sealed class ColumnBlockTests
{
    private static double[] Gaussian(int rows, int c, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, rows * c).Select(_ => random.NextDouble() * 2 - 1)];
    }

    /// <summary>Max |(Qᵀ Q − I)_ij| and max |(Q Qᵀ Y − Y)_ij|, computed naively.</summary>
    private static (double Orthogonality, double Span) Check(double[] q, double[] y, int rows, int c)
    {
        double orthogonality = 0, span = 0;
        var qty = new double[c * c];
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
            {
                double qq = 0, qy = 0;
                for (int r = 0; r < rows; r++) { qq += q[r * c + i] * q[r * c + j]; qy += q[r * c + i] * y[r * c + j]; }
                orthogonality = Math.Max(orthogonality, Math.Abs(qq - (i == j ? 1 : 0)));
                qty[i * c + j] = qy;
            }
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < c; j++)
            {
                double back = 0;
                for (int i = 0; i < c; i++) back += q[r * c + i] * qty[i * c + j];
                span = Math.Max(span, Math.Abs(back - y[r * c + j]));
            }
        return (orthogonality, span);
    }

    [Fact]
    public void Gram_equals_the_naive_product()
    {
        const int Rows = 3000, C = 17;   // several fixed chunks of rows
        var y = Gaussian(Rows, C, 1);
        var gram = ColumnBlock.Gram(y, Rows, C, CancellationToken.None);
        for (int i = 0; i < C; i++)
            for (int j = 0; j < C; j++)
            {
                double expected = 0;
                for (int r = 0; r < Rows; r++) expected += y[r * C + i] * y[r * C + j];
                Assert.True(Math.Abs(gram[i * C + j] - expected) < 1e-10 * Rows, $"G[{i},{j}] = {gram[i * C + j]}, naive {expected}");
            }
    }

    [Fact]
    public void CholeskyQR2_gives_an_orthonormal_basis_of_the_same_columns()
    {
        const int Rows = 2500, C = 40;
        var y = Gaussian(Rows, C, 2);
        var q = ColumnBlock.Orthonormal(y, Rows, C, CancellationToken.None);
        var (orthogonality, span) = Check(q, y, Rows, C);
        Assert.True(orthogonality < 1e-13, $"|QᵀQ − I| = {orthogonality}");
        Assert.True(span < 1e-12, $"|QQᵀY − Y| = {span}");
        Assert.Equal(q, ColumnBlock.Orthonormal(y, Rows, C, CancellationToken.None));   // bit for bit on a second run
    }

    [Fact]
    public void Ill_conditioned_columns_fall_back_to_Householder_and_stay_orthonormal()
    {
        const int Rows = 500, C = 8;
        var y = Gaussian(Rows, C, 3);
        for (int r = 0; r < Rows; r++) y[r * C + 5] = y[r * C + 2] * (1 + 1e-13);   // column 5 ≈ column 2: YᵀY is singular in double
        var q = ColumnBlock.Orthonormal(y, Rows, C, CancellationToken.None);
        var (orthogonality, span) = Check(q, y, Rows, C);
        Assert.True(orthogonality < 1e-12, $"|QᵀQ − I| = {orthogonality}");
        Assert.True(span < 1e-9, $"|QQᵀY − Y| = {span}");
    }

    [Fact]
    public void Randomized_svd_over_the_whole_range_equals_the_exact_svd()
    {
        // 60 documents: l = min(k + 10, 60) = 60 spans every document, so the range finder is exact and the
        // singular values must equal the dense SVD's to rounding.
        var random = new Random(5);
        var docs = Enumerable.Range(0, 60).Select(i => new Document($"d{i}", "",
            string.Join(' ', Enumerable.Range(0, 30).Select(_ => $"w{(int)Math.Pow(random.Next(1, 400), 1.3) % 700}")))).ToArray();
        var tfidf = TfIdf.Create(InvertedIndex.Build(docs, Analyzer.Simple));
        var exact = LsaModel.Build(tfidf, new LsaOptions { Dimensions = 55 });
        var randomized = LsaModel.Build(tfidf, new LsaOptions { Dimensions = 55, ExactSvdMaxCells = 0 });
        Assert.True(exact.UsedExactSvd);
        Assert.False(randomized.UsedExactSvd);
        for (int j = 0; j < 55; j++)
            Assert.True(Math.Abs(exact.SingularValues[j] - randomized.SingularValues[j]) < 1e-10, $"σ{j}: {exact.SingularValues[j]} vs {randomized.SingularValues[j]}");
        Assert.Equal(exact.ReconstructionError(), randomized.ReconstructionError(), 9);
    }
}
