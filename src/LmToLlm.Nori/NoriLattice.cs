namespace LmToLlm.Nori;

/// <summary>
/// The Viterbi search of Lucene's KoreanTokenizer (8.8.1), over a whole input span.
/// Input: text, dictionaries, options. Output: tokens in text order, each backtrace's tokens handed to
/// <see cref="INoriTokenEmitter"/> as they are committed. Positions live in a ring (<see cref="NoriPositions"/>) so
/// memory stays bounded on long inputs as the reference's does: a frontier with one live path is committed, and after
/// 1024 characters without one the cheapest partial path is forced. Scratch state, reused per thread; not thread-safe.
/// </summary>
internal sealed class NoriLattice
{
    private const int MaxUnknownWordLength = 1024;
    private const int MaxBacktraceGap = 1024;
    private const int SpacePenalty = 3000;

    [ThreadStatic] private static NoriLattice? t_cached;

    private readonly NoriPositions _positions = new();
    private PendingToken[] _pending = new PendingToken[64];
    private int _pendingCount;
    private int _lastBacktracePos;

    // Per run:
    private NoriDictionary _dictionary = null!;
    private NoriUserDictionary? _user;
    private NoriDecompoundMode _mode;
    private bool _unknownUnigrams;

    /// <summary>One committed token: where its text comes from and its attributes (no strings).</summary>
    internal struct PendingToken
    {
        public int TextStart;      // in the input, or in the dictionary's string pool when FromPool
        public int TextLength;
        public bool FromPool;
        public int StartOffset;
        public int EndOffset;
        public int PositionIncrement;
        public int PositionLength;
        public NoriWordType Type;
        public NoriTag LeftTag;
        public NoriTag RightTag;
        public int Reading;        // string id or -1
        public NoriWordSource Source;
    }

    public static NoriLattice Rent()
    {
        var lattice = t_cached ?? new NoriLattice();
        t_cached = null; // a sink that analyses again on this thread gets its own
        return lattice;
    }

    public static void Return(NoriLattice lattice) => t_cached = lattice;

