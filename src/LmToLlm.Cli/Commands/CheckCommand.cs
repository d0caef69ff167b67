using System.CommandLine;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm check FILE [--format NAME]</c>: validates any file the library reads (format detected from the content
/// or given) and prints what it found; exit 0 valid, 1 invalid (one <c>file:line: problem</c> line on stderr), 2 usage.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The file to validate" };
        var check = new FileCheck();
        var format = new Option<string?>("--format") { Description = "Check as this format instead of detecting it: " + string.Join(", ", check.Formats.Select(f => f.Name)) };
        var command = new Command("check", "Validate a file (index, model, vectors, corpus, queries, qrels, run, …) and print what it holds, like Lucene's CheckIndex")
        {
            file, format,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var report = check.Check(parse.GetValue(file)!, parse.GetValue(format));
            output.WriteLine($"{report.Path}: valid {report.Format.Name} ({report.Format.Description})");
            foreach (var (name, value) in report.Facts) output.WriteLine($"  {name}: {value}");
            output.Flush();
            return CliApp.Ok;
        });
        return command;
    }
}
