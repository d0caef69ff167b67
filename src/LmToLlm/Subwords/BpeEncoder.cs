namespace LmToLlm.Subwords;

/// <summary>
/// BPE segmentation as SentencePiece's <c>bpe_model.cc</c>: start from characters (user-defined symbols whole and
/// frozen), then merge the adjacent pair whose joined piece has the highest score, the leftmost on ties, until no
/// pair is a piece. Input: normalised UTF-8. Output: (start, length, id) spans covering it.
/// </summary>
internal sealed class BpeEncoder : ISegmenter
{
    private readonly PieceTrie _trie;
    private readonly float[] _scores;
    private readonly bool[] _unused;
    private readonly PrefixMatcher _userSymbols;
    private readonly int _unknownId;

    internal BpeEncoder(SentencePieceModel model, PrefixMatcher userSymbols, int unknownId)
    {
        var pieces = model.Pieces;
        _scores = pieces.Select(p => p.Score).ToArray();
        _unused = pieces.Select(p => p.Type == SentencePieceType.Unused).ToArray();
        _trie = new PieceTrie(Enumerable.Range(0, pieces.Count).Where(i => IsEncodable(pieces[i].Type)).Select(i => (pieces[i].Text, i)), packed: true);
        _userSymbols = userSymbols;
        _unknownId = unknownId;
    }

    /// <summary>Pieces the segmenter may look up: normal, user-defined and unused ones, as SentencePiece's <c>pieces_</c>.</summary>
    internal static bool IsEncodable(SentencePieceType type) =>
        type is SentencePieceType.Normal or SentencePieceType.UserDefined or SentencePieceType.Unused;

    private struct Symbol
    {
        public int Prev, Next, Start, Length;
        public bool Freeze;
    }

    /// <summary>A candidate merge: the pair (Left, Right) whose joined piece of Size bytes scores Score.</summary>
    private struct Candidate
    {
        public float Score;
        public int Left, Right, Size;

        /// <summary>Comes out of the agenda first: the higher score, then the leftmost.</summary>
        public readonly bool Before(in Candidate other) => Score > other.Score || Score == other.Score && Left < other.Left;
    }

    /// <summary>Buffers one thread reuses from line to line.</summary>
    private sealed class Work
    {
        public Symbol[] Symbols = new Symbol[256];
        public Candidate[] Heap = new Candidate[256];
        public int HeapCount;
        public Dictionary<(int, int), (int, int, int, int)>? ReverseMerges; // unused piece (start,len) → its two halves
    }

    [ThreadStatic] private static Work? t_work;

    public void Segment(ReadOnlySpan<byte> text, List<(int Start, int Length, int Id)> output)
    {
        output.Clear();
        if (text.IsEmpty) return;
        var work = t_work ??= new Work();
        if (work.Symbols.Length < text.Length) work.Symbols = new Symbol[Math.Max(text.Length, work.Symbols.Length * 2)];
        var symbols = work.Symbols;
        work.HeapCount = 0;
        work.ReverseMerges?.Clear();
        int count = 0, pos = 0;
        while (pos < text.Length)
        {
            int n = _userSymbols.Match(text[pos..], out bool found);
            symbols[count] = new Symbol { Prev = count - 1, Next = pos + n < text.Length ? count + 1 : -1, Start = pos, Length = n, Freeze = found };
            count++;
            pos += n;
        }
        for (int i = 1; i < count; i++) MaybeAdd(work, i - 1, i, text);
        while (work.HeapCount > 0)
        {
            var top = Pop(work);
            ref var l = ref symbols[top.Left];
            ref var r = ref symbols[top.Right];
            if (l.Length == 0 || r.Length == 0 || l.Length + r.Length != top.Size) continue;
            l.Length += r.Length;
            l.Next = r.Next;
            if (r.Next >= 0) symbols[r.Next].Prev = top.Left;
            r.Length = 0;
            MaybeAdd(work, l.Prev, top.Left, text);
            MaybeAdd(work, top.Left, l.Next, text);
        }
        for (int index = 0; index != -1; index = symbols[index].Next)
            Resegment(text, symbols[index].Start, symbols[index].Length, work.ReverseMerges, output);
    }

    private void MaybeAdd(Work work, int left, int right, ReadOnlySpan<byte> text)
    {
        if (left == -1 || right == -1) return;
        var s = work.Symbols;
        if (s[left].Freeze || s[right].Freeze) return;
        int size = s[left].Length + s[right].Length;
        int id = _trie.Find(text.Slice(s[left].Start, size));
        if (id < 0) return;
        Push(work, new Candidate { Score = _scores[id], Left = left, Right = right, Size = size });
        if (_unused[id])
        {
            work.ReverseMerges ??= [];
            work.ReverseMerges[(s[left].Start, size)] = (s[left].Start, s[left].Length, s[right].Start, s[right].Length);
        }
    }

    // A binary heap ordered by Candidate.Before: no two live candidates compare equal (a left symbol has one right
    // neighbour at a time), so the merge order is the reference's whatever the heap's tie handling.
    private static void Push(Work work, in Candidate item)
    {
        if (work.HeapCount == work.Heap.Length) Array.Resize(ref work.Heap, work.Heap.Length * 2);
        var heap = work.Heap;
        int i = work.HeapCount++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!item.Before(heap[parent])) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = item;
    }

    private static Candidate Pop(Work work)
    {
        var heap = work.Heap;
        var top = heap[0];
        var last = heap[--work.HeapCount];
        int n = work.HeapCount, i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && heap[child + 1].Before(heap[child])) child++;
            if (!heap[child].Before(last)) break;
            heap[i] = heap[child];
            i = child;
        }
        if (n > 0) heap[i] = last;
        return top;
    }

    /// <summary>Splits a piece marked unused back into the two pieces it was merged from (<c>resegment</c>).</summary>
    private void Resegment(ReadOnlySpan<byte> text, int start, int length, Dictionary<(int, int), (int, int, int, int)>? reverse,
        List<(int, int, int)> output)
    {
        int id = _trie.Find(text.Slice(start, length));
        if (id >= 0 && _unused[id] && reverse is not null && reverse.TryGetValue((start, length), out var halves))
        {
            Resegment(text, halves.Item1, halves.Item2, reverse, output);
            Resegment(text, halves.Item3, halves.Item4, reverse, output);
            return;
        }
        output.Add((start, length, id < 0 ? _unknownId : id));
    }
}

/// <summary>One model's segmentation of normalised UTF-8 into (start, length, id) spans.</summary>
internal interface ISegmenter
{
    void Segment(ReadOnlySpan<byte> text, List<(int Start, int Length, int Id)> output);
}
