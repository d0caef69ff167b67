using BenchmarkDotNet.Attributes;
using LmToLlm.Benchmarks.Retrieval;
using LmToLlm.Corpora;
using LmToLlm.Samples.Synthetic;
using LmToLlm.ML;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace LmToLlm.Benchmarks.ML;

/// <summary>
/// Featurization throughput inside ML.NET: LmToLlm's TfIdfVectors (simple analyzer, scikit-learn TF-IDF) against
/// ML.NET's FeaturizeText, both with its defaults (word 1–2-grams + character 3-grams, ~10k slots) and configured
/// as the closest match to ours (word unigrams, TF-IDF, L2, no character n-grams). Fit = learn the vocabulary from
/// all texts; Transform = featurize all texts with a fitted model and read every vector (the cost of a prediction
/// pipeline's first stage). Corpora: the built-in English collection (528 short documents) and Cranfield (1,400 abstracts).
/// Run: dotnet run -c Release --project benchmarks/LmToLlm.Benchmarks -- --filter '*FeaturizationBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class FeaturizationBenchmarks
{
    public sealed class Row
    {
        public string Text { get; set; } = "";
    }

    [Params("builtin-en", "cranfield")]
    public string Corpus { get; set; } = "builtin-en";

    private MLContext _context = null!;
    private IDataView _data = null!;
    private ITransformer _oursFitted = null!, _defaultFitted = null!, _unigramFitted = null!;

    [GlobalSetup]
    public void Setup()
    {
        IEnumerable<Document> documents = Corpus == "cranfield"
            ? BeirJsonl.ReadCorpus(Path.Combine(RetrievalData.RepositoryRoot(), "..", "shared", "data", "cranfield", "beir", "corpus.jsonl"))
            : BuiltInCollections.English().Corpus;
        _context = new MLContext(seed: 1);
        _data = _context.Data.LoadFromEnumerable(documents.Select(d => new Row { Text = d.FullText }).ToArray());
        _data = _context.Data.Cache(_data);
        _oursFitted = Ours().Fit(_data);
        _defaultFitted = FeaturizeTextDefault().Fit(_data);
        _unigramFitted = FeaturizeTextUnigramTfIdf().Fit(_data);
    }

    private IEstimator<ITransformer> Ours() => _context.Transforms.Text.TfIdfVectors("Features", "Text");

    private IEstimator<ITransformer> FeaturizeTextDefault() => _context.Transforms.Text.FeaturizeText("Features", "Text");

    private IEstimator<ITransformer> FeaturizeTextUnigramTfIdf() => _context.Transforms.Text.FeaturizeText("Features",
        new TextFeaturizingEstimator.Options
        {
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 1, UseAllLengths = true, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
            CharFeatureExtractor = null,
            Norm = TextFeaturizingEstimator.NormFunction.L2,
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepPunctuations = false,
            KeepDiacritics = true,
            KeepNumbers = true,
        }, "Text");

    /// <summary>Reads every vector of the output (IDataView is lazy: nothing is computed until read).</summary>
    private static float Consume(IDataView view)
    {
        float sum = 0;
        using var cursor = view.GetRowCursor(view.Schema.Where(c => c.Name == "Features"));
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
        VBuffer<float> vector = default;
        while (cursor.MoveNext())
        {
            getter(ref vector);
            sum += vector.GetValues().Length;
        }
        return sum;
    }

    [Benchmark(Description = "fit: LmToLlm TfIdfVectors")]
    public ITransformer FitOurs() => Ours().Fit(_data);

    [Benchmark(Description = "fit: FeaturizeText default")]
    public ITransformer FitDefault() => FeaturizeTextDefault().Fit(_data);

    [Benchmark(Description = "fit: FeaturizeText unigram tf-idf")]
    public ITransformer FitUnigram() => FeaturizeTextUnigramTfIdf().Fit(_data);

    [Benchmark(Description = "transform: LmToLlm TfIdfVectors")]
    public float TransformOurs() => Consume(_oursFitted.Transform(_data));

    [Benchmark(Description = "transform: FeaturizeText default")]
    public float TransformDefault() => Consume(_defaultFitted.Transform(_data));

    [Benchmark(Description = "transform: FeaturizeText unigram tf-idf")]
    public float TransformUnigram() => Consume(_unigramFitted.Transform(_data));
}
