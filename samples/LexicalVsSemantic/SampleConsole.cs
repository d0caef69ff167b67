using Spectre.Console;

namespace LexicalVsSemantic;

/// <summary>
/// The console the sample writes to: colours and live progress on a terminal; plain text, full-width tables and no
/// ANSI codes when the output is redirected or NO_COLOR is set (a log or a file should read as the screen did).
/// </summary>
internal static class SampleConsole
{
    public static IAnsiConsole Create()
    {
        bool plain = Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (Console.IsOutputRedirected) console.Profile.Width = 240;
        return console;
    }
}
