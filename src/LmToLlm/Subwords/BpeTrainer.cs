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
        public readonly SortedSet<ulong> Positions = [];
        public bool IsBigram => Left is not null && Right is not null;
    }

    private readonly SubwordTrainerOptions _options;
    private readonly PieceValidity _validity;
    private readonly StdHashOrder<Symbol> _cache = new();
    private readonly HashSet<Symbol> _active = new(ReferenceEqualityComparer.Instance);
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
        _symbols = new Symbol?[words.Count][];
        _wordFreq = new long[words.Count];
        for (int sid = 0; sid < words.Count; sid++)
        {
            var chars = SpmUtf8.ToCodepoints(words[sid].Word);
            _symbols[sid] = chars.Select(c => (Symbol?)CharSymbol(c)).ToArray();
            _wordFreq[sid] = words[sid].Freq;
        }
        for (int sid = 0; sid < _symbols.Length; sid++)
            for (int i = 1; i < _symbols[sid].Length; i++) AddNewPair(sid, i - 1, i);

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
                _active.Remove(best);
                continue;
            }
            final.Add((text, -(float)final.Count));
            if (final.Count % 100 == 0) progress?.Report(new SubwordTrainingProgress("merge", final.Count, target));
            foreach (ulong encoded in best.Positions)
            {
                var (sid, left, right) = Decode(encoded);
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
            _active.Remove(best);
        }
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
        int[] chars = [.. left.Chars, .. right.Chars];
        if (!_validity.IsValid(chars)) return null;
        s = new Symbol { Fingerprint = fp, Left = left, Right = right, Chars = chars, Utf8 = [.. left.Utf8, .. right.Utf8], Serial = _serial++ };
        _cache.Add(fp, s);
        return s;
    }

    /// <summary>Recounts a pair whose count was reset, dropping positions that are stale or overlap the previous one.</summary>
    private void ComputeFreq(Symbol symbol)
    {
        if (symbol.Freq > 0) return;
        (int Sid, int Left, int Right) prev = (-1, 0, 0);
        List<ulong>? stale = null;
        foreach (ulong encoded in symbol.Positions)
        {
            var pos = Decode(encoded);
            if ((pos.Sid == prev.Sid && pos.Left == prev.Right) ||
                !ReferenceEquals(symbol.Left, _symbols[pos.Sid][pos.Left]) || !ReferenceEquals(symbol.Right, _symbols[pos.Sid][pos.Right]))
            {
                (stale ??= []).Add(encoded);
                prev = (-1, 0, 0);
            }
            else
            {
                symbol.Freq += (ulong)_wordFreq[pos.Sid];
                prev = pos;
            }
        }
        if (stale is not null) foreach (ulong e in stale) symbol.Positions.Remove(e);
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
        _active.Add(symbol);
        symbol.Positions.Add(Encode(sid, left, right));
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
        _active.Clear();
        for (int i = 0; i < size; i++) _active.Add(ordered[i]);
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
