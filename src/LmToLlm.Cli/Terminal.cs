using Spectre.Console;

namespace LmToLlm.Cli;

/// <summary>
/// When the CLI may draw: live bars and colour only on an interactive terminal without NO_COLOR (no-color.org).
/// Tests put a writer in the terminal's place with <see cref="StandIn"/>.
/// </summary>
internal static class Terminal
{
    private static readonly AsyncLocal<Stand?> Current = new();

    /// <summary>True when NO_COLOR is set to anything non-empty: no ANSI codes at all, not even a live bar.</summary>
    public static bool NoColor => !string.IsNullOrEmpty(Current.Value is { } stand ? stand.NoColor : Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>True when <paramref name="writer"/> is this process's standard output or error and that stream is a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) => Current.Value is { } stand
        ? stand.IsTerminal && ReferenceEquals(writer, stand.Writer)
        : ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected || ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>True when <paramref name="stderr"/> is this process's terminal and a live bar may be drawn on it.</summary>
    public static bool CanDrawOn(TextWriter stderr) => IsTerminal(stderr) && !NoColor;

    /// <summary>A Spectre console that draws live bars on <paramref name="terminal"/> (one for which <see cref="CanDrawOn"/> is true).</summary>
    public static IAnsiConsole LiveConsole(TextWriter terminal)
    {
        if (Current.Value is not { } stand) return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(terminal) });
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(terminal),
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.TrueColor,
            Interactive = InteractionSupport.Yes,
        });
        console.Profile.Width = stand.Width;
        return console;
    }

    /// <summary>
    /// Until disposed (on this async flow), <paramref name="writer"/> takes the place of the process's terminal:
    /// a terminal <paramref name="width"/> columns wide when <paramref name="isTerminal"/>, else a redirected stream;
    /// <paramref name="noColor"/> stands in for the NO_COLOR variable.
    /// </summary>
    public static IDisposable StandIn(bool isTerminal, int width, TextWriter writer, string? noColor = null)
    {
        var previous = Current.Value;
        Current.Value = new Stand(isTerminal, width, writer, noColor);
        return new Restore(previous);
    }

    private sealed record Stand(bool IsTerminal, int Width, TextWriter Writer, string? NoColor);

    private sealed class Restore(Stand? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
