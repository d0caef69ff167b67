class Program
{
    static void Main(string[] args)
    {
        // Long-running harnesses take the first argument; everything else goes to BenchmarkDotNet.
        if (args.Length > 0 && args[0] == "ngrams") { LmToLlm.Benchmarks.NGrams.NGramHarness.Run(args[1..]); return; }
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
