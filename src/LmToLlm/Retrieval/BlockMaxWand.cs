using System.Buffers;

namespace LmToLlm.Retrieval;

/// <summary>
/// Document-at-a-time Block-Max WAND (Ding and Suel 2011; tantivy <c>block_wand.rs</c>, Lucene 8 <c>WANDScorer</c>)
/// over the query's distinct terms. Input: a <see cref="Bm25"/> and query term occurrences. Output: the exact top k,
/// best first, ties by corpus order. Cursors are kept in document order; the pivot is the first cursor at which the
/// summed term bounds could beat the k-th score, and the candidate is scored only when the exact maxima of the blocks
/// holding it could too. Otherwise the cursors jump past those blocks. All bounds are exact maxima of the same float
/// arithmetic (plus a margin for rounding), so pruning never changes the result.
/// </summary>
internal ref struct BlockMaxWand
{
    private const double Margin = PrunedQuery.Margin;
    private readonly Bm25 _model;
    private readonly PrunedQuery _query;

    public BlockMaxWand(Bm25 model, ReadOnlySpan<int> queryTerms)
    {
        _model = model;
        _query = new PrunedQuery(model, queryTerms);
    }

    public SearchHit[] Run(int k)
    {
        int m = _query.Weights.Length;
        int[] scratch = ArrayPool<int>.Shared.Rent(m * (7 + 2 * PostingBlocks.Size));
        try
        {
            var cursors = new BlockCursors(_model.Index.Postings, scratch, m);
            for (int i = 0; i < m; i++) cursors.Open(i, _query.Weights[i].Term);
            return Run(k, ref cursors);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(scratch);
        }
    }

    private SearchHit[] Run(int k, ref BlockCursors cursors)
    {
        int m = _query.Weights.Length;
        var weights = _query.Weights;
        var bound = _query.Bound;
        var scoreTimes = _query.ScoreTimes;
        var clauses = _query.Clauses;
        var lengthFactor = _model.LengthFactors;
        var blockLast = _model.Index.Postings.BlockLastDocuments;
        var heap = new TopKHeap(k);
        double threshold = double.NegativeInfinity;
        Span<int> order = m <= 64 ? stackalloc int[m] : new int[m];          // cursor ids by current document
        Span<float> contribution = m <= 64 ? stackalloc float[m] : new float[m];
        for (int i = 0; i < m; i++) order[i] = i;
        int live = m;   // order[..live] are the cursors not yet exhausted
        SortByDocument(order[..live], ref cursors);
        while (live > 0)
        {
            // Pivot: the first position where the bounds of the cursors up to it could beat the threshold.
            double upper = 0;
            int pivot = -1;
            for (int p = 0; p < live; p++)
            {
                upper += bound[order[p]];
                if (upper * Margin > threshold) { pivot = p; break; }
            }
            if (pivot < 0) break;
            int pivotDoc = cursors.Doc(order[pivot]);
            while (pivot + 1 < live && cursors.Doc(order[pivot + 1]) == pivotDoc) pivot++;

            // Block-max check: the exact maxima of the blocks that may hold pivotDoc.
            double blockUpper = 0;
            int nextCandidate = pivot + 1 < live ? cursors.Doc(order[pivot + 1]) : int.MaxValue;
            for (int p = 0; p <= pivot; p++)
            {
                int i = order[p];
                int block = cursors.BlockOf(i, pivotDoc);
                if (block < 0) continue;   // cannot happen for live cursors at or before the pivot; kept for safety
                blockUpper += _query.BlockBound(i, _model.BlockMax(block));
                nextCandidate = Math.Min(nextCandidate, blockLast[block] == int.MaxValue ? int.MaxValue : blockLast[block] + 1);
            }
            if (blockUpper * Margin <= threshold)
            {
                // No document before nextCandidate can beat the threshold: documents below pivotDoc match only
                // cursors whose term bounds cannot, documents from pivotDoc on lie in the blocks just bounded.
                // Move the cursor with the largest bound among those up to the pivot (the one whose skip pays most).
                int best = order[0];
                for (int p = 1; p <= pivot; p++) if (bound[order[p]] > bound[best]) best = order[p];
                cursors.Advance(best, nextCandidate);
                live = Resort(order, live, ref cursors);
                continue;
            }

            if (cursors.Doc(order[0]) == pivotDoc)
            {
                // Every cursor up to the pivot is on pivotDoc: score it exactly, clauses in the reference's order.
                contribution.Clear();
                double partial = 0;
                for (int p = 0; p <= pivot; p++)
                {
                    int i = order[p];
                    float c = weights[i].Score(cursors.Frequency(i), lengthFactor[pivotDoc]);
                    contribution[i] = c;
                    partial += c * (double)scoreTimes[i];
                }
                if (partial * Margin > threshold)
                {
                    double sum = 0;
                    foreach (int c in clauses) sum += contribution[c];
                    var hit = new SearchHit(pivotDoc, (float)sum);
                    if (!heap.IsFull || hit.Score > heap.Worst.Score)
                    {
                        heap.Offer(hit);
                        if (heap.IsFull) threshold = heap.Worst.Score;
                    }
                }
                for (int p = 0; p <= pivot; p++) cursors.Next(order[p]);
            }
            else
            {
                // Bring the cursors before the pivot up to pivotDoc (they may skip whole blocks).
                for (int p = 0; p < pivot; p++)
                {
                    int i = order[p];
                    if (cursors.Doc(i) >= pivotDoc) break;
                    cursors.Advance(i, pivotDoc);
                }
            }
            live = Resort(order, live, ref cursors);
        }
        return heap.ToSortedArray();
    }

    /// <summary>Re-sorts the cursor ids by document (few terms: insertion sort) and drops exhausted cursors.</summary>
    private static int Resort(scoped Span<int> order, int live, ref BlockCursors cursors)
    {
        SortByDocument(order[..live], ref cursors);
        while (live > 0 && cursors.Doc(order[live - 1]) == int.MaxValue) live--;
        return live;
    }

    private static void SortByDocument(scoped Span<int> order, ref BlockCursors cursors)
    {
        for (int a = 1; a < order.Length; a++)
        {
            int id = order[a], doc = cursors.Doc(id), b = a - 1;
            while (b >= 0 && cursors.Doc(order[b]) > doc)
            {
                order[b + 1] = order[b];
                b--;
            }
            order[b + 1] = id;
        }
    }
}
