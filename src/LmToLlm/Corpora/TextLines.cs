using System.Text;

namespace LmToLlm.Corpora;

/// <summary>
/// Streams the lines of a UTF-8 text file (plain, or gzip when the name ends in <c>.gz</c>) with 1-based line
/// numbers. Lines end at LF; a trailing CR is removed, so CRLF files read like LF files; a leading BOM is skipped.
/// Invalid UTF-8 raises <see cref="LmToLlmFormatException"/> naming the file and the line it is on; so does a
/// corrupt or truncated gzip file.
/// </summary>
public static class TextLines
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading, decompressing <c>.gz</c> files (single-member gzip; a truncated
    /// file raises <see cref="InvalidDataException"/> at its end instead of ending silently).
    /// </summary>
    public static Stream OpenRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new CheckedGZipStream(stream) : stream;
    }

    /// <summary>
    /// A strict UTF-8 reader over <paramref name="path"/>: throws on invalid bytes, but as a <see cref="StreamReader"/>
    /// decodes whole buffers, the error carries no line number. Prefer <see cref="Read"/> for line-oriented formats.
    /// </summary>
    public static StreamReader OpenText(string path) =>
        new(OpenRead(path), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, 1 << 16);

    /// <summary>
    /// A character reader for parsers (e.g. CsvHelper) whose invalid-UTF-8 and gzip errors are
    /// <see cref="LmToLlmFormatException"/>s with the right line number.
    /// </summary>
    internal static TextReader OpenCheckedText(string path) => new Utf8LineTextReader(new Utf8LineReader(OpenRead(path), path));

    /// <summary>Every line of <paramref name="path"/> with its 1-based number, streamed.</summary>
    public static IEnumerable<(long Number, string Text)> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadCore(OpenRead(path), path);
    }

    private static IEnumerable<(long Number, string Text)> ReadCore(Stream stream, string path)
    {
        using var lines = new Utf8LineReader(stream, path);
        while (lines.ReadLine(out _) is { } line)
        {
            if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            yield return (lines.LineNumber, line);
        }
    }
}
