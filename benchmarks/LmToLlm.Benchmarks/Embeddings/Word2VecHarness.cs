using System.Diagnostics;
using System.Globalization;
using LmToLlm.Embeddings;

namespace LmToLlm.Benchmarks.Embeddings;

/// <summary>
/// Quality and speed of <see cref="Word2VecTrainer"/> next to word2vec.c, run back to back on the same machine.
/// <code>
/// dotnet run -c Release --project benchmarks/LmToLlm.Benchmarks -- w2v --corpus artifacts/corpus.txt
///     --data ../shared/data/w2v-corpus [--peer /path/to/word2vec_eoffix] [--arch sg|cbow|both] [--out artifacts/w2v]
/// </code>
/// Settings are those of ../shared/reference/w2v/README.md: size 100, window 5, sample 1e-4, negative 5, hs 0,
/// min-count 5, 3 epochs, 2 threads; alpha 0.025 (skip-gram) / 0.05 (CBOW). Ours runs in-process (vocabulary +
/// training + saving, timed); the peer (a word2vec.c binary you built yourself) runs as a child process with the same
/// arguments. Both vector files are evaluated with the same code (compute-accuracy semantics, threshold 30000).
/// Words per second = corpus tokens × epochs / wall seconds, as in the reference README.
/// </summary>
public static class Word2VecHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        string corpus = Arg(args, "--corpus") ?? throw new ArgumentException("--corpus FILE (corpus.txt decompressed, as word2vec.c reads it)");
        string data = Arg(args, "--data") ?? throw new ArgumentException("--data DIR (../shared/data/w2v-corpus)");
        string? peer = Arg(args, "--peer");
        string arch = Arg(args, "--arch") ?? "both";
        string outDir = Arg(args, "--out") ?? "artifacts/w2v";
        int threads = int.Parse(Arg(args, "--threads") ?? "2", Inv);
        Directory.CreateDirectory(outDir);
        var rows = new List<string>();
        foreach (bool sg in arch switch { "sg" => new[] { true }, "cbow" => [false], _ => [true, false] })
        {
            string name = sg ? "skip-gram" : "CBOW";
            double alpha = sg ? 0.025 : 0.05;
            var options = new Word2VecOptions
            {
                Architecture = sg ? Word2VecArchitecture.SkipGram : Word2VecArchitecture.Cbow,
                Dimensions = 100, Window = 5, Sample = 1e-4, Negative = 5, HierarchicalSoftmax = false,
                MinCount = 5, Epochs = 3, MaxDegreeOfParallelism = threads, Alpha = alpha, Compatibility = Word2VecCompatibility.Word2VecC,
            };
            string ours = Path.Combine(outDir, $"lmtollm_{(sg ? "sg" : "cbow")}.bin");
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var result = Word2VecTrainer.Train(corpus, options);
            result.Vectors.Save(ours);
            wall.Stop();
            double oursCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            long tokens = result.CorpusTokens * options.Epochs;
            rows.Add(Row(name, "LmToLlm", ours, data, wall.Elapsed.TotalSeconds, oursCpu, tokens, Load()));
            Console.WriteLine(rows[^1]);
            if (peer is not null)
            {
                string theirs = Path.Combine(outDir, $"word2vec_{(sg ? "sg" : "cbow")}.bin");
                string load = Load();
                var (seconds, peerCpu) = RunPeer(peer, $"-train {corpus} -output {theirs} -cbow {(sg ? 0 : 1)} -alpha {alpha.ToString(Inv)} -size 100 -window 5 -negative 5 -hs 0 -sample 1e-4 -threads {threads} -iter 3 -min-count 5 -binary 1");
                rows.Add(Row(name, "word2vec.c+eof-fix", theirs, data, seconds, peerCpu, tokens, load));
                Console.WriteLine(rows[^1]);
            }
        }
        Console.WriteLine();
        Console.WriteLine("| arch | implementation | semantic % | syntactic % | total % | seen / total | WS-353 ρ (OOV) | MEN ρ (OOV) | wall s | words / wall s | CPU s | words / CPU s | 1-min load before |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (string row in rows) Console.WriteLine(row);
        return 0;
    }

    private static string Row(string arch, string implementation, string vectorsPath, string data, double wall, double cpu, long tokens, string load)
    {
        var vectors = WordVectors.Load(vectorsPath);
        var analogy = AnalogyEvaluation.Evaluate(vectors, Path.Combine(data, "questions-words.txt"), 30_000);
        var ws = WordSimilarityEvaluation.Evaluate(vectors, Path.Combine(data, "wordsim353.txt"));
        var men = WordSimilarityEvaluation.Evaluate(vectors, Path.Combine(data, "men3000.txt"));
        return string.Create(Inv, $"| {arch} | {implementation} | {analogy.SemanticAccuracy:F2} ({analogy.SemanticCorrect}/{analogy.SemanticSeen}) | "
            + $"{analogy.SyntacticAccuracy:F2} ({analogy.SyntacticCorrect}/{analogy.SyntacticSeen}) | {analogy.TotalAccuracy:F2} ({analogy.Correct}/{analogy.QuestionsSeen}) | "
            + $"{analogy.QuestionsSeen} / {analogy.QuestionsTotal} | {ws.Spearman:F4} ({ws.PairsOutOfVocabulary}/{ws.Pairs}) | {men.Spearman:F4} ({men.PairsOutOfVocabulary}/{men.Pairs}) | "
            + $"{wall:F2} | {tokens / wall:N0} | {cpu:F2} | {tokens / cpu:N0} | {load} |");
    }

    /// <summary>Runs the peer and samples its CPU time until it exits (the last ≤ 50 ms are not counted).</summary>
    internal static (double Wall, double Cpu) RunPeer(string path, string arguments)
    {
        var start = new ProcessStartInfo(path, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var wall = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {path}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        double cpu = 0;
        while (!process.WaitForExit(50))
        {
            try { cpu = process.TotalProcessorTime.TotalSeconds; } catch (InvalidOperationException) { }
        }
        wall.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{path} exited with {process.ExitCode}");
        return (wall.Elapsed.TotalSeconds, cpu);
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    internal static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
