using System.Diagnostics;
using System.Globalization;
using LmToLlm.Primitives;
using LmToLlm.SuffixArrays;

namespace LmToLlm.Benchmarks.SuffixArrays;

/// <summary>
/// <c>sa sort FILE [--threads N]</c>: byte-mode suffix sorting of a file (CPU seconds, peak working set), to set beside
/// libdivsufsort's driver. <c>sa latency INDEX TEXT [SAMPLES]</c>: opening cost and warm query latency (median, p99)
/// of Count for 1-, 5- and 20-token spans drawn from the text, and of the ∞-gram next-token distribution.
/// </summary>
internal static class SuffixArrayHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        switch (args.Length > 0 ? args[0] : "")
        {
            case "sort":
            {
                int threads = args.Length > 3 && args[2] == "--threads" ? int.Parse(args[3], Inv) : 1;
                byte[] text = HugePages.ReadFile(args[1]); // as sa build reads a byte-mode corpus
                var process = Process.GetCurrentProcess();
                var cpu = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
#if SUFFIX_SORTER_PROFILE
                SuffixSorter.PhaseObserver = (phase, time) => Console.Error.WriteLine(string.Create(Inv, $"{phase,-28} {time.TotalSeconds:F3} s"));
#endif
                _ = SuffixSorter.Sort<byte>(text, 256, threads: threads); // allocates the array as sa build does
                clock.Stop();
                process.Refresh();
                Console.WriteLine(string.Create(Inv, $"sais {text.Length} bytes, {threads} thread{(threads == 1 ? "" : "s")}, wall {clock.Elapsed.TotalSeconds:F3} s cpu {(process.TotalProcessorTime - cpu).TotalSeconds:F3} s peak {process.PeakWorkingSet64 / 1e6:F0} MB ({process.PeakWorkingSet64 / (double)text.Length:F2} B/byte)"));
                return 0;
            }
            case "latency":
                Latency(args[1], args[2], args.Length > 3 ? int.Parse(args[3], Inv) : 2000);
                return 0;
            default:
                Console.Error.WriteLine("usage: sa sort FILE [--threads N] | sa latency INDEX TEXT [SAMPLES]");
                return 2;
        }
    }

    private static void Latency(string indexPath, string textPath, int samples)
    {
        long managed = GC.GetTotalMemory(true);
        var clock = Stopwatch.StartNew();
        using var index = SuffixArrayIndex.Open(indexPath);
        clock.Stop();
        Console.WriteLine(string.Create(Inv, $"open {clock.Elapsed.TotalMilliseconds:F1} ms, managed memory +{(GC.GetTotalMemory(true) - managed) / 1e6:F1} MB, file {new FileInfo(indexPath).Length / 1e6:F0} MB, vocabulary {index.VocabularySize}"));
        var lines = File.ReadLines(textPath).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(l => l.Length >= 20).ToList();
        var random = new Random(42);
        // Warm the page cache: count every sample once before timing.
        foreach (int length in new[] { 1, 5, 20 })
        {
            var queries = Enumerable.Range(0, samples).Select(_ =>
            {
                var line = lines[random.Next(lines.Count)];
                int start = random.Next(line.Length - length + 1);
                return (IReadOnlyList<string>)line[start..(start + length)];
            }).ToList();
            foreach (var q in queries) index.Count(q);
            var times = new double[queries.Count];
            long total = 0;
            for (int i = 0; i < queries.Count; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                total += index.Count(queries[i]);
                times[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }
            Report($"count {length,2} tokens", times, total);
        }
        var model = new InfiniGram(index);
        var contexts = Enumerable.Range(0, Math.Min(samples, 500)).Select(_ =>
        {
            var line = lines[random.Next(lines.Count)];
            int length = random.Next(1, 20);
            int start = random.Next(line.Length - length + 1);
            return (IReadOnlyList<string>)line[start..(start + length)];
        }).ToList();
        foreach (var c in contexts) model.NextTokens(c);
        var ntd = new double[contexts.Count];
        long suffixes = 0;
        for (int i = 0; i < contexts.Count; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            suffixes += model.NextTokens(contexts[i]).SuffixLength;
            ntd[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }
        Report("next-token distribution (1-19 token contexts)", ntd, suffixes);
    }

    private static void Report(string what, double[] micros, long checksum)
    {
        Array.Sort(micros);
        Console.WriteLine(string.Create(Inv, $"{what}: n {micros.Length}, median {micros[micros.Length / 2]:F1} µs, p99 {micros[(int)(micros.Length * 0.99)]:F1} µs (checksum {checksum})"));
    }
}
