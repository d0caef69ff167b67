using System.Globalization;
using System.Text.Json;

namespace LmToLlm.Corpora;

/// <summary>The layouts a <see cref="DocumentSource"/> reads.</summary>
internal enum DocumentFormat
{
    /// <summary>BEIR JSON lines: <c>{"_id", "title", "text"}</c> per line (<see cref="BeirJsonl"/>).</summary>
    Jsonl,

    /// <summary>Plain text, one document per line, id = the 1-based line number (<see cref="PlainTextCorpus"/>).</summary>
    Text,

    /// <summary>CSV with a header row (<see cref="DelimitedCorpus"/>).</summary>
    Csv,

    /// <summary>TSV with a header row (<see cref="DelimitedCorpus"/>).</summary>
    Tsv,

    /// <summary>A folder, one document per file, id = the relative path (<see cref="FolderCorpus"/>).</summary>
    Folder,
}

/// <summary>A document with where it came from: the line it starts on (the file's position for a folder) and the record as stored.</summary>
/// <param name="Line">1-based line (row start for CSV/TSV; 1-based file position for a folder).</param>
/// <param name="Raw">The line or row exactly as stored, without its line end (the relative path for a folder).</param>
/// <param name="Document">The parsed document.</param>
internal readonly record struct SourceRecord(long Line, string Raw, Document Document);

/// <summary>
/// Any text in: one place that turns a path into documents, whatever the layout — BEIR JSON lines, plain text, CSV,
/// TSV or a folder of files — detected from the content unless named. Input: a path and, for CSV/TSV, the column names.
/// Output: <see cref="SourceRecord"/>s in file order, read by the format's own reader; malformed input raises
/// <see cref="LmToLlmFormatException"/> with file and line. Filters copy the records they keep unchanged with <see cref="WriteKept"/>.
/// </summary>
internal sealed class DocumentSource
{
    private DocumentSource(string path, DocumentFormat format, DelimitedCorpusOptions columns)
    {
        Path = path;
        Format = format;
        Columns = columns;
    }

    /// <summary>The file or folder.</summary>
    public string Path { get; }

    /// <summary>The layout it is read as.</summary>
    public DocumentFormat Format { get; }

    /// <summary>The CSV/TSV column names (and, for those formats, the delimiter and quoting).</summary>
    public DelimitedCorpusOptions Columns { get; }

    /// <summary>The names <see cref="ParseFormat"/> accepts, as given to <c>--format</c>.</summary>
    public static IReadOnlyList<string> FormatNames { get; } = ["jsonl", "text", "csv", "tsv", "folder"];

    /// <summary>A format by name (<see cref="FormatNames"/>); <see cref="ArgumentException"/> listing them when unknown.</summary>
    public static DocumentFormat ParseFormat(string name) => name.ToLowerInvariant() switch
    {
        "jsonl" or "beir" => DocumentFormat.Jsonl,
        "text" or "txt" or "plain" => DocumentFormat.Text,
        "csv" => DocumentFormat.Csv,
        "tsv" => DocumentFormat.Tsv,
        "folder" or "dir" => DocumentFormat.Folder,
        _ => throw new ArgumentException($"unknown format '{name}'; known formats: {string.Join(", ", FormatNames)}", nameof(name)),
    };

