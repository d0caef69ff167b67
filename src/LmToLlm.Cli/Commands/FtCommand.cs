using System.CommandLine;
using System.Globalization;
using LmToLlm.Embeddings;
using LmToLlm.Embeddings.FastText;

namespace LmToLlm.Cli.Commands;

/// <summary><c>lmtollm ft train|print-word-vectors|nn</c>: fastText training and queries, with the reference tool's option names.</summary>
internal static class FtCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var command = new Command("ft", "fastText: train subword word vectors (the reference fastText's algorithm and options), print vectors, query neighbours");
        command.Subcommands.Add(Train());
        command.Subcommands.Add(PrintWordVectors());
        command.Subcommands.Add(Nearest());
        return command;
    }

    /// <summary>
    /// An option named in kebab case (<c>--min-count</c>), also accepted as the reference spells it (<c>-minCount</c>);
    /// help shows both.
    /// </summary>
    private static Option<T> Ref<T>(string name, string description, Func<T>? fallback = null, string? kebab = null)
    {
        // Help lists "-dim" alone when the two spellings differ only in dashes, so the description names the other.
        var option = new Option<T>("--" + (kebab ?? name), "-" + name) { Description = kebab is null ? $"{description} (also --{name})" : description };
        if (fallback is not null) option.DefaultValueFactory = _ => fallback();
        return option;
    }

    private static Command Train()
    {
        var d = new FastTextOptions();
        var input = Ref<string>("input", "Training text (UTF-8, .gz ok): one sentence per line, words separated by spaces or tabs");
        input.Required = true;
        var analyzer = AnalyzerNames.TrainingOption("each line of --input");
        var output = Ref<string>("output", "Output prefix: writes <prefix>.bin (the reference's model format) and <prefix>.vec");
        output.Required = true;
        var model = Ref<string>("model", "skipgram (default) or cbow", () => "skipgram");
        var dim = Ref("dim", "Vector size", () => d.Dimensions).Within(1, WordVectors.MaxDimensions);
        var ws = Ref("ws", "Maximum context distance", () => d.Window).Within(1, 1000);
        var epoch = Ref("epoch", "Passes over the text", () => d.Epochs).Within(1, 10_000);
        var minCount = Ref("minCount", "Minimal number of word occurrences", () => d.MinCount, "min-count").Within(1, int.MaxValue);
        var neg = Ref("neg", "Negatives sampled per positive", () => d.Negative).Within(1, 1000);
        var bucket = Ref("bucket", "Rows the character n-grams are hashed into", () => d.Bucket).Within(0, 100_000_000);
        var minn = Ref("minn", "Shortest character n-gram", () => d.MinN).Within(0, 64);
        var maxn = Ref("maxn", "Longest character n-gram (0: no subwords)", () => d.MaxN).Within(0, 64);
        var t = Ref("t", "Subsampling threshold", () => d.Sample).Within(0.0, 1.0);
        var lr = Ref("lr", "Starting learning rate", () => d.LearningRate).Within(0.0, 10.0, minExclusive: true);
        var lrUpdateRate = Ref("lrUpdateRate", "Tokens between learning-rate updates", () => d.LearningRateUpdateRate, "lr-update-rate").Within(1, 100_000);
        var thread = Ref("thread", "Worker threads (default: all cores)", () => d.MaxDegreeOfParallelism, "threads").Within(1, 1024);
        var seed = Ref("seed", "Random seed (1 thread + seed = reproducible)", () => CliApp.DefaultSeed).Within(int.MinValue, int.MaxValue);
        var command = new Command("train", "Train a fastText model (skipgram or cbow, negative sampling)")
        {
            input, analyzer, output, model, dim, ws, epoch, minCount, neg, bucket, minn, maxn, t, lr, lrUpdateRate, thread, seed,
        };
        command.SetAction(parse =>
        {
            var architecture = parse.GetValue(model) switch
            {
                "skipgram" => FastTextArchitecture.SkipGram,
                "cbow" => FastTextArchitecture.Cbow,
                var other => throw new UsageException($"-model '{other}': choose skipgram or cbow"),
            };
            var options = new FastTextOptions
            {
                Architecture = architecture, Dimensions = parse.GetValue(dim), Window = parse.GetValue(ws), Epochs = parse.GetValue(epoch),
                MinCount = parse.GetValue(minCount), Negative = parse.GetValue(neg), Bucket = parse.GetValue(bucket), MinN = parse.GetValue(minn),
                MaxN = parse.GetValue(maxn), Sample = parse.GetValue(t), LearningRate = parse.GetValue(lr), LearningRateUpdateRate = parse.GetValue(lrUpdateRate),
                MaxDegreeOfParallelism = parse.GetValue(thread), Seed = unchecked((ulong)parse.GetValue(seed)),
            };
            string textPath = parse.GetValue(input)!, prefix = parse.GetValue(output)!;
            if (prefix == "-") throw new UsageException("--output is a prefix for two files (<prefix>.bin and <prefix>.vec); '-' cannot name them");
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            using var analyzed = AnalyzerNames.Prepare(textPath, parse.GetValue(analyzer));
            var result = TrainingProgressDisplay.Run(stdout, stderr, options.Epochs, progress => FastTextTrainer.Train(analyzed.Path, options, progress, CliApp.Cancellation));
            result.Model.Save(prefix + ".bin");
            result.Model.SaveVectors(prefix + ".vec");
            double seconds = result.TrainingTime.TotalSeconds;
            stdout.WriteLine($"model {parse.GetValue(model)}, dim {options.Dimensions}, ws {options.Window}, epoch {options.Epochs}, neg {options.Negative}, minn {options.MinN}, maxn {options.MaxN}, bucket {options.Bucket}, lr {options.LearningRate.ToString(Inv)}, {options.MaxDegreeOfParallelism} thread(s)");
            stdout.WriteLine($"words {result.Model.Count:N0}, tokens {result.Model.Tokens:N0} ({result.TrainingTokens:N0} in the dictionary per epoch)");
            stdout.WriteLine($"trained {result.TokensProcessed:N0} tokens in {seconds:F2} s: {result.TokensProcessed / Math.Max(seconds, 1e-9):N0} words/s ({result.TokensProcessed / Math.Max(seconds, 1e-9) / options.MaxDegreeOfParallelism:N0} words/s/thread); total {result.TotalTime.TotalSeconds:F2} s");
            stdout.WriteLine($"wrote {prefix}.bin and {prefix}.vec");
            return CliApp.Ok;
        });
        return command;
    }




    private static Command PrintWordVectors()
    {
        var modelPath = new Argument<string>("model") { Description = "fastText .bin model" };
        var command = new Command("print-word-vectors", "Print the vector of each word read from standard input (one per line or separated by spaces), as the reference tool does; unseen words get vectors from their n-grams") { modelPath };
        command.SetAction(parse =>
        {
            var model = FastTextModel.Load(parse.GetValue(modelPath)!);
            var stdout = parse.InvocationConfiguration.Output;
            string? line;
            while ((line = Console.In.ReadLine()) is not null)
            {
                foreach (string word in line.Split([' ', '\t', '\r', '\v', '\f'], StringSplitOptions.RemoveEmptyEntries))
                {
                    stdout.WriteLine(FastTextVecFormat.FormatRow(word, model.WordVector(word)));
                }
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Nearest()
    {
        var modelPath = new Argument<string>("model") { Description = "fastText .bin model" };
        var word = new Argument<string>("word") { Description = "The query word (in or out of the dictionary)" };
        var k = new Option<int>("--top", "-k") { Description = "How many neighbours (the reference's k)", DefaultValueFactory = _ => 10 }.Within(1, int.MaxValue);
        var command = new Command("nn", "Nearest dictionary words by cosine of the subword vectors (the reference's nn); works for unseen words") { modelPath, word, k };
        command.SetAction(parse =>
        {
            var model = FastTextModel.Load(parse.GetValue(modelPath)!);
            var stdout = parse.InvocationConfiguration.Output;
            foreach (var hit in model.MostSimilar(parse.GetValue(word)!, parse.GetValue(k))) stdout.WriteLine($"{hit.Word}\t{hit.Score.ToString("G6", Inv)}");
            return CliApp.Ok;
        });
        return command;
    }

}
