namespace LmToLlm.Retrieval;

/// <summary>Runs one model's search over many queries in parallel; results come back in query order.</summary>
internal static class BatchSearch
{
    internal static SearchHit[][] Run(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism, CancellationToken cancellationToken,
        Func<string, int, SearchHit[]> search)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var results = new SearchHit[queries.Count][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, queries.Count, options, i => results[i] = search(queries[i], k));
        return results;
    }
}