    /// <summary>
    /// Opens <paramref name="path"/> as <paramref name="format"/>, or as the detected format when null (see <see cref="Detect"/>).
    /// <paramref name="columns"/> names the CSV/TSV columns (default <c>id</c>, <c>text</c>, no title).
    /// </summary>
    public static DocumentSource Open(string path, DocumentFormat? format = null, DelimitedCorpusOptions? columns = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        columns ??= new DelimitedCorpusOptions();
        var chosen = format ?? Detect(path, columns);
        if (chosen == DocumentFormat.Folder)
        {
            if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"{path}: folder not found");
        }
        else if (Directory.Exists(path))
        {
            throw new LmToLlmException($"{path} is a folder, not a {Name(chosen)} file; give a file, or --format folder to read one document per file");
        }
        else if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        if (chosen is DocumentFormat.Csv or DocumentFormat.Tsv)
            columns = columns with { Delimiter = columns.Delimiter ?? (chosen == DocumentFormat.Tsv ? '\t' : ','), Quoting = QuotingFor(path, chosen, columns.Quoting) };
        return new DocumentSource(path, chosen, columns);
    }

    /// <summary>
    /// The layout of <paramref name="path"/> from its structure: a folder is <see cref="DocumentFormat.Folder"/>; a
    /// <c>.jsonl</c>, <c>.csv</c> or <c>.tsv</c> name (also <c>.gz</c>) is taken at its word; otherwise the first
    /// non-blank line decides — a JSON object with <c>_id</c> or <c>text</c> is JSON lines, a header naming the id and
    /// text columns separated by TAB or comma is TSV or CSV, anything else is plain text. The whole first line is read,
    /// however long.
    /// </summary>
    public static DocumentFormat Detect(string path, DelimitedCorpusOptions? columns = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        columns ??= new DelimitedCorpusOptions();
        if (Directory.Exists(path)) return DocumentFormat.Folder;
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file or folder not found", path);
        string name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        switch (System.IO.Path.GetExtension(name).ToLowerInvariant())
        {
            case ".jsonl": return DocumentFormat.Jsonl;
            case ".csv": return DocumentFormat.Csv;
            case ".tsv": return DocumentFormat.Tsv;
        }
        string first = TextLines.Read(path).Select(l => l.Text).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l)) ?? "";
        if (IsJsonObjectLine(first)) return DocumentFormat.Jsonl;
        if (NamesColumns(first.Split('\t'), columns)) return DocumentFormat.Tsv;
        if (NamesColumns(first.Split(','), columns)) return DocumentFormat.Csv;
        return DocumentFormat.Text;
    }

    /// <summary>How ids are made, for messages: "ids are line numbers", "ids from column 'id'", ...</summary>
    public string Description => Format switch
    {
        DocumentFormat.Jsonl => "BEIR JSON lines (ids from \"_id\")",
        DocumentFormat.Text => "plain text, one document per line (ids are line numbers)",
        DocumentFormat.Csv or DocumentFormat.Tsv => $"{Name(Format)} (ids from column '{Columns.IdColumn}', text from column '{Columns.TextColumn}'{(Columns.TitleColumn is null ? "" : $", title from column '{Columns.TitleColumn}'")})",
        _ => "a folder, one document per file (ids are paths relative to the folder)",
    };

    /// <summary>Streams the documents with their line and stored record.</summary>
    public IEnumerable<SourceRecord> ReadRecords() => ReadRecords(null);

    /// <summary>Streams the documents.</summary>
    public IEnumerable<Document> ReadDocuments() => ReadRecords(null).Select(r => r.Document);

    /// <summary>Streams the records as queries: BEIR queries (<c>_id</c>, <c>text</c>) for JSON lines, otherwise id and <see cref="Document.FullText"/>.</summary>
    public IEnumerable<Query> ReadQueries() => Format == DocumentFormat.Jsonl
        ? BeirJsonl.ReadQueries(Path)
        : ReadDocuments().Select(d => new Query(d.Id, d.FullText));

    /// <summary>
    /// About how many documents there are, for progress: the line count of an uncompressed file (exact for plain
    /// text, an upper bound otherwise), the file count of a folder; 0 when unknown (gzip, not worth a pass).
    /// </summary>
    public long EstimateCount()
    {
        if (Format == DocumentFormat.Folder) return FolderCorpus.Files(Path).Count;
        if (Path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return 0;
        long lines = 0;
        var buffer = new byte[1 << 16];
        using var stream = File.OpenRead(Path);
        int read;
        bool pending = false;
        while ((read = stream.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            pending = buffer[read - 1] != '\n';
        }
        return lines + (pending ? 1 : 0);
    }

    /// <summary>
    /// Writes the documents that <paramref name="keep"/> selects (by 0-based document index) to <paramref name="output"/>,
    /// copied as stored: the lines of JSON lines and plain text, the header and rows of CSV/TSV (written atomically), the
    /// files of a folder into the output folder under the same relative paths (each written atomically). Returns how many
    /// were written. The input is never modified.
    /// </summary>
    public long WriteKept(string output, Func<long, bool> keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(keep);
        string input = System.IO.Path.GetFullPath(Path), target = System.IO.Path.GetFullPath(output);
        if (input == target)
            throw new ArgumentException($"the output {output} is the input; the input is never modified — choose another output path");
        if (Format == DocumentFormat.Folder)
        {
            if (target.StartsWith(input.TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new ArgumentException($"the output folder {output} is inside the input folder; choose a folder outside it");
            if (File.Exists(output)) throw new ArgumentException($"{output} is a file; a folder input keeps its documents as files in an output folder");
            long copied = 0, index = 0;
            foreach (string file in FolderCorpus.Files(Path))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!keep(index++)) continue;
                string destination = System.IO.Path.Combine(output, file);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
                using (var source = File.OpenRead(System.IO.Path.Combine(Path, file)))
                    AtomicFile.Write(destination, stream => source.CopyTo(stream), cancellationToken);
                copied++;
            }
            return copied;
        }
        long written = 0;
        AtomicFile.WriteText(output, writer =>
        {
            long index = 0;
            foreach (var record in ReadRecords(header => { writer.Write(header); writer.Write('\n'); }))
            {
                if (keep(index++)) { writer.Write(record.Raw); writer.Write('\n'); written++; }
            }
        }, cancellationToken);
        return written;
    }

    private IEnumerable<SourceRecord> ReadRecords(Action<string>? header) => Format switch
    {
        DocumentFormat.Jsonl => ReadJsonl(Path),
        DocumentFormat.Text => ReadText(Path),
        DocumentFormat.Csv or DocumentFormat.Tsv => DelimitedCorpus.ReadRecords(Path, Columns, header),
        _ => FolderCorpus.ReadRecords(Path),
    };

    private static IEnumerable<SourceRecord> ReadJsonl(string path)
    {
        foreach (var (number, line) in TextLines.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return new SourceRecord(number, line, BeirJsonl.ParseCorpusLine(path, number, line));
        }
    }

    private static IEnumerable<SourceRecord> ReadText(string path)
    {
        foreach (var (number, line) in TextLines.Read(path))
            yield return new SourceRecord(number, line, new Document(number.ToString(CultureInfo.InvariantCulture), "", line));
    }

    private static string Name(DocumentFormat format) => format switch
    {
        DocumentFormat.Jsonl => "JSON lines",
        DocumentFormat.Text => "plain text",
        DocumentFormat.Csv => "CSV",
        DocumentFormat.Tsv => "TSV",
        _ => "folder",
    };

    /// <summary>A TSV named by content (not by a <c>.tsv</c> name) is read without quoting, as a <c>.tsv</c> file would be.</summary>
    private static DelimitedQuoting QuotingFor(string path, DocumentFormat format, DelimitedQuoting quoting) =>
        quoting != DelimitedQuoting.ByExtension ? quoting : format == DocumentFormat.Tsv ? DelimitedQuoting.None : DelimitedQuoting.Rfc4180;

    private static bool IsJsonObjectLine(string line)
    {
        string trimmed = line.TrimStart();
        if (!trimmed.StartsWith('{')) return false;
        try
        {
            using var json = JsonDocument.Parse(trimmed);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && (json.RootElement.TryGetProperty("_id", out _) || json.RootElement.TryGetProperty("text", out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool NamesColumns(string[] header, DelimitedCorpusOptions columns)
    {
        if (header.Length < 2) return false;
        var names = header.Select(h => h.Trim().Trim('"')).ToArray();
        return names.Contains(columns.IdColumn) && names.Contains(columns.TextColumn);
    }
}
