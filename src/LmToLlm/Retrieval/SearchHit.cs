namespace LmToLlm.Retrieval;

/// <summary>One ranked document: its id in the index (corpus position) and its score.</summary>
/// <param name="Document">The document's id in the index; <see cref="InvertedIndex.DocumentId"/> gives the external id.</param>
/// <param name="Score">The score (BM25 scores are float values widened to double without change).</param>
public readonly record struct SearchHit(int Document, double Score);

/// <summary>
/// Keeps the best k hits seen so far: higher score first, equal scores by lower document id (corpus order),
/// the order Lucene's <c>TopScoreDocCollector</c> and the references use.
/// </summary>
internal sealed class TopKHeap
{
    private readonly SearchHit[] _heap;   // min-heap: the worst hit at index 0
    private int _count;

    internal TopKHeap(int k)
    {
        _heap = new SearchHit[k];
    }

    internal int Count => _count;

    internal bool IsFull => _count == _heap.Length;

    /// <summary>The worst kept hit (valid when <see cref="Count"/> &gt; 0).</summary>
    internal SearchHit Worst => _heap[0];

    /// <summary>True when <paramref name="a"/> ranks before <paramref name="b"/>.</summary>
    internal static bool Better(in SearchHit a, in SearchHit b) =>
        a.Score > b.Score || (a.Score == b.Score && a.Document < b.Document);

    /// <summary>Offers a hit; keeps it when the heap is not full or it beats the worst kept hit.</summary>
    internal void Offer(SearchHit hit)
    {
        if (_heap.Length == 0) return;
        if (_count < _heap.Length)
        {
            int i = _count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Better(_heap[parent], hit)) break;
                _heap[i] = _heap[parent];
                i = parent;
            }
            _heap[i] = hit;
            return;
        }
        if (!Better(hit, _heap[0])) return;
        SiftDown(hit);
    }

    private void SiftDown(SearchHit hit)
    {
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && Better(_heap[child], _heap[child + 1])) child++;
            if (!Better(hit, _heap[child])) break;
            _heap[i] = _heap[child];
            i = child;
        }
        _heap[i] = hit;
    }

    /// <summary>The kept hits, best first.</summary>
    internal SearchHit[] ToSortedArray()
    {
        var result = _heap.AsSpan(0, _count).ToArray();
        Array.Sort(result, static (a, b) => Better(a, b) ? -1 : Better(b, a) ? 1 : 0);
        return result;
    }
}
