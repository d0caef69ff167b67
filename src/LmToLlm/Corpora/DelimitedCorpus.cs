using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace LmToLlm.Corpora;

/// <summary>How fields are quoted in a delimited file.</summary>
internal enum DelimitedQuoting
{
    /// <summary><c>.tsv</c> → <see cref="None"/>, anything else → <see cref="Rfc4180"/>.</summary>
    ByExtension,

    /// <summary>RFC 4180: fields may be enclosed in double quotes (<c>""</c> inside for a quote) and may then span lines.</summary>
    Rfc4180,

    /// <summary>No quoting (the usual TSV convention, IANA text/tab-separated-values): quotes are ordinary characters; fields hold no delimiter or line break.</summary>
    None,
}

/// <summary>
/// Which columns of a delimited file hold the document id, text and (optionally) title, and how the file is split.
/// </summary>
/// <param name="IdColumn">Header name of the id column. Default <c>id</c>.</param>
/// <param name="TextColumn">Header name of the text column. Default <c>text</c>.</param>
/// <param name="TitleColumn">Header name of the title column, or null for none (titles are then empty). Default null.</param>
/// <param name="Delimiter">The field delimiter, or null to choose by extension (<c>.tsv</c>/<c>.tsv.gz</c> → TAB, else comma). Default null.</param>
/// <param name="Quoting">Quoting convention. Default <see cref="DelimitedQuoting.ByExtension"/>.</param>
internal sealed record DelimitedCorpusOptions(
    string IdColumn = "id",
    string TextColumn = "text",
    string? TitleColumn = null,
    char? Delimiter = null,
    DelimitedQuoting Quoting = DelimitedQuoting.ByExtension);

/// <summary>
/// Documents in a CSV or TSV file with a header row, read with CsvHelper, streaming.
/// Input: UTF-8 (or <c>.gz</c>) with a header naming the columns; every row has as many fields as the header.
/// Output: <see cref="Document"/>s in file order; blank lines are skipped.
/// Errors (<see cref="LmToLlmFormatException"/>, file:line): missing header or column, duplicate header name,
/// wrong field count, empty id, bad quoting, invalid UTF-8.
/// </summary>
internal static class DelimitedCorpus
{
    /// <summary>Streams the documents of <paramref name="path"/> (see the type remarks for rules and errors).</summary>
    internal static IEnumerable<Document> Read(string path, DelimitedCorpusOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DelimitedCorpusOptions();
        return ReadRecords(path, options).Select(r => r.Document);
    }

    /// <summary>
    /// Streams the rows with the line each starts on and its text as stored (line end removed), so a filter can copy
    /// the rows it keeps unchanged; <paramref name="header"/> receives the header row as stored before the first row.
    /// </summary>
    internal static IEnumerable<SourceRecord> ReadRecords(string path, DelimitedCorpusOptions options, Action<string>? header = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (delimiter, quoted) = Resolve(path, options);
        return ReadCore(path, options, delimiter, quoted, header);
    }

    private static IEnumerable<SourceRecord> ReadCore(string path, DelimitedCorpusOptions options, char delimiter, bool quoted, Action<string>? onHeader)
    {
        long rowStart = 1;
        CsvParser? parser = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            Mode = quoted ? CsvMode.RFC4180 : CsvMode.NoEscape,
            HasHeaderRecord = true,
            IgnoreBlankLines = true,
            DetectDelimiter = false,
            BadDataFound = args => ThrowHelper.Format(path, args.Context.Parser?.RawRow ?? rowStart,
                $"bad quoting near \"{Shorten(args.RawRecord)}\"; in CSV a field with quotes must be enclosed in quotes and inner quotes doubled (\"\")"),
        };
        using var reader = TextLines.OpenCheckedText(path);
        parser = new CsvParser(reader, config);
        using var _ = parser;

