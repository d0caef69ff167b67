using System.CommandLine;
using System.Text;
using LmToLlm.Subwords;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm bpe train|encode|decode</c>: byte-level BPE as GPT-2 (vocab.json + merges.txt, the files Hugging Face
/// tokenizers and Microsoft.ML.Tokenizers' <c>BpeTokenizer</c> read). <c>encode</c> and <c>decode</c> work line by line
/// on standard input (or the files named) as <c>spm encode</c>/<c>spm decode</c> do.
/// </summary>
internal static class BpeCommand
{
    public static Command Create()
    {
        var command = new Command("bpe", "Byte-level BPE as GPT-2: train, encode, decode; vocab.json + merges.txt");
        command.Subcommands.Add(Train());
        command.Subcommands.Add(Encode());
        command.Subcommands.Add(Decode());
        return command;
    }

    private static Option<string> VocabOption() => new("--vocab") { Description = "The vocab.json file (token -> id)", Required = true };

    private static Option<string> MergesOption() => new("--merges") { Description = "The merges.txt file (one merge per line, by rank)", Required = true };

    private static Command Train()
    {
        var input = new Option<string>("--input") { Description = "Training text, one line at a time (comma-separated files)", Required = true };
        var vocab = VocabOption();
        var merges = MergesOption();
        var size = new Option<int>("--vocab-size") { Description = "Tokens: the 256 bytes plus one per merge (256-1000000)", DefaultValueFactory = _ => 8000 }.Within(256, 1_000_000);
        var minFrequency = new Option<int>("--min-frequency") { Description = "Pairs seen fewer times are never merged", DefaultValueFactory = _ => 2 }.Within(1, int.MaxValue);
        var command = new Command("train", "Learn byte-level BPE merges (the most frequent adjacent pair within GPT-2 pre-tokens; ties to older tokens) and write vocab.json and merges.txt")
        {
            input, vocab, merges, size, minFrequency,
        };
        command.SetAction(parse =>
        {
            string[] inputs = parse.GetValue(input)!.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (inputs.Length == 0) throw new UsageException("--input names no file");
            var lines = inputs.SelectMany(TrainingText.ReadLines).Select(b => Encoding.UTF8.GetString(b));
            var options = new ByteLevelBpeTrainerOptions { VocabSize = parse.GetValue(size), MinFrequency = parse.GetValue(minFrequency) };
            var bpe = ByteLevelBpe.Train(lines, options, CliApp.Cancellation);
            bpe.Save(parse.GetValue(vocab)!, parse.GetValue(merges)!, CliApp.Cancellation);
            CliApp.Summary(parse).WriteLine($"{bpe.Tokens.Count} tokens ({bpe.Merges.Count} merges)");
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Encode()
    {
        var vocab = VocabOption();
        var merges = MergesOption();
        var format = new Option<string>("--output-format") { Description = "token or id", DefaultValueFactory = _ => "token" };
        var files = new Argument<string[]>("files") { Description = "Input files (standard input when none)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("encode", "Encode text line by line: tokens (in GPT-2's byte alphabet) or ids joined by spaces") { vocab, merges, format, files };
        command.SetAction(parse =>
        {
            string f = parse.GetValue(format)!;
            if (f is not ("token" or "id")) throw new UsageException($"--output-format must be token or id, got {f}");
            var bpe = ByteLevelBpe.Load(parse.GetValue(vocab)!, parse.GetValue(merges)!);
            var output = parse.InvocationConfiguration.Output;
            var ids = new List<int>();
            var line = new StringBuilder();
            long count = 0;
            foreach (var bytes in SpmCommand.InputLines(parse.GetValue(files)!))
            {
                ids.Clear();
                bpe.Encode(Encoding.UTF8.GetString(bytes), ids);
                line.Clear();
                if (f == "id") line.AppendJoin(' ', ids);
                else line.AppendJoin(' ', ids.Select(id => bpe.Tokens[id]));
                output.Write(line.Append('\n'));
                if ((++count & 0xFFF) == 0) CliApp.Cancellation.ThrowIfCancellationRequested();
            }
            output.Flush();
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Decode()
    {
        var vocab = VocabOption();
        var merges = MergesOption();
        var files = new Argument<string[]>("files") { Description = "Input files of ids (standard input when none)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("decode", "Decode ids line by line back to text") { vocab, merges, files };
        command.SetAction(parse =>
        {
            var bpe = ByteLevelBpe.Load(parse.GetValue(vocab)!, parse.GetValue(merges)!);
            var output = parse.InvocationConfiguration.Output;
            string[] names = parse.GetValue(files)!;
            long number = 0;
            var ids = new List<int>();
            foreach (var bytes in SpmCommand.InputLines(names))
            {
                number++;
                ids.Clear();
                foreach (string token in Encoding.UTF8.GetString(bytes).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!int.TryParse(token, out int id) || id < 0 || id >= bpe.Tokens.Count)
                        throw new LmToLlmFormatException(names.Length == 1 ? names[0] : "<stdin>", number, $"'{token}' is not an id of this vocabulary (0 to {bpe.Tokens.Count - 1})");
                    ids.Add(id);
                }
                output.Write(bpe.Decode(ids));
                output.Write('\n');
            }
            output.Flush();
            return CliApp.Ok;
        });
        return command;
    }
}
