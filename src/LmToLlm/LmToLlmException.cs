using System.Diagnostics.CodeAnalysis;

namespace LmToLlm;

/// <summary>Base class of every error this library raises on purpose.</summary>
public class LmToLlmException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong and what to do.</summary>
    internal LmToLlmException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// Input that does not follow its format: names the file, the 1-based line (0 when the format is binary
/// or the line is unknown) and what is wrong. <see cref="Exception.Message"/> reads <c>file:line: what</c>.
/// </summary>
public sealed class LmToLlmFormatException : LmToLlmException
{
    /// <summary>Creates a format error for <paramref name="filePath"/> at <paramref name="lineNumber"/>.</summary>
    public LmToLlmFormatException(string filePath, long lineNumber, string problem, Exception? inner = null)
        : base(Compose(filePath, lineNumber, problem), inner)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The file that is malformed (as the caller named it).</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line number, or 0 when not applicable (binary formats, whole-file problems).</summary>
    public long LineNumber { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Compose(string file, long line, string problem) =>
        line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}";
}

/// <summary>Throw helpers kept out of hot methods so that those stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void Format(string file, long line, string problem) =>
        throw new LmToLlmFormatException(file, line, problem);

    [DoesNotReturn]
    public static T Format<T>(string file, long line, string problem) =>
        throw new LmToLlmFormatException(file, line, problem);
}
