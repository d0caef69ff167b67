using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Benchmarks.Retrieval;

/// <summary>
/// Index build: LmToLlm <see cref="InvertedIndex.Build"/> (one thread, and all cores) against Lucene.Net 4.8
/// IndexWriter into a RAMDirectory with BM25Similarity, same tokens, same corpus order. One build per iteration.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class IndexBuildBenchmarks
{
    [Params("cranfield", "cacm", "gcide")]
    public string Collection { get; set; } = "cranfield";

    private RetrievalData _data = null!;

    [GlobalSetup]
    public void Setup() => _data = RetrievalData.Load(Collection);

    [Benchmark(Baseline = true)]
    public long LuceneNet()
    {
        using var directory = LuceneNetIndex.BuildDirectory(_data.Documents);
        return directory.GetSizeInBytes();
    }

    [Benchmark]
    public int LmToLlm_1thread() => InvertedIndex.Build(_data.Documents, Analyzer.Simple, maxDegreeOfParallelism: 1).PostingCount;

    [Benchmark]
    public int LmToLlm_allCores() => InvertedIndex.Build(_data.Documents, Analyzer.Simple).PostingCount;
}

/// <summary>
/// Single-thread BM25 query throughput: every query of the collection in turn (Cranfield 225, CACM 52 with tokens,
/// GCIDE 500 seeded 2–5-token queries), top k. Lucene.Net: BooleanQuery of SHOULD TermQuery clauses; LmToLlm:
/// <see cref="Bm25.Search(string, int)"/> (query analysis included) with MaxScore pruning.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class Bm25QueryBenchmarks
{
    [Params("cranfield", "cacm", "gcide")]
    public string Collection { get; set; } = "cranfield";

    [Params(10, 1000)]
    public int K { get; set; } = 10;

    private RetrievalData _data = null!;
    private List<string> _texts = null!;
    private LuceneNetIndex? _lucene;
    private Bm25 _bm25 = null!;

    [GlobalSetup(Target = nameof(LuceneNet))]
    public void SetupLucene()
    {
        _data = RetrievalData.Load(Collection);
        _lucene = LuceneNetIndex.Build(_data.Documents);
    }

    [GlobalSetup(Target = nameof(LmToLlm))]
    public void SetupOurs()
    {
        _data = RetrievalData.Load(Collection);
        _texts = _data.QueryTexts;
        _bm25 = Bm25.Lucene(InvertedIndex.Build(_data.Documents, Analyzer.Simple));
    }

    [GlobalCleanup]
    public void Cleanup() => _lucene?.Dispose();

    [Benchmark(Baseline = true)]
    public int LuceneNet()
    {
        int hits = 0;
        foreach (var tokens in _data.QueryTokens) hits += _lucene!.Search(tokens, K).ScoreDocs.Length;
        return hits;
    }

    [Benchmark]
    public int LmToLlm()
    {
        int hits = 0;
        foreach (var text in _texts) hits += _bm25.Search(text, K).Length;
        return hits;
    }
}
