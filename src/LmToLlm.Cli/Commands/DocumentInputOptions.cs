using System.CommandLine;
using LmToLlm.Corpora;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>--format jsonl|text|csv|tsv|folder --id-column id --text-column text [--title-column T]</c>: how index, search,
/// compare, dedup and filter read their documents (detected from the content when --format is not given).
/// </summary>
internal sealed class DocumentInputOptions
{
    /// <summary>The input layouts, for option descriptions.</summary>
    public const string Layouts = "BEIR JSON lines, plain text (one document per line, id = line number), CSV/TSV with a header, or a folder (one document per file, id = relative path)";

    private readonly Option<string?> _format = new("--format") { Description = "Input layout: jsonl, text, csv, tsv or folder (default: detected from the content)" };
    private readonly Option<string> _idColumn = new("--id-column") { Description = "CSV/TSV: header name of the id column", DefaultValueFactory = _ => "id" };
    private readonly Option<string> _textColumn = new("--text-column") { Description = "CSV/TSV: header name of the text column", DefaultValueFactory = _ => "text" };
    private readonly Option<string?> _titleColumn = new("--title-column") { Description = "CSV/TSV: header name of a title column (text = title + \" \" + text)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _format, _idColumn, _textColumn, _titleColumn }) command.Options.Add(option);
    }

    /// <summary>Opens <paramref name="path"/> as the chosen or detected layout; bad names are usage errors naming the flag.</summary>
    public DocumentSource Open(ParseResult parse, string path)
    {
        DocumentFormat? format = null;
        if (parse.GetValue(_format) is string name)
        {
            try { format = DocumentSource.ParseFormat(name); }
            catch (ArgumentException) { throw new UsageException($"--format: unknown layout '{name}'; use {string.Join(", ", DocumentSource.FormatNames)}"); }
        }
        string id = parse.GetValue(_idColumn)!, text = parse.GetValue(_textColumn)!;
        if (id.Length == 0 || text.Length == 0) throw new UsageException("--id-column and --text-column need a column name");
        return DocumentSource.Open(path, format, new DelimitedCorpusOptions(id, text, parse.GetValue(_titleColumn)));
    }

    /// <summary>Queries in any layout the documents may have (detected; CSV/TSV columns <c>id</c> and <c>text</c>).</summary>
    public static List<Query> ReadQueries(string path) => DocumentSource.Open(path).ReadQueries().ToList();
}
