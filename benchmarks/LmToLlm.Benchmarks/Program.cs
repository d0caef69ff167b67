class Program
{
    static int Main(string[] args)
    {
        // Command-line harnesses for long runs and checks (see benchmarks/README.md); everything else goes to BenchmarkDotNet.
        switch (args.Length > 0 ? args[0] : "")
        {
            case "retrieval-check": LmToLlm.Benchmarks.Retrieval.RetrievalCheck.Run(args[1..]); return 0;
            case "retrieval-time": LmToLlm.Benchmarks.Retrieval.RetrievalTiming.Run(args[1..]); return 0;
            case "ngrams": LmToLlm.Benchmarks.NGrams.NGramHarness.Run(args[1..]); return 0;
            case "eval-bench": LmToLlm.Benchmarks.Evaluation.EvalBench.Run(args[1..]); return 0;
            case "w2v": return LmToLlm.Benchmarks.Embeddings.Word2VecHarness.Run(args[1..]);
            case "glove": return LmToLlm.Benchmarks.Embeddings.GloVeHarness.Run(args[1..]);
            case "fasttext": return LmToLlm.Benchmarks.Embeddings.FastTextHarness.Run(args[1..]);
            case "data": return LmToLlm.Benchmarks.Data.DedupHarness.Run(args[1..]);
            case "sa": return LmToLlm.Benchmarks.SuffixArrays.SuffixArrayHarness.Run(args[1..]);
            case "nori": return LmToLlm.Benchmarks.Nori.NoriHarness.Run(args[1..]);
            case "subwords": return LmToLlm.Benchmarks.Subwords.SubwordHarness.Run(args[1..]);
            case "bm25-lucene8": return LmToLlm.Benchmarks.Retrieval.Lucene8Bench.Run(args[1..]);
        }
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
