using System.CommandLine;
using System.Text;
using LmToLlm.Corpora;
using LmToLlm.Nori;
using LmToLlm.Text;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm tokenize --analyzer NAME [--input FILE]</c>: one line in, one line out, tokens joined by single spaces
/// (an empty line for a line without tokens). Reads stdin, or FILE (UTF-8 or .gz, strict: bad bytes are an error with file:line).
/// With <c>--analyzer nori --explain</c>, each token of the Korean tokenizer on its own line with its tags, type and
/// reading, and the term the analyzer keeps (or why it drops it).
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var analyzer = new Option<string>("--analyzer", "-a")
        {
            Description = $"Analyzer name: {string.Join(", ", Analyzer.KnownNames)}, nori[:none|:mixed][:unigrams] (e.g. char:3-5)",
            DefaultValueFactory = _ => "simple",
        };
        var input = new Option<string?>("--input", "-i") { Description = "Read this file (UTF-8, .gz transparently) instead of stdin" };
        var explain = new Option<bool>("--explain") { Description = "With --analyzer nori: one line per token with its part-of-speech tags, type, reading and the term kept" };
        var userDictionary = new Option<string?>("--user-dictionary") { Description = "With --analyzer nori: a user dictionary in Lucene's userdict_ko.txt format (a noun per line, optionally followed by its parts)" };
        var command = new Command("tokenize", "Tokenize text line by line with an analyzer; tokens joined by single spaces, one output line per input line")
        {
            analyzer,
            input,
            explain,
            userDictionary,
        };
        command.SetAction(parse =>
        {
            string name = parse.GetValue(analyzer)!;
            string? userPath = parse.GetValue(userDictionary);
            var nori = NoriAnalyzer.TryFromName(name, userPath is null ? null : NoriUserDictionary.Load(userPath));
            if (nori is null && (userPath is not null || parse.GetValue(explain)))
                throw new UsageException($"--explain and --user-dictionary work with --analyzer nori, not '{name}'");
            Analyzer chosen = nori ?? AnalyzerNames.Parse(name);
            var output = parse.InvocationConfiguration.Output;
            string? path = parse.GetValue(input);
            // Typing at a terminal wants each answer at once; a pipe wants big writes.
            bool interactive = path is null && ReferenceEquals(CliApp.Input, Console.In) && !Console.IsInputRedirected;
            var sink = new JoiningSink(output, interactive);
            Action<string> handle = parse.GetValue(explain) ? line => Explain(nori!, line, output, interactive) : line => sink.Line(chosen, line);
            if (path is not null)
            {
                foreach (var (_, line) in TextLines.Read(path)) handle(line);
            }
            else
            {
                var reader = CliApp.Input;
                string? line;
                while ((line = reader.ReadLine()) is not null) handle(line);
            }
            sink.Flush();
            output.Flush();
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>
    /// Prints the line, then per token: surface, offsets, tags (LEFT or LEFT+RIGHT), type, reading (or -), and the term
    /// kept (or "dropped (TAG)"), tab-separated, as Nori's analyze output shows them.
    /// </summary>
    private static void Explain(NoriAnalyzer nori, string line, TextWriter output, bool flush)
    {
        output.WriteLine($"# {line}");
        foreach (var t in nori.Explain(line))
        {
            string tags = t.LeftTag == t.RightTag ? t.LeftTag.ToString() : $"{t.LeftTag}+{t.RightTag}";
            string kept = t.Term ?? $"dropped ({t.LeftTag})";
            output.WriteLine($"{t.Surface}\t{t.StartOffset}-{t.EndOffset}\t{tags}\t{t.Type.ToString().ToLowerInvariant()}\t{t.Reading ?? "-"}\t{kept}");
        }
        if (flush) output.Flush();
    }

    /// <summary>Joins a line's tokens with spaces into a buffer that is written in large pieces.</summary>
    private sealed class JoiningSink(TextWriter output, bool flushEachLine) : ITokenSink
    {
        private readonly StringBuilder _buffer = new(1 << 16);
        private bool _first;

        public void Line(Analyzer analyzer, string line)
        {
            _first = true;
            analyzer.Analyze(line, this);
            _buffer.Append('\n');
            if (flushEachLine || _buffer.Length >= 1 << 16) Flush();
        }

        public void Add(ReadOnlySpan<char> token)
        {
            if (!_first) _buffer.Append(' ');
            _first = false;
            _buffer.Append(token);
        }

        public void Flush()
        {
            foreach (var chunk in _buffer.GetChunks()) output.Write(chunk.Span);
            _buffer.Clear();
            output.Flush();
        }
    }
}
