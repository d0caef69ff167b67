using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Benchmarks.Retrieval;

/// <summary>
/// BM25 (variant <c>lucene8</c>) against Java Lucene 8, single thread, on the same token files.
/// <c>bm25-lucene8 prepare GCIDE_TXT DIR</c> writes DIR/docs.tok (one document per line, its <c>simple</c> tokens
/// joined by spaces), DIR/queries.tsv (<c>qid TAB tokens</c>: 1,000 seeded queries of 2–4 tokens drawn from random
/// documents) and the same as DIR/corpus.jsonl and DIR/queries.jsonl for the command line.
/// <c>bm25-lucene8 run DIR [--rounds N] [--lucene PREFIX]</c> builds the index on one thread, then for k = 10 and
/// 1000 answers every query once to warm up and N more times with <c>Bm25.Search</c>, and prints the best wall and CPU time; with
/// <c>--lucene PREFIX</c> it compares Search's top-k with Lucene's PREFIX.k10.run / PREFIX.k1000.run (documents and float scores).
/// </summary>
public static class Lucene8Bench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        if (args.Length >= 3 && args[0] == "prepare") { Prepare(args[1], args[2]); return 0; }
        if (args.Length >= 2 && args[0] == "run")
        {
            int rounds = 3;
            string? lucene = null;
            for (int i = 2; i < args.Length; i++)
            {
                if (args[i] == "--rounds") rounds = int.Parse(args[++i], Inv);
                else if (args[i] == "--lucene") lucene = args[++i];
            }
            Measure(args[1], rounds, lucene);
            return 0;
        }
        Console.Error.WriteLine("usage: bm25-lucene8 prepare GCIDE_TXT DIR | bm25-lucene8 run DIR [--rounds N] [--lucene PREFIX]");
        return 2;
    }

    private static void Prepare(string gcide, string dir)
    {
        Directory.CreateDirectory(dir);
        var docs = new List<string>();
        foreach (var (_, line) in TextLines.Read(gcide)) docs.Add(string.Join(' ', Analyzer.Simple.Tokenize(line)));
        File.WriteAllLines(Path.Combine(dir, "docs.tok"), docs);
        var random = new Random(42);
        var queries = new List<string>();
        while (queries.Count < 1000)
        {
            var tokens = docs[random.Next(docs.Count)].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 4) continue;
            int length = random.Next(2, 5);
            queries.Add(string.Join(' ', Enumerable.Range(0, length).Select(_ => tokens[random.Next(tokens.Length)])));
        }
        File.WriteAllLines(Path.Combine(dir, "queries.tsv"), queries.Select((q, i) => $"q{i + 1}\t{q}"));
        using (var corpus = new StreamWriter(Path.Combine(dir, "corpus.jsonl"), false, new UTF8Encoding(false)))
            for (int i = 0; i < docs.Count; i++) corpus.Write($"{{\"_id\":\"{i + 1}\",\"text\":{JsonSerializer.Serialize(docs[i])}}}\n");
        using (var q = new StreamWriter(Path.Combine(dir, "queries.jsonl"), false, new UTF8Encoding(false)))
            for (int i = 0; i < queries.Count; i++) q.Write($"{{\"_id\":\"q{i + 1}\",\"text\":{JsonSerializer.Serialize(queries[i])}}}\n");
        Console.WriteLine($"{dir}: {docs.Count} documents, {queries.Count} queries");
    }

    private static void Measure(string dir, int rounds, string? lucenePrefix)
    {
        Console.WriteLine($"load average at start: {LoadAverage()}");
        var lines = File.ReadAllLines(Path.Combine(dir, "docs.tok"));
        var docs = lines.Select((text, i) => new Document((i + 1).ToString(Inv), "", text)).ToList();
        var queries = File.ReadAllLines(Path.Combine(dir, "queries.tsv")).Select(l => l.Split('\t')).Select(p => (Id: p[0], Text: p[1])).ToList();
        GC.Collect();
        InvertedIndex? index = null;
        var (buildWall, buildCpu) = Time(() => index = InvertedIndex.Build(docs, Analyzer.Simple, maxDegreeOfParallelism: 1));
        Console.WriteLine(string.Create(Inv, $"BUILD 1 thread wall {buildWall:F3} s CPU {buildCpu:F3} s, {index!.DocumentCount} docs, {index.PostingCount} postings"));
        var bm25 = Bm25.Create(index, new Bm25Options { Variant = Bm25Variant.Lucene8 });
        var ids = queries.Select(q => index.AnalyzeQuery(q.Text)).ToList();
        foreach (int k in new[] { 10, 1000 })
        {
            var maxScore = new SearchHit[ids.Count][];
            Pass(ids, q => bm25.Search(q, k));   // warm-up: JIT and the lazy per-term and per-block maxima
            double bestWall = double.MaxValue, bestCpu = double.MaxValue;
            for (int r = 0; r < rounds; r++)
            {
                var (w, c) = Time(() => { for (int i = 0; i < ids.Count; i++) maxScore[i] = bm25.Search(ids[i], k); });
                bestWall = Math.Min(bestWall, w);
                bestCpu = Math.Min(bestCpu, c);
            }
            Console.WriteLine(string.Create(Inv,
                $"QUERY k={k} MaxScore (Search) best wall {bestWall:F3} s ({ids.Count / bestWall:F0} q/s) CPU {bestCpu:F3} s ({ids.Count / bestCpu:F0} q/s)"));
            if (lucenePrefix is not null) Compare(index, queries, maxScore, $"{lucenePrefix}.k{k}.run");
        }
        Console.WriteLine($"load average at end: {LoadAverage()}");
    }

    /// <summary>Counts the queries whose top-k equals Lucene's: same documents in the same order, same float scores.</summary>
    private static void Compare(InvertedIndex index, List<(string Id, string Text)> queries, SearchHit[][] ours, string run)
    {
        var theirs = new Dictionary<string, List<(string Doc, float Score)>>();
        foreach (var line in File.ReadLines(run))
        {
            var f = line.Split(' ');
            if (!theirs.TryGetValue(f[0], out var list)) theirs[f[0]] = list = [];
            list.Add((f[2], float.Parse(f[4], Inv)));
        }
        int identical = 0;
        for (int i = 0; i < queries.Count; i++)
        {
            var expected = theirs.GetValueOrDefault(queries[i].Id) ?? [];
            var actual = ours[i].Select(h => (index.DocumentId(h.Document), (float)h.Score)).ToList();
            if (expected.SequenceEqual(actual)) identical++;
        }
        Console.WriteLine($"  {run}: {identical}/{queries.Count} queries identical to Lucene 8 (documents, order and float scores)");
    }

    private static void Pass(List<int[]> ids, Func<int[], SearchHit[]> search)
    {
        foreach (var q in ids) search(q);
    }

    /// <summary>Wall and CPU seconds of one call (this process).</summary>
    internal static (double Wall, double Cpu) Time(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        watch.Stop();
        process.Refresh();
        return (watch.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu0).TotalSeconds);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
