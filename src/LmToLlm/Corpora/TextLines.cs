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
