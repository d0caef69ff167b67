namespace LmToLlm.Subwords;
internal static class Prof
{
    private static readonly bool On = Environment.GetEnvironmentVariable("SPM_PROF") == "1";
    private static readonly System.Diagnostics.Stopwatch Sw = System.Diagnostics.Stopwatch.StartNew();
    private static double _last;
    private static readonly Dictionary<string, double> Sums = [];
    internal static void Mark(string what)
    {
        if (!On) return;
        double now = Sw.Elapsed.TotalMilliseconds;
        double cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        Console.Error.WriteLine($"PROF {what,-24} {now - _last,8:F0} ms  (cpu total {cpu:F0})");
        _last = Sw.Elapsed.TotalMilliseconds;
    }
}