    /// <summary>Analyses <paramref name="text"/>, handing each backtrace's tokens (text order) to <paramref name="emitter"/>.</summary>
    public void Run<TEmitter>(ReadOnlySpan<char> text, NoriDictionary dictionary, NoriUserDictionary? user, NoriDecompoundMode mode,
        bool unknownUnigrams, ref TEmitter emitter) where TEmitter : struct, INoriTokenEmitter
    {
        _dictionary = dictionary;
        _user = user;
        _mode = mode;
        _unknownUnigrams = unknownUnigrams;
        _positions.Reset();
        _pendingCount = 0;
        _lastBacktracePos = 0;
        _positions.Get(0).Add(0, 0, -1, -1, -1, -1, NoriWordSource.Known); // beginning of sentence

        var chars = dictionary.Characters;
        var trie = dictionary.Trie;
        int n = text.Length;
        int pos = 0;
        int userWordMaxPosAhead = -1; // reset whenever the reference's parse() returns with tokens
        while (pos < n)
        {
            var posData = _positions.Get(pos);
            bool isFrontier = _positions.NextPos == pos + 1;
            if (posData.Count == 0)
            {
                pos++;
                continue;
            }

            if (pos > _lastBacktracePos && posData.Count == 1 && isFrontier)
            {
                // One live node at the frontier: every best path goes through it, commit its prefix.
                Backtrace(text, posData, 0);
                posData.Costs[0] = 0;
                if (Flush(text, ref emitter)) userWordMaxPosAhead = -1;
            }

            if (pos - _lastBacktracePos >= MaxBacktraceGap)
            {
                ForceBacktrace(text, ref pos);
                if (Flush(text, ref emitter)) userWordMaxPosAhead = -1;
                continue;
            }

            // Spaces before a word become part of its arc (for the space penalty), not a position of their own.
            if (chars.Category[text[pos]] == NoriCharacterTable.SpaceSeparator)
            {
                pos++;
                while (pos < n && chars.Category[text[pos]] == NoriCharacterTable.SpaceSeparator) pos++;
            }
            if (pos >= n) pos = posData.Pos;

            bool anyMatches = false;
            if (_user is not null)
            {
                int node = -1, maxPosAhead = 0, entry = -1;
                for (int posAhead = pos; posAhead < n; posAhead++)
                {
                    node = posAhead == pos ? _user.Trie.Root(text[posAhead]) : _user.Trie.Child(node, text[posAhead]);
                    if (node < 0) break;
                    if (_user.Trie.IsFinal(node, out int start, out _))
                    {
                        maxPosAhead = posAhead;
                        entry = start;
                        anyMatches = true;
                    }
                }
                if (anyMatches && maxPosAhead > userWordMaxPosAhead)
                {
                    AddUser(posData, pos, maxPosAhead + 1, entry);
                    userWordMaxPosAhead = Math.Max(userWordMaxPosAhead, maxPosAhead);
                }
            }

            if (!anyMatches)
            {
                int node = -1;
                for (int posAhead = pos; posAhead < n; posAhead++)
                {
                    node = posAhead == pos ? trie.Root(text[posAhead]) : trie.Child(node, text[posAhead]);
                    if (node < 0) break;
                    if (trie.IsFinal(node, out int start, out int end))
                    {
                        for (int entry = start; entry < end; entry++) Add(dictionary.Known, posData, pos, posAhead + 1, entry, NoriWordSource.Known);
                        anyMatches = true;
                    }
                }
            }

            char first = text[pos];
            if (!anyMatches || chars.IsInvoke(first))
            {
                int characterClass = chars.Class[first];
                int length = 1;
                if (chars.IsGroup(first))
                {
                    // Characters of the same script (and same punctuation/digit status) form one unknown word.
                    byte script = chars.Script[first];
                    bool isPunctuation = chars.IsPunctuation(first);
                    bool isDigit = chars.IsDigit(first);
                    for (int posAhead = pos + 1; length < MaxUnknownWordLength && posAhead < n; posAhead++)
                    {
                        char c = text[posAhead];
                        byte category = chars.Category[c];
                        byte nextScript = chars.Script[c];
                        bool sameScript = script == nextScript || chars.IsCommonOrInherited(script) || chars.IsCommonOrInherited(nextScript)
                            || category == NoriCharacterTable.NonSpacingMark;
                        if (sameScript && chars.IsPunctuation(c) == isPunctuation && chars.IsDigit(c) == isDigit && chars.IsGroup(c)) length++;
                        else break;
                        if (chars.IsCommonOrInherited(script) && !chars.IsCommonOrInherited(nextScript))
                        {
                            script = nextScript;
                            characterClass = chars.Class[c];
                        }
                    }
                }
                for (int entry = dictionary.UnknownClassStart[characterClass], end = dictionary.UnknownClassStart[characterClass + 1]; entry < end; entry++)
                    Add(dictionary.Unknown, posData, pos, pos + length, entry, NoriWordSource.Unknown);
            }
            pos++;
        }

        if (pos > 0)
        {
            var endPosData = _positions.Get(pos);
            int leastCost = int.MaxValue, leastIndex = -1;
            for (int i = 0; i < endPosData.Count; i++)
            {
                int cost = endPosData.Costs[i] + dictionary.Cost(endPosData.LastRightId[i], 0); // end of sentence
                if (cost < leastCost)
                {
                    leastCost = cost;
                    leastIndex = i;
                }
            }
            Backtrace(text, endPosData, leastIndex);
            Flush(text, ref emitter);
        }
        _dictionary = null!;
        _user = null;
    }

    /// <summary>After <see cref="MaxBacktraceGap"/> characters without a commit: keep only the cheapest partial path.</summary>
    private void ForceBacktrace(ReadOnlySpan<char> text, ref int pos)
    {
        int leastIndex = -1, leastCost = int.MaxValue;
        NoriPositions.Position? least = null;
        for (int p = pos; p < _positions.NextPos; p++)
        {
            var data = _positions.Get(p);
            for (int i = 0; i < data.Count; i++)
            {
                if (data.Costs[i] < leastCost)
                {
                    leastCost = data.Costs[i];
                    leastIndex = i;
                    least = data;
                }
            }
        }
        for (int p = pos; p < _positions.NextPos; p++)
        {
            var data = _positions.Get(p);
            if (data != least) data.Reset();
            else
            {
                if (leastIndex != 0) data.CopyTo0(leastIndex);
                data.Count = 1;
            }
        }
        Backtrace(text, least!, 0);
        Array.Clear(least!.Costs, 0, least.Count);
        if (pos != least.Pos) pos = least.Pos;
    }

