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
        if (args.Contains("--microformat"))
        {
            var rnd = new Random(1);
            float[] values = Enumerable.Range(0, 5_000_000).Select(_ => (float)(-rnd.NextDouble() * 6)).ToArray();
            Span<byte> buffer = stackalloc byte[32];
            foreach (string? format in new[] { "R", null, "G9" })
            {
                var w = Stopwatch.StartNew();
                long chars = 0;
                foreach (float v in values) { v.TryFormat(buffer, out int n, format, System.Globalization.CultureInfo.InvariantCulture); chars += n; }
                Console.WriteLine($"format {format ?? "default"}: {w.Elapsed.TotalMilliseconds / values.Length * 1e6:F0} ns/value ({chars})");
            }
            return;
        }
        string? text = Arg(args, "--text");
        int order = int.Parse(Arg(args, "--order") ?? "5");
        string? arpa = Arg(args, "--arpa");
        long synthetic = long.Parse(Arg(args, "--synthetic") ?? "0");
        if (synthetic > 0)
        {
            text = Arg(args, "--synthetic-file") ?? Path.Combine("artifacts", $"synthetic-{synthetic}.txt");
            if (!File.Exists(text)) WriteSynthetic(text, synthetic);
            if (args.Contains("--generate-only")) return;
        }
        if (text is null) throw new ArgumentException("give --text FILE or --synthetic TOKENS");
        var total = Stopwatch.StartNew();
        var watch = Stopwatch.StartNew();
        var counts = NGramCounts.FromFile(text, new NGramCountOptions { Order = order });
        double countSeconds = watch.Elapsed.TotalSeconds;
        long distinct = 0;
        for (int k = 1; k <= order; k++) distinct += counts.Distinct(k);
        Report($"count     {countSeconds,7:F2} s  words {counts.WordCount:N0}, n-grams {distinct:N0}");
        watch.Restart();
        var model = (BackoffModel)NGramTrainer.Train(counts, new NGramTrainingOptions { ReleaseCounts = true, DiscountFallback = args.Contains("--discount-fallback") });
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
        _cpu = TimeSpan.Zero;
        Report($"total     {total.Elapsed.TotalSeconds,7:F2} s  peak RSS {PeakRssKb():N0} kB");
    }

    private static TimeSpan _cpu;

    /// <summary>Prints a stage line with the CPU time (user + system, all threads) the stage used: on a loaded machine
    /// wall time says more about the neighbours than about the code.</summary>
    private static void Report(string line)
    {
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Console.WriteLine($"{line}  [cpu {(cpu - _cpu).TotalSeconds:F2} s, managed {GC.GetTotalMemory(false) / 1e6:F0} MB, RSS {Environment.WorkingSet / 1e6:F0} MB]");
        _cpu = cpu;
    }

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
    /// A reproducible synthetic text: 50,000 word types; each word is, with probability 0.6, one of 4 fixed successors
    /// of the previous word, else a Zipf draw (s = 1.1); sentences of 5–40 words. Seeded: the same size gives the same file.
    /// </summary>
    private static void WriteSynthetic(string path, long tokens)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        const int types = 50_000;
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
        int[,] successors = new int[types, 4];
        for (int w = 0; w < types; w++)
            for (int j = 0; j < 4; j++) successors[w, j] = Draw();
        using var writer = new StreamWriter(path);
        long written = 0;
        while (written < tokens)
        {
            int length = random.Next(5, 41);
            int previous = Draw();
            for (int i = 0; i < length; i++)
            {
                int word = i > 0 && random.NextDouble() < 0.6 ? successors[previous, random.Next(4)] : Draw();
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
