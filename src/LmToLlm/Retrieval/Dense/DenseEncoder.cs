using System.Numerics.Tensors;
using LmToLlm.Embeddings;
using LmToLlm.Text;
using MathNet.Numerics.LinearAlgebra;

namespace LmToLlm.Retrieval.Dense;

/// <summary>How word vectors are pooled into one text vector.</summary>
public enum Pooling
{
    /// <summary>v(s) = (1/n) Σ v(w) over the n tokens of s that have a vector.</summary>
    Mean,

    /// <summary>v(s) = Σ tf(w)·idf(w)·v(w) / Σ tf(w)·idf(w), idf(w) = ln((1 + N)/(1 + df(w))) + 1 (scikit-learn smooth idf) over the collection.</summary>
    TfIdf,

    /// <summary>
    /// Smooth inverse frequency (Arora, Liang and Ma 2017, "A simple but tough-to-beat baseline for sentence
    /// embeddings"): v(s) = (1/n) Σ a/(a + p(w))·v(w), p(w) = the word's relative frequency in the collection; then the
    /// projection on the first singular vector u of the collection's matrix of such vectors is removed: v − u uᵀ v.
    /// </summary>
    Sif,
}

/// <summary>Options of a <see cref="DenseEncoder"/>.</summary>
public sealed record DenseEncoderOptions
{
    /// <summary>The defaults.</summary>
    public static DenseEncoderOptions Default { get; } = new();

    /// <summary>The pooling (default <see cref="Pooling.Sif"/>).</summary>
    public Pooling Pooling { get; init; } = Pooling.Sif;

    /// <summary>SIF's a (default 1e-3, the paper's recommended range 1e-4..1e-3).</summary>
    internal double SifA { get; init; } = 1e-3;

    /// <summary>The analyzer that splits text into words looked up in the vectors (default <c>simple</c>, as word2vec text is usually prepared).</summary>
    public Analyzer Analyzer { get; init; } = Analyzer.Simple;
}

/// <summary>
/// Turns text into one vector from word vectors. Input: a collection (for idf, p(w) and SIF's singular vector)
/// and word vectors. Output: <see cref="Encode"/> gives a <see cref="WordVectors.Dimensions"/>-long vector, all zeros
/// when no word of the text has a vector. Immutable and thread-safe after construction.
/// </summary>
public sealed partial class DenseEncoder
{
    private readonly double[] _weight;       // per vector row: idf (TfIdf), a/(a+p) (Sif), 1 (Mean)
    private readonly float[]? _component;    // SIF: the unit first singular vector, or null

    private DenseEncoder(WordVectors vectors, DenseEncoderOptions options, double[] weight, float[]? component)
    {
        Vectors = vectors;
        Options = options;
        _weight = weight;
        _component = component;
    }

    /// <summary>The word vectors.</summary>
    internal WordVectors Vectors { get; }

    /// <summary>The options.</summary>
    internal DenseEncoderOptions Options { get; }

    /// <summary>The vector length (the word vectors' dimensions).</summary>
    public int Dimensions => Vectors.Dimensions;

    /// <summary>SIF's removed direction (unit length), or empty for the other poolings.</summary>
    internal ReadOnlySpan<float> RemovedComponent => _component;

    /// <summary>The weight of a vector row: idf (TF-IDF), a/(a + p(w)) (SIF) or 1 (mean).</summary>
    public double Weight(int row) => _weight[row];

    /// <summary>An encoder from saved parts (<see cref="Weight"/> of every row and <see cref="RemovedComponent"/>, empty when none).</summary>
    internal static DenseEncoder FromParts(WordVectors vectors, DenseEncoderOptions options, double[] weight, float[] component)
    {
        if (weight.Length != vectors.Count) throw new ArgumentException($"{weight.Length} weights for {vectors.Count} vectors", nameof(weight));
        if (component.Length != 0 && component.Length != vectors.Dimensions) throw new ArgumentException($"a removed component of {component.Length} values for {vectors.Dimensions} dimensions", nameof(component));
        return new DenseEncoder(vectors, options, weight, component.Length == 0 ? null : component);
    }