        if (!Next(parser, ref rowStart))
            ThrowHelper.Format(path, 1, $"empty file; expected a header row naming the columns {options.IdColumn} and {options.TextColumn}");
        string[] header = parser.Record!;
        onHeader?.Invoke(WithoutLineEnd(parser.RawRecord));
        long headerLine = rowStart;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in header)
            if (!seen.Add(name)) ThrowHelper.Format(path, headerLine, $"the header names column '{name}' twice");
        int idIndex = Column(path, headerLine, header, options.IdColumn, delimiter);
        int textIndex = Column(path, headerLine, header, options.TextColumn, delimiter);
        int titleIndex = options.TitleColumn is null ? -1 : Column(path, headerLine, header, options.TitleColumn, delimiter);

        while (Next(parser, ref rowStart))
        {
            string[] fields = parser.Record!;
            if (fields.Length != header.Length)
                ThrowHelper.Format(path, rowStart, $"expected {header.Length} fields as in the header, found {fields.Length}{(quoted ? "" : "; a field may contain a stray delimiter")}");
            string id = fields[idIndex];
            if (id.Length == 0) ThrowHelper.Format(path, rowStart, $"empty id in column '{options.IdColumn}'");
            yield return new SourceRecord(rowStart, WithoutLineEnd(parser.RawRecord), new Document(id, titleIndex < 0 ? "" : fields[titleIndex], fields[textIndex]));
        }
    }

    /// <summary>A raw record without the one line end that closes it (a quoted line break inside stays).</summary>
    private static string WithoutLineEnd(string raw) =>
        raw.EndsWith("\r\n", StringComparison.Ordinal) ? raw[..^2] : raw.EndsWith('\n') || raw.EndsWith('\r') ? raw[..^1] : raw;

    /// <summary>Reads the next record; <paramref name="rowStart"/> becomes the physical line it starts on.</summary>
    private static bool Next(CsvParser parser, ref long rowStart)
    {
        if (!parser.Read()) return false;
        // RawRow counts physical lines read so far, skipped blank lines included; a record that spans lines
        // (a quoted line break) starts RawRow - (its line breaks) lines earlier.
        rowStart = parser.RawRow - CountLineBreaks(parser.RawRecord);
        return true;
    }

    private static int CountLineBreaks(string raw)
    {
        ReadOnlySpan<char> span = raw.AsSpan().TrimEnd("\r\n");
        return span.Count('\n');
    }

    private static int Column(string path, long line, string[] header, string name, char delimiter)
    {
        int index = Array.IndexOf(header, name);
        if (index < 0)
        {
            string shown = delimiter == '\t' ? "TAB" : $"'{delimiter}'";
            ThrowHelper.Format(path, line, $"no column '{name}' in the header (columns: {string.Join(", ", header.Select(h => $"'{h}'"))}; delimiter {shown}); choose the columns with the id/text/title column options");
        }
        return index;
    }

    /// <summary>
    /// Writes documents with a header (<c>id</c>, <c>title</c>, <c>text</c> by default names), atomically. The delimiter
    /// and quoting follow the same rules as <see cref="Read"/>; with no quoting, a field holding the delimiter or a
    /// line break raises <see cref="ArgumentException"/> (nothing is written).
    /// </summary>
    internal static void Write(string path, IEnumerable<Document> documents, DelimitedCorpusOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(documents);
        options ??= new DelimitedCorpusOptions(TitleColumn: "title");
        var (delimiter, quoted) = Resolve(path, options);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            Mode = quoted ? CsvMode.RFC4180 : CsvMode.NoEscape,
            NewLine = "\n",
        };
        AtomicFile.WriteText(path, text =>
        {
            using var csv = new CsvWriter(text, config, leaveOpen: true);
            csv.WriteField(options.IdColumn);
            if (options.TitleColumn is not null) csv.WriteField(options.TitleColumn);
            csv.WriteField(options.TextColumn);
            csv.NextRecord();
            foreach (var d in documents)
            {
                if (!quoted) CheckUnquotable(d, delimiter);
                csv.WriteField(d.Id);
                if (options.TitleColumn is not null) csv.WriteField(d.Title);
                csv.WriteField(d.Text);
                csv.NextRecord();
            }
        }, cancellationToken);
    }

    private static void CheckUnquotable(Document d, char delimiter)
    {
        foreach (string field in (string[])[d.Id, d.Title, d.Text])
        {
            if (field.AsSpan().IndexOfAny(delimiter, '\n', '\r') >= 0)
                throw new ArgumentException($"document '{d.Id}' has a field with the delimiter or a line break, which an unquoted file cannot hold; use quoting {DelimitedQuoting.Rfc4180}");
        }
    }

    private static (char Delimiter, bool Quoted) Resolve(string path, DelimitedCorpusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.IdColumn);
        ArgumentNullException.ThrowIfNull(options.TextColumn);
        string name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        bool tsv = name.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase);
        char delimiter = options.Delimiter ?? (tsv ? '\t' : ',');
        if (delimiter is '"' or '\n' or '\r') throw new ArgumentException($"the delimiter cannot be {(delimiter == '"' ? "a double quote" : "a line break")}", nameof(options));
        bool quoted = options.Quoting switch
        {
            DelimitedQuoting.Rfc4180 => true,
            DelimitedQuoting.None => false,
            _ => !tsv,
        };
        return (delimiter, quoted);
    }

    private static string Shorten(string? raw)
    {
        string text = (raw ?? "").TrimEnd('\r', '\n');
        return text.Length <= 60 ? text : text[..57] + "...";
    }
}