    private void Add(NoriWordTable words, NoriPositions.Position from, int wordPos, int endPos, int entry, NoriWordSource source)
    {
        ref readonly var e = ref words.Lattice[entry];
        int leftId = e.LeftId;
        int penalty = wordPos - from.Pos > 0 ? SpacePenaltyOf(e.LeftTag) : 0;
        int leastCost = int.MaxValue, leastIndex = -1;
        var costs = _dictionary.Costs;
        int forward = _dictionary.ForwardSize;
        int row = leftId * forward;
        for (int i = 0; i < from.Count; i++)
        {
            int cost = from.Costs[i] + costs[row + from.LastRightId[i]] + penalty;
            if (cost < leastCost)
            {
                leastCost = cost;
                leastIndex = i;
            }
        }
        _positions.Get(endPos).Add(leastCost + e.Cost, e.RightId, from.Pos, wordPos, leastIndex, entry, source);
    }

    private void AddUser(NoriPositions.Position from, int wordPos, int endPos, int entry)
    {
        int leftId = NoriUserDictionary.LeftId;
        int penalty = wordPos - from.Pos > 0 ? SpacePenaltyOf(NoriTag.NNG) : 0;
        int leastCost = int.MaxValue, leastIndex = -1;
        for (int i = 0; i < from.Count; i++)
        {
            int cost = from.Costs[i] + _dictionary.Cost(from.LastRightId[i], leftId) + penalty;
            if (cost < leastCost)
            {
                leastCost = cost;
                leastIndex = i;
            }
        }
        _positions.Get(endPos).Add(leastCost + NoriUserDictionary.WordCost, _user!.RightIdOf(entry), from.Pos, wordPos, leastIndex, entry, NoriWordSource.User);
    }

    /// <summary>mecab-ko-dic's left-space penalty: endings, particles and suffixes rarely follow a space.</summary>
    private static int SpacePenaltyOf(NoriTag leftTag) => leftTag switch
    {
        NoriTag.E or NoriTag.J or NoriTag.VCP or NoriTag.XSA or NoriTag.XSN or NoriTag.XSV => SpacePenalty,
        _ => 0,
    };

    /// <summary>Walks back from <paramref name="endPosData"/>, appending tokens last-first to the pending list.</summary>
    private void Backtrace(ReadOnlySpan<char> text, NoriPositions.Position endPosData, int fromIndex)
    {
        int endPos = endPosData.Pos;
        int pos = endPos;
        int bestIndex = fromIndex;
        var chars = _dictionary.Characters;
        while (pos > _lastBacktracePos)
        {
            var posData = _positions.Get(pos);
            int backPos = posData.BackPos[bestIndex];
            int backWordPos = posData.BackWordPos[bestIndex];
            int length = pos - backWordPos;
            var source = posData.BackSource[bestIndex];
            int entry = posData.BackId[bestIndex];
            int nextBestIndex = posData.BackIndex[bestIndex];

            if (_unknownUnigrams && source == NoriWordSource.Unknown)
            {
                var unknown = _dictionary.Unknown;
                int unigram = _dictionary.UnknownUnigramEntry;
                for (int i = length - 1; i >= 0; i--)
                {
                    int charLength = 1;
                    if (i > 0 && char.IsLowSurrogate(text[backWordPos + i]))
                    {
                        i--;
                        charLength = 2;
                    }
                    ref var t = ref Push();
                    SetEntry(ref t, unknown, unigram, NoriWordSource.Unknown, backWordPos + i, charLength);
                }
            }
            else
            {
                NoriWordType type;
                NoriWordTable? words = null;
                if (source == NoriWordSource.User) type = _user!.SegmentsOf(entry).Length == 0 ? NoriWordType.Morpheme : NoriWordType.Compound;
                else
                {
                    words = source == NoriWordSource.Known ? _dictionary.Known : _dictionary.Unknown;
                    type = words.Type[entry];
                }

                if (type == NoriWordType.Morpheme || _mode == NoriDecompoundMode.None)
                {
                    if (!chars.IsPunctuation(text[backWordPos])) PushWhole(words, entry, source, backWordPos, length);
                }
                else if (source == NoriWordSource.User)
                {
                    // User compounds: parts cut from the word's start; offsets counted back from its end (as the reference).
                    int[] parts = _user!.SegmentsOf(entry);
                    int endOffset = backWordPos + length;
                    int partStart = backWordPos;
                    foreach (int part in parts) partStart += part;
                    for (int i = parts.Length - 1; i >= 0; i--)
                    {
                        partStart -= parts[i];
                        ref var t = ref Push();
                        t = new PendingToken
                        {
                            TextStart = partStart, TextLength = parts[i], StartOffset = endOffset - parts[i], EndOffset = endOffset,
                            PositionIncrement = i == 0 && _mode == NoriDecompoundMode.Mixed ? 0 : 1, PositionLength = 1,
                            Type = NoriWordType.Morpheme, LeftTag = NoriTag.NNG, RightTag = NoriTag.NNG, Reading = -1, Source = NoriWordSource.User,
                        };
                        endOffset -= parts[i];
                    }
                    if (_mode == NoriDecompoundMode.Mixed) PushWhole(null, entry, source, backWordPos, length).PositionLength = Math.Max(1, parts.Length);
                }
                else if (words!.MorphemeStart[entry] < 0)
                {
                    PushWhole(words, entry, source, backWordPos, length);
                }
                else
                {
                    int first = words.MorphemeStart[entry], count = words.MorphemeCount[entry];
                    int endOffset = backWordPos + length;
                    for (int i = count - 1; i >= 0; i--)
                    {
                        int textId = words.MorphemeText[first + i];
                        int morphemeLength = _dictionary.StringOffsets[textId + 1] - _dictionary.StringOffsets[textId];
                        NoriTag tag = words.MorphemeTag[first + i];
                        ref var t = ref Push();
                        t = new PendingToken
                        {
                            TextStart = _dictionary.StringOffsets[textId], TextLength = morphemeLength, FromPool = true,
                            StartOffset = type == NoriWordType.Compound ? endOffset - morphemeLength : backWordPos,
                            EndOffset = type == NoriWordType.Compound ? endOffset : backWordPos + length,
                            PositionIncrement = i == 0 && _mode == NoriDecompoundMode.Mixed ? 0 : 1, PositionLength = 1,
                            Type = NoriWordType.Morpheme, LeftTag = tag, RightTag = tag, Reading = -1, Source = source,
                        };
                        endOffset -= morphemeLength;
                    }
                    if (_mode == NoriDecompoundMode.Mixed) PushWhole(words, entry, source, backWordPos, length).PositionLength = Math.Max(1, count);
                }
            }
            pos = backPos;
            bestIndex = nextBestIndex;
        }
        _lastBacktracePos = endPos;
        _positions.FreeBefore(endPos);
    }

