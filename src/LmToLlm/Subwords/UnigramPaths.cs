namespace LmToLlm.Subwords;

/// <summary>
/// Segmentations other than the best one, for subword regularisation (Kudo 2018): the n best paths of a
/// <see cref="UnigramLattice"/> by A* search from the end (<c>Lattice::NBest</c>, the Viterbi scores being the exact
/// heuristic) and a path sampled from the lattice by forward filtering, backward sampling (<c>Lattice::Sample</c>).
/// Input: a built lattice. Output: paths as node indexes, left to right. The agenda is libstdc++'s binary heap, so
/// hypotheses of equal score leave it in the reference's order.
/// </summary>
internal sealed class UnigramPaths
{
    private const int Begin = -1, EndOfText = -2;
    private const int MaxAgenda = 10000, MinAgenda = 512;

    private struct Hypothesis
    {
        public int Node, Next;
        public float Fx, Gx;
    }

    private readonly List<Hypothesis> _hypotheses = [];
    private readonly List<int> _agenda = [];
    private readonly List<int> _path = [];
    private int[] _endOrder = new int[64], _endFirst = new int[64];
    private float[] _weights = new float[64];

    /// <summary>The <paramref name="n"/> best paths with their scores, best first (fewer when the lattice has fewer).</summary>
    public List<(int[] Nodes, float Score)> NBest(UnigramLattice lattice, int n)
    {
        var results = new List<(int[], float)>();
        lattice.Viterbi(_path);
        IndexEnds(lattice);
        _hypotheses.Clear();
        _agenda.Clear();
        _hypotheses.Add(new Hypothesis { Node = EndOfText, Next = -1, Fx = lattice.BestAt(lattice.Length), Gx = 0 });
        Push(_agenda, 0);
        var nodes = new List<int>();
        while (_agenda.Count > 0)
        {
            int top = Pop(_agenda);
            var hyp = _hypotheses[top];
            if (hyp.Node == Begin)
            {
                nodes.Clear();
                for (int h = hyp.Next; _hypotheses[h].Next != -1; h = _hypotheses[h].Next) nodes.Add(_hypotheses[h].Node);
                results.Add(([.. nodes], hyp.Fx));
                if (results.Count == n) break;
                continue;
            }
            int pos = hyp.Node == EndOfText ? lattice.Length : lattice.Start[hyp.Node];
            if (pos == 0)
            {
                _hypotheses.Add(new Hypothesis { Node = Begin, Next = top, Gx = hyp.Gx, Fx = hyp.Gx });
                Push(_agenda, _hypotheses.Count - 1);
            }
            else
                for (int k = _endFirst[pos]; k < _endFirst[pos + 1]; k++)
                {
                    int left = _endOrder[k];
                    float backtrace = lattice.BestAt(lattice.Start[left]) + lattice.Score[left];
                    _hypotheses.Add(new Hypothesis { Node = left, Next = top, Gx = lattice.Score[left] + hyp.Gx, Fx = backtrace + hyp.Gx });
                    Push(_agenda, _hypotheses.Count - 1);
                }
            if (_agenda.Count >= MaxAgenda)
            {
                // Long or repetitive input: keep the best hypotheses only, as the reference does.
                int keep = Math.Min(MinAgenda, n * 10);
                var kept = new List<int>(keep);
                for (int i = 0; i < keep; i++) kept.Add(Pop(_agenda));
                _agenda.Clear();
                foreach (int h in kept) Push(_agenda, h);
            }
        }
        return results;
    }

    /// <summary>A path drawn with probability proportional to exp(<paramref name="invTheta"/> × its score).</summary>
    public void Sample(UnigramLattice lattice, float invTheta, StdRandom random, List<int> path)
    {
        path.Clear();
        if (lattice.Length == 0) return;
        var alpha = lattice.Forward(invTheta);
        IndexEnds(lattice);
        float z = alpha[lattice.Length];
        int pos = lattice.Length;
        while (pos > 0)
        {
            int first = _endFirst[pos], count = _endFirst[pos + 1] - first;
            if (_weights.Length < count) _weights = new float[count * 2];
            for (int k = 0; k < count; k++)
            {
                int node = _endOrder[first + k];
                _weights[k] = (float)Math.Exp((double)(alpha[lattice.Start[node]] + invTheta * lattice.Score[node] - z));
            }
            int chosen = _endOrder[first + random.Discrete(_weights.AsSpan(0, count))];
            path.Add(chosen);
            pos = lattice.Start[chosen];
            z = alpha[pos];
        }
        path.Reverse();
    }

    /// <summary>Groups the nodes by end position, each group in start order (the reference's end_nodes lists).</summary>
    private void IndexEnds(UnigramLattice lattice)
    {
        int len = lattice.Length, count = lattice.NodeCount;
        if (_endFirst.Length < len + 2) _endFirst = new int[(len + 2) * 2];
        if (_endOrder.Length < count) _endOrder = new int[count * 2];
        Array.Clear(_endFirst, 0, len + 2);
        for (int i = 0; i < count; i++) _endFirst[lattice.End[i] + 1]++;
        for (int p = 1; p <= len + 1; p++) _endFirst[p] += _endFirst[p - 1];
        Span<int> fill = len + 1 <= 1024 ? stackalloc int[len + 1] : new int[len + 1];
        _endFirst.AsSpan(0, len + 1).CopyTo(fill);
        for (int i = 0; i < count; i++) _endOrder[fill[lattice.End[i]]++] = i;
    }

    private bool Less(int a, int b) => _hypotheses[a].Fx < _hypotheses[b].Fx;

    /// <summary><c>std::push_heap</c>.</summary>
    private void Push(List<int> heap, int value)
    {
        heap.Add(value);
        int hole = heap.Count - 1, parent = (hole - 1) / 2;
        while (hole > 0 && Less(heap[parent], value))
        {
            heap[hole] = heap[parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        heap[hole] = value;
    }

    /// <summary><c>std::pop_heap</c> then <c>pop_back</c>: returns the top.</summary>
    private int Pop(List<int> heap)
    {
        int top = heap[0], last = heap.Count - 1;
        int value = heap[last];
        heap[last] = top;
        int length = last, hole = 0, child = 0;
        while (child < (length - 1) / 2)
        {
            child = 2 * (child + 1);
            if (Less(heap[child], heap[child - 1])) child--;
            heap[hole] = heap[child];
            hole = child;
        }
        if ((length & 1) == 0 && child == (length - 2) / 2)
        {
            child = 2 * (child + 1);
            heap[hole] = heap[child - 1];
            hole = child - 1;
        }
        int parent = (hole - 1) / 2;
        while (hole > 0 && Less(heap[parent], value))
        {
            heap[hole] = heap[parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        if (length > 0) heap[hole] = value;
        heap.RemoveAt(last);
        return top;
    }
}
