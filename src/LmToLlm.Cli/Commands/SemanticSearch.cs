using System.CommandLine;
using System.Globalization;
using LmToLlm.Corpora;
using LmToLlm.Experiments;
using LmToLlm.Text;

namespace LmToLlm.Cli.Commands;

/// <summary><c>lmtollm search --model dense|lsa|hybrid --corpus C ...</c>: the models that need the document texts.</summary>
internal static class SemanticSearch
{
    public static int Run(ParseResult parse, SemanticModelOptions semantic, string model, string? corpusPath, Analyzer analyzer, string queriesPath, int depth, string runPath, string? tag)
    {
        if (corpusPath is null) throw new UsageException($"--model {model} needs --corpus (it encodes the document texts); an --index file holds no texts");
        var catalog = semantic.Catalog(parse, [model]);
        var documents = BeirJsonl.ReadCorpus(corpusPath).ToArray();
        var queryList = BeirJsonl.ReadQueries(queriesPath).ToArray();
        var collection = RetrievalCollection.Build(documents, analyzer, cancellationToken: CliApp.Cancellation);
        var results = catalog.Create(model, collection).SearchMany(queryList.Select(q => q.Text).ToArray(), depth, cancellationToken: CliApp.Cancellation);
        var lists = queryList.Select((q, i) => new RunQuery(q.Id, results[i].Select(h => new RunEntry(collection.Index.DocumentId(h.Document), h.Score)).ToList()));
        string runTag = tag ?? $"lmtollm-{model}";
        TrecRunWriter.Write(runPath, lists, runTag, singlePrecision: false, CliApp.Cancellation);
        var stdout = CliApp.Summary(parse);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{runPath}: {queryList.Length} queries ({results.Count(r => r.Length > 0)} with results), {results.Sum(r => r.Length)} lines, model {model}, tag {runTag}"));
        return CliApp.Ok;
    }
}
