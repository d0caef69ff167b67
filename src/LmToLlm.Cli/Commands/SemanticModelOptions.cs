using System.CommandLine;
using LmToLlm.Embeddings;
using LmToLlm.Experiments;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Retrieval.Fusion;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// The options of the dense, lsa, hybrid, rm3 and bm25-qe models (rm3 has Anserini's defaults and no options), shared by <c>search</c> and <c>compare</c>:
/// <c>--vectors V [--pooling mean|tfidf|sif] --dims 200 --fuse bm25,dense [--method rrf|linear --weight 0.5 --normalization minmax|zscore]</c>.
/// </summary>
internal sealed class SemanticModelOptions
{
    public static readonly string[] ModelNames = ["dense", "lsa", "hybrid", "rm3", "bm25-qe"];

    private readonly Option<string?> _vectors = new("--vectors") { Description = "dense: word vectors (word2vec text or binary, fastText .vec or .bin, e.g. from 'lmtollm w2v train' or 'lmtollm ft train')" };
    private readonly Option<string> _pooling = new("--pooling") { Description = "dense: mean, tfidf or sif", DefaultValueFactory = _ => "sif" };
    private readonly Option<int> _dims = new Option<int>("--dims") { Description = "lsa: latent dimensions", DefaultValueFactory = _ => 200 }.Within(1, 100_000);
    private readonly Option<string> _fuse = new("--fuse") { Description = "hybrid: two or more comma-separated models to fuse", DefaultValueFactory = _ => "bm25,dense" };
    private readonly Option<string> _method = new("--method") { Description = "hybrid: rrf (k = 60) or linear", DefaultValueFactory = _ => "rrf" };
    private readonly Option<double> _weight = new Option<double>("--weight") { Description = "hybrid linear: weight of the first fused model in [0, 1]", DefaultValueFactory = _ => 0.5 }.Within(0.0, 1.0);
    private readonly Option<string> _normalization = new("--normalization") { Description = "hybrid linear: minmax or zscore", DefaultValueFactory = _ => "minmax" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _vectors, _pooling, _dims, _fuse, _method, _weight, _normalization }) command.Options.Add(option);
    }

    /// <summary>
    /// Validates the options and returns the built-in models plus dense, lsa and hybrid; loads the vectors only when a
    /// model needs them.
    /// </summary>
    public ModelCatalog Catalog(ParseResult parse, IEnumerable<string> models)
    {
        var catalog = new ModelCatalog();
        var wanted = models.ToArray();
        string[] fuse = parse.GetValue(_fuse)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool needsVectors = wanted.Contains("dense") || wanted.Contains("bm25-qe") || (wanted.Contains("hybrid") && fuse.Contains("dense"));
        var pooling = parse.GetValue(_pooling) switch
        {
            "mean" => Pooling.Mean,
            "tfidf" => Pooling.TfIdf,
            "sif" => Pooling.Sif,
            var other => throw new UsageException($"unknown pooling '{other}'; known: mean, tfidf, sif"),
        };
        var method = parse.GetValue(_method) switch
        {
            "rrf" => FusionMethod.Rrf,
            "linear" => FusionMethod.Linear,
            var other => throw new UsageException($"unknown fusion method '{other}'; known: rrf, linear"),
        };
        var normalization = parse.GetValue(_normalization) switch
        {
            "minmax" => ScoreNormalization.MinMax,
            "zscore" => ScoreNormalization.ZScore,
            var other => throw new UsageException($"unknown normalization '{other}'; known: minmax, zscore"),
        };
        if (wanted.Contains("hybrid"))
        {
            if (fuse.Length < 2) throw new UsageException($"--fuse needs two or more models, got '{parse.GetValue(_fuse)}'; e.g. --fuse bm25,dense");
            foreach (string name in fuse)
                if (name == "hybrid" || (!catalog.Contains(name) && !ModelNames.Contains(name)))
                    throw new UsageException($"--fuse: unknown model '{name}'; known models: {string.Join(", ", catalog.Names.Union(ModelNames).Where(n => n != "hybrid"))}");
        }
        string? vectorsPath = parse.GetValue(_vectors);
        if (needsVectors && vectorsPath is null) throw new UsageException("the dense model needs --vectors FILE (word2vec text or binary, e.g. from 'lmtollm w2v train')");
        try
        {
            SemanticModels.Register(catalog, new SemanticModelSettings
            {
                Vectors = needsVectors ? WordVectors.Load(vectorsPath!) : null,
                Pooling = pooling,
                LsaDimensions = parse.GetValue(_dims),
                Fuse = fuse.Length >= 2 ? fuse : ["bm25", "dense"],
                Method = method,
                Weight = parse.GetValue(_weight),
                Normalization = normalization,
            });
        }
        catch (ArgumentException e)
        {
            throw SearchCommand.Usage(e);
        }
        return catalog;
    }
}
