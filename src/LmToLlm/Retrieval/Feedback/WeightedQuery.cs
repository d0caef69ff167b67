namespace LmToLlm.Retrieval.Feedback;

/// <summary>
/// BM25 of a weighted query, as Lucene scores a BooleanQuery of boosted TermQuery clauses: Σ_t w(t)·BM25(t, d),
/// term at a time in the given order, summed in double and cast to float. Output: top k, ties by lower document id.
/// </summary>
internal static class WeightedQuery
{
    public static SearchHit[] Search(Bm25 bm25, ReadOnlySpan<WeightedTerm> query, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var index = bm25.Index;
        if (query.Length == 0 || k == 0) return [];
        var sums = new double[index.DocumentCount];
        var matched = new bool[index.DocumentCount];
        foreach (var (term, weight) in query)
        {
            var w = bm25.Weight(term);
            var docs = index.PostingDocuments(term);
            var tfs = index.PostingFrequencies(term);
            for (int i = 0; i < docs.Length; i++)
            {
                sums[docs[i]] += weight * w.Score(tfs[i], bm25.LengthFactor(docs[i]));
                matched[docs[i]] = true;
            }
        }
        var heap = new TopKHeap(k);
        for (int d = 0; d < sums.Length; d++) if (matched[d]) heap.Offer(new SearchHit(d, (float)sums[d]));
        return heap.ToSortedArray();
    }
}