    /// <summary>
    /// Fits the pooling statistics on <paramref name="collectionTexts"/> (document frequencies, word frequencies, SIF's
    /// component). Cancellation is checked once per text and once per matrix row.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static DenseEncoder Fit(WordVectors vectors, IReadOnlyList<string> collectionTexts, DenseEncoderOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(collectionTexts);
        options ??= new DenseEncoderOptions();
        cancellationToken.ThrowIfCancellationRequested();
        var weight = new double[vectors.Count];
        switch (options.Pooling)
        {
            case Pooling.Mean:
                Array.Fill(weight, 1.0);
                break;
            case Pooling.TfIdf:
            {
                var df = new int[vectors.Count];
                var sink = new RowSink(vectors);
                var seen = new HashSet<int>();
                foreach (string text in collectionTexts)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    sink.Reset();
                    options.Analyzer.Analyze(text, sink);
                    seen.Clear();
                    foreach (int row in sink.Rows) if (seen.Add(row)) df[row]++;
                }
                int n = collectionTexts.Count;
                for (int r = 0; r < weight.Length; r++) weight[r] = Math.Log((1.0 + n) / (1.0 + df[r])) + 1.0;
                break;
            }
            case Pooling.Sif:
            {
                var counts = new long[vectors.Count];
                long total = 0;
                var sink = new RowSink(vectors);
                foreach (string text in collectionTexts)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    sink.Reset();
                    options.Analyzer.Analyze(text, sink);
                    total += sink.Tokens;
                    foreach (int row in sink.Rows) counts[row]++;
                }
                for (int r = 0; r < weight.Length; r++)
                {
                    double p = total > 0 ? (double)counts[r] / total : 0;
                    weight[r] = options.SifA / (options.SifA + p);
                }
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Pooling, "unknown pooling");
        }
        var encoder = new DenseEncoder(vectors, options, weight, null);
        if (options.Pooling != Pooling.Sif) return encoder;
        var rows = new float[collectionTexts.Count * vectors.Dimensions];
        for (int i = 0; i < collectionTexts.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            encoder.EncodeInto(collectionTexts[i], rows.AsSpan(i * vectors.Dimensions, vectors.Dimensions));
        }
        return new DenseEncoder(vectors, options, weight, FirstSingularVector(rows, vectors.Dimensions, cancellationToken));
    }

    /// <summary>
    /// The first right singular vector of the row-major matrix X (n × d): the top singular vector of the d × d
    /// matrix XᵀX (MathNet SVD), so the cost does not grow with n beyond forming XᵀX. Sign fixed so its largest
    /// component is positive. All zeros when X is zero. Cancellation is checked once per row of X; the SVD of the
    /// d × d matrix itself is not interruptible, and takes well under a second for word-vector sizes.
    /// </summary>
    internal static float[] FirstSingularVector(ReadOnlySpan<float> rows, int dimensions, CancellationToken cancellationToken = default)
    {
        int n = rows.Length / dimensions;
        var gram = Matrix<double>.Build.Dense(dimensions, dimensions);
        var row = new double[dimensions];
        for (int i = 0; i < n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var r = rows.Slice(i * dimensions, dimensions);
            for (int a = 0; a < dimensions; a++) row[a] = r[a];
            for (int a = 0; a < dimensions; a++)
            {
                if (row[a] == 0) continue;
                for (int b = 0; b < dimensions; b++) gram[a, b] += row[a] * row[b];
            }
        }
        var result = new float[dimensions];
        if (gram.FrobeniusNorm() == 0) return result;
        var u = gram.Svd(computeVectors: true).U.Column(0);
        int largest = u.AbsoluteMaximumIndex();
        double sign = u[largest] < 0 ? -1 : 1;
        for (int a = 0; a < dimensions; a++) result[a] = (float)(sign * u[a]);
        return result;
    }

    /// <summary>The pooled vector of <paramref name="text"/> (a new array of <see cref="Dimensions"/> values).</summary>
    public float[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new float[Dimensions];
        EncodeInto(text, result);
        return result;
    }

    /// <summary>Encodes many texts into one row-major matrix, in parallel (-1 = all cores).</summary>
    public float[] EncodeMany(IReadOnlyList<string> texts, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var rows = new float[texts.Count * Dimensions];
        Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken },
            i => EncodeInto(texts[i], rows.AsSpan(i * Dimensions, Dimensions)));
        return rows;
    }

    /// <summary>The words of <paramref name="text"/> that have a vector, as vector rows in text order.</summary>
    public int[] KnownWords(string text)
    {
        var sink = new RowSink(Vectors);
        Options.Analyzer.Analyze(text, sink);
        return [.. sink.Rows];
    }

    private void EncodeInto(string text, Span<float> result)
    {
        var sink = new RowSink(Vectors);
        Options.Analyzer.Analyze(text, sink);
        result.Clear();
        if (sink.Rows.Count == 0) return;
        double total = 0;
        foreach (int row in sink.Rows)
        {
            float w = (float)_weight[row];
            TensorPrimitives.MultiplyAdd(Vectors.Vector(row), w, result, result);
            total += _weight[row];
        }
        // Mean and SIF divide by the number of words (Arora et al.); TF-IDF by the sum of weights.
        float divisor = (float)(Options.Pooling == Pooling.TfIdf ? total : sink.Rows.Count);
        if (divisor > 0) TensorPrimitives.Divide(result, divisor, result);
        if (_component is { } u)
        {
            float projection = TensorPrimitives.Dot(result, u);
            TensorPrimitives.MultiplyAdd(u, -projection, result, result);
        }
    }

    /// <summary>Collects the vector rows of the tokens that have one.</summary>
    private sealed class RowSink(WordVectors vectors) : ITokenSink
    {
        public List<int> Rows { get; } = [];

        public long Tokens { get; private set; }

        public void Reset()
        {
            Rows.Clear();
            Tokens = 0;
        }

        public void Add(ReadOnlySpan<char> token)
        {
            Tokens++;
            if (vectors.TryGetIndex(token, out int row)) Rows.Add(row);
        }
    }
}
