using BenchmarkDotNet.Attributes;
using LmToLlm.Corpora;
using LmToLlm.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;
using Analyzer = LmToLlm.Text.Analyzer;
using LuceneAnalyzer = Lucene.Net.Analysis.Analyzer;

namespace LmToLlm.Benchmarks.Text;

/// <summary>
/// Analyzer throughput over the 1400 Cranfield record texts (243,204 simple tokens), LmToLlm next to Lucene.Net 4.8
/// chains of the same shape: LowerCaseTokenizer (letters only, so digits are dropped: slightly different tokens,
/// same kind of work) and LowerCaseTokenizer → StopFilter(ENGLISH_STOP_WORDS_SET) → PorterStemFilter.
/// Porter: the 23,531 words of ../shared/data/porter/voc.txt as one text, WhitespaceTokenizer → PorterStemFilter in
/// Lucene.Net (which reproduces all pairs too) vs simple + PorterStemmer here. Single thread; each benchmark
/// returns the total token length so nothing is optimised away.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private string[] _texts = [];
    private string _porterWords = "";
    private LuceneAnalyzer _luceneLower = null!;
    private LuceneAnalyzer _luceneEnglish = null!;
    private LuceneAnalyzer _lucenePorter = null!;
    private readonly LengthSink _sink = new();
    private readonly StemSink _stemSink = new();

    [GlobalSetup]
    public void Setup()
    {
        string shared = Path.Combine(RepositoryRoot(), "..", "shared");
        _texts = BeirJsonl.ReadCorpus(Path.Combine(shared, "data", "cranfield", "beir", "corpus.jsonl")).Select(d => d.FullText).ToArray();
        _porterWords = string.Join(' ', File.ReadAllLines(Path.Combine(shared, "data", "porter", "voc.txt")));
        _luceneLower = LuceneAnalyzer.NewAnonymous((_, reader) => new TokenStreamComponents(new LowerCaseTokenizer(LuceneVersion.LUCENE_48, reader)));
        _luceneEnglish = LuceneAnalyzer.NewAnonymous((_, reader) =>
        {
            var source = new LowerCaseTokenizer(LuceneVersion.LUCENE_48, reader);
            TokenStream stream = new StopFilter(LuceneVersion.LUCENE_48, source, StopAnalyzer.ENGLISH_STOP_WORDS_SET);
            return new TokenStreamComponents(source, new PorterStemFilter(stream));
        });
        _lucenePorter = LuceneAnalyzer.NewAnonymous((_, reader) =>
        {
            var source = new WhitespaceTokenizer(LuceneVersion.LUCENE_48, reader);
            return new TokenStreamComponents(source, new PorterStemFilter(source));
        });
    }

    [Benchmark(Baseline = true)] public long Simple_LmToLlm() => Ours(Analyzer.Simple, _texts);
    [Benchmark] public long LowerCaseTokenizer_LuceneNet() => Lucene(_luceneLower, _texts);
    [Benchmark] public long English_LmToLlm() => Ours(Analyzer.English, _texts);
    [Benchmark] public long English_LuceneNet() => Lucene(_luceneEnglish, _texts);
    [Benchmark]
    public long Porter_LmToLlm()
    {
        _stemSink.Total = 0;
        Analyzer.Simple.Analyze(_porterWords, _stemSink);
        return _stemSink.Total;
    }

    [Benchmark] public long Porter_LuceneNet() => Lucene(_lucenePorter, [_porterWords]);
    [Benchmark] public long Korean_LmToLlm() => Ours(Analyzer.Korean, _texts);
    [Benchmark] public long Char3to5_LmToLlm() => Ours(Analyzer.FromName("char:3-5"), _texts);

    private static string RepositoryRoot()
    {
        // BenchmarkDotNet runs a copy of the project under bin/, so try the binaries' folder and the working directory.
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LmToLlm.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("cannot find the repository root (LmToLlm.sln)");
    }

    private long Ours(Analyzer analyzer, string[] texts)
    {
        _sink.Total = 0;
        foreach (string text in texts) analyzer.Analyze(text, _sink);
        return _sink.Total;
    }

    private static long Lucene(LuceneAnalyzer analyzer, string[] texts)
    {
        long total = 0;
        foreach (string text in texts)
        {
            var stream = analyzer.GetTokenStream("f", text);
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken()) total += term.Length;
            stream.End();
            stream.Dispose();
        }
        return total;
    }

    private sealed class StemSink : ITokenSink
    {
        private readonly char[] _buffer = new char[256];
        public long Total;

        public void Add(ReadOnlySpan<char> token)
        {
            token.CopyTo(_buffer);
            Total += PorterStemmer.Stem(_buffer.AsSpan(0, token.Length));
        }
    }

    private sealed class LengthSink : ITokenSink
    {
        public long Total;
        public void Add(ReadOnlySpan<char> token) => Total += token.Length;
    }
}
