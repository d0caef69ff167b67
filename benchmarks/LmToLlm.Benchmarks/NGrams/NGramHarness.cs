using System.Diagnostics;
using LmToLlm.NGrams;

namespace LmToLlm.Benchmarks.NGrams;

/// <summary>
/// Command-line harness for long n-gram runs (BenchmarkDotNet would repeat them for minutes):
/// <c>dotnet run -c Release --project benchmarks/LmToLlm.Benchmarks -- ngrams --text FILE [--order 5] [--arpa OUT] [--synthetic TOKENS]</c>.
/// Prints wall time of counting, estimation and ARPA writing, and the process's peak resident memory.
/// </summary>
public static class NGramHarness
{
    public static void Run(string[] args)
    {
        string? text = Arg(args, "--text");
        int order = int.Parse(Arg(args, "--order") ?? "5");
        string? arpa = Arg(args, "--arpa");
        long synthetic = long.Parse(Arg(args, "--synthetic") ?? "0");
        if (synthetic > 0)
        {
            text = Arg(args, "--synthetic-file") ?? Path.Combine("artifacts", $"synthetic-{synthetic}.txt");
            if (!File.Exists(text)) WriteSynthetic(text, synthetic);
        }
        if (text is null) throw new ArgumentException("give --text FILE or --synthetic TOKENS");
        var total = Stopwatch.StartNew();
        var watch = Stopwatch.StartNew();
        var counts = NGramCounts.FromFile(text, new NGramCountOptions(order));
        double countSeconds = watch.Elapsed.TotalSeconds;
        long distinct = 0;
        for (int k = 1; k <= order; k++) distinct += counts.Distinct(k);
        Report($"count     {countSeconds,7:F2} s  words {counts.WordCount:N0}, n-grams {distinct:N0}");
        watch.Restart();
        var model = (BackoffModel)NGramTrainer.Train(counts, new NGramTrainingOptions(ReleaseCounts: true));
        counts = null;
        Report($"estimate  {watch.Elapsed.TotalSeconds,7:F2} s");
        if (args.Contains("--format-only"))
        {
            watch.Restart();
            model.WriteArpa(Stream.Null);
            Report($"format    {watch.Elapsed.TotalSeconds,7:F2} s  (ARPA to Stream.Null)");
        }
        if (arpa is not null)
        {
            watch.Restart();
            model.WriteArpa(arpa);
            Report($"write     {watch.Elapsed.TotalSeconds,7:F2} s  {new FileInfo(arpa).Length / 1e6:F0} MB");
        }
        GC.KeepAlive(model);
        Report($"total     {total.Elapsed.TotalSeconds,7:F2} s  peak RSS {PeakRssKb():N0} kB");
    }

    private static void Report(string line) =>
        Console.WriteLine($"{line}  [managed {GC.GetTotalMemory(false) / 1e6:F0} MB, RSS {Environment.WorkingSet / 1e6:F0} MB]");

    /// <summary>VmHWM from /proc/self/status (peak resident set), as GNU time's "Maximum resident set size".</summary>
    private static long PeakRssKb()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) return long.Parse(line[6..].Trim().Split(' ')[0]);
        }
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1024;
    }

    /// <summary>
    /// A reproducible synthetic text: Zipf-distributed words (s = 1.1, 200,000 types) with a first-order Markov twist
    /// (each word prefers a few successors), sentences of 5–40 words. Seeded: the same size gives the same file.
    /// </summary>
    private static void WriteSynthetic(string path, long tokens)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        const int types = 200_000;
        double[] cumulative = new double[types];
        double sum = 0;
        for (int i = 0; i < types; i++) cumulative[i] = sum += 1.0 / Math.Pow(i + 1, 1.1);
        var random = new Random(42);
        int Draw()
        {
            double u = random.NextDouble() * sum;
            int index = Array.BinarySearch(cumulative, u);
            return index < 0 ? Math.Min(~index, types - 1) : index;
        }
        using var writer = new StreamWriter(path);
        long written = 0;
        int previous = 0;
        while (written < tokens)
        {
            int length = random.Next(5, 41);
            for (int i = 0; i < length; i++)
            {
                int word = random.Next(3) == 0 ? (int)((previous * 2654435761L + random.Next(4)) % 5000) : Draw();
                if (i > 0) writer.Write(' ');
                writer.Write('w');
                writer.Write(word);
                previous = word;
            }
            writer.Write('\n');
            written += length;
        }
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
