using System.IO.Compression;
using System.Text;

namespace LmToLlm.Corpora;

/// <summary>
/// Streams the lines of a UTF-8 text file (plain, or gzip when the name ends in <c>.gz</c>) with 1-based line
/// numbers. Invalid UTF-8 raises <see cref="LmToLlmFormatException"/> naming the file and the line.
/// A trailing <c>\r</c> is removed, so CRLF files read like LF files.
/// </summary>
public static class TextLines
{
    /// <summary>Opens <paramref name="path"/> for reading, decompressing <c>.gz</c> files.</summary>
    public static Stream OpenRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }

    /// <summary>A strict UTF-8 reader over <paramref name="path"/> (throws on invalid bytes).</summary>
    public static StreamReader OpenText(string path) =>
        new(OpenRead(path), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, 1 << 16);

    /// <summary>Every line of <paramref name="path"/> with its 1-based number.</summary>
    public static IEnumerable<(long Number, string Text)> Read(string path)
    {
        using var reader = OpenText(path);
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
                throw new LmToLlmFormatException(path, number + 1, "invalid UTF-8; re-encode the file as UTF-8", e);
            }
            catch (InvalidDataException e)
            {
                throw new LmToLlmFormatException(path, number + 1, "corrupt gzip data; the file may be truncated", e);
            }
            if (line is null) yield break;
            number++;
            if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            yield return (number, line);
        }
    }
}
