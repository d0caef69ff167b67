using System.CommandLine;
using System.Text;
using LmToLlm.Subwords;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm spm train|encode|decode</c>: SentencePiece's three tools with their option names. <c>train</c> writes
/// <c>P.model</c> and <c>P.vocab</c> as <c>spm_train</c>; <c>encode</c> and <c>decode</c> read standard input (or the
/// files named) and write standard output line by line as <c>spm_encode</c> and <c>spm_decode</c>.
/// </summary>
internal static class SpmCommand
{
    public static Command Create()
    {
        var command = new Command("spm", "SentencePiece subword models: train (BPE, Unigram), encode, decode; options named as spm_train/spm_encode/spm_decode");
        command.Subcommands.Add(Train());
        command.Subcommands.Add(Encode());
        command.Subcommands.Add(Decode());
        return command;
    }

    private static Command Train()
    {
        var input = new Option<string>("--input") { Description = "Training text, one sentence per line (comma-separated files)", Required = true };
        var prefix = new Option<string>("--model-prefix", "--model_prefix") { Description = "Writes PREFIX.model and PREFIX.vocab (also --model_prefix)", Required = true };
        var vocab = new Option<int>("--vocab-size", "--vocab_size") { Description = "Number of pieces, special ones included (also --vocab_size)", DefaultValueFactory = _ => 8000 }.Within(1, 1_000_000);
        var type = new Option<string>("--model-type", "--model_type") { Description = "unigram or bpe (also --model_type)", DefaultValueFactory = _ => "unigram" };
        var rule = new Option<string>("--normalization-rule-name", "--normalization_rule_name") { Description = "nmt_nfkc or identity (also --normalization_rule_name)", DefaultValueFactory = _ => "nmt_nfkc" };
        var coverage = new Option<double>("--character-coverage", "--character_coverage") { Description = "Share of character occurrences the alphabet covers (0.98-1) (also --character_coverage)", DefaultValueFactory = _ => 0.9995 }.Within(0.0, 1.0, minExclusive: true);
        var maxPiece = new Option<int>("--max-sentencepiece-length", "--max_sentencepiece_length") { Description = "Longest piece in characters (also --max_sentencepiece_length)", DefaultValueFactory = _ => 16 }.Within(1, 512);
        var maxSentence = new Option<int>("--max-sentence-length", "--max_sentence_length") { Description = "Lines longer than this many bytes are skipped (also --max_sentence_length)", DefaultValueFactory = _ => 4192 }.Within(1, 1 << 30);
        var threads = new Option<int>("--num-threads", "--num_threads") { Description = "Threads; unigram results do not depend on the cores that run them (BPE training runs on one) (also --num_threads)", DefaultValueFactory = _ => 16 }.Within(1, 128);
        var seedSize = new Option<int>("--seed-sentencepiece-size", "--seed_sentencepiece_size") { Description = "Unigram: seed pieces to start from (also --seed_sentencepiece_size)", DefaultValueFactory = _ => 1_000_000 }.Within(1, 100_000_000);
        var shrinking = new Option<double>("--shrinking-factor", "--shrinking_factor") { Description = "Unigram: share of pieces kept by each pruning (0.5-0.95) (also --shrinking_factor)", DefaultValueFactory = _ => 0.75 }.Within(0.5, 0.95);
        var subIterations = new Option<int>("--num-sub-iterations", "--num_sub_iterations") { Description = "Unigram: EM steps between prunings (also --num_sub_iterations)", DefaultValueFactory = _ => 2 }.Within(1, 10);
        var byteFallback = new Option<bool>("--byte-fallback", "--byte_fallback") { Description = "Spell unknown characters as UTF-8 byte pieces (also --byte_fallback)" };
        var userSymbols = new Option<string>("--user-defined-symbols", "--user_defined_symbols") { Description = "Comma-separated symbols kept whole (also --user_defined_symbols)", DefaultValueFactory = _ => "" };
        var controlSymbols = new Option<string>("--control-symbols", "--control_symbols") { Description = "Comma-separated control symbols (also --control_symbols)", DefaultValueFactory = _ => "" };
        var splitDigits = new Option<bool>("--split-digits", "--split_digits") { Description = "Every digit a piece of its own (also --split_digits)" };
        var splitByScript = new Option<bool>("--split-by-unicode-script", "--split_by_unicode_script") { Description = "No piece across a script change (also --split_by_unicode_script)", DefaultValueFactory = _ => true };
        var splitByNumber = new Option<bool>("--split-by-number", "--split_by_number") { Description = "Digits split from other characters (also --split_by_number)", DefaultValueFactory = _ => true };
        var splitByWhitespace = new Option<bool>("--split-by-whitespace", "--split_by_whitespace") { Description = "No piece across a space (also --split_by_whitespace)", DefaultValueFactory = _ => true };
        var suffix = new Option<bool>("--treat-whitespace-as-suffix", "--treat_whitespace_as_suffix") { Description = "The boundary mark ends words (also --treat_whitespace_as_suffix)" };
        var dummyPrefix = new Option<bool>("--add-dummy-prefix", "--add_dummy_prefix") { Description = "A boundary mark before the first word (also --add_dummy_prefix)", DefaultValueFactory = _ => true };
        var extraSpaces = new Option<bool>("--remove-extra-whitespaces", "--remove_extra_whitespaces") { Description = "Drop leading, trailing and repeated spaces (also --remove_extra_whitespaces)", DefaultValueFactory = _ => true };
        var unkId = new Option<int>("--unk-id", "--unk_id") { DefaultValueFactory = _ => 0, Description = "Id of <unk> (also --unk_id)" }.Within(0, 1_000_000);
        var bosId = new Option<int>("--bos-id", "--bos_id") { DefaultValueFactory = _ => 1, Description = "Id of <s> (-1: none) (also --bos_id)" }.Within(-1, 1_000_000);
        var eosId = new Option<int>("--eos-id", "--eos_id") { DefaultValueFactory = _ => 2, Description = "Id of </s> (-1: none) (also --eos_id)" }.Within(-1, 1_000_000);
        var padId = new Option<int>("--pad-id", "--pad_id") { DefaultValueFactory = _ => -1, Description = "Id of <pad> (-1: none) (also --pad_id)" }.Within(-1, 1_000_000);
        var command = new Command("train", "Train a SentencePiece model as spm_train does (bpe: the same pieces, order and scores; unigram: its EM and pruning)")
        {
            input, prefix, vocab, type, rule, coverage, maxPiece, maxSentence, threads, byteFallback, userSymbols, controlSymbols,
            splitDigits, splitByScript, splitByNumber, splitByWhitespace, suffix, dummyPrefix, extraSpaces, unkId, bosId, eosId, padId,
            seedSize, shrinking, subIterations,
        };
        command.SetAction(parse =>
        {
            string modelType = parse.GetValue(type)!;
            var algorithm = modelType switch
            {
                "bpe" => SubwordModelType.Bpe,
                "unigram" => SubwordModelType.Unigram,
                _ => throw new UsageException($"--model_type must be unigram or bpe, got {modelType}"),
            };
            double cov = parse.GetValue(coverage);
            if (cov is < 0.98 or > 1) throw new UsageException($"--character_coverage must be in [0.98, 1], got {cov}");
            int size = parse.GetValue(vocab);
            if (size <= 0) throw new UsageException($"--vocab_size must be > 0, got {size}");
            string r = parse.GetValue(rule)!;
            if (r is not ("nmt_nfkc" or "identity")) throw new UsageException($"--normalization_rule_name must be nmt_nfkc or identity, got {r}");
            string[] inputs = parse.GetValue(input)!.Split(',', StringSplitOptions.RemoveEmptyEntries);
            var options = new SubwordTrainerOptions
            {
                ModelType = algorithm, VocabSize = size, NormalizationRuleName = r, CharacterCoverage = (float)cov,
                MaxSentencePieceLength = parse.GetValue(maxPiece), MaxSentenceLength = parse.GetValue(maxSentence),
                NumThreads = parse.GetValue(threads), ByteFallback = parse.GetValue(byteFallback),
                UserDefinedSymbols = Symbols(parse.GetValue(userSymbols)), ControlSymbols = Symbols(parse.GetValue(controlSymbols)),
                SplitDigits = parse.GetValue(splitDigits), SplitByUnicodeScript = parse.GetValue(splitByScript),
                SplitByNumber = parse.GetValue(splitByNumber), SplitByWhitespace = parse.GetValue(splitByWhitespace),
                TreatWhitespaceAsSuffix = parse.GetValue(suffix), AddDummyPrefix = parse.GetValue(dummyPrefix),
                RemoveExtraWhitespaces = parse.GetValue(extraSpaces), UnknownId = parse.GetValue(unkId), BeginId = parse.GetValue(bosId),
                EndId = parse.GetValue(eosId), PadId = parse.GetValue(padId), InputNames = inputs, ModelPrefix = parse.GetValue(prefix)!,
                SeedSentencePieceSize = parse.GetValue(seedSize), ShrinkingFactor = (float)parse.GetValue(shrinking),
                NumSubIterations = parse.GetValue(subIterations),
            };
            var lines = inputs.SelectMany(TrainingText.ReadLines).ToList();
            SentencePieceModel model;
            try
            {
                model = SubwordTrainer.Train(lines, options, string.Join(',', inputs), cancellation: CliApp.Cancellation);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            string p = options.ModelPrefix;
            model.Save(p + ".model");
            AtomicFile.WriteText(p + ".vocab", model.WriteVocab, CliApp.Cancellation);
            return CliApp.Ok;
        });
        return command;
    }

    private static string[] Symbols(string? list) => (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static Command Encode()
    {
        var model = new Option<string>("--model") { Description = "The .model file", Required = true };
        var format = new Option<string>("--output-format", "--output_format") { Description = "piece, id, nbest_piece, nbest_id, sample_piece or sample_id (also --output_format)", DefaultValueFactory = _ => "piece" };
        var nbestSize = new Option<int>("--nbest-size", "--nbest_size") { Description = "nbest_*: segmentations per line (1-1024); sample_*: draw from the n best, or from all when < 0 (also --nbest_size)", DefaultValueFactory = _ => 10 }.Within(-1, 1024);
        var alpha = new Option<double>("--alpha") { Description = "sample_*: smoothing; probabilities raised to this power (default 0.5)", DefaultValueFactory = _ => 0.5 }.Within(0.0, 100.0);
        var seed = new Option<long>("--random-seed", "--random_seed") { Description = "sample_*: seed of the generator (mt19937, as spm_encode); default: a random one (also --random_seed)", DefaultValueFactory = _ => -1 }.Within(-1, uint.MaxValue);
        var files = new Argument<string[]>("files") { Description = "Input files (standard input when none)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("encode", "Encode text line by line as spm_encode: pieces or ids joined by spaces; n-best lists and samples (subword regularisation) for unigram models") { model, format, nbestSize, alpha, seed, files };
        command.SetAction(parse =>
        {
            string f = parse.GetValue(format)!;
            if (f is not ("piece" or "id" or "nbest_piece" or "nbest_id" or "sample_piece" or "sample_id"))
                throw new UsageException($"--output_format must be piece, id, nbest_piece, nbest_id, sample_piece or sample_id, got {f}");
            var tokenizer = SubwordTokenizer.Create(SentencePieceModel.Load(parse.GetValue(model)!));
            bool nbest = f.StartsWith("nbest_", StringComparison.Ordinal), sample = f.StartsWith("sample_", StringComparison.Ordinal);
            if ((nbest || sample) && tokenizer.Model.ModelType != SubwordModelType.Unigram)
                throw new UsageException($"--output_format {f} needs a unigram model; {parse.GetValue(model)} is {tokenizer.Model.ModelType.ToString().ToLowerInvariant()}");
            int n = parse.GetValue(nbestSize);
            if (sample && n > 512) throw new UsageException($"--nbest_size must be <= 512 for sampling, got {n}");
            long s = parse.GetValue(seed);
            var random = new StdRandom(s < 0 ? (uint)Random.Shared.NextInt64(0, 1L << 32) : (uint)s);
            float a = (float)parse.GetValue(alpha);
            // Lines go out as UTF-8 bytes through one buffer: a write per line to the console would cost more than the encoding.
            parse.InvocationConfiguration.Output.Flush();
            using var output = new BufferedStream(AtomicFile.StandardOutput.Value?.Invoke() ?? Console.OpenStandardOutput(), 1 << 16);
            var ids = new List<int>();
            bool withPieces = f.EndsWith("piece", StringComparison.Ordinal);
            var pieces = withPieces ? new List<string>() : null;
            var scratch = new SubwordTokenizer.Scratch();
            byte[] buffer = new byte[1 << 12];
            long count = 0;
            foreach (var bytes in InputLines(parse.GetValue(files)!))
            {
                if (nbest)
                {
                    foreach (var (nbestIds, nbestPieces, _) in tokenizer.EncodeNBest(bytes, n, withPieces))
                        WriteLine(nbestIds, nbestPieces);
                }
                else
                {
                    if (sample) tokenizer.SampleEncode(bytes, n, a, random, ids, pieces);
                    else tokenizer.Encode(bytes, ids, pieces, scratch);
                    WriteLine(ids, pieces);
                }
                if ((++count & 0xFFF) == 0) CliApp.Cancellation.ThrowIfCancellationRequested();
            }
            output.Flush();
            return CliApp.Ok;

            void WriteLine(List<int> lineIds, List<string>? linePieces)
            {
                int items = linePieces?.Count ?? lineIds.Count;
                for (int i = 0; i < items; i++)
                {
                    if (i > 0) output.WriteByte((byte)' ');
                    if (linePieces is not null)
                    {
                        string piece = linePieces[i];
                        int most = Encoding.UTF8.GetMaxByteCount(piece.Length);
                        if (buffer.Length < most) buffer = new byte[most];
                        output.Write(buffer, 0, Encoding.UTF8.GetBytes(piece, buffer));
                    }
                    else
                    {
                        System.Buffers.Text.Utf8Formatter.TryFormat(lineIds[i], buffer, out int written);
                        output.Write(buffer, 0, written);
                    }
                }
                output.WriteByte((byte)'\n');
            }
        });
        return command;
    }

    private static Command Decode()
    {
        var model = new Option<string>("--model") { Description = "The .model file", Required = true };
        var format = new Option<string>("--input-format", "--input_format") { Description = "piece or id (also --input_format)", DefaultValueFactory = _ => "piece" };
        var files = new Argument<string[]>("files") { Description = "Input files (standard input when none)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("decode", "Decode pieces or ids line by line as spm_decode") { model, format, files };
        command.SetAction(parse =>
        {
            string f = parse.GetValue(format)!;
            if (f is not ("piece" or "id")) throw new UsageException($"--input_format must be piece or id, got {f}");
            var tokenizer = SubwordTokenizer.Create(SentencePieceModel.Load(parse.GetValue(model)!));
            var output = parse.InvocationConfiguration.Output;
            string[] names = parse.GetValue(files)!;
            long number = 0;
            foreach (var bytes in InputLines(names))
            {
                number++;
                string[] tokens = Encoding.UTF8.GetString(bytes).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string text;
                if (f == "piece") text = tokenizer.DecodePieces(tokens);
                else
                {
                    var ids = new int[tokens.Length];
                    for (int i = 0; i < tokens.Length; i++)
                        if (!int.TryParse(tokens[i], out ids[i]) || ids[i] < 0 || ids[i] >= tokenizer.Model.Pieces.Count)
                            throw new LmToLlmFormatException(names.Length == 1 ? names[0] : "<stdin>", number,
                                $"'{tokens[i]}' is not an id of this model (0 to {tokenizer.Model.Pieces.Count - 1})");
                    text = tokenizer.Decode(ids);
                }
                output.Write(text);
                output.Write('\n');
            }
            output.Flush();
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>
    /// Lines as raw bytes: from the files, or from standard input (its bytes as they come, so malformed UTF-8 is
    /// encoded as spm_encode encodes it; a test's injected reader is encoded to UTF-8).
    /// </summary>
    internal static IEnumerable<byte[]> InputLines(string[] files)
    {
        if (files.Length > 0)
        {
            foreach (var file in files)
            {
                using var stream = File.OpenRead(file);
                foreach (var line in TrainingText.SplitLines(stream)) yield return line;
            }
            yield break;
        }
        if (!ReferenceEquals(CliApp.Input, Console.In))
        {
            string? text;
            while ((text = CliApp.Input.ReadLine()) is not null) yield return Encoding.UTF8.GetBytes(text);
            yield break;
        }
        using var stdin = Console.OpenStandardInput();
        foreach (var line in TrainingText.SplitLines(stdin)) yield return line;
    }
}