    private ref PendingToken PushWhole(NoriWordTable? words, int entry, NoriWordSource source, int start, int length)
    {
        ref var t = ref Push();
        if (words is null)
        {
            t = new PendingToken
            {
                TextStart = start, TextLength = length, StartOffset = start, EndOffset = start + length, PositionIncrement = 1, PositionLength = 1,
                Type = _user!.SegmentsOf(entry).Length == 0 ? NoriWordType.Morpheme : NoriWordType.Compound,
                LeftTag = NoriTag.NNG, RightTag = NoriTag.NNG, Reading = -1, Source = NoriWordSource.User,
            };
        }
        else SetEntry(ref t, words, entry, source, start, length);
        return ref t;
    }

    private static void SetEntry(ref PendingToken t, NoriWordTable words, int entry, NoriWordSource source, int start, int length) =>
        t = new PendingToken
        {
            TextStart = start, TextLength = length, StartOffset = start, EndOffset = start + length, PositionIncrement = 1, PositionLength = 1,
            Type = words.Type[entry], LeftTag = words.LeftTag[entry], RightTag = words.RightTag[entry], Reading = words.Reading[entry], Source = source,
        };

    private ref PendingToken Push()
    {
        if (_pendingCount == _pending.Length) Array.Resize(ref _pending, _pending.Length * 2);
        return ref _pending[_pendingCount++];
    }

    /// <summary>Hands the pending tokens to the emitter in text order; true when there were any.</summary>
    private bool Flush<TEmitter>(ReadOnlySpan<char> text, ref TEmitter emitter) where TEmitter : struct, INoriTokenEmitter
    {
        if (_pendingCount == 0) return false;
        for (int i = _pendingCount - 1; i >= 0; i--)
        {
            ref var t = ref _pending[i];
            var tokenText = t.FromPool ? _dictionary.StringChars.AsSpan(t.TextStart, t.TextLength) : text.Slice(t.TextStart, t.TextLength);
            emitter.Emit(tokenText, in t, _dictionary);
        }
        _pendingCount = 0;
        return true;
    }
}

/// <summary>Receives committed tokens from <see cref="NoriLattice"/>; a struct so the call inlines.</summary>
internal interface INoriTokenEmitter
{
    void Emit(ReadOnlySpan<char> text, in NoriLattice.PendingToken token, NoriDictionary dictionary);
}
