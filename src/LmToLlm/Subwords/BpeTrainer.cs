using System.Runtime.CompilerServices;
using System.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// BPE training as SentencePiece's <c>bpe_model_trainer.cc</c>. Input: the words of a <see cref="TrainingCorpus"/>
/// with their counts. Output: the merged pieces in merge order, scored 0, -1, -2, … then the alphabet by frequency.
/// Each step merges the most frequent adjacent pair (ties: fewer characters, then smaller UTF-8 bytes), looking only
/// at the "active" pairs (the top 5% by frequency, at least 1,000, refreshed every 100 merges, plus pairs created
/// since), with frequencies recomputed lazily as the reference does; this is what makes the pieces the same.
/// </summary>
/// <remarks>
/// Symbols are ints (their creation order, which also breaks ties between equal strings); the words hold symbol ids
/// and the frequencies sit in one array by id, so the scans over all pairs and over the active ones stay in a few
/// contiguous arrays.
/// </remarks>
internal sealed class BpeTrainer
{
    private const int None = -1;

    private sealed class Symbol
    {
        public int Left = None, Right = None; // the pair's halves; None for a character
        public int[] Chars = [];
        public byte[] Utf8 = [];
        public int ActiveIndex = None;
        // The reference's std::set of positions as an array: the first Sorted items are sorted and distinct, later
        // ones were appended since; SortPositions merges them in before anything reads the set in order.
        public ulong[] Positions = [];
        public int Count, Sorted;

        public void AddPosition(ulong position)
        {
            if (Count == Positions.Length) Array.Resize(ref Positions, Math.Max(4, Count * 2));
            if (Sorted == Count && (Count == 0 || position > Positions[Count - 1])) Sorted++;
            Positions[Count++] = position;
        }
    }

    private readonly SubwordTrainerOptions _options;
    private readonly PieceValidity _validity;
    private readonly StdHashOrder<int> _cache = new();
    private readonly List<Symbol> _byId = [];
    private ulong[] _freq = new ulong[1024], _fingerprint = new ulong[1024];
    private readonly List<int> _active = []; // in any order: IsBetter is a total order
    private readonly HashSet<ulong> _invalidPairs = [];
    private readonly Dictionary<int, long> _requiredChars;
    private int[][] _symbols = [];
    private long[] _wordFreq = [];
    private int _firstPairId = int.MaxValue, _unknownId = None;
    private ulong[] _scratch = new ulong[64];
    private (ulong Freq, int Id)[] _bigrams = [];
    // A direct-mapped memo of PairSymbol: (left, right) → pair id or None (invalid, for good); an entry whose pair
    // has since been merged and dropped from the cache (Gone) is asked again.
    private readonly PairSlot[] _pairSlots = NewPairSlots();
    private bool[] _gone = new bool[1024];

    private struct PairSlot
    {
        public int Left, Right, Id;
    }

