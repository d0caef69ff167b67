using LmToLlm.Retrieval.Dense;
using MathNet.Numerics.LinearAlgebra;

namespace LmToLlm.Retrieval.Lsa;

/// <summary>Options of <see cref="LsaModel"/>.</summary>
public sealed record LsaOptions
{
    /// <summary>Latent dimensions k (default 200; clipped to the matrix rank bound min(documents, terms)).</summary>
    public int Dimensions { get; init; } = 200;

    /// <summary>Randomized SVD: extra sample columns p (default 10, Halko et al. 2011).</summary>
    internal int Oversampling { get; init; } = 10;

    /// <summary>Randomized SVD: power iterations q (default 3).</summary>
    internal int PowerIterations { get; init; } = 3;

    /// <summary>
    /// Use the exact dense SVD (MathNet) when documents × terms is at most this many cells (default 1,000,000);
    /// larger matrices use the randomized SVD.
    /// </summary>
    internal long ExactSvdMaxCells { get; init; } = 1_000_000;

    /// <summary>Seed of the randomized SVD's Gaussian test matrix (default 1).</summary>
    internal int Seed { get; init; } = 1;
}

/// <summary>
/// Latent semantic analysis (Deerwester et al. 1990): the truncated SVD A ≈ U_k Σ_k V_kᵀ of the documents × terms
/// TF-IDF matrix A (rows L2-normalised, <see cref="TfIdf"/>). Input: a fitted <see cref="TfIdf"/>. Output: documents
/// as the rows of A V_k = U_k Σ_k and queries folded in the same way, q V_k; ranked by cosine in a <see cref="DenseIndex"/>.
/// Small matrices use MathNet's dense SVD; large ones the randomized range finder with power iterations
/// (Halko, Martinsson and Tropp 2011) on the sparse matrix, followed by the SVD of the small projected matrix.
/// </summary>
public sealed class LsaModel : IRanker
{
    private readonly double[] _termVectors;   // term-major: V_k rows, k values per term

    private LsaModel(TfIdf tfidf, int dimensions, double[] termVectors, double[] singularValues, bool exact)
    {
        TfIdf = tfidf;
        Dimensions = dimensions;
        _termVectors = termVectors;
        SingularValues = singularValues;
        UsedExactSvd = exact;
        int n = tfidf.Index.DocumentCount;
        var rows = new float[n * dimensions];
        for (int d = 0; d < n; d++) Project(tfidf.DocumentVector(d), rows.AsSpan(d * dimensions, dimensions));
        Documents = DenseIndex.Create(rows, dimensions);
    }

    /// <summary>The TF-IDF model that gives A and the query vectors.</summary>
    internal TfIdf TfIdf { get; }

    /// <summary>k, the number of latent dimensions actually used.</summary>
    public int Dimensions { get; }

    /// <summary>σ_1 ≥ … ≥ σ_k.</summary>
    internal IReadOnlyList<double> SingularValues { get; }

    /// <summary>True when the exact dense SVD was used, false for the randomized one.</summary>
    internal bool UsedExactSvd { get; }

    /// <summary>The documents in the latent space (rows of U_k Σ_k, normalised).</summary>
    internal DenseIndex Documents { get; }

