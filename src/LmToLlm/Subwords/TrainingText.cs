namespace LmToLlm.Subwords;

/// <summary>
/// Reads training text for <see cref="SubwordTrainer"/>: one sentence per line, split at <c>\n</c> only (a
/// <c>\r</c> stays, as <c>spm_train</c> keeps it). Unlike <c>spm_train</c>, which quietly turns bad bytes into
/// U+FFFD, a NUL or invalid UTF-8 is an error naming the file and line.
/// </summary>
internal static class TrainingText
{
    /// <summary>The lines of <paramref name="path"/> as UTF-8 bytes.</summary>
    /// <exception cref="LmToLlmFormatException">A line holds a NUL or invalid UTF-8.</exception>
    internal static List<byte[]> ReadLines(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var lines = SplitLines(File.ReadAllBytes(path));
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i].AsSpan();
            int nul = line.IndexOf((byte)0);
            if (nul >= 0) ThrowHelper.Format(path, i + 1, $"byte {nul + 1} is a NUL character; training text must be UTF-8 text without NUL");
            if (!System.Text.Unicode.Utf8.IsValid(line))
                ThrowHelper.Format(path, i + 1, $"invalid UTF-8 at byte {FirstInvalid(line) + 1}; convert the file to UTF-8 (e.g. iconv -f cp949 -t utf-8)");
        }
        return lines;
    }

    /// <summary>
    /// Splits bytes into lines at <c>\n</c> only, as SentencePiece's readers do: a <c>\r</c> stays, and a last line
    /// without a line end counts, an empty one after the last <c>\n</c> does not.
    /// </summary>
    internal static List<byte[]> SplitLines(ReadOnlySpan<byte> all)
    {
        var lines = new List<byte[]>();
        while (!all.IsEmpty)
        {
            int end = all.IndexOf((byte)'\n');
            if (end < 0)
            {
                lines.Add(all.ToArray());
                break;
            }
            lines.Add(all[..end].ToArray());
            all = all[(end + 1)..];
        }
        return lines;
    }

    /// <summary>
    /// The lines of <paramref name="stream"/> as they arrive, split as <see cref="SplitLines(ReadOnlySpan{byte})"/> splits
    /// (at <c>\n</c> only; a last line without one counts), so memory stays at one buffer whatever the input's size.
    /// </summary>
    internal static IEnumerable<byte[]> SplitLines(Stream stream)
    {
        byte[] buffer = new byte[1 << 16];
        int start = 0, end = 0;
        while (true)
        {
            int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                yield return buffer.AsSpan(start, newline).ToArray();
                start += newline + 1;
                continue;
            }
            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2); // a line longer than the buffer
            int read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > 0) yield return buffer.AsSpan(0, end).ToArray();
                yield break;
            }
            end += read;
        }
    }

    private static int FirstInvalid(ReadOnlySpan<byte> line)
    {
        int pos = 0;
        while (pos < line.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(line[pos..], out _, out int n) != System.Buffers.OperationStatus.Done) return pos;
            pos += n;
        }
        return pos;
    }
}
