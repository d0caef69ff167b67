class Program
{
    static void Main(string[] args)
    {
        // Harness modes for checks that are not timings; everything else goes to BenchmarkDotNet.
        if (args.Length > 0 && args[0] == "retrieval-check") { LmToLlm.Benchmarks.Retrieval.RetrievalCheck.Run(args[1..]); return; }
        if (args.Length > 0 && args[0] == "eval-bench") { LmToLlm.Benchmarks.Evaluation.EvalBench.Run(args[1..]); return; }
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
