using System.CommandLine;
using System.Globalization;
using LmToLlm.NGrams;
using Spectre.Console;

namespace LmToLlm.Cli.Commands;

/// <summary><c>lmtollm ngram count|train|ppl|generate</c>: n-gram counts and language models (KenLM-compatible ARPA).</summary>
internal static class NGramCommand
{
    public static Command Create()
    {
        var command = new Command("ngram", "N-gram counts and language models (modified Kneser-Ney as KenLM lmplz, ARPA files, perplexity as KenLM query)");
        command.Subcommands.Add(Count());
        command.Subcommands.Add(Train());
        command.Subcommands.Add(Perplexity());
        command.Subcommands.Add(Generate());
        return command;
    }

    private static Option<string> TextOption(string description) => new("--text") { Description = description, Required = true };
    private static Option<int> OrderOption() => new Option<int>("--order", "-o") { Description = "Highest n-gram order N", DefaultValueFactory = _ => 3 }.Within(1, NGramCounts.MaxOrder);
    private static Option<bool> SkipSymbolsOption() => new("--skip-symbols") { Description = "Delete literal <s>, </s>, <unk> from the training text (as lmplz --skip_symbols) instead of failing" };

    private static Option<string?> AnalyzerOption() => AnalyzerNames.TrainingOption("each line");

    private static NGramCounts CountFile(string text, string? analyzer, int order, bool skipSymbols, TextWriter stderr, long memory = 0, string? tempDirectory = null)
    {
        if (order < 1) throw new UsageException($"--order must be at least 1 (got {order})");
        using var input = AnalyzerNames.Prepare(text, analyzer);
        var options = new NGramCountOptions { Order = order, SkipSymbols = skipSymbols, MemoryBudget = memory, TempDirectory = tempDirectory };
        return ProgressDisplay.Run(stderr, "counting", progress => NGramCounts.FromFile(input.Path, options, progress, CliApp.Cancellation));
    }

    private static long MemoryBudget(string? text)
    {
        if (text is null) return 0;
        long bytes = MemorySize.Parse("--memory", text, BareNumber.Kibibytes);
        if (bytes < NGramCountOptions.MinimumMemoryBudget)
            throw new UsageException($"--memory must be at least {MemorySize.Format(NGramCountOptions.MinimumMemoryBudget)} (got {text})");
        return bytes;
    }

