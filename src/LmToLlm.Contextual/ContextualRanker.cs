using System.Numerics.Tensors;
using System.Text;
using LmToLlm.Corpora;
using LmToLlm.Primitives;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;

namespace LmToLlm.Contextual;

/// <summary>Settings of <see cref="ContextualRanker.Build"/> (documented defaults).</summary>
public sealed record ContextualOptions
{
    /// <summary>
    /// Words of each document encoded (default 160, the first ones): MiniLM reads at most 256 word pieces, and the
    /// start of a document is where its subject is named. 0 = the whole text.
    /// </summary>
    public int MaxWords { get; init; } = 160;

    /// <summary>
    /// An embedding cache file (null = none). Read when it matches the collection, model and word limit; otherwise
    /// the documents are encoded and the file is (re)written.
    /// </summary>
    public string? CachePath { get; init; }

    /// <summary>Documents encoded between two progress reports (default 256).</summary>
    public int ProgressStep { get; init; } = 256;
}

/// <summary>
/// Ranks documents by the cosine of their sentence embedding with the query's (dense retrieval with a contextual
/// encoder, as in Sentence-BERT, Reimers &amp; Gurevych 2019).
/// Input: documents (their <see cref="Document.FullText"/>, first <see cref="ContextualOptions.MaxWords"/> words),
/// an <see cref="ISentenceEmbedder"/>. Output: top-k <see cref="SearchHit"/>s by cosine, ties by lower document id.
/// </summary>
public sealed class ContextualRanker : IRanker
{
    private readonly ISentenceEmbedder _embedder;

    private ContextualRanker(ISentenceEmbedder embedder, DenseIndex index, int maxWords, bool fromCache)
    {
        _embedder = embedder;
        Index = index;
        MaxWords = maxWords;
        LoadedFromCache = fromCache;
    }

    /// <summary>The unit-length document vectors.</summary>
    public DenseIndex Index { get; }

    /// <summary>Words of each document that were encoded (0 = all).</summary>
    public int MaxWords { get; }

    /// <summary>True when the document vectors came from the cache file rather than the encoder.</summary>
    public bool LoadedFromCache { get; }

    /// <summary>
    /// Encodes the documents (or reads them from <see cref="ContextualOptions.CachePath"/>).
    /// <paramref name="progress"/> receives the number of documents encoded so far.
    /// </summary>
    public static ContextualRanker Build(IReadOnlyList<Document> corpus, ISentenceEmbedder embedder, ContextualOptions? options = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(embedder);
        options ??= new ContextualOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxWords);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ProgressStep, 1);
        var texts = corpus.Select(d => FirstWords(d.FullText, options.MaxWords)).ToArray();
        ulong fingerprint = Fingerprint(embedder.Name, options.MaxWords, corpus.Select(d => d.Id).ToArray(), texts);
        if (options.CachePath is { } path && File.Exists(path))
        {
            var cache = EmbeddingCache.Load(path);
            if (cache.Fingerprint == fingerprint && cache.ModelName == embedder.Name && cache.MaxWords == options.MaxWords && cache.Count == corpus.Count)
            {
                progress?.Report(corpus.Count);
                return new ContextualRanker(embedder, DenseIndex.Create(cache.Rows, cache.Dimensions), options.MaxWords, fromCache: true);
            }
        }
        // Texts of similar length share a batch, so the encoder pads little (the result does not depend on the order).
        var order = Enumerable.Range(0, texts.Length).OrderBy(i => texts[i].Length).ThenBy(i => i).ToArray();
        var rows = new float[corpus.Count * embedder.Dimensions];
        for (int start = 0; start < order.Length; start += options.ProgressStep)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var positions = order.AsSpan(start, Math.Min(options.ProgressStep, order.Length - start)).ToArray();
            var vectors = embedder.Embed(positions.Select(i => texts[i]).ToArray(), cancellationToken);
            for (int i = 0; i < vectors.Length; i++)
            {
                if (vectors[i].Length != embedder.Dimensions)
                    throw new LmToLlmException($"the sentence model '{embedder.Name}' returned a {vectors[i].Length}-dimensional vector; it declares {embedder.Dimensions}");
                vectors[i].CopyTo(rows.AsSpan(positions[i] * embedder.Dimensions));
            }
            progress?.Report(start + positions.Length);
        }
        if (options.CachePath is { } cachePath)
            new EmbeddingCache(embedder.Name, options.MaxWords, fingerprint, embedder.Dimensions, rows).Save(cachePath, cancellationToken);
        return new ContextualRanker(embedder, DenseIndex.Create(rows, embedder.Dimensions), options.MaxWords, fromCache: false);
    }

    /// <summary>The top <paramref name="k"/> documents for each query; result i belongs to query i.</summary>
    public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var vectors = _embedder.Embed(queries, cancellationToken);
        return Index.SearchMany(vectors, k, maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>The top <paramref name="k"/> documents for one query.</summary>
    public SearchHit[] Search(string query, int k) => SearchMany([query], k)[0];

    /// <summary>The cosine of the query's embedding with document <paramref name="document"/>'s.</summary>
    public float Score(string query, int document)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = _embedder.Embed([query])[0];
        DenseIndex.Normalize(q);
        return TensorPrimitives.Dot(q, Index.Vector(document));
    }

    /// <summary>
    /// The sentence of <paramref name="text"/> whose embedding is nearest the query's, with its cosine: why a
    /// document ranks where it does. Sentences end at <c>.</c>, <c>?</c>, <c>!</c> or a line break; at most the first 40.
    /// </summary>
    public (string Sentence, float Cosine) BestSentence(string query, string text)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(text);
        var sentences = Sentences(text).Take(40).ToArray();
        if (sentences.Length == 0) return ("", 0f);
        var vectors = _embedder.Embed([query, .. sentences]);
        DenseIndex.Normalize(vectors[0]);
        int best = 0;
        float bestScore = float.MinValue;
        for (int i = 0; i < sentences.Length; i++)
        {
            DenseIndex.Normalize(vectors[i + 1]);
            float score = TensorPrimitives.Dot(vectors[0], vectors[i + 1]);
            if (score > bestScore) (best, bestScore) = (i, score);
        }
        return (sentences[best], bestScore);
    }

    /// <summary>The first <paramref name="maxWords"/> white-space-separated words of <paramref name="text"/>, joined by one space (0 = all words).</summary>
    public static string FirstWords(string text, int maxWords)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', maxWords > 0 && words.Length > maxWords ? words[..maxWords] : words);
    }

    /// <summary>Hash of the model name, word limit, and each document's id and encoded text (the cache key).</summary>
    internal static ulong Fingerprint(string modelName, int maxWords, IReadOnlyList<string> ids, IReadOnlyList<string> texts)
    {
        var buffer = new StringBuilder();
        buffer.Append(modelName).Append('\0').Append(maxWords).Append('\0');
        for (int i = 0; i < ids.Count; i++) buffer.Append(ids[i]).Append('\0').Append(texts[i]).Append('\0');
        return Checksum.Compute(Encoding.UTF8.GetBytes(buffer.ToString()));
    }

    private static IEnumerable<string> Sentences(string text)
    {
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            bool end = i == text.Length || text[i] is '\n' or '\r' || (text[i] is '.' or '?' or '!' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])));
            if (!end) continue;
            string sentence = text[start..Math.Min(text.Length, i + 1)].Trim();
            if (sentence.Length > 0) yield return sentence;
            start = i + 1;
        }
    }
}