    /// <summary>Fits LSA on the TF-IDF matrix of <paramref name="tfidf"/>.</summary>
    public static LsaModel Build(TfIdf tfidf, LsaOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tfidf);
        options ??= new LsaOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Dimensions, 1);
        int n = tfidf.Index.DocumentCount, terms = tfidf.Index.TermCount;
        int k = Math.Min(options.Dimensions, Math.Min(n, terms));
        var a = SparseRows(tfidf);
        bool exact = (long)n * terms <= options.ExactSvdMaxCells;
        Matrix<double> v;   // terms × k
        Vector<double> s;
        if (exact)
        {
            var dense = Matrix<double>.Build.Dense(n, terms);
            for (int d = 0; d < n; d++)
                for (int p = a.Start[d]; p < a.Start[d + 1]; p++) dense[d, a.Terms[p]] = a.Weights[p];
            var svd = dense.Svd(computeVectors: true);
            v = svd.VT.SubMatrix(0, k, 0, terms).Transpose();
            s = svd.S.SubVector(0, k);
        }
        else
        {
            (v, s) = RandomizedSvd(a, n, terms, k, options, cancellationToken);
        }
        var termVectors = new double[terms * k];
        for (int t = 0; t < terms; t++)
            for (int j = 0; j < k; j++) termVectors[t * k + j] = v[t, j];
        return new LsaModel(tfidf, k, termVectors, s.ToArray(), exact);
    }

    /// <summary>The folded-in query vector q V_k (k values) of a query text.</summary>
    internal float[] EncodeQuery(string text)
    {
        var result = new float[Dimensions];
        Project(TfIdf.QueryVector(text), result);
        return result;
    }

    /// <summary>The top k documents by cosine between q V_k and the rows of U_k Σ_k.</summary>
    public SearchHit[] Search(string query, int k) => Documents.Search(EncodeQuery(query), k);

    /// <summary>Searches many queries in parallel (-1 = all cores); results in query order.</summary>
    public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return Documents.SearchMany(queries.Select(EncodeQuery).ToArray(), k, maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>‖A − A V_k V_kᵀ‖_F, the rank-k reconstruction error (dense; for small matrices and tests).</summary>
    internal double ReconstructionError()
    {
        var a = SparseRows(TfIdf);
        int n = TfIdf.Index.DocumentCount, terms = TfIdf.Index.TermCount, k = Dimensions;
        double total = 0;
        var row = new double[terms];
        var latent = new double[k];
        for (int d = 0; d < n; d++)
        {
            Array.Clear(row);
            Array.Clear(latent);
            for (int p = a.Start[d]; p < a.Start[d + 1]; p++)
            {
                row[a.Terms[p]] = a.Weights[p];
                for (int j = 0; j < k; j++) latent[j] += a.Weights[p] * _termVectors[a.Terms[p] * k + j];
            }
            for (int t = 0; t < terms; t++)
            {
                double r = 0;
                for (int j = 0; j < k; j++) r += latent[j] * _termVectors[t * k + j];
                total += (row[t] - r) * (row[t] - r);
            }
        }
        return Math.Sqrt(total);
    }

    private void Project(SparseVector vector, Span<float> result)
    {
        int k = Dimensions;
        Span<double> sum = k <= 512 ? stackalloc double[k] : new double[k];
        sum.Clear();
        for (int i = 0; i < vector.Terms.Length; i++)
        {
            double w = vector.Weights[i];
            var row = _termVectors.AsSpan(vector.Terms[i] * k, k);
            for (int j = 0; j < k; j++) sum[j] += w * row[j];
        }
        for (int j = 0; j < k; j++) result[j] = (float)sum[j];
    }

    private sealed record Csr(int[] Start, int[] Terms, double[] Weights);

    private static Csr SparseRows(TfIdf tfidf)
    {
        int n = tfidf.Index.DocumentCount;
        var start = new int[n + 1];
        var vectors = new SparseVector[n];
        for (int d = 0; d < n; d++)
        {
            vectors[d] = tfidf.DocumentVector(d);
            start[d + 1] = start[d] + vectors[d].Terms.Length;
        }
        var terms = new int[start[n]];
        var weights = new double[start[n]];
        for (int d = 0; d < n; d++)
        {
            vectors[d].Terms.CopyTo(terms, start[d]);
            vectors[d].Weights.CopyTo(weights, start[d]);
        }
        return new Csr(start, terms, weights);
    }

    /// <summary>
    /// Halko, Martinsson and Tropp (2011), algorithms 4.4 and 5.1: Y = (A Aᵀ)^q A Ω with re-orthonormalisation
    /// (QR) after every product, Q = orth(Y), B = Qᵀ A (l × terms); the SVD of B comes from the eigenvectors of
    /// the small l × l matrix B Bᵀ = W Σ² Wᵀ, giving V = Bᵀ W Σ⁻¹.
    /// </summary>
    private static (Matrix<double> V, Vector<double> S) RandomizedSvd(Csr a, int n, int terms, int k, LsaOptions options, CancellationToken cancellationToken)
    {
        int l = Math.Min(k + options.Oversampling, Math.Min(n, terms));
        var random = new Random(options.Seed);
        var omega = Matrix<double>.Build.Dense(terms, l, (_, _) => Gaussian(random));
        var q = Orthonormal(MultiplyA(a, n, omega));
        for (int i = 0; i < options.PowerIterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var z = Orthonormal(MultiplyATransposed(a, n, terms, q));
            q = Orthonormal(MultiplyA(a, n, z));
        }
        var bt = MultiplyATransposed(a, n, terms, q);    // terms × l = Bᵀ
        var small = bt.TransposeThisAndMultiply(bt);       // l × l = B Bᵀ
        var evd = small.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        // Eigenvalues ascending: take the largest k.
        var order = Enumerable.Range(0, l).OrderByDescending(i => evd.EigenValues[i].Real).Take(k).ToArray();
        var s = Vector<double>.Build.Dense(k);
        var v = Matrix<double>.Build.Dense(terms, k);
        for (int j = 0; j < k; j++)
        {
            double sigma = Math.Sqrt(Math.Max(0, evd.EigenValues[order[j]].Real));
            s[j] = sigma;
            if (sigma == 0) continue;
            var w = evd.EigenVectors.Column(order[j]);
            v.SetColumn(j, bt.Multiply(w) / sigma);
        }
        return (v, s);
    }

    private static Matrix<double> Orthonormal(Matrix<double> m) => m.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).Q;

    private static Matrix<double> MultiplyA(Csr a, int n, Matrix<double> x)
    {
        var result = Matrix<double>.Build.Dense(n, x.ColumnCount);
        Parallel.For(0, n, d =>
        {
            for (int p = a.Start[d]; p < a.Start[d + 1]; p++)
            {
                double w = a.Weights[p];
                int t = a.Terms[p];
                for (int j = 0; j < x.ColumnCount; j++) result[d, j] += w * x[t, j];
            }
        });
        return result;
    }

    private static Matrix<double> MultiplyATransposed(Csr a, int n, int terms, Matrix<double> y)
    {
        var result = Matrix<double>.Build.Dense(terms, y.ColumnCount);
        for (int d = 0; d < n; d++)
            for (int p = a.Start[d]; p < a.Start[d + 1]; p++)
            {
                double w = a.Weights[p];
                int t = a.Terms[p];
                for (int j = 0; j < y.ColumnCount; j++) result[t, j] += w * y[d, j];
            }
        return result;
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller.
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
