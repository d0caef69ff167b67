class Program
{
    static int Main(string[] args)
    {
        // Command-line harnesses for long runs (see benchmarks/<capability>.md); everything else goes to BenchmarkDotNet.
        if (args.Length > 0 && args[0] == "retrieval-check") { LmToLlm.Benchmarks.Retrieval.RetrievalCheck.Run(args[1..]); return 0; }
        if (args.Length > 0 && args[0] == "w2v") return LmToLlm.Benchmarks.Embeddings.Word2VecHarness.Run(args[1..]);
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