    private static Command Count()
    {
        var text = TextOption("Training text: one sentence per line, words separated by whitespace (.gz ok)");
        var order = OrderOption();
        var output = new Option<string?>("--out") { Description = "Write the count table here (.tsv tab-separated, else CSV); default: stdout" };
        var skip = SkipSymbolsOption();
        var analyzer = AnalyzerOption();
        var command = new Command("count", "Count n-grams of orders 1..N (with <s> and </s>)") { text, order, output, skip, analyzer };
        command.SetAction(parse =>
        {
            var stdout = CliApp.Summary(parse);
            var stderr = parse.InvocationConfiguration.Error;
            var counts = CountFile(parse.GetValue(text)!, parse.GetValue(analyzer), parse.GetValue(order), parse.GetValue(skip), stderr);
            string? path = parse.GetValue(output);
            if (path is null)
            {
                counts.WriteTable(stdout);
            }
            else
            {
                counts.WriteTable(path, CliApp.Cancellation);
                stdout.WriteLine($"words\t{counts.WordCount}");
                stdout.WriteLine($"sentences\t{counts.SentenceCount}");
                for (int k = 1; k <= counts.Order; k++) stdout.WriteLine($"{k}-grams\t{counts.Enumerate(k).Count()}");
                stdout.WriteLine($"wrote\t{path}");
            }
            stdout.Flush();
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Train()
    {
        var text = TextOption("Training text: one sentence per line, words separated by whitespace (.gz ok)");
        var order = OrderOption();
        var smoothing = new Option<string>("--smoothing") { Description = "mkn (default, as lmplz), kn, addk, mle, stupid", DefaultValueFactory = _ => "mkn" };
        var fallback = new Option<bool>("--discount-fallback") { Description = "When Kneser-Ney discounts cannot be estimated, use D1=0.5 D2=1 D3+=1.5 (as lmplz --discount_fallback)" };
        var arpa = new Option<string?>("--arpa") { Description = "Write the model as an ARPA file" };
        var binary = new Option<string?>("--binary") { Description = "Write the model in LmToLlm's binary format (fast to load)" };
        var skip = SkipSymbolsOption();
        var memory = new Option<string?>("--memory", "-S") { Description = "Memory budget, as lmplz -S (1G, 500M, 80%; a bare number is KiB): counts and estimation are sorted on disk in temporary files, so any text fits; same model, same ARPA bytes. With --binary only the token stream goes to disk. Default: all in memory" };
        var temp = new Option<string?>("--temp-dir", "-T") { Description = "Folder for the temporary files of --memory (default: the system's temporary folder)" };
        var analyzer = AnalyzerOption();
        var command = new Command("train", "Estimate an n-gram language model; mkn equals KenLM lmplz -o N") { text, order, smoothing, fallback, arpa, binary, skip, memory, temp, analyzer };
        command.SetAction(parse =>
        {
            var stdout = CliApp.Summary(parse);
            var stderr = parse.InvocationConfiguration.Error;
            var kind = NGramTrainer.ParseSmoothing(parse.GetValue(smoothing)!);
            string? arpaPath = parse.GetValue(arpa), binaryPath = parse.GetValue(binary);
            if (arpaPath is null && binaryPath is null) throw new UsageException("give --arpa FILE and/or --binary FILE for the model");
            if (kind is not (Smoothing.ModifiedKneserNey or Smoothing.KneserNey))
                throw new UsageException($"{parse.GetValue(smoothing)} is computed from counts at query time and is not a backoff model, so it has no ARPA or binary form; score it with 'lmtollm ngram ppl --train TEXT --smoothing {parse.GetValue(smoothing)}'");
            long budget = MemoryBudget(parse.GetValue(memory));
            string? tempDirectory = parse.GetValue(temp);
            if (tempDirectory is not null && !Directory.Exists(tempDirectory)) throw new UsageException($"--temp-dir {tempDirectory}: no such folder");
            bool discountFallback = parse.GetValue(fallback);
            if (budget > 0 && binaryPath is null)
            {
                // Within the budget: counts and estimation on disk, the ARPA streamed from the sorted files.
                var counting = new NGramCountOptions { Order = parse.GetValue(order), SkipSymbols = parse.GetValue(skip), MemoryBudget = budget, TempDirectory = tempDirectory };
                if (counting.Order < 1) throw new UsageException($"--order must be at least 1 (got {counting.Order})");
                using var input = AnalyzerNames.Prepare(parse.GetValue(text)!, parse.GetValue(analyzer));
                using var onDisk = ProgressDisplay.Run(stderr, "estimating on disk", progress =>
                    KneserNeyOnDisk.Train(input.Path, counting, kind == Smoothing.ModifiedKneserNey, discountFallback, progress, CliApp.Cancellation));
                stdout.WriteLine($"Unigram tokens {onDisk.WordCount} types {onDisk.VocabularySize}");
                WriteStatistics(stdout, onDisk.Statistics);
                ProgressDisplay.Run(stderr, "writing ARPA", progress => { AtomicFile.Write(arpaPath!, stream => onDisk.WriteArpa(stream, progress, CliApp.Cancellation), CliApp.Cancellation); return 0; });
                stdout.WriteLine($"wrote {arpaPath}");
                stdout.Flush();
                return CliApp.Ok;
            }
            var counts = CountFile(parse.GetValue(text)!, parse.GetValue(analyzer), parse.GetValue(order), parse.GetValue(skip), stderr, budget, tempDirectory);
            var options = new NGramTrainingOptions { Smoothing = kind, DiscountFallback = discountFallback, ReleaseCounts = true };
            stdout.WriteLine($"Unigram tokens {counts.WordCount} types {counts.Vocabulary.Count}");
            var model = (BackoffModel)ProgressDisplay.Run(stderr, "estimating", progress => NGramTrainer.Train(counts, options, progress, CliApp.Cancellation));
            WriteStatistics(stdout, model.Statistics!);
            counts = null!; // released by the estimation; let the GC have it before writing
            if (arpaPath is not null)
            {
                ProgressDisplay.Run(stderr, "writing ARPA", progress => { model.WriteArpa(arpaPath, progress, CliApp.Cancellation); return 0; });
                stdout.WriteLine($"wrote {arpaPath}");
            }
            if (binaryPath is not null) { model.Save(binaryPath, CliApp.Cancellation); stdout.WriteLine($"wrote {binaryPath}"); }
            stdout.Flush();
            return CliApp.Ok;
        });
        return command;
    }

    private static void WriteStatistics(TextWriter stdout, IReadOnlyList<OrderStatistics> statistics)
    {
        stdout.WriteLine("order\tngrams\tD1\tD2\tD3+\tn1\tn2\tn3\tn4");
        foreach (var s in statistics)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Order}\t{s.NGrams}\t{s.Discount.D1:G6}\t{s.Discount.D2:G6}\t{s.Discount.D3Plus:G6}\t{s.Counts.N1}\t{s.Counts.N2}\t{s.Counts.N3}\t{s.Counts.N4}{(s.IsFallback ? "\t(fallback)" : "")}"));
        }
    }

    private static Option<string?> LmOption() => new("--lm") { Description = "Model file: ARPA (.gz ok) or LmToLlm binary" };

    private static LanguageModel OpenModel(ParseResult parse, Option<string?> lm, Option<string?> train, Option<int> order, Option<string> smoothing, TextWriter stderr,
        string? analyzer = null)
    {
        string? lmPath = parse.GetValue(lm), trainPath = parse.GetValue(train);
        if ((lmPath is null) == (trainPath is null)) throw new UsageException("give either --lm MODEL or --train TEXT (with --order and --smoothing)");
        if (lmPath is not null) return ProgressDisplay.Run(stderr, "loading", progress => BackoffModel.Load(lmPath, progress));
        var counts = CountFile(trainPath!, analyzer, parse.GetValue(order), false, stderr);
        var options = new NGramTrainingOptions { Smoothing = NGramTrainer.ParseSmoothing(parse.GetValue(smoothing)!) };
        return ProgressDisplay.Run(stderr, "estimating", progress => NGramTrainer.Train(counts, options, progress));
    }

    private static Command Perplexity()
    {
        var lm = LmOption();
        var train = new Option<string?>("--train") { Description = "Instead of --lm: train on this text first" };
        var order = OrderOption();
        var smoothing = new Option<string>("--smoothing") { Description = "With --train: mkn, kn, addk, mle, stupid", DefaultValueFactory = _ => "mkn" };
        var text = TextOption("Text to score, one sentence per line");
        var sentences = new Option<bool>("--sentences") { Description = "Also print each sentence's log10 probability (as query's Total:)" };
        var analyzer = AnalyzerNames.TrainingOption("each line of --text (and of --train)");
        var command = new Command("ppl", "Perplexity of a text, counted as KenLM query does (</s> counted, <s> not)") { lm, train, order, smoothing, text, sentences, analyzer };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var model = OpenModel(parse, lm, train, order, smoothing, stderr, parse.GetValue(analyzer));
            using var input = AnalyzerNames.Prepare(parse.GetValue(text)!, parse.GetValue(analyzer));
            string path = input.Path;
            if (parse.GetValue(sentences))
            {
                stdout.WriteLine("line\tlog10prob\toovs\ttokens");
                foreach (var (number, line) in LmToLlm.Corpora.TextLines.Read(path))
                {
                    var s = model.ScoreSentence(line);
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{number}\t{s.Log10Prob:R}\t{s.Oovs}\t{s.Tokens}"));
                }
            }
            var ppl = model.PerplexityOfFile(path);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Perplexity including OOVs:\t{ppl.PerplexityIncludingOov:R}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Perplexity excluding OOVs:\t{ppl.PerplexityExcludingOov:R}"));
            stdout.WriteLine($"OOVs:\t{ppl.Oovs}");
            stdout.WriteLine($"Tokens:\t{ppl.Tokens}");
            stdout.Flush();
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Generate()
    {
        var lm = LmOption();
        var train = new Option<string?>("--train") { Description = "Instead of --lm: train on this text first" };
        var order = OrderOption();
        var smoothing = new Option<string>("--smoothing") { Description = "With --train: mkn, kn, addk, mle, stupid", DefaultValueFactory = _ => "mkn" };
        var prefix = new Option<string>("--prefix") { Description = "Words to continue (sentence start implied)", DefaultValueFactory = _ => "" };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same text)", DefaultValueFactory = _ => CliApp.DefaultSeed }.Within(int.MinValue, int.MaxValue);
        var maxTokens = new Option<int>("--max-tokens") { Description = "Stop after this many words", DefaultValueFactory = _ => 30 }.Within(0, 1_000_000);
        var temperature = new Option<double>("--temperature") { Description = "1 = model distribution, <1 sharper, 0 = greedy", DefaultValueFactory = _ => 1.0 }.Within(0.0, 1000.0);
        var topK = new Option<int>("--top-k") { Description = "Sample among the K most probable words (0 = all)", DefaultValueFactory = _ => 0 }.Within(0, int.MaxValue);
        var samples = new Option<int>("--samples") { Description = "How many continuations (seeds seed, seed+1, ...)", DefaultValueFactory = _ => 1 }.Within(1, 100_000);
        var command = new Command("generate", "Sample continuations of a prefix") { lm, train, order, smoothing, prefix, seed, maxTokens, temperature, topK, samples };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var model = OpenModel(parse, lm, train, order, smoothing, parse.InvocationConfiguration.Error);
            string start = parse.GetValue(prefix)!;
            for (int i = 0; i < parse.GetValue(samples); i++)
            {
                var options = new GenerationOptions { Seed = unchecked((ulong)(parse.GetValue(seed) + i)), Temperature = parse.GetValue(temperature), TopK = parse.GetValue(topK), MaxTokens = parse.GetValue(maxTokens) };
                var words = TextGenerator.Continue(model, start, options);
                stdout.WriteLine(string.Join(' ', LanguageModelWords(start).Concat(words)));
            }
            stdout.Flush();
            return CliApp.Ok;
        });
        return command;
    }

    private static IEnumerable<string> LanguageModelWords(string prefix) => prefix.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>N-gram progress as a progress bar (see <see cref="StageProgressBar"/>).</summary>
internal static class ProgressDisplay
{
    public static T Run<T>(TextWriter stderr, string title, Func<IProgress<StageProgress>?, T> work) =>
        StageProgressBar.Run(stderr, title, (StageProgress p) => (p.Stage, p.Done, p.Total), work);
}
