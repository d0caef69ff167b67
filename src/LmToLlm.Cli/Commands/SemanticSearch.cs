using System.CommandLine;
using System.Globalization;
using LmToLlm.Corpora;
using LmToLlm.Experiments;
using LmToLlm.Text;

namespace LmToLlm.Cli.Commands;

/// <summary><c>lmtollm search --model dense|lsa|hybrid --corpus C ...</c>: the models that need the document texts.</summary>
internal static class SemanticSearch
{
    /// <summary>Ranks <paramref name="queries"/>; writes a run to <paramref name="runPath"/>, or prints the hits of the one query when it is null.</summary>
    public static int Run(ParseResult parse, SemanticModelOptions semantic, string model, DocumentSource? corpus, Analyzer analyzer, IReadOnlyList<Query> queries, int depth, string? runPath, string? tag)
    {
        if (corpus is null) throw new UsageException($"--model {model} needs --corpus (it encodes the document texts); an --index file holds no texts");
        var catalog = semantic.Catalog(parse, [model]);
        var stdout = CliApp.Summary(parse);
        var stderr = parse.InvocationConfiguration.Error;
        var documents = corpus.ReadDocuments().ToArray();
        var collection = ModelBuildDisplay.Run(stderr, model, progress =>
        {
            var built = RetrievalCollection.Build(documents, analyzer, cancellationToken: CliApp.Cancellation);
            return (built, catalog.Create(model, built, progress, CliApp.Cancellation));
        });
        var (index, ranker) = collection;
        var results = ranker.SearchMany(queries.Select(q => q.Text).ToArray(), depth, cancellationToken: CliApp.Cancellation);
        if (runPath is null)
        {
            QueryHits.Print(stdout, queries[0].Text, results[0].Select(h => (index.Index.DocumentId(h.Document), h.Score, (LmToLlm.Retrieval.Explanation?)null)).ToList(), corpus);
            return CliApp.Ok;
        }
        var lists = queries.Select((q, i) => new RunQuery(q.Id, results[i].Select(h => new RunEntry(index.Index.DocumentId(h.Document), h.Score)).ToList()));
        string runTag = tag ?? $"lmtollm-{model}";
        TrecRunWriter.Write(runPath, lists, runTag, singlePrecision: false, CliApp.Cancellation);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{runPath}: {queries.Count} queries ({results.Count(r => r.Length > 0)} with results), {results.Sum(r => r.Length)} lines, model {model}, tag {runTag}"));
        return CliApp.Ok;
    }
}
