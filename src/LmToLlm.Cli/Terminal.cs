namespace LmToLlm.Cli;

/// <summary>When the CLI may draw: live bars and colour only on an interactive terminal without NO_COLOR (no-color.org).</summary>
internal static class Terminal
{
    /// <summary>True when NO_COLOR is set to anything non-empty: no ANSI codes at all, not even a live bar.</summary>
    public static bool NoColor => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>True when <paramref name="stderr"/> is this process's terminal and a live bar may be drawn on it.</summary>
    public static bool CanDrawOn(TextWriter stderr) => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected && !NoColor;
}
