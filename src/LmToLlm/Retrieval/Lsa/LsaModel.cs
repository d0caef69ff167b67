using LmToLlm.Primitives;
using LmToLlm.Retrieval.Dense;
using MathNet.Numerics.LinearAlgebra;

namespace LmToLlm.Retrieval.Lsa;

/// <summary>Options of <see cref="LsaModel"/>.</summary>
public sealed record LsaOptions
{
    /// <summary>The defaults.</summary>
    public static LsaOptions Default { get; } = new();

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
        Documents = null!;
    }

    /// <summary>Projects every document (rows of U_k Σ_k) into the dense index, checking for cancellation as it goes.</summary>
    private void ProjectDocuments(CancellationToken cancellationToken)
    {
        int n = TfIdf.Index.DocumentCount, dimensions = Dimensions;
        var rows = new float[n * dimensions];
        for (int d = 0; d < n; d++)
        {
            if ((d & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
            Project(TfIdf.DocumentVector(d), rows.AsSpan(d * dimensions, dimensions));
        }
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
    public DenseIndex Documents { get; private set; }

    /// <summary>
    /// Fits LSA on the TF-IDF matrix of <paramref name="tfidf"/>, reporting the fraction done (0 to 1) to
    /// <paramref name="progress"/>. Cancellation is checked at least every few thousand rows of every loop; an exact
    /// SVD (MathNet, which cannot be interrupted) is left to finish on a worker thread when cancelled, so this returns at once.
    /// </summary>
    public static LsaModel Build(TfIdf tfidf, LsaOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tfidf);
        options ??= new LsaOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Dimensions, 1);
        int n = tfidf.Index.DocumentCount, terms = tfidf.Index.TermCount;
        int k = Math.Min(options.Dimensions, Math.Min(n, terms));
        progress?.Report(0);
        var a = SparseRows(tfidf, cancellationToken);
        progress?.Report(0.05);
        bool exact = (long)n * terms <= options.ExactSvdMaxCells;
        double[] termVectors;   // terms × k, row-major: V_k
        double[] s;
        if (exact)
        {
            var dense = Matrix<double>.Build.Dense(n, terms);
            for (int d = 0; d < n; d++)
                for (int p = a.Start[d]; p < a.Start[d + 1]; p++) dense[d, a.Columns[p]] = a.Weights[p];
            var svd = Interruptible.Run(() => dense.Svd(computeVectors: true), cancellationToken);
            termVectors = svd.VT.SubMatrix(0, k, 0, terms).Transpose().ToRowMajorArray();
            s = svd.S.SubVector(0, k).ToArray();
        }
        else
        {
            (termVectors, s) = RandomizedSvd(a, n, terms, k, options, progress, cancellationToken);
        }
        progress?.Report(0.9);
        var model = new LsaModel(tfidf, k, termVectors, s, exact);
        model.ProjectDocuments(cancellationToken);
        progress?.Report(1);
        return model;
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
        var a = SparseRows(TfIdf, CancellationToken.None);
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
                row[a.Columns[p]] = a.Weights[p];
                for (int j = 0; j < k; j++) latent[j] += a.Weights[p] * _termVectors[a.Columns[p] * k + j];
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
            ColumnBlock.AddScaled(sum, w, _termVectors.AsSpan(vector.Terms[i] * k, k));
        }
        for (int j = 0; j < k; j++) result[j] = (float)sum[j];
    }

    /// <summary>A sparse matrix by rows: row r holds the entries Start[r] to Start[r + 1] − 1, columns ascending.</summary>
    private sealed record Csr(int[] Start, int[] Columns, double[] Weights)
    {
        public int Rows => Start.Length - 1;

        /// <summary>The transpose by rows (each of its rows lists the original rows in ascending order).</summary>
        public Csr Transpose(int columns)
        {
            var start = new int[columns + 1];
            foreach (int c in Columns) start[c + 1]++;
            for (int c = 0; c < columns; c++) start[c + 1] += start[c];
            var next = start[..columns];
            var rows = new int[Columns.Length];
            var weights = new double[Columns.Length];
            for (int r = 0; r < Rows; r++)
                for (int p = Start[r]; p < Start[r + 1]; p++)
                {
                    int slot = next[Columns[p]]++;
                    rows[slot] = r;
                    weights[slot] = Weights[p];
                }
            return new Csr(start, rows, weights);
        }
    }

    private static Csr SparseRows(TfIdf tfidf, CancellationToken cancellationToken)
    {
        int n = tfidf.Index.DocumentCount;
        var start = new int[n + 1];
        var vectors = new SparseVector[n];
        for (int d = 0; d < n; d++)
        {
            if ((d & 255) == 0) cancellationToken.ThrowIfCancellationRequested();
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
    /// after every product (<see cref="ColumnBlock.Orthonormal"/>), Q = orth(Y), B = Qᵀ A (l × terms); the SVD of B
    /// comes from the eigenvectors of the small l × l matrix B Bᵀ = W Σ² Wᵀ, giving V = Bᵀ W Σ⁻¹. Dense blocks are
    /// flat row-major arrays; every loop checks for cancellation, and the one MathNet call (the l × l eigensolver) is
    /// <see cref="Interruptible"/>. Output: V_k (terms × k, row-major) and σ_1 ≥ … ≥ σ_k.
    /// </summary>
    private static (double[] V, double[] S) RandomizedSvd(Csr a, int n, int terms, int k, LsaOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        int l = Math.Min(k + options.Oversampling, Math.Min(n, terms));
        var random = new Random(options.Seed);
        var omega = Matrix<double>.Build.Dense(terms, l, (_, _) => Gaussian(random)).ToRowMajorArray();
        var at = a.Transpose(terms);
        int steps = 2 * options.PowerIterations + 3, step = 0;
        void Advance() => progress?.Report(0.05 + 0.85 * ++step / steps);
        var q = ColumnBlock.Orthonormal(Multiply(a, omega, l, cancellationToken), n, l, cancellationToken);
        Advance();
        for (int i = 0; i < options.PowerIterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var z = ColumnBlock.Orthonormal(Multiply(at, q, l, cancellationToken), terms, l, cancellationToken);
            Advance();
            q = ColumnBlock.Orthonormal(Multiply(a, z, l, cancellationToken), n, l, cancellationToken);
            Advance();
        }
        var bt = Multiply(at, q, l, cancellationToken);    // terms × l = Bᵀ
        Advance();
        var small = Matrix<double>.Build.DenseOfRowMajor(l, l, ColumnBlock.Gram(bt, terms, l, cancellationToken));   // B Bᵀ
        var evd = Interruptible.Run(() => small.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric), cancellationToken);
        Advance();
        // Eigenvalues ascending: take the largest k; W Σ⁻¹ as an l × k row-major matrix (a zero σ gives a zero column).
        var order = Enumerable.Range(0, l).OrderByDescending(i => evd.EigenValues[i].Real).Take(k).ToArray();
        var s = new double[k];
        var scaled = new double[l * k];
        for (int j = 0; j < k; j++)
        {
            double sigma = Math.Sqrt(Math.Max(0, evd.EigenValues[order[j]].Real));
            s[j] = sigma;
            if (sigma == 0) continue;
            for (int i = 0; i < l; i++) scaled[i * k + j] = evd.EigenVectors[i, order[j]] / sigma;
        }
        return (ColumnBlock.Multiply(bt, terms, l, scaled, k, cancellationToken), s);
    }

    /// <summary>
    /// M X for a sparse M (rows × columns) and a dense X (columns × c, row-major), in parallel over blocks of rows; each
    /// row of the result sums its entries in column order (A X with M = A, Aᵀ Y with M = Aᵀ, documents in order).
    /// </summary>
    private static double[] Multiply(Csr m, double[] x, int c, CancellationToken cancellationToken)
    {
        int rows = m.Rows;
        var result = new double[rows * c];
        const int RowsPerBlock = 256;
        ParallelBlocks.For(rows, RowsPerBlock, (start, end) =>
        {
            for (int r = start; r < end; r++)
            {
                var row = result.AsSpan(r * c, c);
                for (int p = m.Start[r]; p < m.Start[r + 1]; p++)
                    ColumnBlock.AddScaled(row, m.Weights[p], x.AsSpan(m.Columns[p] * c, c));
            }
        }, cancellationToken: cancellationToken);
        return result;
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller.
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
