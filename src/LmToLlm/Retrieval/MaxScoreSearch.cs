using System.Buffers;

namespace LmToLlm.Retrieval;

/// <summary>
/// Document-at-a-time MaxScore (Turtle and Flood 1995) over the query's distinct terms, the scratch state of one
/// query. Input: a <see cref="Bm25"/> and query term occurrences. Output: the exact top k, best first (block-max
/// bounds from the skip list tighten the term bounds; both are exact maxima, so pruning never changes the result).
/// </summary>
internal ref struct MaxScoreSearch
{
    private readonly Bm25 _model;
    private readonly Bm25TermWeight[] _weights;   // distinct terms sorted by MaxScore ascending
    private readonly int[] _clauses;              // per scored clause, in query order: index into _weights
    private readonly double[] _prefixBound;       // Σ bounds of _weights[0..i]
    private readonly float[] _contribution;       // per distinct term: contribution to the current document
    private readonly PrunedQuery _query;

    internal MaxScoreSearch(Bm25 model, ReadOnlySpan<int> queryTerms)
    {
        _model = model;
        _query = new PrunedQuery(model, queryTerms);
        _weights = _query.Weights;
        _clauses = _query.Clauses;
        _prefixBound = new double[_weights.Length];
        double acc = 0;
        for (int i = 0; i < _weights.Length; i++) _prefixBound[i] = acc += _query.Bound[i];
        _contribution = new float[_weights.Length];
    }

    private const double Margin = PrunedQuery.Margin;

    internal SearchHit[] Run(int k)
    {
        int m = _weights.Length;
        // All per-term cursor state in one pooled array: no allocation per query beyond the scratch above.
        int[] scratch = ArrayPool<int>.Shared.Rent(m * (7 + 2 * PostingBlocks.Size));
        try
        {
            var cursors = new BlockCursors(_model.Index.Postings, scratch, m);
            for (int i = 0; i < m; i++) cursors.Open(i, _weights[i].Term);
            return Run(k, ref cursors);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(scratch);
        }
    }

    private SearchHit[] Run(int k, ref BlockCursors cursors)
    {
        int m = _weights.Length;
        var heap = new TopKHeap(k);
        double threshold = double.NegativeInfinity;
        int firstEssential = 0;
        int windowEnd = -1;   // documents up to here are in a window already found worth scoring
        Span<double> blockBound = m <= 64 ? stackalloc double[m] : new double[m];
        var lengthFactor = _model.LengthFactors;
        while (true)
        {
            int doc = int.MaxValue;
            for (int i = firstEssential; i < m; i++) doc = Math.Min(doc, cursors.Doc(i));
            if (doc == int.MaxValue) break;

            // Window skipping (Lucene's block-max idea for the essential lists): until the first of the essential
            // cursors' current blocks ends, no document can score more than those blocks' maxima plus the bounds of
            // the non-essential terms; when that cannot beat the threshold, every essential cursor jumps past the window.
            if (doc > windowEnd && heap.IsFull)
            {
                int upTo = int.MaxValue;
                double bound = firstEssential > 0 ? _prefixBound[firstEssential - 1] : 0;
                for (int i = firstEssential; i < m; i++)
                {
                    if (cursors.Doc(i) == int.MaxValue) continue;
                    upTo = Math.Min(upTo, cursors.BlockLast(i));
                    bound += _query.BlockBound(i, _model.BlockMax(cursors.Block(i)));
                }
                if (bound * Margin <= threshold)
                {
                    for (int i = firstEssential; i < m; i++) cursors.Advance(i, upTo + 1);
                    continue;
                }
                windowEnd = upTo;
            }

            double partial = 0;
            for (int i = firstEssential; i < m; i++)
            {
                if (cursors.Doc(i) == doc)
                {
                    float c = _weights[i].Score(cursors.Frequency(i), lengthFactor[doc]);
                    _contribution[i] = c;
                    partial += c * (double)_query.ScoreTimes[i];
                    cursors.Next(i);
                }
                else _contribution[i] = 0f;
            }
            // Tighter bounds for the non-essential terms: the exact maxima of the blocks that may hold doc
            // (found on the skip list without decoding), as prefix sums like _prefixBound.
            if (firstEssential > 0 && (partial + _prefixBound[firstEssential - 1]) * Margin > threshold)
            {
                double acc = 0;
                for (int i = 0; i < firstEssential; i++)
                {
                    int block = cursors.BlockOf(i, doc);
                    acc += block < 0 ? 0 : _query.BlockBound(i, _model.BlockMax(block));
                    blockBound[i] = acc;
                }
            }
            else _prefixBound.AsSpan(0, firstEssential).CopyTo(blockBound);   // the term bounds prune doc already
            bool candidate = true;
            for (int i = firstEssential - 1; i >= 0; i--)
            {
                if ((partial + Math.Min(_prefixBound[i], blockBound[i])) * Margin <= threshold) { candidate = false; break; }
                cursors.Advance(i, doc);
                if (cursors.Doc(i) == doc)
                {
                    float c = _weights[i].Score(cursors.Frequency(i), lengthFactor[doc]);
                    _contribution[i] = c;
                    partial += c * (double)_query.ScoreTimes[i];
                }
                else _contribution[i] = 0f;
            }
            if (!candidate) continue;

            // The exact score: clause contributions summed in query order in double, cast to float (Lucene).
            double sum = 0;
            foreach (int c in _clauses) sum += _contribution[c];
            var hit = new SearchHit(doc, (float)sum);
            if (!heap.IsFull)
            {
                heap.Offer(hit);
                if (!heap.IsFull) continue;
            }
            else if (hit.Score > heap.Worst.Score) heap.Offer(hit);
            else continue;
            threshold = heap.Worst.Score;
            while (firstEssential < m && _prefixBound[firstEssential] * Margin <= threshold) firstEssential++;
            if (firstEssential == m) break;
        }
        return heap.ToSortedArray();
    }
}
