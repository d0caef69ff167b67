using System.Text;

namespace LmToLlm.Corpora;

/// <summary>
/// Streams the lines of a UTF-8 text file (plain, or gzip when the name ends in <c>.gz</c>) with 1-based line
/// numbers. Lines end at LF, CRLF or CR (as <see cref="StreamReader.ReadLine"/>); a leading BOM is skipped.
/// Invalid UTF-8 raises <see cref="LmToLlmFormatException"/> naming the file, the line it is on (counted in LF line
/// ends) and the byte; a corrupt or truncated gzip file raises one too.
/// </summary>
public static class TextLines
{
    /// <summary>
    /// The default maximum line length of line-oriented readers: 256 MiB (a line becomes one string, twice as many
    /// bytes in memory). A longer line is an <see cref="LmToLlmFormatException"/> naming it.
    /// </summary>
    internal const long DefaultMaxLineBytes = 1L << 28;

    /// <summary>The environment variable that sets another maximum line length, in bytes.</summary>
    internal const string MaxLineBytesVariable = "LMTOLLM_MAX_LINE_BYTES";

    /// <summary>Test hook: a maximum line length for the current async flow, over the environment variable.</summary>
    internal static readonly AsyncLocal<long?> MaxLineBytesOverride = new();

    /// <summary>
    /// The maximum line length in bytes of <see cref="Read"/> and the readers built on it: the environment variable
    /// <see cref="MaxLineBytesVariable"/> when set to a positive integer, else <see cref="DefaultMaxLineBytes"/>.
    /// </summary>
    internal static long MaxLineBytes =>
        MaxLineBytesOverride.Value ?? (long.TryParse(Environment.GetEnvironmentVariable(MaxLineBytesVariable), out long n) && n > 0 ? n : DefaultMaxLineBytes);

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
    internal static StreamReader OpenText(string path) =>
        new(new LineLengthGuardStream(OpenRead(path), path, MaxLineBytes), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, 1 << 16);

    /// <summary>
    /// A character reader for parsers (e.g. CsvHelper) whose invalid-UTF-8 and gzip errors are
    /// <see cref="LmToLlmFormatException"/>s with the right line number.
    /// </summary>
    internal static TextReader OpenCheckedText(string path) => new Utf8LineTextReader(new Utf8LineReader(new LineLengthGuardStream(OpenRead(path), path, MaxLineBytes), path));

    /// <summary>Every line of <paramref name="path"/> with its 1-based number, streamed.</summary>
    public static IEnumerable<(long Number, string Text)> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadCore(OpenText(path), path);
    }

    private static IEnumerable<(long Number, string Text)> ReadCore(StreamReader reader, string path)
    {
        using (reader)
        {
            long number = 0;
            while (true)
            {
                string? line;
                try
                {
                    line = reader.ReadLine();
                }
                catch (DecoderFallbackException e)
                {
                    throw LocateInvalidUtf8(path, number, e);
                }
                catch (InvalidDataException e)
                {
                    throw CheckedGZipStream.FormatError(path, number + 1, e);
                }
                if (line is null) yield break;
                number++;
                if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
                yield return (number, line);
            }
        }
    }

    /// <summary>
    /// The fast path (a StreamReader) decodes whole buffers, so it fails ahead of the bad line; on that rare path the
    /// file is read again line by line to name the line and byte.
    /// </summary>
    private static LmToLlmFormatException LocateInvalidUtf8(string path, long linesRead, DecoderFallbackException cause)
    {
        try
        {
            using var lines = new Utf8LineReader(OpenRead(path), path);
            while (lines.ReadLine(out _) is not null) { }
        }
        catch (LmToLlmFormatException located)
        {
            return located;
        }
        return new LmToLlmFormatException(path, linesRead + 1, "invalid UTF-8; re-encode the file as UTF-8", cause);
    }
}
