using System.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// BPE training as SentencePiece's <c>bpe_model_trainer.cc</c>. Input: the words of a <see cref="TrainingCorpus"/>
/// with their counts. Output: the merged pieces in merge order, scored 0, -1, -2, … then the alphabet by frequency.
/// Each step merges the most frequent adjacent pair (ties: fewer characters, then smaller UTF-8 bytes), looking only
/// at the "active" pairs (the top 5% by frequency, at least 1,000, refreshed every 100 merges, plus pairs created
/// since), with frequencies recomputed lazily as the reference does; this is what makes the pieces the same.
/// </summary>
internal sealed class BpeTrainer
{
    private sealed class Symbol
    {
        public Symbol? Left, Right;
        public int[] Chars = [];
        public byte[] Utf8 = [];
        public bool IsUnknown;
        public ulong Fingerprint;
        public ulong Freq;
        public long Serial;
        public int ActiveIndex = -1;
        // The reference's std::set of positions as an array: the first Sorted items are sorted and distinct, later
        // ones were appended since; SortPositions merges them in before anything reads the set in order.
        public ulong[] Positions = [];
        public int Count, Sorted;
        public bool IsBigram => Left is not null && Right is not null;

        public void AddPosition(ulong position)
        {
            if (Count == Positions.Length) Array.Resize(ref Positions, Math.Max(4, Count * 2));
            if (Sorted == Count && (Count == 0 || position > Positions[Count - 1])) Sorted++;
            Positions[Count++] = position;
        }
    }

    private readonly SubwordTrainerOptions _options;
    private readonly PieceValidity _validity;
    private readonly StdHashOrder<Symbol> _cache = new();
    private readonly List<Symbol> _active = []; // in any order: IsBetter is a total order
    private readonly HashSet<ulong> _invalidPairs = [];
    private ulong[] _scratch = new ulong[64];
    private readonly Dictionary<int, long> _requiredChars;
    private Symbol?[][] _symbols = [];
    private long[] _wordFreq = [];
    private long _serial;

    private BpeTrainer(SubwordTrainerOptions options, Dictionary<int, long> requiredChars)
    {
        _options = options;
        _validity = new PieceValidity(options);
        _requiredChars = requiredChars;
    }

    /// <summary>The learned pieces with their scores, merges first then the alphabet.</summary>
    internal static List<(string Piece, float Score)> Train(TrainingCorpus corpus, SubwordTrainerOptions options,
        IProgress<SubwordTrainingProgress>? progress, CancellationToken cancellation)
    {
        var trainer = new BpeTrainer(options, corpus.RequiredChars);
        return trainer.Run(corpus, progress, cancellation);
    }

