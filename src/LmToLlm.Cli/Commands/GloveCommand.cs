using System.CommandLine;
using System.Globalization;
using LmToLlm.Embeddings;
using LmToLlm.Embeddings.GloVe;
using Spectre.Console;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm glove train</c>: GloVe vectors with the reference tools' semantics and option names
/// (<c>vocab_count</c>, <c>cooccur</c>, <c>glove</c>; each option also accepts the reference's single-dash spelling).
/// </summary>
internal static class GloveCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var command = new Command("glove", "GloVe: train count-based word vectors (stanfordnlp/GloVe's algorithm); query them with 'w2v similar|analogy|eval'");
        command.Subcommands.Add(Train());
        return command;
    }

    private static Option<T> Opt<T>(string name, string description, Func<T> fallback, params string[] aliases)
    {
        var option = new Option<T>("--" + name, ["-" + name, .. aliases]) { Description = description, DefaultValueFactory = _ => fallback() };
        return option;
    }

    private static Command Train()
    {
        var d = new GloVeOptions();
        var text = new Option<string>("--text") { Description = "Training text (UTF-8, .gz ok); the reference reads it from stdin", Required = true };
        var output = new Option<string>("--out") { Description = "Output vector file (written atomically)", Required = true };
        var format = Opt("format", "glove = GloVe text, no header (glove -binary 0); text / binary = word2vec formats with a header", () => "glove");
        var minCount = Opt("min-count", "Drop words rarer than this (vocab_count -min-count; reference default 1, demo 5)", () => d.MinCount, "-vocab-min-count", "--vocab-min-count").Within(1, int.MaxValue);
        var maxVocab = Opt("max-vocab", "Keep at most this many words, 0 = all (vocab_count -max-vocab)", () => d.MaxVocabulary).Within(0, int.MaxValue);
        var window = Opt("window-size", "Context words on each side (cooccur -window-size)", () => d.Window).Within(1, 1000);
        var symmetric = Opt("symmetric", "1 = left and right context, 0 = left only (cooccur -symmetric)", () => 1).Within(0, 1);
        var distance = Opt("distance-weighting", "1 = a pair at distance d adds 1/d, 0 = adds 1 (cooccur -distance-weighting)", () => 1).Within(0, 1);
        var memory = Opt("memory", "Memory budget of the counting tables in GB (cooccur -memory); beyond it sorted runs spill to disk", () => d.MemoryBudget / (double)(1L << 30)).Within(0.0, 1 << 20, minExclusive: true);
        var tempDir = new Option<string?>("--overflow-dir") { Description = "Folder for spilled runs (default: system temp; they are deleted)" };
        var size = Opt("vector-size", "Vector dimensions (glove -vector-size; --dim as in ft)", () => d.Dimensions, "--dim").Within(1, WordVectors.MaxDimensions);
        var iter = Opt("iter", "Training iterations (glove -iter)", () => d.Iterations).Within(1, 10_000);
        var eta = Opt("eta", "Initial AdaGrad learning rate (glove -eta)", () => d.Eta).Within(0.0, 1000.0, minExclusive: true);
        var alpha = Opt("alpha", "Exponent of the weighting function (glove -alpha)", () => d.Alpha).Within(0.0, 100.0);
        var xMax = Opt("x-max", "Cut-off of the weighting function (glove -x-max)", () => d.XMax).Within(0.0, 1e12, minExclusive: true);
        var clip = Opt("grad-clip", "Clip gradient components to ±this (glove -grad-clip)", () => d.GradientClip).Within(0.0, 1e12, minExclusive: true);
        var threads = Opt("threads", "Worker threads (glove -threads; default all cores)", () => d.MaxDegreeOfParallelism).Within(1, 1024);
        var seed = Opt("seed", "Random seed of initialisation and shuffle (1 thread + seed = reproducible)", () => (ulong)CliApp.DefaultSeed).Within(ulong.MinValue, ulong.MaxValue);
        var unk = Opt("unk-vector", "1 = append <unk>, the mean of the 100 rarest words, as glove does; 0 = no", () => 1).Within(0, 1);
        var command = new Command("train", "Count co-occurrences and train GloVe vectors; writes W + W̃ per word (glove -model 2)")
        {
            text, output, format, minCount, maxVocab, window, symmetric, distance, memory, tempDir, size, iter, eta, alpha, xMax, clip, threads, seed, unk,
        };
        command.SetAction(parse =>
        {
            var fileFormat = parse.GetValue(format) switch
            {
                "glove" => WordVectorFileFormat.GloVeText,
                "text" => WordVectorFileFormat.Text,
                "binary" => WordVectorFileFormat.Binary,
                var other => throw new UsageException($"--format '{other}': choose glove, text or binary"),
            };
            double gigabytes = parse.GetValue(memory);
            if (!(gigabytes > 0) || gigabytes > 1 << 20) throw new UsageException($"--memory {gigabytes.ToString(Inv)}: give a positive size in GB");
            var options = new GloVeOptions
            {
                MinCount = parse.GetValue(minCount),
                MaxVocabulary = parse.GetValue(maxVocab),
                Window = parse.GetValue(window),
                Symmetric = Flag(parse.GetValue(symmetric), "--symmetric"),
                DistanceWeighting = Flag(parse.GetValue(distance), "--distance-weighting"),
                MemoryBudget = Math.Max(1024, (long)(gigabytes * (1L << 30))),
                TempDirectory = parse.GetValue(tempDir),
                Dimensions = parse.GetValue(size),
                Iterations = parse.GetValue(iter),
                Eta = parse.GetValue(eta),
                Alpha = parse.GetValue(alpha),
                XMax = parse.GetValue(xMax),
                GradientClip = parse.GetValue(clip),
                MaxDegreeOfParallelism = parse.GetValue(threads),
                Seed = parse.GetValue(seed),
                UnknownVector = Flag(parse.GetValue(unk), "--unk-vector"),
            };
            string textPath = parse.GetValue(text)!, outPath = parse.GetValue(output)!;
            var stdout = CliApp.Summary(parse);
            var stderr = parse.InvocationConfiguration.Error;
            var result = TrainingProgressDisplay.Interactive(stdout)
                ? TrainWithBar(textPath, options, CliApp.Cancellation)
                : TrainPlain(textPath, options, stderr, CliApp.Cancellation);
            result.Vectors.Save(outPath, fileFormat, CliApp.Cancellation);
            double countSeconds = result.CountingTime.TotalSeconds, trainSeconds = result.TrainingTime.TotalSeconds;
            stdout.WriteLine($"vocabulary {result.Counts.Count:N0} words (min-count {options.MinCount}), {result.CorpusTokens:N0} tokens; window {options.Window}, {options.Dimensions} dimensions, {options.MaxDegreeOfParallelism} thread(s)");
            stdout.WriteLine($"counted {result.Cooccurrences:N0} co-occurrence cells in {countSeconds:F2} s ({result.CorpusTokens / Math.Max(countSeconds, 1e-9):N0} tokens/s, {result.SpilledRuns} spilled run(s))");
            stdout.WriteLine($"trained {options.Iterations} iterations in {trainSeconds:F2} s ({(double)result.Cooccurrences * options.Iterations / Math.Max(trainSeconds, 1e-9):N0} cells/s); final cost {result.FinalCost.ToString("F6", Inv)}");
            stdout.WriteLine($"wrote {outPath} ({parse.GetValue(format)}, {result.Vectors.Count} × {result.Vectors.Dimensions})");
            return CliApp.Ok;
        });
        return command;
    }


    private static GloVeResult TrainWithBar(string textPath, GloVeOptions options, CancellationToken cancellation)
    {
        GloVeResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("counting words", maxValue: 100);
                var progress = new SyncProgress<GloVeProgress>(p =>
                {
                    task.Description = p.Phase switch
                    {
                        GloVePhase.Vocabulary => $"counting words: {p.Done:N0} tokens",
                        GloVePhase.Cooccurrence => $"counting co-occurrences: {p.Done:N0} tokens",
                        _ => $"iter {p.Done}/{p.Total}  cost {p.Cost.ToString("F6", Inv)}",
                    };
                    task.Value = p.Percent;
                });
                result = GloVeTrainer.Train(textPath, options, progress, cancellation);
                task.Value = 100;
            });
        return result!;
    }

    /// <summary>Prints the cost of every iteration to stderr, as <c>glove</c> does.</summary>
    private static GloVeResult TrainPlain(string textPath, GloVeOptions options, TextWriter stderr, CancellationToken cancellation)
    {
        var progress = new SyncProgress<GloVeProgress>(p =>
        {
            if (p.Phase == GloVePhase.Training)
                lock (stderr) stderr.WriteLine($"iter: {p.Done:D3}, cost: {p.Cost.ToString("F6", Inv)}");
        });
        return GloVeTrainer.Train(textPath, options, progress, cancellation);
    }

    private static bool Flag(int value, string name) => value switch
    {
        0 => false,
        1 => true,
        _ => throw new UsageException($"{name} {value}: give 0 or 1"),
    };

}
