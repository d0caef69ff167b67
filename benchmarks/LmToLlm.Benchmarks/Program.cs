class Program
{
    static int Main(string[] args)
    {
        // Command-line harnesses for long runs; everything else goes to BenchmarkDotNet.
        if (args.Length > 0 && args[0] == "data") return LmToLlm.Benchmarks.Data.DedupHarness.Run(args[1..]);
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
