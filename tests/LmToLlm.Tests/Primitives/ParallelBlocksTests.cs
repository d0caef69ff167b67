using System.Collections.Concurrent;
using LmToLlm.Primitives;

namespace LmToLlm.Tests.Primitives;

/// <summary><see cref="ParallelBlocks.For"/> visits every index of [0, count) exactly once, in blocks of the given size.</summary>
public sealed class ParallelBlocksTests
{
    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(7, 1)]
    [InlineData(16, 4)]
    [InlineData(17, 4)]
    [InlineData(100_003, 1 << 10)]
    public void Every_index_once_in_blocks(int count, int blockSize)
    {
        int[] visits = new int[count];
        var blocks = new ConcurrentBag<(int Start, int End)>();
        ParallelBlocks.For(count, blockSize, (start, end) =>
        {
            blocks.Add((start, end));
            for (int i = start; i < end; i++) Interlocked.Increment(ref visits[i]);
        });
        Assert.All(visits, v => Assert.Equal(1, v));
        Assert.Equal((count + blockSize - 1) / blockSize, blocks.Count);
        Assert.All(blocks, b =>
        {
            Assert.Equal(0, b.Start % blockSize);
            Assert.Equal(Math.Min(count, b.Start + blockSize), b.End);
        });
    }

    [Fact]
    public void A_cancelled_token_stops_handing_out_blocks_and_throws()
    {
        using var cancellation = new CancellationTokenSource();
        int started = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => ParallelBlocks.For(1_000, 1, (_, _) =>
        {
            if (Interlocked.Increment(ref started) == 3) cancellation.Cancel();
        }, maxDegreeOfParallelism: 1, cancellationToken: cancellation.Token));
        Assert.Equal(3, started);
    }

    [Fact]
    public void A_block_size_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ParallelBlocks.For(10, 0, (_, _) => { }));
}
