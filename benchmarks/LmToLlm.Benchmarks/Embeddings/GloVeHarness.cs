using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using LmToLlm.Corpora;
using LmToLlm.Embeddings;
using LmToLlm.Embeddings.GloVe;

namespace LmToLlm.Benchmarks.Embeddings;

/// <summary>
/// Quality and speed of <see cref="GloVeTrainer"/> next to the reference tools of stanfordnlp/GloVe, back to back.
/// <code>
/// dotnet run -c Release --project benchmarks/LmToLlm.Benchmarks -- glove --corpus artifacts/corpus.txt
///     --data ../shared/data/w2v-corpus --peer /path/to/GloVe/build [--dims 50] [--iter 10] [--threads 2] [--out artifacts/glove]
/// </code>
/// Both sides: min-count 5, window 15 (symmetric, 1/d), memory 4 GB, x_max 100, α 0.75, η 0.05, seed 1, model 2
/// (W + W̃), text output with the &lt;unk&gt; row. The peer runs vocab_count → cooccur → shuffle → glove as child
/// processes; its co-occurrence file is compared cell by cell with ours. Both vector files are evaluated with the
/// same code (compute-accuracy semantics at threshold 30000, WS-353 and MEN Spearman).
/// </summary>
public static class GloVeHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        string corpus = Arg(args, "--corpus") ?? throw new ArgumentException("--corpus FILE (corpus.txt decompressed)");
        string data = Arg(args, "--data") ?? throw new ArgumentException("--data DIR (../shared/data/w2v-corpus)");
        string? peer = Arg(args, "--peer");
        string outDir = Path.GetFullPath(Arg(args, "--out") ?? "artifacts/glove");
        int dims = int.Parse(Arg(args, "--dims") ?? "50", Inv), iterations = int.Parse(Arg(args, "--iter") ?? "10", Inv);
        int threads = int.Parse(Arg(args, "--threads") ?? "2", Inv);
        bool oursOnly = args.Contains("--ours-only");
        if (args.Contains("--count-only")) return CountOnly(Path.GetFullPath(corpus), peer, Path.GetFullPath(Arg(args, "--out") ?? "artifacts/glove"), int.Parse(Arg(args, "--repeat") ?? "2", Inv));
        corpus = Path.GetFullPath(corpus);
        Directory.CreateDirectory(outDir);
        var options = new GloVeOptions
        {
            MinCount = 5, Window = 15, MemoryBudget = 4L << 30, Dimensions = dims, Iterations = iterations, MaxDegreeOfParallelism = threads,
            XMax = 100, Alpha = 0.75, Eta = 0.05, Seed = 1, TempDirectory = outDir,
        };
        Console.WriteLine($"settings: min-count 5, window 15, memory 4 GB, {dims} dimensions, {iterations} iterations, x_max 100, alpha 0.75, eta 0.05, {threads} threads");

        // Ours: counting (vocabulary + co-occurrences), then training (shuffle + AdaGrad) and saving, each timed.
        string loadCount = Load();
        var cpu = CpuNow();
        var wall = Stopwatch.StartNew();
        Func<Stream> open = () => TextLines.OpenRead(corpus);
        var vocabulary = GloVeVocabulary.Build(open, options, null, default);
        var counts = GloVeCooccurrence.Count(open, vocabulary, options, null, default);
        double countWall = wall.Elapsed.TotalSeconds, countCpu = CpuNow() - cpu;
        string loadTrain = Load();
        cpu = CpuNow();
        wall.Restart();
        var trainer = new GloVeAdaGrad(counts, vocabulary.Count, options);
        trainer.Run(null, default);
        var vectors = WordVectors.Wrap([.. vocabulary.Words, GloVeVocabulary.Unknown], trainer.Output(true), dims);
        string ours = Path.Combine(outDir, "lmtollm_vectors.txt");
        vectors.Save(ours, WordVectorFileFormat.GloVeText);
        double trainWall = wall.Elapsed.TotalSeconds, trainCpu = CpuNow() - cpu;
        long tokens = vocabulary.CorpusTokens, cells = counts.Length;
        Console.WriteLine($"ours: {vocabulary.Count} words, {tokens} tokens, {cells} cells, {counts.SpilledRuns} spilled runs, final cost {trainer.LastCost.ToString("F6", Inv)}");
        var rows = new List<string>
        {
            Row("LmToLlm", ours, data, countWall, countCpu, trainWall, trainCpu, tokens, cells * (long)iterations, $"{loadCount} / {loadTrain}"),
        };
        Console.WriteLine(rows[^1]);

        if (peer is not null && !oursOnly)
        {
            string vocab = Path.Combine(outDir, "ref_vocab.txt"), cooc = Path.Combine(outDir, "ref_cooc.bin"), shuf = Path.Combine(outDir, "ref_cooc.shuf.bin");
            string save = Path.Combine(outDir, "ref_vectors");
            loadCount = Load();
            var (w1, c1) = RunPeer($"exec {peer}/vocab_count -min-count 5 -verbose 0 < {corpus} > {vocab}", outDir);
            var (w2, c2) = RunPeer($"exec {peer}/cooccur -memory 4.0 -vocab-file {vocab} -verbose 0 -window-size 15 < {corpus} > {cooc}", outDir);
            loadTrain = Load();
            var (w3, c3) = RunPeer($"exec {peer}/shuffle -memory 4.0 -verbose 0 -seed 1 < {cooc} > {shuf}", outDir);
            var (w4, c4) = RunPeer($"exec {peer}/glove -save-file {save} -threads {threads} -input-file {shuf} -x-max 100 -alpha 0.75 -eta 0.05 -iter {iterations} -vector-size {dims} -binary 0 -model 2 -vocab-file {vocab} -verbose 0 -seed 1", outDir);
            long refCells = new FileInfo(cooc).Length / 16;
            Console.WriteLine($"reference: vocab_count {w1:F2} s ({c1:F2} CPU s), cooccur {w2:F2} s ({c2:F2}), shuffle {w3:F2} s ({c3:F2}), glove {w4:F2} s ({c4:F2}); {refCells} cells");
            Console.WriteLine(CompareCells(counts, cooc, vocabulary, vocab));
            rows.Add(Row("stanfordnlp/GloVe", save + ".txt", data, w1 + w2, c1 + c2, w3 + w4, c3 + c4, tokens, refCells * iterations, $"{loadCount} / {loadTrain}"));
            Console.WriteLine(rows[^1]);
        }
        Console.WriteLine();
        Console.WriteLine("| implementation | semantic % | syntactic % | total % | seen / total | WS-353 ρ (OOV) | MEN ρ (OOV) | counting wall s | tokens / wall s | counting CPU s | training wall s | cells·iter / wall s | training CPU s | cells·iter / CPU s | 1-min load (count / train) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (string row in rows) Console.WriteLine(row);
        return 0;
    }

    /// <summary>Counting only (vocabulary + co-occurrences), ours then the peer's vocab_count + cooccur, <paramref name="repeat"/> times alternately.</summary>
    private static int CountOnly(string corpus, string? peer, string outDir, int repeat)
    {
        Directory.CreateDirectory(outDir);
        var options = new GloVeOptions { MinCount = 5, Window = 15, MemoryBudget = 4L << 30, TempDirectory = outDir };
        Console.WriteLine("| round | implementation | cells | wall s | tokens / wall s | CPU s | tokens / CPU s | 1-min load before |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        for (int round = 1; round <= repeat; round++)
        {
            string load = Load();
            double cpu = CpuNow();
            var wall = Stopwatch.StartNew();
            Func<Stream> open = () => TextLines.OpenRead(corpus);
            var vocabulary = GloVeVocabulary.Build(open, options, null, default);
            var counts = GloVeCooccurrence.Count(open, vocabulary, options, null, default);
            double seconds = wall.Elapsed.TotalSeconds, cpuSeconds = CpuNow() - cpu;
            long tokens = vocabulary.CorpusTokens;
            Console.WriteLine(string.Create(Inv, $"| {round} | LmToLlm | {counts.Length:N0} | {seconds:F2} | {tokens / seconds:N0} | {cpuSeconds:F2} | {tokens / cpuSeconds:N0} | {load} |"));
            counts = null!;
            GC.Collect();
            if (peer is null) continue;
            string vocab = Path.Combine(outDir, "ref_vocab.txt"), cooc = Path.Combine(outDir, "ref_cooc.bin");
            load = Load();
            var (w1, c1) = RunPeer($"exec {peer}/vocab_count -min-count 5 -verbose 0 < {corpus} > {vocab}", outDir);
            var (w2, c2) = RunPeer($"exec {peer}/cooccur -memory 4.0 -vocab-file {vocab} -verbose 0 -window-size 15 < {corpus} > {cooc}", outDir);
            Console.WriteLine(string.Create(Inv, $"| {round} | stanfordnlp/GloVe | {new FileInfo(cooc).Length / 16:N0} | {w1 + w2:F2} | {tokens / (w1 + w2):N0} | {c1 + c2:F2} | {tokens / (c1 + c2):N0} | {load} |"));
        }
        return 0;
    }

    /// <summary>Our cells against the reference's cooccurrence.bin (records int word1, int word2, double value; ids 1-based ranks).</summary>
    private static string CompareCells(GloVeCooccurrence ours, string referencePath, GloVeVocabulary vocabulary, string referenceVocab)
    {
        string[] refWords = File.ReadLines(referenceVocab).Select(l => l.Split(' ')[0]).ToArray();
        bool sameVocabulary = refWords.SequenceEqual(vocabulary.Words);
        using var stream = new BufferedStream(File.OpenRead(referencePath), 1 << 20);
        var record = new byte[16];
        long n = 0, keyMismatch = 0;
        double maxRelative = 0;
        while (stream.ReadAtLeast(record, 16, throwOnEndOfStream: false) == 16)
        {
            int a = BinaryPrimitives.ReadInt32LittleEndian(record) - 1, b = BinaryPrimitives.ReadInt32LittleEndian(record.AsSpan(4)) - 1;
            double x = BinaryPrimitives.ReadDoubleLittleEndian(record.AsSpan(8));
            if (n < ours.Length && ours.Word1[n] == a && ours.Word2[n] == b) maxRelative = Math.Max(maxRelative, Math.Abs(ours.Values[n] - x) / x);
            else keyMismatch++;
            n++;
        }
        return string.Create(Inv, $"co-occurrence check: vocabulary {(sameVocabulary ? "identical" : "DIFFERENT")} ({refWords.Length} words); reference {n} cells, ours {ours.Length}; cells at a different position {keyMismatch}; max relative value difference {maxRelative:E2}");
    }

    private static string Row(string implementation, string vectorsPath, string data, double countWall, double countCpu, double trainWall, double trainCpu, long tokens, long cellIterations, string load)
    {
        var vectors = WordVectors.Load(vectorsPath);
        var analogy = AnalogyEvaluation.Evaluate(vectors, Path.Combine(data, "questions-words.txt"), 30_000);
        var ws = WordSimilarityEvaluation.Evaluate(vectors, Path.Combine(data, "wordsim353.txt"));
        var men = WordSimilarityEvaluation.Evaluate(vectors, Path.Combine(data, "men3000.txt"));
        return string.Create(Inv, $"| {implementation} | {analogy.SemanticAccuracy:F2} ({analogy.SemanticCorrect}/{analogy.SemanticSeen}) | "
            + $"{analogy.SyntacticAccuracy:F2} ({analogy.SyntacticCorrect}/{analogy.SyntacticSeen}) | {analogy.TotalAccuracy:F2} ({analogy.Correct}/{analogy.QuestionsSeen}) | "
            + $"{analogy.QuestionsSeen} / {analogy.QuestionsTotal} | {ws.Spearman:F4} ({ws.PairsOutOfVocabulary}/{ws.Pairs}) | {men.Spearman:F4} ({men.PairsOutOfVocabulary}/{men.Pairs}) | "
            + $"{countWall:F2} | {tokens / countWall:N0} | {countCpu:F2} | {trainWall:F2} | {cellIterations / trainWall:N0} | {trainCpu:F2} | {cellIterations / trainCpu:N0} | {load} |");
    }

    private static double CpuNow() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>Runs a shell command line (the peer reads stdin and writes stdout) and samples its CPU time every 50 ms.</summary>
    private static (double Wall, double Cpu) RunPeer(string commandLine, string workingDirectory)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", commandLine]) { UseShellExecute = false, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        var wall = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {commandLine}");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        double cpu = 0;
        while (!process.WaitForExit(50))
        {
            try { cpu = process.TotalProcessorTime.TotalSeconds; } catch (InvalidOperationException) { }
        }
        wall.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"'{commandLine}' exited with {process.ExitCode}");
        return (wall.Elapsed.TotalSeconds, cpu);
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
