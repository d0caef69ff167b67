using System.Diagnostics;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Benchmarks.Retrieval;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/LmToLlm.Benchmarks -- retrieval-time [collections...] [--rounds N]</c>:
/// index build (one thread) and single-thread top-10 / top-1000 passes over every query, Lucene.Net and LmToLlm
/// alternating in each round, timed in both wall time and process CPU time; the best round of each is reported.
/// On a shared machine CPU time is the steadier figure (waiting for a core does not count).
/// </summary>
public static class RetrievalTiming
{
    public static void Run(string[] args)
    {
        int rounds = 3;
        var collections = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds") rounds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else collections.Add(args[i]);
        }
        if (collections.Count == 0) collections = ["cranfield", "cacm", "gcide"];
        Console.WriteLine($"load average at start: {LoadAverage()}");
        Console.WriteLine("| collection | task | Lucene.Net wall ms | LmToLlm wall ms | wall ratio | Lucene.Net CPU ms | LmToLlm CPU ms | CPU ratio |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (string name in collections) Measure(name, rounds);
        Console.WriteLine($"load average at end: {LoadAverage()}");
    }

    private static void Measure(string name, int rounds)
    {
        var data = RetrievalData.Load(name);
        var texts = data.QueryTexts;
        var build = new Best();
        LuceneNetIndex? lucene = null;
        Bm25? bm25 = null;
        for (int r = 0; r < rounds; r++)
        {
            lucene?.Dispose();
            lucene = null;
            bm25 = null;
            GC.Collect();
            build.Theirs(() => { lucene = LuceneNetIndex.Build(data.Documents); });
            GC.Collect();
            build.Ours(() => { bm25 = Bm25.Lucene(InvertedIndex.Build(data.Documents, Analyzer.Simple, maxDegreeOfParallelism: 1)); });
        }
        build.Print(name, "build (1 thread)");
        foreach (int k in new[] { 10, 1000 })
        {
            var search = new Best();
            foreach (var text in texts) bm25!.Search(text, k);   // warm-up, and the lazy per-term bounds
            foreach (var tokens in data.QueryTokens) lucene!.Search(tokens, k);
            for (int r = 0; r < rounds + 2; r++)
            {
                search.Theirs(() => { foreach (var tokens in data.QueryTokens) lucene!.Search(tokens, k); });
                search.Ours(() => { foreach (var text in texts) bm25!.Search(text, k); });
            }
            search.Print(name, $"top-{k}, {texts.Count} queries");
        }
        lucene?.Dispose();
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>Best (smallest) wall and CPU time of each side over the rounds.</summary>
    private sealed class Best
    {
        private double _theirWall = double.MaxValue, _theirCpu = double.MaxValue, _ourWall = double.MaxValue, _ourCpu = double.MaxValue;

        public void Theirs(Action action) => Time(action, ref _theirWall, ref _theirCpu);
        public void Ours(Action action) => Time(action, ref _ourWall, ref _ourCpu);

        private static void Time(Action action, ref double wall, ref double cpu)
        {
            var (w, c) = Lucene8Bench.Time(action);
            wall = Math.Min(wall, w * 1000);
            cpu = Math.Min(cpu, c * 1000);
        }

        public void Print(string name, string task) =>
            Console.WriteLine($"| {name} | {task} | {_theirWall:N0} | {_ourWall:N0} | {_theirWall / _ourWall:F1}× | {_theirCpu:N0} | {_ourCpu:N0} | {_theirCpu / _ourCpu:F1}× |");
    }
}
