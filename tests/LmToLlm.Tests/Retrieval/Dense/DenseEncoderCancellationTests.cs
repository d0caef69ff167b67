using System.Collections;
using System.Diagnostics;
using LmToLlm.Embeddings;
using LmToLlm.Retrieval.Dense;

namespace LmToLlm.Tests.Retrieval.Dense;

/// <summary>
/// <see cref="DenseEncoder.Fit"/> stops soon after it is cancelled, in each of its passes (counting words, pooling the
/// collection, forming SIF's XᵀX), and gives the same encoder with or without a token.
/// </summary>
public sealed class DenseEncoderCancellationTests
{
    // 20,000 texts of 20 words over 5,000 300-dimensional vectors: forming XᵀX alone (20,000 × 300 × 300
    // multiply-adds through MathNet's indexer) takes several seconds, the passes over the texts a fraction of one.
    private const int Texts = 20_000, Words = 20, Vocabulary = 5_000, Dimensions = 300;

    public enum Stage
    {
        CountingWords,   // the first pass: document frequencies (TF-IDF) or word counts (SIF)
        PoolingTexts,    // SIF's second pass: each text pooled into a row of X
        FormingGram,     // SIF's XᵀX, which reads no text
    }

    [Theory]
    [InlineData(Pooling.TfIdf, Stage.CountingWords)]
    [InlineData(Pooling.Sif, Stage.CountingWords)]
    [InlineData(Pooling.Sif, Stage.PoolingTexts)]
    [InlineData(Pooling.Sif, Stage.FormingGram)]
    public void Cancelling_the_fit_returns_within_two_seconds(Pooling pooling, Stage stage)
    {
        var vectors = RandomVectors(Vocabulary, Dimensions, seed: 11);
        using var cancellation = new CancellationTokenSource();
        var cancelledAt = new Stopwatch();
        int readAtCancel = 0;
        // The texts are read once per pass; the cancel lands in the middle of the chosen pass, or 100 ms after
        // the last text of the pooling pass was read (then the fit is inside XᵀX).
        var texts = new WatchedTexts(RandomTexts(Texts, Words, Vocabulary, seed: 12), read =>
        {
            if (cancelledAt.IsRunning) return;
            if (stage == Stage.CountingWords && read == Texts / 2 || stage == Stage.PoolingTexts && read == Texts + Texts / 2)
            {
                readAtCancel = read;
                cancelledAt.Start();
                cancellation.Cancel();
            }
            else if (stage == Stage.FormingGram && read == 2 * Texts)
            {
                cancelledAt.Start();
                // A thread of its own, not CancelAfter: a timer runs on the thread pool, which parallel tests can keep busy.
                new Thread(() => { Thread.Sleep(100); cancellation.Cancel(); }) { IsBackground = true }.Start();
            }
        });
        var options = new DenseEncoderOptions { Pooling = pooling };

        Assert.ThrowsAny<OperationCanceledException>(() => DenseEncoder.Fit(vectors, texts, options, cancellation.Token));

        Assert.True(cancelledAt.IsRunning, "the fit ended before reaching the stage where it was to be cancelled");
        double afterCancel = cancelledAt.Elapsed.TotalSeconds - (stage == Stage.FormingGram ? 0.1 : 0);
        Assert.True(afterCancel < 2, $"Fit returned {afterCancel:F2} s after cancellation");
        if (stage != Stage.FormingGram) Assert.True(texts.Read - readAtCancel <= 1, $"{texts.Read - readAtCancel} texts read after cancellation");
    }

    [Fact]
    public void An_already_cancelled_token_stops_the_fit_before_it_reads_a_text()
    {
        var texts = new WatchedTexts(["a b", "b c"], _ => { });
        var toy = WordVectors.Create(["a", "b", "c"], [1, 0, 0, 1, 1, 1]);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DenseEncoder.Fit(toy, texts, new DenseEncoderOptions { Pooling = Pooling.Sif }, new CancellationToken(canceled: true)));
        Assert.Equal(0, texts.Read);
    }

    [Theory]
    [InlineData(Pooling.Mean)]
    [InlineData(Pooling.TfIdf)]
    [InlineData(Pooling.Sif)]
    public void A_token_that_is_never_cancelled_leaves_the_encoder_unchanged(Pooling pooling)
    {
        var vectors = RandomVectors(300, 16, seed: 21);
        var texts = RandomTexts(500, 12, 400, seed: 22); // words w300..w399 have no vector
        var options = new DenseEncoderOptions { Pooling = pooling };
        var plain = DenseEncoder.Fit(vectors, texts, options);
        var none = DenseEncoder.Fit(vectors, texts, options, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var live = DenseEncoder.Fit(vectors, texts, options, cancellation.Token);

        foreach (var other in new[] { none, live })
        {
            for (int row = 0; row < vectors.Count; row++) Assert.Equal(plain.Weight(row), other.Weight(row));
            Assert.Equal(plain.RemovedComponent.ToArray(), other.RemovedComponent.ToArray());
            Assert.Equal(plain.EncodeMany(texts, maxDegreeOfParallelism: 1), other.EncodeMany(texts, maxDegreeOfParallelism: 1));
        }
        if (pooling == Pooling.Sif) Assert.Equal(16, plain.RemovedComponent.Length);
    }

    private static WordVectors RandomVectors(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        var matrix = new float[count * dimensions];
        for (int i = 0; i < matrix.Length; i++) matrix[i] = (float)(random.NextDouble() * 2 - 1);
        return WordVectors.Create(Enumerable.Range(0, count).Select(i => "w" + i).ToArray(), matrix);
    }

    private static string[] RandomTexts(int count, int length, int vocabulary, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => string.Join(' ', Enumerable.Range(0, length).Select(_ => "w" + random.Next(vocabulary)))).ToArray();
    }

    /// <summary>A list of texts that calls <c>onRead(number of texts read so far)</c> at every read, by index or enumeration.</summary>
    private sealed class WatchedTexts(string[] texts, Action<int> onRead) : IReadOnlyList<string>
    {
        public int Read { get; private set; }

        public int Count => texts.Length;

        public string this[int index] => Next(texts[index]);

        public IEnumerator<string> GetEnumerator()
        {
            foreach (string text in texts) yield return Next(text);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private string Next(string text)
        {
            Read++;
            onRead(Read);
            return text;
        }
    }
}