    private static PairSlot[] NewPairSlots()
    {
        var slots = new PairSlot[1 << 16];
        slots.AsSpan().Fill(new PairSlot { Left = None, Right = None, Id = None });
        return slots;
    }

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<(string, float)> Run(TrainingCorpus corpus, IProgress<SubwordTrainingProgress>? progress, CancellationToken cancellation)
    {
        var words = corpus.CountWords(_options);
        _symbols = new int[words.Count][];
        _wordFreq = new long[words.Count];
        for (int sid = 0; sid < words.Count; sid++)
        {
            var chars = SpmUtf8.ToCodepoints(words[sid].Word);
            var row = _symbols[sid] = new int[chars.Count];
            for (int i = 0; i < row.Length; i++) row[i] = CharSymbol(chars[i]);
            _wordFreq[sid] = words[sid].Freq;
        }
        _firstPairId = _byId.Count; // every character symbol exists before the first pair
        for (int sid = 0; sid < _symbols.Length; sid++)
            for (int i = 1; i < _symbols[sid].Length; i++) AddNewPair(sid, i - 1, i);

        int target = _options.VocabSize - corpus.MetaPieces.Count - corpus.RequiredChars.Count;
        var dup = new HashSet<string>(StringComparer.Ordinal);
        var final = new List<(string, float)>();
        while (final.Count < target)
        {
            cancellation.ThrowIfCancellationRequested();
            if (final.Count % 100 == 0) UpdateActiveSymbols();
            int best = None;
            ulong bestFreq = 0;
            foreach (int id in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_active))
            {
                if (_freq[id] == 0) ComputeFreq(id);
                ulong freq = _freq[id];
                if (best == None || freq > bestFreq || (freq == bestFreq && WinsTie(id, best)))
                {
                    best = id;
                    bestFreq = freq;
                }
            }
            if (best == None) break;
            var symbol = _byId[best];
            string text = Encoding.UTF8.GetString(symbol.Utf8);
            if (!dup.Add(text))
            {
                DropFromCache(best);
                RemoveActive(best);
                continue;
            }
            final.Add((text, -(float)final.Count));
            if (final.Count % 100 == 0) progress?.Report(new SubwordTrainingProgress("merge", final.Count, target));
            SortPositions(symbol);
            int count = symbol.Count;
            for (int p = 0; p < count; p++)
            {
                var (sid, left, right) = Decode(symbol.Positions[p]);
                var row = _symbols[sid];
                if (row[left] == None) continue;
                int next = NextIndex(row, right), prev = PrevIndex(row, left);
                ResetFreq(row, prev, left, best);
                ResetFreq(row, right, next, best);
                row[left] = best;
                row[right] = None;
                AddNewPair(sid, prev, left);
                AddNewPair(sid, left, next);
            }
            DropFromCache(best);
            RemoveActive(best);
        }
        foreach (var (c, _) in _requiredChars.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key))
            final.Add((char.ConvertFromUtf32(c), -(float)final.Count));
        return final;
    }

    private void DropFromCache(int id)
    {
        _cache.Remove(_fingerprint[id]);
        _gone[id] = true;
    }

    /// <summary>Between equal frequencies: fewer characters, then the smaller UTF-8 bytes, then the older symbol.</summary>
    private bool WinsTie(int a, int b)
    {
        Symbol x = _byId[a], y = _byId[b];
        if (x.Chars.Length != y.Chars.Length) return x.Chars.Length < y.Chars.Length;
        int order = x.Utf8.AsSpan().SequenceCompareTo(y.Utf8);
        return order != 0 ? order < 0 : a < b;
    }

    private int NewSymbol(Symbol symbol, ulong fingerprint, ulong freq)
    {
        int id = _byId.Count;
        _byId.Add(symbol);
        if (id == _freq.Length)
        {
            Array.Resize(ref _freq, id * 2);
            Array.Resize(ref _fingerprint, id * 2);
            Array.Resize(ref _gone, id * 2);
        }
        _freq[id] = freq;
        _fingerprint[id] = fingerprint;
        _cache.Add(fingerprint, id);
        return id;
    }

    private int CharSymbol(int c)
    {
        if (_cache.TryGetValue((ulong)c, out int id)) return id;
        var s = new Symbol { Chars = [c], Utf8 = Encoding.UTF8.GetBytes(char.ConvertFromUtf32(c)) };
        id = NewSymbol(s, (ulong)c, (ulong)_requiredChars.GetValueOrDefault(c, 1));
        if (c == TrainingCorpus.UnknownChar) _unknownId = id;
        return id;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int PairSymbol(int left, int right)
    {
        if (left == None || right == None || left == _unknownId || right == _unknownId) return None;
        ref var slot = ref _pairSlots[(int)((uint)(left * -1640531535 + right * 40503) >> 16)];
        if (slot.Left == left && slot.Right == right && (slot.Id == None || !_gone[slot.Id])) return slot.Id;
        int id = FindPairSymbol(left, right);
        slot = new PairSlot { Left = left, Right = right, Id = id };
        return id;
    }

    private int FindPairSymbol(int left, int right)
    {
        ulong fp = FingerprintCat(_fingerprint[left], _fingerprint[right]);
        if (_cache.TryGetValue(fp, out int id)) return id;
        if (_invalidPairs.Contains(fp)) return None; // validity depends on the characters alone: asked once
        Symbol l = _byId[left], r = _byId[right];
        int[] chars = [.. l.Chars, .. r.Chars];
        if (!_validity.IsValid(chars))
        {
            _invalidPairs.Add(fp);
            return None;
        }
        return NewSymbol(new Symbol { Left = left, Right = right, Chars = chars, Utf8 = [.. l.Utf8, .. r.Utf8] }, fp, 0);
    }

    /// <summary>Recounts a pair whose count was reset, dropping positions that are stale or overlap the previous one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeFreq(int id)
    {
        if (_freq[id] > 0) return;
        var symbol = _byId[id];
        SortPositions(symbol);
        int prevSid = None, prevRight = 0, kept = 0;
        var positions = symbol.Positions;
        ulong freq = 0;
        for (int i = 0; i < symbol.Count; i++)
        {
            ulong encoded = positions[i];
            var (sid, left, right) = Decode(encoded);
            var row = _symbols[sid];
            if ((sid == prevSid && left == prevRight) || row[left] != symbol.Left || row[right] != symbol.Right)
            {
                prevSid = None; // stale, or overlapping the one before: dropped
            }
            else
            {
                freq += (ulong)_wordFreq[sid];
                prevSid = sid;
                prevRight = right;
                positions[kept++] = encoded;
            }
        }
        symbol.Count = symbol.Sorted = kept;
        _freq[id] = freq;
    }

    /// <summary>Merges the positions added since the last call into the sorted ones, dropping repeats (a set's semantics).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SortPositions(Symbol symbol)
    {
        int sorted = symbol.Sorted, count = symbol.Count;
        if (sorted == count) return;
        var items = symbol.Positions;
        items.AsSpan(sorted, count - sorted).Sort();
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

    private void AddActive(int id)
    {
        var symbol = _byId[id];
        if (symbol.ActiveIndex != None) return;
        symbol.ActiveIndex = _active.Count;
        _active.Add(id);
    }

    private void RemoveActive(int id)
    {
        var symbol = _byId[id];
        int index = symbol.ActiveIndex;
        if (index == None) return;
        int last = _active[^1];
        _active[index] = last;
        _byId[last].ActiveIndex = index;
        _active.RemoveAt(_active.Count - 1);
        symbol.ActiveIndex = None;
    }

    private static int NextIndex(int[] row, int index)
    {
        for (int i = index + 1; i < row.Length; i++) if (row[i] != None) return i;
        return None;
    }

    private static int PrevIndex(int[] row, int index)
    {
        for (int i = index - 1; i >= 0; i--) if (row[i] != None) return i;
        return None;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddNewPair(int sid, int left, int right)
    {
        if (left == None || right == None) return;
        var row = _symbols[sid];
        int id = PairSymbol(row[left], row[right]);
        if (id == None) return;
        AddActive(id);
        _byId[id].AddPosition(Encode(sid, left, right));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ResetFreq(int[] row, int left, int right, int best)
    {
        if (left == None || right == None) return;
        int id = PairSymbol(row[left], row[right]);
        if (id != None && id != best) _freq[id] = 0;
    }

    /// <summary>
    /// Makes the most frequent pairs active: max(1000, 5% of all symbols), recounted first, ties at the cut kept as
    /// the reference's partial sort over its hash map keeps them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateActiveSymbols()
    {
        if (_bigrams.Length < _cache.Count) _bigrams = new (ulong, int)[_cache.Count * 2];
        int count = 0;
        foreach (int id in _cache.Values)
            if (id >= _firstPairId)
            {
                ComputeFreq(id);
                _bigrams[count++] = (_freq[id], id);
            }
        int size = Math.Min(Math.Max(1000, (int)(_cache.Count * 0.05f)), count);
        var ordered = _bigrams.AsSpan(0, count);
        StdHeapSelect.Select(ordered, size, static (a, b) => a.Freq > b.Freq);
        foreach (int id in _active) _byId[id].ActiveIndex = None;
        _active.Clear();
        for (int i = 0; i < size; i++) AddActive(ordered[i].Id);
    }

    private static ulong Encode(int sid, int left, int right)
    {
        if (left > ushort.MaxValue || right > ushort.MaxValue) throw new LmToLlmException($"a word of more than {ushort.MaxValue} characters cannot be trained on; lower --max_sentence_length or split the text");
        return ((ulong)(uint)sid << 32) | (uint)((left << 16) | right);
    }

    private static (int Sid, int Left, int Right) Decode(ulong n) => ((int)(n >> 32), (int)((n >> 16) & 0xFFFF), (int)(n & 0xFFFF));

    /// <summary>SentencePiece's <c>port::FingerprintCat</c> (Bob Jenkins' 64-bit mix).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