    private List<(string, float)> Run(TrainingCorpus corpus, IProgress<SubwordTrainingProgress>? progress, CancellationToken cancellation)
    {
        var words = corpus.CountWords(_options);
        Prof.Mark("countwords");
        _symbols = new Symbol?[words.Count][];
        _wordFreq = new long[words.Count];
        for (int sid = 0; sid < words.Count; sid++)
        {
            var chars = SpmUtf8.ToCodepoints(words[sid].Word);
            var row = _symbols[sid] = new Symbol?[chars.Count];
            for (int i = 0; i < row.Length; i++) row[i] = CharSymbol(chars[i]);
            _wordFreq[sid] = words[sid].Freq;
        }
        for (int sid = 0; sid < _symbols.Length; sid++)
            for (int i = 1; i < _symbols[sid].Length; i++) AddNewPair(sid, i - 1, i);

        Prof.Mark("bpe init");
        int target = _options.VocabSize - corpus.MetaPieces.Count - corpus.RequiredChars.Count;
        var dup = new HashSet<string>(StringComparer.Ordinal);
        var final = new List<(string, float)>();
        while (final.Count < target)
        {
            cancellation.ThrowIfCancellationRequested();
            if (final.Count % 100 == 0) UpdateActiveSymbols();
            Symbol? best = null;
            foreach (var symbol in _active)
            {
                ComputeFreq(symbol);
                if (best is null || IsBetter(symbol, best)) best = symbol;
            }
            if (best is null) break;
            string text = Encoding.UTF8.GetString(best.Utf8);
            if (!dup.Add(text))
            {
                _cache.Remove(best.Fingerprint);
                RemoveActive(best);
                continue;
            }
            final.Add((text, -(float)final.Count));
            if (final.Count % 100 == 0) progress?.Report(new SubwordTrainingProgress("merge", final.Count, target));
            SortPositions(best);
            int count = best.Count;
            for (int p = 0; p < count; p++)
            {
                var (sid, left, right) = Decode(best.Positions[p]);
                if (_symbols[sid][left] is null) continue;
                int next = NextIndex(sid, right), prev = PrevIndex(sid, left);
                ResetFreq(sid, prev, left, best);
                ResetFreq(sid, right, next, best);
                _symbols[sid][left] = best;
                _symbols[sid][right] = null;
                AddNewPair(sid, prev, left);
                AddNewPair(sid, left, next);
            }
            _cache.Remove(best.Fingerprint);
            RemoveActive(best);
        }
        Prof.Mark("bpe merges");
        foreach (var (c, _) in _requiredChars.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key))
            final.Add((char.ConvertFromUtf32(c), -(float)final.Count));
        return final;
    }

    /// <summary>Frequency first, then fewer characters, then the smaller UTF-8 bytes.</summary>
    private static bool IsBetter(Symbol a, Symbol b) =>
        a.Freq > b.Freq || (a.Freq == b.Freq && (a.Chars.Length < b.Chars.Length ||
            (a.Chars.Length == b.Chars.Length && (a.Utf8.AsSpan().SequenceCompareTo(b.Utf8) < 0 ||
                (a.Utf8.AsSpan().SequenceEqual(b.Utf8) && a.Serial < b.Serial)))));

    private Symbol CharSymbol(int c)
    {
        if (_cache.TryGetValue((ulong)c, out var s)) return s;
        s = new Symbol
        {
            IsUnknown = c == TrainingCorpus.UnknownChar,
            Fingerprint = (ulong)c,
            Chars = [c],
            Utf8 = Encoding.UTF8.GetBytes(char.ConvertFromUtf32(c)),
            Freq = (ulong)_requiredChars.GetValueOrDefault(c, 1),
            Serial = _serial++,
        };
        _cache.Add(s.Fingerprint, s);
        return s;
    }

    private Symbol? PairSymbol(Symbol? left, Symbol? right)
    {
        if (left is null || right is null || left.IsUnknown || right.IsUnknown) return null;
        ulong fp = FingerprintCat(left.Fingerprint, right.Fingerprint);
        if (_cache.TryGetValue(fp, out var s)) return s;
        if (_invalidPairs.Contains(fp)) return null; // validity depends on the characters alone: asked once
        int[] chars = [.. left.Chars, .. right.Chars];
        if (!_validity.IsValid(chars))
        {
            _invalidPairs.Add(fp);
            return null;
        }
        s = new Symbol { Fingerprint = fp, Left = left, Right = right, Chars = chars, Utf8 = [.. left.Utf8, .. right.Utf8], Serial = _serial++ };
        _cache.Add(fp, s);
        return s;
    }

    /// <summary>Recounts a pair whose count was reset, dropping positions that are stale or overlap the previous one.</summary>
    private void ComputeFreq(Symbol symbol)
    {
        if (symbol.Freq > 0) return;
        SortPositions(symbol);
        (int Sid, int Left, int Right) prev = (-1, 0, 0);
        var positions = symbol.Positions;
        int kept = 0;
        for (int i = 0; i < symbol.Count; i++)
        {
            ulong encoded = positions[i];
            var pos = Decode(encoded);
            var row = _symbols[pos.Sid];
            if ((pos.Sid == prev.Sid && pos.Left == prev.Right) ||
                !ReferenceEquals(symbol.Left, row[pos.Left]) || !ReferenceEquals(symbol.Right, row[pos.Right]))
            {
                prev = (-1, 0, 0); // stale, or overlapping the one before: dropped
            }
            else
            {
                symbol.Freq += (ulong)_wordFreq[pos.Sid];
                prev = pos;
                positions[kept++] = encoded;
            }
        }
        symbol.Count = symbol.Sorted = kept;
    }

    /// <summary>Merges the positions added since the last call into the sorted ones, dropping repeats (a set's semantics).</summary>
    private void SortPositions(Symbol symbol)
    {
        int sorted = symbol.Sorted, count = symbol.Count;
        if (sorted == count) return;
        var items = symbol.Positions;
        var tail = items.AsSpan(sorted, count - sorted);
        tail.Sort();
        if (_scratch.Length < count) _scratch = new ulong[Math.Max(count, _scratch.Length * 2)];
        var merged = _scratch;
        int i = 0, j = sorted, n = 0;
        while (i < sorted || j < count)
        {
            ulong next = j == count || (i < sorted && items[i] <= items[j]) ? items[i++] : items[j++];
            if (n == 0 || merged[n - 1] != next) merged[n++] = next;
        }
        merged.AsSpan(0, n).CopyTo(items);
        symbol.Count = symbol.Sorted = n;
    }

    private void AddActive(Symbol symbol)
    {
        if (symbol.ActiveIndex >= 0) return;
        symbol.ActiveIndex = _active.Count;
        _active.Add(symbol);
    }

    private void RemoveActive(Symbol symbol)
    {
        int index = symbol.ActiveIndex;
        if (index < 0) return;
        var last = _active[^1];
        _active[index] = last;
        last.ActiveIndex = index;
        _active.RemoveAt(_active.Count - 1);
        symbol.ActiveIndex = -1;
    }

    private int NextIndex(int sid, int index)
    {
        var row = _symbols[sid];
        for (int i = index + 1; i < row.Length; i++) if (row[i] is not null) return i;
        return -1;
    }

    private int PrevIndex(int sid, int index)
    {
        var row = _symbols[sid];
        for (int i = index - 1; i >= 0; i--) if (row[i] is not null) return i;
        return -1;
    }

    private void AddNewPair(int sid, int left, int right)
    {
        if (left == -1 || right == -1) return;
        var symbol = PairSymbol(_symbols[sid][left], _symbols[sid][right]);
        if (symbol is null) return;
        AddActive(symbol);
        symbol.AddPosition(Encode(sid, left, right));
    }

    private void ResetFreq(int sid, int left, int right, Symbol best)
    {
        if (left == -1 || right == -1) return;
        var symbol = PairSymbol(_symbols[sid][left], _symbols[sid][right]);
        if (symbol is not null && symbol != best) symbol.Freq = 0;
    }

    /// <summary>
    /// Makes the most frequent pairs active: max(1000, 5% of all symbols), recounted first, ties at the cut kept as
    /// the reference's partial sort over its hash map keeps them.
    /// </summary>
    private void UpdateActiveSymbols()
    {
        var bigrams = new List<Symbol>();
        foreach (var symbol in _cache.Values)
            if (symbol.IsBigram)
            {
                ComputeFreq(symbol);
                bigrams.Add(symbol);
            }
        int size = Math.Min(Math.Max(1000, (int)(_cache.Count * 0.05f)), bigrams.Count);
        var ordered = bigrams.ToArray();
        StdHeapSelect.Select(ordered, size, static (a, b) => a.Freq > b.Freq);
        foreach (var symbol in _active) symbol.ActiveIndex = -1;
        _active.Clear();
        for (int i = 0; i < size; i++) AddActive(ordered[i]);
    }

    private static ulong Encode(int sid, int left, int right)
    {
        if (left > ushort.MaxValue || right > ushort.MaxValue) throw new LmToLlmException($"a word of more than {ushort.MaxValue} characters cannot be trained on; lower --max_sentence_length or split the text");
        return ((ulong)(uint)sid << 32) | (uint)((left << 16) | right);
    }

    private static (int Sid, int Left, int Right) Decode(ulong n) => ((int)(n >> 32), (int)((n >> 16) & 0xFFFF), (int)(n & 0xFFFF));

    /// <summary>SentencePiece's <c>port::FingerprintCat</c> (Bob Jenkins' 64-bit mix).</summary>
    internal static ulong FingerprintCat(ulong x, ulong y)
    {
        ulong a = x, b = 0xe08c1d668b756f82, c = y;
        a -= b; a -= c; a ^= c >> 43;
        b -= c; b -= a; b ^= a << 9;
        c -= a; c -= b; c ^= b >> 8;
        a -= b; a -= c; a ^= c >> 38;
        b -= c; b -= a; b ^= a << 23;
        c -= a; c -= b; c ^= b >> 5;
        a -= b; a -= c; a ^= c >> 35;
        b -= c; b -= a; b ^= a << 49;
        c -= a; c -= b; c ^= b >> 11;
        a -= b; a -= c; a ^= c >> 12;
        b -= c; b -= a; b ^= a << 18;
        c -= a; c -= b; c ^= b >> 22;
        return c;
    }
}
