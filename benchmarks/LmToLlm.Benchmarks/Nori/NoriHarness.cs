using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using LmToLlm.Nori;
using LmToLlm.Text;

namespace LmToLlm.Benchmarks.Nori;

/// <summary>
/// <c>nori check TEXT REFERENCE_PREFIX</c>: lines identical to Lucene's output per mode (analyzer, none, discard, mixed,
/// unigrams; files PREFIX.MODE.tsv.gz written by the reference harness described in tests/…/Nori/Reference/README.md).
/// <c>nori bench TEXT [ROUNDS]</c>: tokens per second of the <c>nori</c> analyzer, one thread, warm, per round (wall and
/// CPU seconds of this thread), as the Java harness's bench mode measures Lucene.
/// </summary>
internal static class NoriHarness
{
    public static int Run(string[] args)
    {
        if (args is ["check", var text, var prefix]) return Check(text, prefix);
        if (args is ["bench", var file, ..]) return Bench(file, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8);
        if (args is ["bm25", var folder]) return Bm25(folder);
        Console.Error.WriteLine("usage: nori check TEXT REFERENCE_PREFIX | nori bench TEXT [ROUNDS] | nori bm25 BEIR_FOLDER");
        return 2;
    }

    private static string[] Lines(string path)
    {
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.Ordinal)) stream = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
        var lines = reader.ReadToEnd().Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    private static int Check(string textPath, string prefix)
    {
        string[] lines = Lines(textPath);
        var analyzer = NoriAnalyzer.Create();
        var modes = new (string Name, Action<string, NoriReferenceFormat> Run)[]
        {
            ("analyzer", (l, s) => analyzer.Analyze(l, s)),
            ("none", (l, s) => NoriTokenizer.Create(NoriDecompoundMode.None).Tokenize(l, s)),
            ("discard", (l, s) => NoriTokenizer.Create(NoriDecompoundMode.Discard).Tokenize(l, s)),
            ("mixed", (l, s) => NoriTokenizer.Create(NoriDecompoundMode.Mixed).Tokenize(l, s)),
            ("unigrams", (l, s) => NoriTokenizer.Create(NoriDecompoundMode.Discard, outputUnknownUnigrams: true).Tokenize(l, s)),
        };
        int failures = 0;
        foreach (var (name, run) in modes)
        {
            string path = $"{prefix}.{name}.tsv.gz";
            if (!File.Exists(path)) continue;
            string[] expected = Lines(path);
            var sink = new NoriReferenceFormat();
            int identical = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                sink.Clear();
                run(lines[i], sink);
                if (i < expected.Length && sink.ToString() == expected[i]) identical++;
                else if (failures++ < 5) Console.WriteLine($"  {name} line {i + 1}:\n    lucene: {(i < expected.Length ? expected[i] : "(missing)")}\n    ours:   {sink}");
            }
            Console.WriteLine($"{name}: {identical}/{lines.Length} lines identical");
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>BM25 (Lucene defaults) on a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv) with each Korean analyzer.</summary>
    private static int Bm25(string folder)
    {
        var corpus = LmToLlm.Corpora.BeirJsonl.ReadCorpus(Path.Combine(folder, "corpus.jsonl")).ToList();
        var queries = LmToLlm.Corpora.BeirJsonl.ReadQueries(Path.Combine(folder, "queries.jsonl")).ToList();
        var qrels = LmToLlm.Evaluation.Qrels.ReadBeir(Path.Combine(folder, "qrels", "test.tsv"));
        Console.WriteLine($"{corpus.Count} documents, {queries.Count} queries");
        Console.WriteLine("| analyzer | terms | MAP | nDCG@10 | P@10 | Recall@100 | MRR |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var analyzer in new Analyzer[] { NoriAnalyzer.Create(), Analyzer.FromName("korean"), Analyzer.FromName("korean-bigrams"), Analyzer.Simple })
        {
            var collection = LmToLlm.Experiments.RetrievalCollection.Build(corpus, analyzer);
            var result = LmToLlm.Experiments.ModelComparison.Run(new LmToLlm.Experiments.ModelCatalog(), collection, queries, qrels, ["bm25"])[0].Evaluation;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {analyzer.Name} | {collection.Index.TermCount:N0} | {result.Summary("map"):F4} | {result.Summary("ndcg_cut_10"):F4} | {result.Summary("P_10"):F4} | {result.Summary("recall_100"):F4} | {result.Summary("recip_rank"):F4} |"));
        }
        return 0;
    }

    private sealed class CountingSink : ITokenSink
    {
        public long Tokens;
        public void Add(ReadOnlySpan<char> token) => Tokens++;
    }

    private static int Bench(string textPath, int rounds)
    {
        string[] lines = Lines(textPath);
        var analyzer = NoriAnalyzer.Create();
        var sink = new CountingSink();
        for (int round = 0; round < rounds; round++)
        {
            sink.Tokens = 0;
            long chars = 0;
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            TimeSpan cpu = CurrentThreadCpu();
            var wall = Stopwatch.StartNew();
            foreach (string line in lines)
            {
                analyzer.Analyze(line, sink);
                chars += line.Length;
            }
            wall.Stop();
            double cpuSeconds = (CurrentThreadCpu() - cpu).TotalSeconds;
            long bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: {sink.Tokens} tokens {chars} chars {wall.Elapsed.TotalSeconds:F3} s wall {cpuSeconds:F3} s cpu {sink.Tokens / wall.Elapsed.TotalSeconds:F0} tokens/s {bytes} bytes allocated"));
        }
        return 0;
    }

    /// <summary>CPU time of the calling thread (Linux: /proc/thread-self/stat utime+stime in clock ticks).</summary>
    private static TimeSpan CurrentThreadCpu()
    {
        try
        {
            string stat = File.ReadAllText("/proc/thread-self/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return Process.GetCurrentProcess().TotalProcessorTime;
        }
    }
}
