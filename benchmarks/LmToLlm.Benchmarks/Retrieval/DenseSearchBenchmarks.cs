using BenchmarkDotNet.Attributes;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;

namespace LmToLlm.Benchmarks.Retrieval;

/// <summary>
/// Exact cosine top-10 over 100,000 random 100-dimensional unit vectors: <see cref="DenseIndex"/> (TensorPrimitives
/// dot products in blocks, top-k heap) against the naive way (scalar dot product for every document, then a full
/// sort), one query; and 64 queries on one thread vs all cores.
/// </summary>
[MemoryDiagnoser]
public class DenseSearchBenchmarks
{
    private const int Documents = 100_000, Dimensions = 100;
    private DenseIndex _index = null!;
    private float[] _rows = null!;
    private float[][] _queries = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _rows = new float[Documents * Dimensions];
        for (int i = 0; i < _rows.Length; i++) _rows[i] = (float)(random.NextDouble() * 2 - 1);
        _index = DenseIndex.Create(_rows, Dimensions);
        _rows = Enumerable.Range(0, Documents).SelectMany(d => _index.Vector(d).ToArray()).ToArray();
        _queries = Enumerable.Range(0, 64).Select(_ => Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }

    [Benchmark(Baseline = true)]
    public SearchHit[] NaiveScalarAndSort()
    {
        var q = _queries[0];
        double norm = Math.Sqrt(q.Sum(x => (double)x * x));
        var all = new SearchHit[Documents];
        for (int d = 0; d < Documents; d++)
        {
            float dot = 0;
            for (int j = 0; j < Dimensions; j++) dot += q[j] * _rows[d * Dimensions + j];
            all[d] = new SearchHit(d, dot / norm);
        }
        Array.Sort(all, (a, b) => b.Score.CompareTo(a.Score) != 0 ? b.Score.CompareTo(a.Score) : a.Document.CompareTo(b.Document));
        return all[..10];
    }

    [Benchmark]
    public SearchHit[] DenseIndexSearch() => _index.Search(_queries[0], 10);

    [Benchmark(OperationsPerInvoke = 64)]
    public SearchHit[][] SearchMany64OneThread() => _index.SearchMany(_queries, 10, maxDegreeOfParallelism: 1);

    [Benchmark(OperationsPerInvoke = 64)]
    public SearchHit[][] SearchMany64AllCores() => _index.SearchMany(_queries, 10);
}
