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

    /// <summary>An option spelled as the reference spells it (<c>-dim</c>), also accepted with two dashes (<c>--dim</c>).</summary>
    private static Option<T> Ref<T>(string name, string description, Func<T>? fallback = null)
    {
        var option = new Option<T>("-" + name, "--" + name) { Description = description };
        if (fallback is not null) option.DefaultValueFactory = _ => fallback();
        return option;
    }

    private static Command Train()
    {
        var d = new FastTextOptions();
        var input = Ref<string>("input", "Training text (UTF-8, .gz ok): one sentence per line, words separated by spaces or tabs");
        input.Required = true;
        var output = Ref<string>("output", "Output prefix: writes <prefix>.bin (the reference's model format) and <prefix>.vec");
        output.Required = true;
        var model = Ref<string>("model", "skipgram (default) or cbow", () => "skipgram");
        var dim = Ref("dim", "Vector size", () => d.Dimensions);
        var ws = Ref("ws", "Maximum context distance", () => d.Window);
        var epoch = Ref("epoch", "Passes over the text", () => d.Epochs);
        var minCount = Ref("minCount", "Minimal number of word occurrences", () => d.MinCount);
        var neg = Ref("neg", "Negatives sampled per positive", () => d.Negative);
        var bucket = Ref("bucket", "Rows the character n-grams are hashed into", () => d.Bucket);
        var minn = Ref("minn", "Shortest character n-gram", () => d.MinN);
        var maxn = Ref("maxn", "Longest character n-gram (0: no subwords)", () => d.MaxN);
        var t = Ref("t", "Subsampling threshold", () => d.Sample);
        var lr = Ref("lr", "Starting learning rate", () => d.LearningRate);
        var lrUpdateRate = Ref("lrUpdateRate", "Tokens between learning-rate updates", () => d.LearningRateUpdateRate);
        var thread = Ref("thread", "Worker threads (default: all cores)", () => d.Threads);
        var seed = Ref("seed", "Random seed (1 thread + seed = reproducible)", () => d.Seed);
        var command = new Command("train", "Train a fastText model (skipgram or cbow, negative sampling)")
        {
            input, output, model, dim, ws, epoch, minCount, neg, bucket, minn, maxn, t, lr, lrUpdateRate, thread, seed,
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
                Threads = parse.GetValue(thread), Seed = parse.GetValue(seed),
            };
            string textPath = parse.GetValue(input)!, prefix = parse.GetValue(output)!;
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var result = TrainingProgressDisplay.Run(stdout, stderr, options.Epochs, "lr", progress => FastTextModel.Train(textPath, options, progress, CliApp.Cancellation));
            result.Model.Save(prefix + ".bin");
            result.Model.SaveVectors(prefix + ".vec");
            double seconds = result.TrainingTime.TotalSeconds;
            stdout.WriteLine($"model {parse.GetValue(model)}, dim {options.Dimensions}, ws {options.Window}, epoch {options.Epochs}, neg {options.Negative}, minn {options.MinN}, maxn {options.MaxN}, bucket {options.Bucket}, lr {options.LearningRate.ToString(Inv)}, {options.Threads} thread(s)");
            stdout.WriteLine($"words {result.Model.Count:N0}, tokens {result.Model.Tokens:N0} ({result.TrainingTokens:N0} in the dictionary per epoch)");
            stdout.WriteLine($"trained {result.TokensProcessed:N0} tokens in {seconds:F2} s: {result.TokensProcessed / Math.Max(seconds, 1e-9):N0} words/s ({result.TokensProcessed / Math.Max(seconds, 1e-9) / options.Threads:N0} words/s/thread); total {result.TotalTime.TotalSeconds:F2} s");
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
        var k = new Option<int>("-k", "--top") { Description = "How many neighbours", DefaultValueFactory = _ => 10 };
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
