using LmToLlm.Corpora;
using LmToLlm.Evaluation;
using LmToLlm.Retrieval;

namespace LmToLlm.Experiments;

/// <summary>Options of <see cref="ModelComparison.Run"/>.</summary>
public sealed record ModelComparisonOptions
{
    /// <summary>The defaults.</summary>
    public static ModelComparisonOptions Default { get; } = new();

    /// <summary>Documents retrieved per query (run depth). Default 1000, trec_eval's customary depth.</summary>
    public int Depth { get; init; } = 1000;

    /// <summary>
    /// trec_eval options for the evaluation. Default trec_eval's with <c>-c</c>: the qrels are cut to the compared
    /// queries and every judged one counts, 0 where a model returned nothing, so that every model is averaged over
    /// the same queries (without <c>-c</c>, a model that finds nothing for a hard query would drop it from its mean).
    /// </summary>
    internal TrecEvalOptions Evaluation { get; init; } = TrecEvalOptions.Default with { AverageOverAllJudgedQueries = true };
}

/// <summary>Progress of a comparison: which model is at which step.</summary>
public readonly record struct ComparisonProgress
{
    internal ComparisonProgress(string Model, string Step, int ModelIndex, int ModelCount)
    {
        this.Model = Model; this.Step = Step; this.ModelIndex = ModelIndex; this.ModelCount = ModelCount;
    }

    /// <summary>Model name.</summary>
    public string Model { get; }

    /// <summary>"building", "searching" or "evaluating".</summary>
    public string Step { get; }

    /// <summary>0-based position of the model in the list.</summary>
    public int ModelIndex { get; }

    /// <summary>Number of models.</summary>
    public int ModelCount { get; }

    /// <summary>How much of the step is done, 0 to 1 (models that report their building move it during "building").</summary>
    public double StepFraction { get; init; }
}

/// <summary>One model's outcome: its ranked lists, the run and its trec_eval evaluation.</summary>
public sealed record ModelResult
{
    internal ModelResult(string Model, IReadOnlyList<RunQuery> Rankings, Run Run, TrecEvalResult Evaluation, TimeSpan SearchTime)
    {
        this.Model = Model; this.Rankings = Rankings; this.Run = Run; this.Evaluation = Evaluation; this.SearchTime = SearchTime;
    }

    /// <summary>Model name (run tag).</summary>
    public string Model { get; }

    /// <summary>Ranked lists per query in query order, as the model returned them (for writing run files).</summary>
    public IReadOnlyList<RunQuery> Rankings { get; }

    /// <summary>The same as a <see cref="Evaluation.Run"/>.</summary>
    internal Run Run { get; }

    /// <summary>trec_eval values (<see cref="ModelComparison.Measures"/>).</summary>
    public TrecEvalResult Evaluation { get; }

    /// <summary>Wall time of the search (all queries).</summary>
    public TimeSpan SearchTime { get; }
}

/// <summary>
/// Runs several retrieval models over one collection and evaluates each with trec_eval semantics, every model over
/// the same queries: those given that have judgements (trec_eval <c>-c</c> on the qrels of the given queries).
/// Input: a catalog of models, a prepared collection, queries, qrels, model names. Output: per model its rankings, run and evaluation,
/// in the order the models were given.
/// </summary>
/// <example>
/// <code>
/// var catalog = new ModelCatalog();
/// var collection = RetrievalCollection.Build(corpus, Analyzer.Simple);
/// var results = ModelComparison.Run(catalog, collection, queries, qrels, ["bm25", "tfidf"]);
/// foreach (var r in results) Console.WriteLine($"{r.Model} MAP {r.Evaluation.Summary("map"):F4}");
/// </code>
/// The sample <c>samples/LexicalVsSemantic</c> compares lexical, dense, LSA and fused models this way.
/// </example>
public static class ModelComparison
{
    /// <summary>The columns of the comparison report: trec_eval value name and display label.</summary>
    internal static IReadOnlyList<(string ValueName, string Label)> Columns { get; } =
        [("map", "MAP"), ("ndcg_cut_10", "nDCG@10"), ("P_10", "P@10"), ("recall_100", "Recall@100"), ("recip_rank", "MRR")];

    /// <summary>The trec_eval measures computed for each model (those behind <see cref="Columns"/>).</summary>
    internal static MeasureSelection Measures { get; } = MeasureSelection.Parse("num_q", "map", "ndcg_cut.10", "P.10", "recall.100", "recip_rank");

    /// <summary>Builds, searches and evaluates each model in turn.</summary>
    public static IReadOnlyList<ModelResult> Run(ModelCatalog catalog, RetrievalCollection collection, IReadOnlyList<Query> queries, Qrels qrels, IReadOnlyList<string> models,
        ModelComparisonOptions? options = null, IProgress<ComparisonProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(qrels);
        ArgumentNullException.ThrowIfNull(models);
        options ??= new ModelComparisonOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Depth, 1, nameof(ModelComparisonOptions.Depth));
        if (models.Count == 0) throw new ArgumentException("no model to compare", nameof(models));
        var texts = queries.Select(q => q.Text).ToArray();
        var judged = Qrels.FromJudgments(queries.Select(q => q.Id).Distinct(StringComparer.Ordinal)
            .SelectMany(id => qrels.Get(id)?.Judgments.Select(j => (id, j.Key, j.Value)) ?? []));
        var results = new List<ModelResult>();
        for (int m = 0; m < models.Count; m++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new ComparisonProgress(models[m], "building", m, models.Count));
            string name = models[m];
            int index = m;
            var building = progress is null ? null : new InlineProgress<double>(f =>
                progress.Report(new ComparisonProgress(name, "building", index, models.Count) { StepFraction = f }));
            var model = catalog.Create(name, collection, building, cancellationToken);
            progress?.Report(new ComparisonProgress(name, "searching", m, models.Count));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var hits = model.SearchMany(texts, options.Depth, cancellationToken: cancellationToken);
            clock.Stop();
            progress?.Report(new ComparisonProgress(name, "evaluating", m, models.Count));
            var rankings = new RunQuery[queries.Count];
            for (int q = 0; q < queries.Count; q++)
                rankings[q] = new RunQuery(queries[q].Id, hits[q].Select(h => new RunEntry(collection.Index.DocumentId(h.Document), h.Score)).ToArray());
            var run = Evaluation.Run.FromRankings(name, rankings);
            var evaluation = TrecEval.Evaluate(judged, run, Measures, options.Evaluation);
            results.Add(new ModelResult(name, rankings, run, evaluation, clock.Elapsed));
        }
        return results;
    }
}
