using System.Diagnostics;
using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Lsa;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval.Lsa;

/// <summary>LSA building moves its progress and stops soon after it is cancelled, in the randomized and the exact SVD.</summary>
public sealed class LsaCancellationTests
{
    private static TfIdf Random(int documents, int vocabulary, int length, int seed)
    {
        var random = new Random(seed);
        var docs = Enumerable.Range(0, documents).Select(i =>
            new Document($"d{i}", "", string.Join(' ', Enumerable.Range(0, length).Select(_ => "w" + random.Next(vocabulary))))).ToArray();
        return TfIdf.Create(InvertedIndex.Build(docs, Analyzer.Simple));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cancelling_the_build_returns_within_two_seconds(bool exactSvd)
    {
        // Randomized: the power iterations over 4,000 × ~4,000 with 200 dimensions; exact: MathNet's SVD of 1,000 × 1,000.
        var tfidf = exactSvd ? Random(1000, 1000, 60, 3) : Random(4000, 4000, 60, 3);
        var options = new LsaOptions { Dimensions = exactSvd ? 50 : 200, ExactSvdMaxCells = exactSvd ? 1_000_000 : 0 };
        using var cancellation = new CancellationTokenSource();
        var cancelledAt = new Stopwatch();
        // Cancel 100 ms after the exact SVD has begun, or 20 ms after the randomized one has reached its power
        // iterations (the whole randomized build takes about a second), so the cancel lands inside a product or a
        // factorisation. A thread of its own cancels: a timer (CancelAfter) runs on the thread pool, which the
        // build's parallel loops and other tests can keep busy until the build is over.
        int delay = exactSvd ? 100 : 20;
        var progress = new Inline(f =>
        {
            if (f >= (exactSvd ? 0.05 : 0.2) && !cancelledAt.IsRunning)
            {
                cancelledAt.Start();
                new Thread(() => { Thread.Sleep(delay); cancellation.Cancel(); }) { IsBackground = true }.Start();
            }
        });
        var total = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => LsaModel.Build(tfidf, options, progress, cancellation.Token));
        double afterCancel = cancelledAt.Elapsed.TotalSeconds - delay / 1000.0;
        Assert.True(afterCancel < 2, $"Build returned {afterCancel:F2} s after cancellation (whole call {total.Elapsed.TotalSeconds:F2} s)");
    }

    [Fact]
    public void Progress_moves_from_zero_to_one_in_the_randomized_svd()
    {
        var tfidf = Random(300, 400, 30, 5);
        var seen = new List<double>();
        LsaModel.Build(tfidf, new LsaOptions { Dimensions = 20, ExactSvdMaxCells = 0 }, new Inline(seen.Add));
        Assert.Equal(0, seen[0]);
        Assert.Equal(1, seen[^1]);
        Assert.True(seen.Count >= 8, $"only {seen.Count} reports: {string.Join(", ", seen)}");
        Assert.Equal(seen.OrderBy(f => f), seen); // never moves back
    }

    [Fact]
    public void Progress_and_a_token_leave_the_result_unchanged()
    {
        var tfidf = Random(200, 300, 30, 7);
        var options = new LsaOptions { Dimensions = 10, ExactSvdMaxCells = 0 };
        var plain = LsaModel.Build(tfidf, options);
        using var cancellation = new CancellationTokenSource();
        var watched = LsaModel.Build(tfidf, options, new Inline(_ => { }), cancellation.Token);
        Assert.Equal(plain.SingularValues, watched.SingularValues);
        Assert.Equal(plain.Search("w1 w2 w3", 5), watched.Search("w1 w2 w3", 5));
    }

    private sealed class Inline(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
