namespace LmToLlm.Retrieval;

/// <summary>
/// A ranking model over a fixed collection: for a query text, the top k documents as <see cref="SearchHit"/>s
/// (document = position in the collection), best first, ties by corpus order. Implemented by <see cref="Bm25"/>,
/// <see cref="TfIdf"/>, <c>LsaModel</c>, <c>DenseRanker</c> and <c>FusedRanker</c>; thread-safe.
/// </summary>
public interface IRanker
{
    /// <summary>The top <paramref name="k"/> documents for <paramref name="query"/>, best first.</summary>
    SearchHit[] Search(string query, int k);

    /// <summary>
    /// Searches every query, on all cores (or <paramref name="maxDegreeOfParallelism"/> threads; 1 = one thread, the
    /// result is the same); result i belongs to query i.
    /// </summary>
    SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default);
}
