using System.Diagnostics;
using LmToLlm.Corpora;

namespace LmToLlm.Embeddings.GloVe;

/// <summary>
/// Trains GloVe word vectors (Pennington, Socher and Manning 2014, "GloVe: Global Vectors for Word Representation")
/// with the semantics of the reference tools <c>stanfordnlp/GloVe</c> (<c>vocab_count</c> → <c>cooccur</c> →
/// <c>shuffle</c> → <c>glove</c>), minimising
/// <c>J = Σᵢⱼ f(Xᵢⱼ)(wᵢ·w̃ⱼ + bᵢ + b̃ⱼ − ln Xᵢⱼ)²</c> over the non-zero co-occurrence cells with AdaGrad.
/// </summary>
/// <remarks>
/// Pipeline: count words (pass 1) → vocabulary (min-count, max-vocab, by descending count) → count co-occurrences over
/// a symmetric window with 1/distance weights (pass 2, within a memory budget, spilling sorted runs to temporary files
/// and merging them) → shuffle the cells once (seeded) → <see cref="GloVeOptions.Iterations"/> passes of AdaGrad by
/// <see cref="GloVeOptions.MaxDegreeOfParallelism"/> lock-free workers → output <c>W + W̃</c> (the reference's default
/// <c>-model 2</c>), with the reference's <c>&lt;unk&gt;</c> row last. The text is read twice, never held in memory;
/// the co-occurrence cells are held in memory for training (16 bytes each).
/// </remarks>
/// <example>
/// <code>
/// var result = GloVeTrainer.Train("corpus.txt.gz", new GloVeOptions { Dimensions = 50, Window = 15 });
/// result.Vectors.Save("vectors.txt", WordVectorFileFormat.GloVeText);
/// </code>
/// The sample <c>samples/LexicalVsSemantic</c> (<c>GloVeEmbedding.cs</c>) trains GloVe vectors for dense retrieval.
/// </example>
public static class GloVeTrainer
{
    /// <summary>Trains on the UTF-8 text file <paramref name="textPath"/> (gzip when it ends in <c>.gz</c>).</summary>
    public static GloVeResult Train(string textPath, GloVeOptions? options = null, IProgress<GloVeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(textPath);
        if (!File.Exists(textPath)) throw new FileNotFoundException($"{textPath}: training text not found", textPath);
        return Train(() => TextLines.OpenRead(textPath), options, progress, cancellationToken);
    }

    /// <summary>Trains on the text that <paramref name="openText"/> returns (called twice; it must give the same bytes each time).</summary>
    internal static GloVeResult Train(Func<Stream> openText, GloVeOptions? options = null, IProgress<GloVeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openText);
        options ??= new GloVeOptions();
        options.Validate();
        var counting = Stopwatch.StartNew();
        var vocabulary = GloVeVocabulary.Build(openText, options, progress, cancellationToken);
        var counts = GloVeCooccurrence.Count(openText, vocabulary, options, progress, cancellationToken);
        counting.Stop();
        var training = Stopwatch.StartNew();
        var trainer = new GloVeAdaGrad(counts, vocabulary.Count, options);
        trainer.Run(progress, cancellationToken);
        float[] matrix = trainer.Output(options.UnknownVector);
        training.Stop();
        string[] words = options.UnknownVector ? [.. vocabulary.Words, GloVeVocabulary.Unknown] : vocabulary.Words;
        var vectors = WordVectors.Wrap(words, matrix, options.Dimensions);
        return new GloVeResult(vectors, Array.AsReadOnly(vocabulary.Counts), vocabulary.CorpusTokens, counts.Length, counts.SpilledRuns, trainer.LastCost, counting.Elapsed, training.Elapsed);
    }

    /// <summary>
    /// The weighting function of the objective: <c>f(x) = (x/x_max)^α</c> for <c>x &lt; x_max</c>, else 1
    /// (Pennington et al. 2014, eq. 9; glove.c applies the power when <c>x ≤ x_max</c>, which gives the same value at x_max).
    /// </summary>
    internal static double Weight(double x, double xMax = 100, double alpha = 0.75)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        if (!(xMax > 0)) throw new ArgumentOutOfRangeException(nameof(xMax), xMax, "x_max must be positive");
        return x > xMax ? 1.0 : Math.Pow(x / xMax, alpha);
    }
}
