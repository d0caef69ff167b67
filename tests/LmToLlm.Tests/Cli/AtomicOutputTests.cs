using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using LmToLlm.Cli;
using LmToLlm.Corpora;
using LmToLlm.Data;
using LmToLlm.Embeddings;
using LmToLlm.NGrams;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Text;
using Xunit.Abstractions;
using LmToLlm.Tests.Robustness;

namespace LmToLlm.Tests.Cli;

/// <summary>
/// Every writer is atomic: cancelled part-way (CancellationToken) the destination holds the previous complete file or
/// does not exist and no temporary file is left; a CLI process killed with SIGKILL part-way leaves the destination
/// previous-or-absent (a leftover temporary file is allowed, named <c>.NAME.GUID.tmp</c>).
/// </summary>
[Trait("Category", "Robustness")]
public sealed partial class AtomicOutputTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly byte[] Previous = "previous complete file\n"u8.ToArray();

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryName();

    private static readonly string[] Words = ["the", "cat", "sat", "on", "mat", "dog", "ran", "far", "away", "home", "big", "red", "car", "sun", "sky", "sea"];

    /// <summary>Seeded sentences over a small vocabulary: enough text for several 64 KiB buffers.</summary>
    internal static List<string> Sentences(int count, int seed = 3)
    {
        var rng = new Random(seed);
        var lines = new List<string>(count);
        for (int i = 0; i < count; i++) lines.Add(string.Join(' ', Enumerable.Range(0, 6 + rng.Next(8)).Select(_ => Words[rng.Next(Words.Length)])) + " w" + rng.Next(400));
        return lines;
    }

    private static List<Document> Documents(int count) => [.. Sentences(count).Select((s, i) => new Document("d" + i, "t" + i, s))];

    private static BackoffModel SmallModel(string dir)
    {
        string arpa = Path.Combine(dir, "seed-model.arpa");
        File.WriteAllText(arpa, MutationTests.Arpa);
        var model = BackoffModel.ReadArpa(arpa);
        File.Delete(arpa);
        return model;
    }

    public static TheoryData<string, bool> Writers
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (string writer in new[] { "run.trec", "corpus.jsonl", "corpus.jsonl.gz", "queries.jsonl", "docs.csv", "docs.tsv", "plain.txt", "kept.txt", "v.vocab", "v.bin", "v.txt", "m.arpa", "m.bin", "d.dense", "counts.tsv", "atomic.bin" })
            {
                data.Add(writer, true);
                data.Add(writer, false);
            }
            return data;
        }
    }

    /// <summary>Runs the library writer named by the destination's file name.</summary>
    private void Write(string name, string path, CancellationToken cancellation)
    {
        switch (name)
        {
            case "run.trec":
                TrecRunWriter.Write(path, Enumerable.Range(0, 50).Select(q => new RunQuery("q" + q, [.. Enumerable.Range(0, 200).Select(r => new RunEntry("d" + r, 100.0 / (r + 1)))])), "tag", false, cancellation);
                break;
            case "corpus.jsonl" or "corpus.jsonl.gz": BeirJsonl.WriteCorpus(path, Documents(3000), cancellation); break;
            case "queries.jsonl": BeirJsonl.WriteQueries(path, Sentences(3000).Select((s, i) => new Query("q" + i, s)), cancellation); break;
            case "docs.csv" or "docs.tsv": DelimitedCorpus.Write(path, Documents(3000), null, cancellation); break;
            case "plain.txt": PlainTextCorpus.Write(path, Sentences(3000), cancellation); break;
            case "kept.txt":
                string input = _dir.File("input.txt");
                File.WriteAllLines(input, Sentences(3000));
                CorpusDocuments.WriteKept(input, path, i => i % 2 == 0, cancellation);
                break;
            case "v.vocab": Vocabulary.FromCounts(Enumerable.Range(0, 20_000).Select(i => new KeyValuePair<string, long>("w" + i, 20_000 - i))).Save(path, cancellation); break;
            case "v.bin" or "v.txt":
                var words = Enumerable.Range(0, 2000).Select(i => "w" + i).ToArray();
                var values = Enumerable.Range(0, 2000 * 20).Select(i => (float)Math.Sin(i)).ToArray();
                WordVectors.Create(words, values, 20).Save(path, name == "v.bin" ? WordVectorFileFormat.Binary : WordVectorFileFormat.Text, cancellation);
                break;
            case "m.arpa": SmallModel(_dir.Path).WriteArpa(path, null, cancellation); break;
            case "m.bin": SmallModel(_dir.Path).Save(path, cancellation); break;
            case "d.dense": DenseIndex.Create([.. Enumerable.Range(0, 30_000).Select(i => (float)Math.Cos(i))], 30).Save(path, cancellation); break;
            case "counts.tsv": NGramCounts.FromLines(Sentences(3000), new NGramCountOptions { Order = 3 }).WriteTable(path, cancellation); break;
            case "atomic.bin": AtomicFile.Write(path, s => { for (int i = 0; i < 10; i++) s.Write(new byte[10_000]); }, cancellation); break;
            default: throw new ArgumentException(name);
        }
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_writer_cancelled_part_way_leaves_the_previous_file_and_no_temporary_file(string name, bool previousExists)
    {
        string path = _dir.File(name);
        if (previousExists) File.WriteAllBytes(path, Previous);
        using var cancel = new CancellationTokenSource();
        long writtenWhenCancelled = 0;
        AtomicFile.WriteObserver.Value = written => { if (writtenWhenCancelled == 0) writtenWhenCancelled = written; cancel.Cancel(); };
        try
        {
            Assert.ThrowsAny<OperationCanceledException>(() => Write(name, path, cancel.Token));
        }
        finally
        {
            AtomicFile.WriteObserver.Value = null;
        }
        Assert.True(writtenWhenCancelled > 0, "the writer was cancelled after it had written bytes");
        if (previousExists) Assert.Equal(Previous, File.ReadAllBytes(path));
        else Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));

        Write(name, path, CancellationToken.None); // not cancelled: the new file replaces the previous one
        Assert.NotEqual(Previous, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    // ------------------------------------------------------------------ the commands

    /// <summary>
    /// Inputs for one command in <paramref name="dir"/>; returns its arguments and the output files it writes.
    /// <paramref name="large"/>: inputs big enough that writing takes a visible time (for the killed-process test).
    /// </summary>
    internal static (string[] Args, string[] Outputs) Command(string command, string dir, bool large)
    {
        string P(string name) => Path.Combine(dir, name);
        int lines = large ? 30_000 : 2000;
        switch (command)
        {
            case "index":
                BeirJsonl.WriteCorpus(P("corpus.jsonl"), Documents(lines));
                return (["index", "--corpus", P("corpus.jsonl"), "--out", P("out.idx")], [P("out.idx")]);
            case "search":
                InvertedIndex.Build(Documents(lines), Analyzer.Simple).Save(P("in.idx"));
                BeirJsonl.WriteQueries(P("queries.jsonl"), Sentences(large ? 300 : 50, 9).Select((s, i) => new Query("q" + i, s)));
                return (["search", "--index", P("in.idx"), "--queries", P("queries.jsonl"), "--k", "100", "--run", P("out.run")], [P("out.run")]);
            case "compare":
                Directory.CreateDirectory(P("beir/qrels"));
                BeirJsonl.WriteCorpus(P("beir/corpus.jsonl"), Documents(lines));
                BeirJsonl.WriteQueries(P("beir/queries.jsonl"), Sentences(large ? 200 : 20, 9).Select((s, i) => new Query("q" + i, s)));
                File.WriteAllLines(P("beir/qrels/test.tsv"), ["query-id\tcorpus-id\tscore", .. Enumerable.Range(0, large ? 200 : 20).Select(i => $"q{i}\td{i}\t1")]);
                Directory.CreateDirectory(P("cmp"));
                return (["compare", "--corpus", P("beir"), "--models", "bm25,tfidf", "--depth", "100", "--out", P("cmp")], [P("cmp/bm25.run"), P("cmp/tfidf.run"), P("cmp/metrics.csv"), P("cmp/perquery.csv")]);
            case "ngram-train":
                File.WriteAllLines(P("train.txt"), Sentences(lines));
                return (["ngram", "train", "--text", P("train.txt"), "--order", "3", "--discount-fallback", "--arpa", P("out.arpa"), "--binary", P("out.bin")], [P("out.arpa"), P("out.bin")]);
            case "ngram-count":
                File.WriteAllLines(P("train.txt"), Sentences(lines));
                return (["ngram", "count", "--text", P("train.txt"), "--order", "3", "--out", P("counts.tsv")], [P("counts.tsv")]);
            case "w2v-train":
                File.WriteAllLines(P("train.txt"), Sentences(lines));
                return (["w2v", "train", "--text", P("train.txt"), "--out", P("out.vec"), "--text-format", "--size", large ? "200" : "8", "--min-count", "1", "--iter", "1", "--threads", "1"], [P("out.vec")]);
            case "dedup":
                File.WriteAllLines(P("in.txt"), Sentences(lines).Concat(Sentences(lines / 2)));
                return (["dedup", "--in", P("in.txt"), "--out", P("out.txt"), "--exact", "--report", P("report.tsv")], [P("out.txt"), P("report.tsv")]);
            case "filter":
                File.WriteAllLines(P("in.txt"), Sentences(lines));
                return (["filter", "--in", P("in.txt"), "--out", P("out.txt"), "--keep-percentile", "90", "--report", P("report.tsv")], [P("out.txt"), P("report.tsv")]);
            default: throw new ArgumentException(command);
        }
    }

    public static TheoryData<string> Commands => new() { "index", "search", "compare", "ngram-count", "ngram-train", "w2v-train", "dedup", "filter" };

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_command_cancelled_part_way_exits_130_and_leaves_previous_outputs_and_no_temporary_file(string command)
    {
        var (args, outputs) = Command(command, _dir.Path, large: false);
        foreach (string o in outputs.Take(1)) File.WriteAllBytes(o, Previous); // the first output existed before; the others did not
        using var cancel = new CancellationTokenSource();
        // The index file is saved in one short step without a token (its format is being changed elsewhere): cancel
        // that command before it starts; every other command is cancelled at its first output write.
        if (command == "index") cancel.Cancel();
        AtomicFile.WriteObserver.Value = _ => cancel.Cancel();
        int code;
        var stderr = new StringWriter();
        try
        {
            code = CliApp.Run(args, null, new StringWriter(), stderr, cancel.Token);
        }
        finally
        {
            AtomicFile.WriteObserver.Value = null;
        }
        Assert.Equal(CliApp.Cancelled, code);
        Assert.EndsWith("lmtollm: cancelled; no output was left half-written (each is as it was, or complete if finished before the signal)\n", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(Previous, File.ReadAllBytes(outputs[0]));
        foreach (string o in outputs.Skip(1)) Assert.False(File.Exists(o), o);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>Starts the CLI as a child process (the build beside the tests), stdout and stderr discarded; each
    /// output write pauses <paramref name="writeDelayMs"/> ms.</summary>
    internal static Process StartCli(string[] args, int writeDelayMs = 0)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LmToLlm.Cli.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        if (writeDelayMs > 0) start.Environment[LmToLlm.Cli.Program.WriteDelayVariable] = writeDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until a temporary output file appears (the command is writing) or the process ends; returns the temporary files then present.</summary>
    private static string[] WaitForTemporaryFiles(Process process, string dir, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < limit)
        {
            var temporary = Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories);
            if (temporary.Length > 0) return temporary;
            Thread.Sleep(1);
        }
        return [];
    }

    /// <summary>The output a temporary file <c>.NAME.GUID.tmp</c> was to become.</summary>
    private static string OutputOf(string temporary)
    {
        string name = Path.GetFileName(temporary);
        return Path.Combine(Path.GetDirectoryName(temporary)!, name[1..name.LastIndexOf('.', name.Length - 5)]);
    }

    /// <summary>
    /// Write delays tried in turn until the signal lands while an output is being written; the slowest is tried three
    /// times, since on a loaded machine the test itself may be held back past a whole write.
    /// </summary>
    private static readonly int[] WriteDelaysMs = [0, 1, 10, 100, 1000, 1000, 1000];

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_command_killed_with_SIGKILL_while_writing_leaves_previous_or_complete_outputs(string command)
    {
        var (args, outputs) = Command(command, _dir.Path, large: true);
        foreach (int delay in WriteDelaysMs)
        {
            foreach (string o in outputs) File.WriteAllBytes(o, Previous);
            foreach (string leftover in Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories)) File.Delete(leftover);
            using var process = StartCli(args, delay);
            string[] writing = WaitForTemporaryFiles(process, _dir.Path, TimeSpan.FromSeconds(60));
            if (!process.HasExited) process.Kill(entireProcessTree: true); // SIGKILL on Linux
            process.WaitForExit();
            foreach (string o in outputs)
            {
                byte[] now = File.ReadAllBytes(o);
                if (now.AsSpan().SequenceEqual(Previous)) continue;
                // Replaced: then it must be the complete new file.
                if (FormatOf(o) is { } format) Assert.NotEmpty(new FileCheck().Check(o, format).Facts);
                else Assert.Equal((byte)'\n', now[^1]); // a report table: complete lines
            }
            var left = Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories);
            foreach (string leftover in left) Assert.Matches(TemporaryName(), Path.GetFileName(leftover));
            // Killed mid-write: a temporary file seen before the kill is still there (nothing moved or deleted it)
            // and its output is the previous one.
            bool landedWhileWriting = writing.Any(t => left.Contains(t) && File.ReadAllBytes(OutputOf(t)).AsSpan().SequenceEqual(Previous));
            output.WriteLine($"{command}: write delay {delay} ms, killed {(landedWhileWriting ? "while writing" : "outside a write")}, exit {process.ExitCode}");
            if (landedWhileWriting) return;
        }
        Assert.Fail($"{command}: SIGKILL never arrived while an output was being written, even with {WriteDelaysMs[^1]} ms per write");
    }

    private static string? FormatOf(string path) => Path.GetExtension(path) switch
    {
        ".idx" => "index",
        ".run" => "trec-run",
        ".arpa" => "arpa",
        ".bin" => "ngram-binary",
        ".vec" => "word2vec",
        ".txt" => "plain",
        _ => null,
    };

    [Fact]
    public void Ctrl_C_stops_a_running_command_with_exit_130_and_no_temporary_file()
    {
        var (args, outputs) = Command("ngram-train", _dir.Path, large: true);
        foreach (int delay in WriteDelaysMs)
        {
            foreach (string o in outputs) File.WriteAllBytes(o, Previous);
            using var process = StartCli(args, delay);
            string[] writing = WaitForTemporaryFiles(process, _dir.Path, TimeSpan.FromSeconds(60));
            // kill fails only when the command finished between the check and the signal; that run then counts as
            // "outside a write" and the next, slower writer tries again.
            if (!process.HasExited && Interrupt(process.Id) != 0) Assert.True(process.WaitForExit(10_000), "kill -INT failed while the command was still running");
            // Bounded: a process that inherited SIGINT as ignored (a background job of a shell without job control)
            // never sees it, and an unbounded wait would hang the whole run.
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("the command did not stop within 120 s of SIGINT; is SIGINT ignored where the tests run (nohup or a background job)?");
            }
            Assert.True(process.ExitCode is 0 or CliApp.Cancelled, $"exit {process.ExitCode}");
            // ngram train writes the ARPA, then the binary: a signal during the second leaves the first complete.
            foreach (string o in outputs)
            {
                byte[] now = File.ReadAllBytes(o);
                if (process.ExitCode == 0) Assert.False(now.AsSpan().SequenceEqual(Previous), $"{o} not written");
                else if (!now.AsSpan().SequenceEqual(Previous)) Assert.NotEmpty(new FileCheck().Check(o, FormatOf(o)!).Facts);
            }
            Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories));
            // Interrupted mid-write: the command was cancelled and an output being written when the signal was sent
            // was left as it was.
            bool landedWhileWriting = process.ExitCode == CliApp.Cancelled
                && writing.Any(t => File.ReadAllBytes(OutputOf(t)).AsSpan().SequenceEqual(Previous));
            output.WriteLine($"SIGINT with write delay {delay} ms: {(landedWhileWriting ? "while writing" : "outside a write")}, exit {process.ExitCode}");
            if (landedWhileWriting) return;
        }
        Assert.Fail($"SIGINT never arrived while an output was being written, even with {WriteDelaysMs[^1]} ms per write");
    }

    /// <summary>Sends SIGINT (what Ctrl+C sends) to <paramref name="pid"/>; returns kill's exit code.</summary>
    private static int Interrupt(int pid)
    {
        using var kill = Process.Start("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
