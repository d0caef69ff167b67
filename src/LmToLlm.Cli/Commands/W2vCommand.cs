using System.CommandLine;
using System.Globalization;
using LmToLlm.Embeddings;
using LmToLlm.Embeddings.FastText;

namespace LmToLlm.Cli.Commands;

/// <summary><c>lmtollm w2v train|eval|similar|analogy</c>: word2vec training, evaluation and queries.</summary>
internal static class W2vCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var command = new Command("w2v", "Word2Vec: train skip-gram/CBOW vectors (word2vec.c's algorithm), evaluate them, query neighbours and analogies");
        command.Subcommands.Add(Train());
        command.Subcommands.Add(Eval());
        command.Subcommands.Add(Similar());
        command.Subcommands.Add(Analogy());
        return command;
    }

    private static Command Train()
    {
        var d = new Word2VecOptions();
        var text = new Option<string>("--text") { Description = "Training text (UTF-8, .gz ok): one sentence per line, words separated by spaces", Required = true };
        var output = new Option<string>("--out") { Description = "Output vector file", Required = true };
        var binary = new Option<bool>("--binary") { Description = "Write word2vec binary format (default)" };
        var textFormat = new Option<bool>("--text-format") { Description = "Write word2vec text format (word2vec.c -binary 0)" };
        var sg = new Option<bool>("--sg") { Description = "Skip-gram (word2vec.c -cbow 0)" };
        var cbow = new Option<bool>("--cbow") { Description = "CBOW (default, as word2vec.c)" };
        var size = new Option<int>("--size", "-size", "--dim") { Description = "Vector dimensions (word2vec.c -size; --dim as in ft)", DefaultValueFactory = _ => d.Dimensions }.Within(1, WordVectors.MaxDimensions);
        var window = new Option<int>("--window") { Description = "Maximum context distance", DefaultValueFactory = _ => d.Window }.Within(1, 1000);
        var negative = new Option<int>("--negative") { Description = "Negative samples (0 = off)", DefaultValueFactory = _ => d.Negative }.Within(0, 1000);
        var hs = new Option<bool>("--hs") { Description = "Hierarchical softmax" };
        var sample = new Option<double>("--sample") { Description = "Subsampling threshold (word2vec.c default 1e-3; 0 = off)", DefaultValueFactory = _ => d.Sample }.Within(0.0, 1.0);
        var minCount = new Option<int>("--min-count") { Description = "Drop words rarer than this", DefaultValueFactory = _ => d.MinCount }.Within(1, int.MaxValue);
        var maxVocab = new Option<int>("--max-vocab") { Description = "Prune rare words while counting beyond this many distinct words", DefaultValueFactory = _ => d.MaxVocabulary }.Within(2, int.MaxValue);
        var iter = new Option<int>("--iter") { Description = "Epochs", DefaultValueFactory = _ => d.Epochs }.Within(1, 10_000);
        var alpha = new Option<double?>("--alpha") { Description = "Starting learning rate (default 0.025 skip-gram, 0.05 CBOW)" }.Within(0.0, 10.0, minExclusive: true);
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores)", DefaultValueFactory = _ => d.MaxDegreeOfParallelism }.Within(1, 1024);
        var seed = new Option<ulong>("--seed") { Description = "Random seed (1 thread + seed = reproducible)", DefaultValueFactory = _ => (ulong)CliApp.DefaultSeed }.Within(ulong.MinValue, ulong.MaxValue);
        var analyzer = AnalyzerNames.TrainingOption("each line of --text");
        var compat = new Option<string>("--compat") { Description = "Training loop to follow: gensim (default: gensim 4.2 corpus_file's negatives, sentence length and learning-rate schedule) or word2vec.c (its exact loop)", DefaultValueFactory = _ => "gensim" };
        compat.AcceptOnlyFromAmong("gensim", "word2vec.c");
        var command = new Command("train", "Train word vectors with word2vec.c's algorithm")
        {
            text, analyzer, output, binary, textFormat, sg, cbow, size, window, negative, hs, sample, minCount, maxVocab, iter, alpha, threads, seed, compat,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(sg) && parse.GetValue(cbow)) throw new UsageException("choose one of --sg and --cbow");
            if (parse.GetValue(binary) && parse.GetValue(textFormat)) throw new UsageException("choose one of --binary and --text-format");
            var options = new Word2VecOptions
            {
                Architecture = parse.GetValue(sg) ? Word2VecArchitecture.SkipGram : Word2VecArchitecture.Cbow,
                Dimensions = parse.GetValue(size),
                Window = parse.GetValue(window),
                Negative = parse.GetValue(negative),
                HierarchicalSoftmax = parse.GetValue(hs),
                Sample = parse.GetValue(sample),
                MinCount = parse.GetValue(minCount),
                MaxVocabulary = parse.GetValue(maxVocab),
                Epochs = parse.GetValue(iter),
                Alpha = parse.GetValue(alpha),
                MaxDegreeOfParallelism = parse.GetValue(threads),
                Seed = parse.GetValue(seed),
                Compatibility = parse.GetValue(compat) == "word2vec.c" ? Word2VecCompatibility.Word2VecC : Word2VecCompatibility.Gensim,
            };
            string textPath = parse.GetValue(text)!, outPath = parse.GetValue(output)!;
            var stdout = CliApp.Summary(parse);
            var stderr = parse.InvocationConfiguration.Error;
            using var input = AnalyzerNames.Prepare(textPath, parse.GetValue(analyzer));
            var result = TrainingProgressDisplay.Run(stdout, stderr, options.Epochs, "alpha", progress => Word2VecTrainer.Train(input.Path, options, progress, CliApp.Cancellation));
            var format = parse.GetValue(textFormat) ? WordVectorFileFormat.Text : WordVectorFileFormat.Binary;
            result.Vectors.Save(outPath, format, CliApp.Cancellation);
            double seconds = result.TrainingTime.TotalSeconds;
            stdout.WriteLine($"architecture {(options.Architecture == Word2VecArchitecture.SkipGram ? "skip-gram" : "CBOW")}, {options.Dimensions} dimensions, alpha {options.StartingAlpha.ToString(Inv)}, {options.MaxDegreeOfParallelism} thread(s)");
            stdout.WriteLine($"vocabulary {result.Vectors.Count:N0} (with </s>), {result.TrainingWords:N0} training words per epoch, {result.CorpusTokens:N0} tokens in the text");
            stdout.WriteLine($"trained {result.WordsProcessed:N0} words in {seconds:F2} s: {result.WordsProcessed / Math.Max(seconds, 1e-9):N0} words/s; total {result.TotalTime.TotalSeconds:F2} s");
            stdout.WriteLine($"wrote {outPath} ({format.ToString().ToLowerInvariant()}, {result.Vectors.Count} × {result.Vectors.Dimensions})");
            return CliApp.Ok;
        });
        return command;
    }




    private static Command Eval()
    {
        var vectors = new Option<string>("--vectors") { Description = "Vector file (word2vec binary or text, fastText .vec or .bin)", Required = true };
        var analogies = new Option<string?>("--analogies") { Description = "Analogy questions (questions-words.txt format)" };
        var restrict = new Option<int>("--restrict") { Description = "Use only the first N vectors for analogies (compute-accuracy threshold; 0 = all)", DefaultValueFactory = _ => AnalogyEvaluation.DefaultRestriction }.Within(0, int.MaxValue);
        var similarity = new Option<string[]>("--similarity") { Description = "Word-similarity files ('word1 word2 score' lines)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("eval", "Analogy accuracy (compute-accuracy semantics) and word-similarity Spearman") { vectors, analogies, restrict, similarity };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var model = WordVectors.Load(parse.GetValue(vectors)!);
            string? questions = parse.GetValue(analogies);
            string[] simFiles = parse.GetValue(similarity) ?? [];
            if (questions is null && simFiles.Length == 0) throw new UsageException("give --analogies and/or --similarity");
            stdout.WriteLine($"{model.Count:N0} vectors of {model.Dimensions} dimensions");
            if (questions is not null)
            {
                var report = AnalogyEvaluation.Evaluate(model, questions, parse.GetValue(restrict));
                stdout.WriteLine($"analogies (first {(report.Restriction == 0 ? model.Count : Math.Min(report.Restriction, model.Count)):N0} vectors):");
                foreach (var s in report.Sections)
                    stdout.WriteLine($"  {s.Name,-28} {(s.Semantic ? "sem" : "syn")} {s.Accuracy,6:F2} %  ({s.Correct} / {s.Seen}, {s.Total} questions)");
                stdout.WriteLine($"  semantic  {report.SemanticAccuracy:F2} % ({report.SemanticCorrect} / {report.SemanticSeen})");
                stdout.WriteLine($"  syntactic {report.SyntacticAccuracy:F2} % ({report.SyntacticCorrect} / {report.SyntacticSeen})");
                stdout.WriteLine($"  total     {report.TotalAccuracy:F2} % ({report.Correct} / {report.QuestionsSeen})");
                stdout.WriteLine($"  questions seen / total: {report.QuestionsSeen} / {report.QuestionsTotal}");
            }
            foreach (string file in simFiles)
            {
                var r = WordSimilarityEvaluation.Evaluate(model, file);
                stdout.WriteLine($"similarity {r.Name}: Spearman {r.Spearman:F4} over {r.PairsUsed} pairs ({r.PairsOutOfVocabulary} of {r.Pairs} out of vocabulary)");
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Similar()
    {
        var vectors = new Option<string>("--vectors") { Description = "Vector file (word2vec binary/text, fastText .vec, or a fastText .bin model: then unseen words get vectors from their n-grams)", Required = true };
        var top = new Option<int>("--top") { Description = "How many neighbours", DefaultValueFactory = _ => 10 }.Within(1, int.MaxValue);
        var word = new Argument<string>("word") { Description = "The word" };
        var command = new Command("similar", "Nearest neighbours of a word by cosine") { vectors, top, word };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(vectors)!;
            var subwords = FastTextModel.IsModelFile(path) ? FastTextModel.Load(path) : null;
            var model = subwords?.ToWordVectors() ?? WordVectors.Load(path);
            string w = parse.GetValue(word)!;
            if (!model.Contains(w) && subwords is null) throw new LmToLlmException($"'{w}' is not in the vocabulary of {path}");
            var stdout = parse.InvocationConfiguration.Output;
            // A fastText model gives every word a vector from its character n-grams, seen in training or not.
            var hits = subwords is not null ? subwords.MostSimilar(w, parse.GetValue(top)) : model.MostSimilar(w, parse.GetValue(top));
            foreach (var hit in hits) stdout.WriteLine($"{hit.Word}\t{hit.Score.ToString("F6", Inv)}");
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Analogy()
    {
        var vectors = new Option<string>("--vectors") { Description = "Vector file (word2vec binary/text, fastText .vec, or a fastText .bin model: then unseen words get vectors from their n-grams)", Required = true };
        var top = new Option<int>("--top") { Description = "How many answers", DefaultValueFactory = _ => 5 }.Within(1, int.MaxValue);
        var cosMul = new Option<bool>("--cosmul") { Description = "Rank with 3CosMul instead of 3CosAdd" };
        var a = new Argument<string>("a");
        var b = new Argument<string>("b");
        var c = new Argument<string>("c");
        var command = new Command("analogy", "a is to b as c is to ? (e.g. man king woman)") { vectors, top, cosMul, a, b, c };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(vectors)!;
            var subwords = FastTextModel.IsModelFile(path) ? FastTextModel.Load(path) : null;
            var model = subwords?.ToWordVectors() ?? WordVectors.Load(path);
            string[] words = [parse.GetValue(a)!, parse.GetValue(b)!, parse.GetValue(c)!];
            var method = parse.GetValue(cosMul) ? AnalogyMethod.CosMul : AnalogyMethod.CosAdd;
            var stdout = parse.InvocationConfiguration.Output;
            IReadOnlyList<WordScore> hits;
            if (words.All(w => model.Contains(w)))
            {
                hits = model.Analogy(words[0], words[1], words[2], parse.GetValue(top), method);
            }
            else
            {
                string missing = words.First(w => !model.Contains(w));
                if (subwords is null) throw new LmToLlmException($"'{missing}' is not in the vocabulary of {path}");
                if (method == AnalogyMethod.CosMul) throw new UsageException($"'{missing}' is out of the dictionary: --cosmul needs dictionary words; use 3CosAdd");
                // 3CosAdd on the subword vectors: b − a + c on unit vectors, the dictionary inputs excluded.
                var target = new float[model.Dimensions];
                float sign = -1;
                foreach (string w in words)
                {
                    float[] v = subwords.WordVector(w);
                    float norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
                    if (norm > 0) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(v, sign / norm, target, target);
                    sign = 1;
                }
                hits = model.MostSimilar(target, parse.GetValue(top), words.Select(w => subwords.IndexOf(w)).Where(i => i >= 0).ToArray());
            }
            foreach (var hit in hits) stdout.WriteLine($"{hit.Word}\t{hit.Score.ToString("F6", Inv)}");
            return CliApp.Ok;
        });
        return command;
    }

}
