using BERTTokenizers.Base;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using LmToLlm.Retrieval.Dense;

namespace LmToLlm.Contextual;

/// <summary>
/// Any BERT-style sentence-embedding model exported to ONNX (e.g. another sentence-transformers checkpoint), run by
/// ONNX Runtime: WordPiece tokens from the model's <c>vocab.txt</c> (lower-cased), the model's token states mean-pooled
/// over the attention mask, scaled to unit length — the sentence-transformers recipe. The model must take
/// <c>input_ids</c> and <c>attention_mask</c> (and <c>token_type_ids</c> if it declares it) and give
/// [batch, tokens, dimensions] as its first output. Thread-safe; dispose to free the session.
/// </summary>
public sealed class OnnxSentenceEmbedder : ISentenceEmbedder, IDisposable
{
    private readonly InferenceSession _session;
    private readonly VocabularyTokenizer _tokenizer;
    private readonly Lock _gate = new();

    private OnnxSentenceEmbedder(string name, InferenceSession session, VocabularyTokenizer tokenizer)
    {
        Name = name;
        _session = session;
        _tokenizer = tokenizer;
        var output = session.OutputMetadata.First().Value.Dimensions;
        Dimensions = output[^1] > 0 ? output[^1] : Embed(["dimensions"])[0].Length;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int Dimensions { get; }

    /// <summary>Texts per ONNX call (default 16).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Word pieces kept per text, [CLS] and [SEP] included (default 256, the sentence-transformers limit of MiniLM).</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>
    /// Loads <paramref name="modelPath"/> (an .onnx file) and its WordPiece vocabulary; <paramref name="name"/> keys
    /// the embedding cache (default: the model file's name).
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="LmToLlmException">ONNX Runtime cannot load the model.</exception>
    public static OnnxSentenceEmbedder Load(string modelPath, string vocabularyPath, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(vocabularyPath);
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{modelPath}: no such ONNX model file", modelPath);
        if (!File.Exists(vocabularyPath)) throw new FileNotFoundException($"{vocabularyPath}: no such vocabulary file (the model's vocab.txt, one word piece per line)", vocabularyPath);
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath);
        }
        catch (OnnxRuntimeException e)
        {
            throw new LmToLlmException($"{modelPath}: ONNX Runtime cannot load the model: {e.Message}", e);
        }
        using var vocabulary = File.OpenRead(vocabularyPath);
        return new OnnxSentenceEmbedder(name ?? Path.GetFileNameWithoutExtension(modelPath), session, new VocabularyTokenizer(vocabulary));
    }

    /// <inheritdoc/>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new float[texts.Count][];
        for (int start = 0; start < texts.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = texts.Skip(start).Take(BatchSize).ToArray();
            EmbedBatch(batch).CopyTo(vectors, start);
        }
        return vectors;
    }

    private float[][] EmbedBatch(string[] texts)
    {
        List<(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask)> encoded;
        lock (_gate) encoded = _tokenizer.Encode(texts);
        int length = Math.Min(MaxTokens, encoded.Max(e => e.InputIds.Length));
        var ids = new DenseTensor<long>([texts.Length, length]);
        var types = new DenseTensor<long>([texts.Length, length]);
        var mask = new DenseTensor<long>([texts.Length, length]);
        for (int b = 0; b < texts.Length; b++)
            for (int t = 0; t < Math.Min(length, encoded[b].InputIds.Length); t++)
            {
                ids[b, t] = encoded[b].InputIds[t];
                types[b, t] = encoded[b].TokenTypeIds[t];
                mask[b, t] = encoded[b].AttentionMask[t];
            }
        var inputs = new List<NamedOnnxValue>();
        foreach (string input in _session.InputMetadata.Keys)
            inputs.Add(input switch
            {
                "input_ids" => NamedOnnxValue.CreateFromTensor(input, ids),
                "attention_mask" => NamedOnnxValue.CreateFromTensor(input, mask),
                "token_type_ids" => NamedOnnxValue.CreateFromTensor(input, types),
                _ => throw new LmToLlmException($"the ONNX model '{Name}' has an input '{input}'; a sentence-embedding model takes input_ids, attention_mask and token_type_ids"),
            });
        using var results = _session.Run(inputs);
        var states = results[0].AsTensor<float>();
        int dimensions = states.Dimensions[^1];
        var vectors = new float[texts.Length][];
        for (int b = 0; b < texts.Length; b++)
        {
            var sum = new float[dimensions];
            long count = 0;
            for (int t = 0; t < length; t++)
            {
                if (mask[b, t] == 0) continue;
                count++;
                for (int d = 0; d < dimensions; d++) sum[d] += states[b, t, d];
            }
            if (count > 0) System.Numerics.Tensors.TensorPrimitives.Divide(sum, count, sum);
            DenseIndex.Normalize(sum);
            vectors[b] = sum;
        }
        return vectors;
    }

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();

    /// <summary>Lower-casing WordPiece over a vocab.txt stream.</summary>
    private sealed class VocabularyTokenizer(Stream vocabulary) : UncasedTokenizer(vocabulary);
}
