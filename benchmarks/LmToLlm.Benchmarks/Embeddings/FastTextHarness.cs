using System.Diagnostics;
using System.Globalization;
using LmToLlm.Embeddings;
using LmToLlm.Embeddings.FastText;

namespace LmToLlm.Benchmarks.Embeddings;

/// <summary>
/// Quality and speed of <see cref="FastTextTrainer.Train(string, FastTextOptions, IProgress{FastTextProgress}, CancellationToken)"/> next to the reference fastText, run back to back on the same machine.
/// <code>
/// dotnet run -c Release --project benchmarks/LmToLlm.Benchmarks -- fasttext --corpus artifacts/corpus.txt
///     --data ../shared/data/w2v-corpus [--peer /path/to/fasttext] [--model skipgram|cbow|both] [--epoch 5] [--threads 2] [--out artifacts/ft]
/// </code>
/// Settings: the reference's defaults for unsupervised models (dim 100, ws 5, neg 5, minCount 5, minn 3, maxn 6,
/// bucket 2,000,000, t 1e-4, lr 0.05, lrUpdateRate 100), the given epochs and threads. Ours runs in-process (vocabulary,
/// training, writing .bin and .vec, timed); the peer (a fastText binary you built yourself) runs as a child process with
/// the same arguments and writes the same two files. Both .vec files are evaluated with the same code (compute-accuracy
/// semantics, threshold 30000; Spearman on WS-353 and MEN). Words per second = corpus tokens × epochs / wall seconds.
/// </summary>
public static class FastTextHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        string corpus = Arg(args, "--corpus") ?? throw new ArgumentException("--corpus FILE (corpus.txt decompressed)");
        string data = Arg(args, "--data") ?? throw new ArgumentException("--data DIR (../shared/data/w2v-corpus)");
        string? peer = Arg(args, "--peer");
        string which = Arg(args, "--model") ?? "skipgram";
        string outDir = Arg(args, "--out") ?? "artifacts/ft";
        int threads = int.Parse(Arg(args, "--threads") ?? "2", Inv);
        int epochs = int.Parse(Arg(args, "--epoch") ?? "5", Inv);
        Directory.CreateDirectory(outDir);
        var rows = new List<string>();
        foreach (string model in which == "both" ? ["skipgram", "cbow"] : new[] { which })
        {
            var options = new FastTextOptions
            {
                Architecture = model == "cbow" ? FastTextArchitecture.Cbow : FastTextArchitecture.SkipGram,
                Epochs = epochs, MaxDegreeOfParallelism = threads,
            };
            string ours = Path.Combine(outDir, $"lmtollm_{model}");
            string load = Load();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var result = FastTextTrainer.Train(corpus, options);
            result.Model.Save(ours + ".bin");
            result.Model.SaveVectors(ours + ".vec");
            wall.Stop();
            double oursCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            long tokens = result.Model.Tokens * epochs;
            rows.Add(Row(model, "LmToLlm", ours + ".vec", data, wall.Elapsed.TotalSeconds, oursCpu, tokens, load));
            Console.WriteLine(rows[^1]);
            if (peer is not null)
            {
                string theirs = Path.Combine(outDir, $"fasttext_{model}");
                load = Load();
                var (seconds, peerCpu) = RunPeer(peer, $"{model} -input {corpus} -output {theirs} -dim 100 -ws 5 -epoch {epochs} -minCount 5 -neg 5 -minn 3 -maxn 6 -bucket 2000000 -t 1e-4 -lr 0.05 -lrUpdateRate 100 -thread {threads} -verbose 0");
                rows.Add(Row(model, "fastText (reference)", theirs + ".vec", data, seconds, peerCpu, tokens, load));
                Console.WriteLine(rows[^1]);
            }
        }
        Console.WriteLine();
        Console.WriteLine("| model | implementation | semantic % | syntactic % | total % | seen / total | WS-353 ρ (OOV) | MEN ρ (OOV) | wall s | words / wall s | CPU s | words / CPU s | 1-min load before |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (string row in rows) Console.WriteLine(row);
        return 0;
    }

    private static string Row(string model, string implementation, string vectorsPath, string data, double wall, double cpu, long tokens, string load)
    {
        var vectors = FastTextVecFormat.Load(vectorsPath);
        var analogy = AnalogyEvaluation.Evaluate(vectors, Path.Combine(data, "questions-words.txt"), 30_000);
        var ws = WordSimilarityEvaluation.Evaluate(vectors, Path.Combine(data, "wordsim353.txt"));
        var men = WordSimilarityEvaluation.Evaluate(vectors, Path.Combine(data, "men3000.txt"));
        return string.Create(Inv, $"| {model} | {implementation} | {analogy.SemanticAccuracy:F2} ({analogy.SemanticCorrect}/{analogy.SemanticSeen}) | "
            + $"{analogy.SyntacticAccuracy:F2} ({analogy.SyntacticCorrect}/{analogy.SyntacticSeen}) | {analogy.TotalAccuracy:F2} ({analogy.Correct}/{analogy.QuestionsSeen}) | "
            + $"{analogy.QuestionsSeen} / {analogy.QuestionsTotal} | {ws.Spearman:F4} ({ws.PairsOutOfVocabulary}/{ws.Pairs}) | {men.Spearman:F4} ({men.PairsOutOfVocabulary}/{men.Pairs}) | "
            + $"{wall:F2} | {tokens / wall:N0} | {cpu:F2} | {tokens / cpu:N0} | {load} |");
    }

    private static (double Wall, double Cpu) RunPeer(string path, string arguments) => Word2VecHarness.RunPeer(path, arguments);

    private static string Load() => Word2VecHarness.Load();

    private static string? Arg(string[] args, string name) => Word2VecHarness.Arg(args, name);
}
