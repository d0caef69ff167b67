class Program
{
    static int Main(string[] args)
    {
        // Long-running harnesses take the first argument; everything else goes to BenchmarkDotNet.
        if (args.Length > 0 && args[0] == "ngrams") { LmToLlm.Benchmarks.NGrams.NGramHarness.Run(args[1..]); return 0; }
        if (args.Length > 0 && args[0] == "data") return LmToLlm.Benchmarks.Data.DedupHarness.Run(args[1..]);
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
