using LmToLlm.Corpora;

namespace LmToLlm.Data;

/// <summary>One document of a corpus file: its 1-based line, the line as read, and the text that is compared.</summary>
/// <param name="Line">1-based line number in the file.</param>
/// <param name="Raw">The line exactly as read (written back unchanged when the document is kept).</param>
/// <param name="Text">The document text: the line itself (plain text) or <c>title + " " + text</c> (BEIR JSON lines).</param>
internal readonly record struct CorpusDocument(long Line, string Raw, string Text);

/// <summary>
/// Reads the corpora the data tools clean, one document per line: BEIR JSON lines when the name ends in <c>.jsonl</c>
/// (or <c>.jsonl.gz</c>; parsed by <see cref="BeirJsonl"/>, blank lines skipped; the text is <see cref="Document.FullText"/>), otherwise plain UTF-8 text where
/// every line (blank ones too) is a document. Malformed input raises <see cref="LmToLlmFormatException"/> with file and line.
/// </summary>
internal static class CorpusDocuments
{
    /// <summary>True when <paramref name="path"/> is read as BEIR JSON lines.</summary>
    internal static bool IsJsonLines(string path) =>
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Streams the documents of <paramref name="path"/>.</summary>
    internal static IEnumerable<CorpusDocument> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool json = IsJsonLines(path);
        foreach (var (number, line) in TextLines.Read(path))
        {
            if (!json) { yield return new CorpusDocument(number, line, line); continue; }
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return new CorpusDocument(number, line, BeirJsonl.ParseCorpusLine(path, number, line).FullText);
        }
    }

    /// <summary>
    /// Writes the raw lines of the documents that <paramref name="keep"/> selects (by 0-based document index) to
    /// <paramref name="output"/> atomically, re-reading <paramref name="input"/>; returns how many were written.
    /// </summary>
    internal static long WriteKept(string input, string output, Func<long, bool> keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keep);
        if (Path.GetFullPath(input) == Path.GetFullPath(output))
            throw new ArgumentException($"the output {output} is the input; the input is never modified — choose another output path");
        long written = 0;
        AtomicFile.WriteText(output, writer =>
        {
            long index = 0;
            foreach (var doc in Read(input))
            {
                if (keep(index++)) { writer.Write(doc.Raw); writer.Write('\n'); written++; }
            }
        }, cancellationToken);
        return written;
    }
}
