namespace LmToLlm.NGrams;
internal static class MemTrace
{
    private static readonly bool On = Environment.GetEnvironmentVariable("LMTOLLM_MEMTRACE") == "1";
    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();
    internal static void At(string what)
    {
        if (!On) return;
        var p = System.Diagnostics.Process.GetCurrentProcess();
        Console.Error.WriteLine($"[mem] {Clock.Elapsed.TotalSeconds,7:F2}s cpu {p.TotalProcessorTime.TotalSeconds,6:F2} {what,-28} rss {p.WorkingSet64 >> 20} MiB peak {p.PeakWorkingSet64 >> 20} MiB heap {GC.GetTotalMemory(false) >> 20} MiB");
    }
}
