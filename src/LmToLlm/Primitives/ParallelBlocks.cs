namespace LmToLlm.Primitives;

/// <summary>
/// A loop over [0, count) cut into blocks of consecutive indexes that the cores share: each block is large enough
/// that handing it out costs nothing next to its work, and consecutive, so that a core reads and writes whole cache
/// lines of its own.
/// </summary>
internal static class ParallelBlocks
{
    /// <summary>
    /// Calls <paramref name="body"/>(start, end) once for every block [start, end) of <paramref name="blockSize"/>
    /// indexes. A cancelled token stops handing out blocks and throws <see cref="OperationCanceledException"/> once the
    /// blocks already started are done.
    /// </summary>
    internal static void For(int count, int blockSize, Action<int, int> body, int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        int blocks = (int)(((long)count + blockSize - 1) / blockSize);
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, blocks, options, block =>
        {
            int start = block * blockSize;
            body(start, (int)Math.Min(count, (long)start + blockSize));
        });
    }
}
