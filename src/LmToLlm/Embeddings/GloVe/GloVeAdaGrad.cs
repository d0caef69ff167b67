using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using LmToLlm.Primitives;

namespace LmToLlm.Embeddings.GloVe;

/// <summary>
/// AdaGrad on GloVe's weighted least squares, as <c>glove</c> trains. Input: the co-occurrence cells (shuffled once,
/// as <c>shuffle</c> does, then read in the same order every iteration). Output: word vectors W, context vectors W̃
/// and their biases, after <see cref="GloVeOptions.Iterations"/> passes.
/// </summary>
/// <remarks>
/// For a cell (i, j, x): <c>diff = wᵢ·w̃ⱼ + bᵢ + b̃ⱼ − ln x</c>, <c>fdiff = f(x)·diff</c>; each component of the gradients
/// <c>fdiff·w̃ⱼ</c> and <c>fdiff·wᵢ</c> is clipped to ±clip and scaled by η, divided by √(accumulated squared gradient),
/// and the squared gradient accumulated (AdaGrad with accumulators starting at 1). Biases move by
/// <c>fdiff/√G</c> without η and accumulate <c>fdiff²</c> (both exactly as <c>glove.c</c>). Parameters start uniform in
/// <c>[−0.5, 0.5)/dim</c>. Threads take contiguous slices of the shuffled cells and update without locks (Hogwild).
/// Arithmetic is float (the reference uses double), ln x and f(x) are computed once per cell.
/// </remarks>
internal sealed class GloVeAdaGrad
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Cell
    {
        public int Word;
        public int Context;
        public float LogX;
        public float Weight;
    }

    private readonly int _dim;
    private readonly int _vocabulary;
    private readonly float[] _vectors;   // rows 0..V−1 words, V..2V−1 contexts
    private readonly float[] _bias;
    private readonly float[] _gradSq;
    private readonly float[] _gradSqBias;
    private readonly Cell[] _cells;
    private readonly GloVeOptions _options;

    internal GloVeAdaGrad(GloVeCooccurrence counts, int vocabularySize, GloVeOptions options)
    {
        _options = options;
        _dim = options.Dimensions;
        _vocabulary = vocabularySize;
        long rows = 2L * vocabularySize;
        if (rows * _dim > Array.MaxLength) throw new LmToLlmException($"{vocabularySize} words × {_dim} dimensions is too large for one array; lower the dimensions or the vocabulary");
        _vectors = new float[rows * _dim];
        _bias = new float[rows];
        _gradSq = new float[rows * _dim];
        _gradSqBias = new float[rows];
        Array.Fill(_gradSq, 1f);
        Array.Fill(_gradSqBias, 1f);
        var random = new SplitMix64(options.Seed);
        for (long r = 0; r < rows; r++)
        {
            for (int d = 0; d < _dim; d++) _vectors[r * _dim + d] = (float)((random.NextDouble() - 0.5) / _dim);
            _bias[r] = (float)((random.NextDouble() - 0.5) / _dim);
        }
        _cells = new Cell[counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            double x = counts.Values[i];
            _cells[i] = new Cell { Word = counts.Word1[i], Context = counts.Word2[i], LogX = (float)Math.Log(x), Weight = (float)GloVeTrainer.Weight(x, options.XMax, options.Alpha) };
        }
        // Fisher–Yates with the seeded generator (shuffle.c shuffles chunks and then across chunks: also uniform-ish).
        for (int i = _cells.Length - 1; i > 0; i--)
        {
            int k = (int)random.NextBelow((ulong)i + 1);
            (_cells[i], _cells[k]) = (_cells[k], _cells[i]);
        }
    }

    internal double LastCost { get; private set; }

    internal void Run(IProgress<GloVeProgress>? progress, CancellationToken cancellationToken)
    {
        int threads = _options.MaxDegreeOfParallelism;
        long n = _cells.Length;
        var costs = new double[threads];
        for (int iteration = 0; iteration < _options.Iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (threads == 1) costs[0] = TrainSlice(0, n, cancellationToken);
            else
            {
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, t =>
                {
                    long start = n / threads * t;
                    long length = t == threads - 1 ? n - start : n / threads;
                    costs[t] = TrainSlice(start, length, cancellationToken);
                });
            }
            double total = 0;
            foreach (double c in costs) total += c;
            LastCost = n > 0 ? total / n : 0;
            progress?.Report(new GloVeProgress(GloVePhase.Training, iteration + 1, _options.Iterations, LastCost));
        }
    }

    private double TrainSlice(long start, long length, CancellationToken cancellationToken)
    {
        int dim = _dim;
        float eta = (float)_options.Eta, clip = (float)_options.GradientClip;
        var update1 = new float[dim];
        var update2 = new float[dim];
        double cost = 0;
        for (long c = start; c < start + length; c++)
        {
            if (((c - start) & 0xFFFFF) == 0xFFFFF) cancellationToken.ThrowIfCancellationRequested();
            ref readonly Cell cell = ref _cells[c];
            int l1 = cell.Word, l2 = cell.Context + _vocabulary;
            var w1 = new Span<float>(_vectors, l1 * dim, dim);
            var w2 = new Span<float>(_vectors, l2 * dim, dim);
            float diff = TensorPrimitives.Dot<float>(w1, w2) + _bias[l1] + _bias[l2] - cell.LogX;
            float fdiff = cell.Weight * diff;
            if (!float.IsFinite(diff) || !float.IsFinite(fdiff)) continue;
            cost += 0.5 * fdiff * diff;
            var g1 = new Span<float>(_gradSq, l1 * dim, dim);
            var g2 = new Span<float>(_gradSq, l2 * dim, dim);
            if (AdaGradStep(w1, w2, g1, g2, update1, update2, fdiff, eta, clip))
            {
                TensorPrimitives.Subtract(w1, update1, w1);
                TensorPrimitives.Subtract(w2, update2, w2);
            }
            float b1 = fdiff / MathF.Sqrt(_gradSqBias[l1]), b2 = fdiff / MathF.Sqrt(_gradSqBias[l2]);
            if (float.IsFinite(b1)) _bias[l1] -= b1;
            if (float.IsFinite(b2)) _bias[l2] -= b2;
            float squared = fdiff * fdiff;
            _gradSqBias[l1] += squared;
            _gradSqBias[l2] += squared;
        }
        return cost;
    }

    /// <summary>
    /// Computes both AdaGrad updates into <paramref name="update1"/>/<paramref name="update2"/> and accumulates the
    /// squared gradients; true when both updates are finite (glove.c skips the vector step otherwise).
    /// </summary>
    private static bool AdaGradStep(Span<float> w1, Span<float> w2, Span<float> g1, Span<float> g2, Span<float> update1, Span<float> update2, float fdiff, float eta, float clip)
    {
        int d = 0, dim = w1.Length;
        Vector<float> sum1 = Vector<float>.Zero, sum2 = Vector<float>.Zero;
        if (Vector.IsHardwareAccelerated && dim >= Vector<float>.Count)
        {
            var f = new Vector<float>(fdiff);
            var e = new Vector<float>(eta);
            var high = new Vector<float>(clip);
            var low = new Vector<float>(-clip);
            for (; d <= dim - Vector<float>.Count; d += Vector<float>.Count)
            {
                var a = new Vector<float>(w1[d..]);
                var b = new Vector<float>(w2[d..]);
                var t1 = Vector.Min(Vector.Max(f * b, low), high) * e;
                var t2 = Vector.Min(Vector.Max(f * a, low), high) * e;
                var s1 = new Vector<float>(g1[d..]);
                var s2 = new Vector<float>(g2[d..]);
                var u1 = t1 / Vector.SquareRoot(s1);
                var u2 = t2 / Vector.SquareRoot(s2);
                u1.CopyTo(update1[d..]);
                u2.CopyTo(update2[d..]);
                sum1 += u1;
                sum2 += u2;
                (s1 + t1 * t1).CopyTo(g1[d..]);
                (s2 + t2 * t2).CopyTo(g2[d..]);
            }
        }
        float tail1 = Vector.Sum(sum1), tail2 = Vector.Sum(sum2);
        for (; d < dim; d++)
        {
            float t1 = Math.Clamp(fdiff * w2[d], -clip, clip) * eta;
            float t2 = Math.Clamp(fdiff * w1[d], -clip, clip) * eta;
            update1[d] = t1 / MathF.Sqrt(g1[d]);
            update2[d] = t2 / MathF.Sqrt(g2[d]);
            tail1 += update1[d];
            tail2 += update2[d];
            g1[d] += t1 * t1;
            g2[d] += t2 * t2;
        }
        return float.IsFinite(tail1) && float.IsFinite(tail2);
    }

    /// <summary>
    /// The output vectors as <c>glove -model 2</c> writes them: <c>wᵢ + w̃ᵢ</c> per word, then (when asked) <c>&lt;unk&gt;</c>
    /// = mean of the last min(100, V) word rows plus mean of their context rows, summed in double as glove.c does.
    /// </summary>
    internal float[] Output(bool unknown)
    {
        int dim = _dim, v = _vocabulary;
        var matrix = new float[(long)(v + (unknown ? 1 : 0)) * dim];
        for (long i = 0; i < v; i++)
        {
            var target = matrix.AsSpan((int)(i * dim), dim);
            TensorPrimitives.Add(new ReadOnlySpan<float>(_vectors, (int)(i * dim), dim), new ReadOnlySpan<float>(_vectors, (int)((i + v) * dim), dim), target);
        }
        if (unknown)
        {
            int rare = Math.Min(v, 100);
            var word = new double[dim];
            var context = new double[dim];
            for (int i = v - rare; i < v; i++)
            {
                for (int d = 0; d < dim; d++)
                {
                    word[d] += _vectors[(long)i * dim + d] / (double)rare;
                    context[d] += _vectors[(long)(i + v) * dim + d] / (double)rare;
                }
            }
            for (int d = 0; d < dim; d++) matrix[(long)v * dim + d] = (float)(word[d] + context[d]);
        }
        return matrix;
    }
}
