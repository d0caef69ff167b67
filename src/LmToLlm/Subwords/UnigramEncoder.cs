namespace LmToLlm.Subwords;

/// <summary>
/// Unigram segmentation as SentencePiece's optimised Viterbi (<c>unigram_model.cc</c>, <c>EncodeOptimized</c>): the
/// path of pieces with the highest total log probability; a character no piece starts with costs the lowest score
/// minus 10 and becomes the unknown piece; user-defined symbols score length × the highest score − 0.1 so that they
/// always win. Input: normalised UTF-8. Output: (start, length, id) spans covering it.
/// </summary>
internal sealed class UnigramEncoder : ISegmenter
{
    private const float UnknownPenalty = 10f;
    private readonly PieceTrie _trie;
    private readonly float[] _scores;
    private readonly bool[] _userDefined;
    private readonly float _unknownScore, _maxScore;
    private readonly int _unknownId;

    internal UnigramEncoder(SentencePieceModel model, int unknownId)
    {
        var pieces = model.Pieces;
        _scores = pieces.Select(p => p.Score).ToArray();
        _userDefined = pieces.Select(p => p.Type == SentencePieceType.UserDefined).ToArray();
        // Unused pieces are in SentencePiece's trie but skipped when found; leaving them out is the same.
        _trie = new PieceTrie(Enumerable.Range(0, pieces.Count)
            .Where(i => pieces[i].Type is SentencePieceType.Normal or SentencePieceType.UserDefined).Select(i => (pieces[i].Text, i)), packed: true);
        float min = float.MaxValue, max = float.Epsilon; // FLT_MAX and FLT_MIN, as the reference starts them
        foreach (var p in pieces)
            if (p.Type == SentencePieceType.Normal) { min = Math.Min(min, p.Score); max = Math.Max(max, p.Score); }
        _unknownScore = min - UnknownPenalty;
        _maxScore = max;
        _unknownId = unknownId;
    }

    /// <summary>Fills <paramref name="lattice"/> with every piece of <paramref name="text"/>, scored as <c>PopulateNodes</c> scores them.</summary>
    public void BuildLattice(ReadOnlySpan<byte> text, UnigramLattice lattice) =>
        lattice.Build(text, _trie, _scores, _unknownScore, _unknownId, _userDefined, _maxScore);

    private struct Best
    {
        public int Id, StartsAt;
        public float Score;
    }

    [ThreadStatic] private static Best[]? t_best;

    public void Segment(ReadOnlySpan<byte> text, List<(int Start, int Length, int Id)> output)
    {
        output.Clear();
        if (text.IsEmpty) return;
        int size = text.Length;
        if (t_best is null || t_best.Length < size + 1) t_best = new Best[Math.Max(size + 1, 2 * (t_best?.Length ?? 128))];
        var best = t_best; // entries are reset below; a score is read only where StartsAt was set
        for (int i = 0; i <= size; i++) best[i].StartsAt = -1;
        best[0] = new Best { StartsAt = 0 };
        int startsAt = 0;
        while (startsAt < size)
        {
            float tillHere = best[startsAt].Score;
            bool hasSingleNode = false;
            int charLength = Math.Min(SpmUtf8.LeadLength(text[startsAt]), size - startsAt);
            int node = 0;
            for (int keyPos = startsAt; keyPos < size;)
            {
                if (!_trie.Step(ref node, text[keyPos])) break;
                keyPos++;
                int id = _trie.ValueAt(node);
                if (id < 0) continue;
                int length = keyPos - startsAt;
                // The reference mixes double (user-defined bonus) and float (scores) exactly like this.
                double score = _userDefined[id] ? length * _maxScore - 0.1 : _scores[id];
                double candidate = score + tillHere;
                ref var target = ref best[keyPos];
                if (target.StartsAt == -1 || candidate > target.Score)
                {
                    target.Score = (float)candidate;
                    target.StartsAt = startsAt;
                    target.Id = id;
                }
                if (!hasSingleNode && length == charLength) hasSingleNode = true;
            }
            if (!hasSingleNode)
            {
                ref var target = ref best[startsAt + charLength];
                float candidate = _unknownScore + tillHere;
                if (target.StartsAt == -1 || candidate > target.Score)
                {
                    target.Score = candidate;
                    target.StartsAt = startsAt;
                    target.Id = _unknownId;
                }
            }
            startsAt += charLength;
        }
        for (int end = size; end > 0; end = best[end].StartsAt) output.Add((best[end].StartsAt, end - best[end].StartsAt, best[end].Id));
        output.Reverse();
    }
}
