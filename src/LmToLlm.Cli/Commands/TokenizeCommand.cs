using System.CommandLine;
using System.Text;
using LmToLlm.Corpora;
using LmToLlm.Text;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm tokenize --analyzer NAME [--input FILE]</c>: one line in, one line out, tokens joined by single spaces
/// (an empty line for a line without tokens). Reads stdin, or FILE (UTF-8 or .gz, strict: bad bytes are an error with file:line).
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var analyzer = new Option<string>("--analyzer", "-a")
        {
            Description = $"Analyzer name: {string.Join(", ", Analyzer.KnownNames)} (e.g. char:3-5)",
            DefaultValueFactory = _ => "simple",
        };
        var input = new Option<string?>("--input", "-i") { Description = "Read this file (UTF-8, .gz transparently) instead of stdin" };
        var command = new Command("tokenize", "Tokenize text line by line with an analyzer; tokens joined by single spaces, one output line per input line")
        {
            analyzer,
            input,
        };
        command.SetAction(parse =>
        {
            var chosen = Analyzer.FromName(parse.GetValue(analyzer)!);
            var output = parse.InvocationConfiguration.Output;
            string? path = parse.GetValue(input);
            // Typing at a terminal wants each answer at once; a pipe wants big writes.
            bool interactive = path is null && ReferenceEquals(CliApp.Input, Console.In) && !Console.IsInputRedirected;
            var sink = new JoiningSink(output, interactive);
            if (path is not null)
            {
                foreach (var (_, line) in TextLines.Read(path)) sink.Line(chosen, line);
            }
            else
            {
                var reader = CliApp.Input;
                string? line;
                while ((line = reader.ReadLine()) is not null) sink.Line(chosen, line);
            }
            sink.Flush();
            return CliApp.Ok;
        });
        return command;
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
