using System.Globalization;

namespace LmToLlm.Corpora;

/// <summary>
/// A plain UTF-8 text file (or <c>.gz</c>) with one document — or one sentence — per line.
/// Input: the file. Output: documents streamed in file order, id = the 1-based line number as a decimal string,
/// no title, text = the line without its line end.
/// </summary>
internal static class PlainTextCorpus
{
    /// <summary>
    /// Streams one <see cref="Document"/> per line. Blank lines (empty or white space only) are documents too unless
    /// <paramref name="skipBlankLines"/>; either way ids stay the physical line numbers.
    /// Invalid UTF-8 or a truncated gzip file raises <see cref="LmToLlmFormatException"/> with file and line.
    /// </summary>
    internal static IEnumerable<Document> Read(string path, bool skipBlankLines = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var (number, text) in TextLines.Read(path))
        {
            if (skipBlankLines && string.IsNullOrWhiteSpace(text)) continue;
            yield return new Document(number.ToString(CultureInfo.InvariantCulture), "", text);
        }
    }

    /// <summary>
    /// Writes one document text per line, atomically. A text containing a line break cannot be represented and
    /// raises <see cref="ArgumentException"/> (nothing is written).
    /// </summary>
    internal static void Write(string path, IEnumerable<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        AtomicFile.WriteText(path, writer =>
        {
            long number = 0;
            foreach (string text in texts)
            {
                number++;
                if (text.AsSpan().IndexOfAny('\n', '\r') >= 0)
                    throw new ArgumentException($"text {number} contains a line break; a plain-text corpus holds one document per line", nameof(texts));
                writer.Write(text);
                writer.Write('\n');
            }
        }, cancellationToken);
    }
}
