using System.CommandLine;
using LmToLlm.Text;

namespace LmToLlm.Cli.Commands;

/// <summary><c>lmtollm tokenize --analyzer NAME</c>: stdin to stdout, one line in, one line out, tokens joined by single spaces.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var analyzer = new Option<string>("--analyzer") { Description = "Analyzer name (simple, english, korean, char:3-5, ...)", DefaultValueFactory = _ => "simple" };
        var command = new Command("tokenize", "Tokenize stdin line by line with an analyzer; tokens joined by single spaces") { analyzer };
        command.SetAction(parse =>
        {
            var chosen = Analyzer.FromName(parse.GetValue(analyzer)!);
            var output = parse.InvocationConfiguration.Output;
            var sink = new JoiningSink(output);
            string? line;
            while ((line = Console.In.ReadLine()) is not null)
            {
                sink.First = true;
                chosen.Analyze(line, sink);
                output.Write('\n');
            }
            output.Flush();
            return CliApp.Ok;
        });
        return command;
    }

    private sealed class JoiningSink(TextWriter output) : ITokenSink
    {
        public bool First;

        public void Add(ReadOnlySpan<char> token)
        {
            if (!First) output.Write(' ');
            First = false;
            output.Write(token);
        }
    }
}
