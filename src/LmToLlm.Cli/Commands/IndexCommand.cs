using System.CommandLine;
using System.Globalization;
using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm index --corpus corpus.jsonl|docs.txt|docs.csv|folder [--format F] [--analyzer simple] [--ngram 1-2] --out x.lmi</c>:
/// builds and saves an inverted index.
/// </summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var corpus = new Option<string>("--corpus") { Description = "Documents: " + DocumentInputOptions.Layouts + "; .gz read transparently", Required = true };
        var analyzer = new Option<string>("--analyzer") { Description = "Analyzer name", DefaultValueFactory = _ => "simple" };
        var ngram = new Option<string>("--ngram") { Description = "Word n-gram range MIN-MAX (scikit-learn ngram_range)", DefaultValueFactory = _ => "1-1" };
        var output = new Option<string>("--out") { Description = "Index file to write (atomically)", Required = true };
        var command = new Command("index", "Build an inverted index from a corpus and save it as one binary file") { corpus, analyzer, ngram, output };
        var input = new DocumentInputOptions();
        input.AddTo(command);
        command.SetAction(parse =>
        {
            var chosen = AnalyzerNames.Parse(parse.GetValue(analyzer)!);
            var options = SearchCommand.ParseNGram(parse.GetValue(ngram)!);
            string outPath = parse.GetValue(output)!;
            var stdout = CliApp.Summary(parse);
            var source = input.Open(parse, parse.GetValue(corpus)!);
            var index = SearchCommand.BuildIndex(source, chosen, options, parse.InvocationConfiguration.Error);
            CliApp.Cancellation.ThrowIfCancellationRequested(); // InvertedIndex.Save itself is short and atomic
            index.Save(outPath);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{outPath}: {index.DocumentCount} documents ({index.NonEmptyDocumentCount} non-empty), {index.TotalTokens} tokens, {index.TermCount} terms, {index.PostingCount} postings, analyzer {index.AnalyzerName}"));
            return CliApp.Ok;
        });
        return command;
    }
}
