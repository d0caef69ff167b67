using System.Text.Json;
using LmToLlm.Corpora;

namespace LmToLlm.Data;

/// <summary>One document of a corpus file: its 1-based line, the line as read, and the text that is compared.</summary>
/// <param name="Line">1-based line number in the file.</param>
/// <param name="Raw">The line exactly as read (written back unchanged when the document is kept).</param>
/// <param name="Text">The document text: the line itself (plain text) or <c>title + " " + text</c> (BEIR JSON lines).</param>
public readonly record struct CorpusDocument(long Line, string Raw, string Text);

/// <summary>
/// Reads the corpora the data tools clean, one document per line: BEIR JSON lines when the name ends in <c>.jsonl</c>
/// (or <c>.jsonl.gz</c>; blank lines skipped; the text is <see cref="Document.FullText"/>), otherwise plain UTF-8 text where
/// every line (blank ones too) is a document. Malformed input raises <see cref="LmToLlmFormatException"/> with file and line.
/// </summary>
public static class CorpusDocuments
{
    /// <summary>True when <paramref name="path"/> is read as BEIR JSON lines.</summary>
    public static bool IsJsonLines(string path) =>
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Streams the documents of <paramref name="path"/>.</summary>
    public static IEnumerable<CorpusDocument> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool json = IsJsonLines(path);
        foreach (var (number, line) in Lines(path))
        {
            if (!json) { yield return new CorpusDocument(number, line, line); continue; }
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return new CorpusDocument(number, line, JsonText(path, number, line));
        }
    }

    /// <summary>
    /// Writes the raw lines of the documents that <paramref name="keep"/> selects (by 0-based document index) to
    /// <paramref name="output"/> atomically, re-reading <paramref name="input"/>; returns how many were written.
    /// </summary>
    public static long WriteKept(string input, string output, Func<long, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        if (Path.GetFullPath(input) == Path.GetFullPath(output))
            throw new ArgumentException($"the output {output} is the input; the input is never modified — choose another output path");
        long written = 0;
        AtomicFile.Write(output, stream =>
        {
            Stream target = output.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true) : stream;
            using (var writer = new StreamWriter(target, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" })
            {
                long index = 0;
                foreach (var doc in Read(input))
                {
                    if (keep(index++)) { writer.Write(doc.Raw); writer.Write('\n'); written++; }
                }
            }
            if (!ReferenceEquals(target, stream)) target.Dispose();
        });
        return written;
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The lines of a UTF-8 file (gzip when named <c>.gz</c>), split on LF at the byte level and decoded one by one, so an
    /// invalid byte is reported at its own line (a block-decoding reader reports the line where its buffer started).
    /// A UTF-8 byte-order mark at the start and a CR before the LF are dropped.
    /// </summary>
    internal static IEnumerable<(long Number, string Text)> Lines(string path)
    {
        using var stream = TextLines.OpenRead(path);
        byte[] buffer = new byte[1 << 16];
        int start = 0, end = 0;
        long number = 0;
        bool first = true;
        while (true)
        {
            int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline < 0)
            {
                // Move the partial line to the front, grow if it fills the buffer, and read more.
                if (start > 0) { Buffer.BlockCopy(buffer, start, buffer, 0, end - start); end -= start; start = 0; }
                if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                int read;
                try { read = stream.Read(buffer, end, buffer.Length - end); }
                catch (InvalidDataException e) { throw new LmToLlmFormatException(path, number + 1, "corrupt gzip data; the file may be truncated", e); }
                if (read > 0) { end += read; continue; }
                if (end == 0) yield break;
                newline = end;   // last line without LF
            }
            else newline += start;
            int lineStart = start, lineEnd = newline;
            if (first && lineEnd - lineStart >= 3 && buffer[lineStart] == 0xEF && buffer[lineStart + 1] == 0xBB && buffer[lineStart + 2] == 0xBF) lineStart += 3;
            first = false;
            if (lineEnd > lineStart && buffer[lineEnd - 1] == (byte)'\r') lineEnd--;
            number++;
            string text;
            try { text = StrictUtf8.GetString(buffer, lineStart, lineEnd - lineStart); }
            catch (System.Text.DecoderFallbackException e) { throw new LmToLlmFormatException(path, number, "invalid UTF-8; re-encode the file as UTF-8", e); }
            start = Math.Min(newline + 1, end);
            if (newline == end) { end = 0; start = 0; yield return (number, text); yield break; }
            yield return (number, text);
        }
    }

    private static string JsonText(string path, long number, string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) ThrowHelper.Format(path, number, "expected a JSON object per line (BEIR corpus: {\"_id\", \"title\", \"text\"})");
            if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                ThrowHelper.Format(path, number, "missing string \"text\"; each line must be a BEIR corpus object {\"_id\", \"title\", \"text\"}");
            string title = root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
            return new Document("", title, text.GetString()!).FullText;
        }
        catch (JsonException e)
        {
            throw new LmToLlmFormatException(path, number, $"invalid JSON: {e.Message}", e);
        }
    }
}
