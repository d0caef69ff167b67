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
        _trie = new PieceTrie(Enumerable.Range(0, pieces.Count).Where(i => IsEncodable(pieces[i].Type)).Select(i => (pieces[i].Text, i)));
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

    private readonly record struct Pair(int Left, int Right, int Size);

    public void Segment(ReadOnlySpan<byte> text, List<(int Start, int Length, int Id)> output)
    {
        output.Clear();
        if (text.IsEmpty) return;
        var symbols = new List<Symbol>(text.Length);
        int pos = 0;
        while (pos < text.Length)
        {
            int n = _userSymbols.Match(text[pos..], out bool found);
            int index = symbols.Count;
            symbols.Add(new Symbol { Prev = index - 1, Next = pos + n < text.Length ? index + 1 : -1, Start = pos, Length = n, Freeze = found });
            pos += n;
        }
        var agenda = new PriorityQueue<Pair, (float NegScore, int Left)>();
        Dictionary<(int, int), (int, int, int, int)>? reverseMerges = null; // unused piece (start,len) → its two halves
        void MaybeAdd(List<Symbol> s, int left, int right, ReadOnlySpan<byte> t)
        {
            if (left == -1 || right == -1 || s[left].Freeze || s[right].Freeze) return;
            int size = s[left].Length + s[right].Length;
            int id = _trie.Find(t.Slice(s[left].Start, size));
            if (id < 0) return;
            agenda.Enqueue(new Pair(left, right, size), (-_scores[id], left));
            if (_unused[id])
            {
                reverseMerges ??= [];
                reverseMerges[(s[left].Start, size)] = (s[left].Start, s[left].Length, s[right].Start, s[right].Length);
            }
        }
        for (int i = 1; i < symbols.Count; i++) MaybeAdd(symbols, i - 1, i, text);
        while (agenda.Count > 0)
        {
            var top = agenda.Dequeue();
            var l = symbols[top.Left];
            var r = symbols[top.Right];
            if (l.Length == 0 || r.Length == 0 || l.Length + r.Length != top.Size) continue;
            l.Length += r.Length;
            l.Next = r.Next;
            if (r.Next >= 0) { var nx = symbols[r.Next]; nx.Prev = top.Left; symbols[r.Next] = nx; }
            r.Length = 0;
            symbols[top.Left] = l;
            symbols[top.Right] = r;
            MaybeAdd(symbols, l.Prev, top.Left, text);
            MaybeAdd(symbols, top.Left, l.Next, text);
        }
        for (int index = 0; index != -1; index = symbols[index].Next)
            Resegment(text, symbols[index].Start, symbols[index].Length, reverseMerges, output);
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
