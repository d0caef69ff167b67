namespace LmToLlm.Subwords;

/// <summary>Options of <see cref="ByteLevelBpe.Train"/>.</summary>
public sealed record ByteLevelBpeTrainerOptions
{
    /// <summary>Tokens in the vocabulary: the 256 bytes plus one per merge (default 8,000; at least 256).</summary>
    public int VocabSize { get; init; } = 8000;

    /// <summary>A pair seen fewer times than this is never merged, so training may stop below <see cref="VocabSize"/> (default 2).</summary>
    public int MinFrequency { get; init; } = 2;
}

/// <summary>
/// Learns byte-level BPE merges. Input: lines of text. Output: the 256 byte tokens (GPT-2's order) followed by one token
/// per merge, and the merges by rank. Each line is split by GPT-2's pre-tokenizer and pre-tokens are counted; then,
/// again and again, the adjacent pair of tokens with the highest count over all pre-tokens (each weighted by its count)
/// is merged into a new token. Ties go to the pair whose left token has the smaller id, then whose right token has the
/// smaller id — older tokens first, as Hugging Face tokenizers' <c>BpeTrainer</c> orders equal counts — so the result
/// depends only on the text, not on hash or thread order. Within a pre-token, occurrences merge left to right.
/// </summary>
internal static class ByteLevelBpeTrainer
{
    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private sealed class HigherCountFirst : IComparer<(long Count, long Key)>
    {
        public static readonly HigherCountFirst Instance = new();

        public int Compare((long Count, long Key) x, (long Count, long Key) y) =>
            x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Key.CompareTo(y.Key);
    }

    internal static (string[] Tokens, (int, int)[] Merges) Train(IEnumerable<string> lines, ByteLevelBpeTrainerOptions options, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.VocabSize, 256, nameof(options.VocabSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinFrequency, 1, nameof(options.MinFrequency));
        int[] idOfByte = new int[256];
        var tokens = new List<string>(options.VocabSize);
        for (int i = 0; i < 256; i++)
        {
            idOfByte[ByteLevel.Order[i]] = i;
            tokens.Add(ByteLevel.ByteToChar[ByteLevel.Order[i]].ToString());
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long lineCount = 0;
        foreach (string line in lines)
        {
            if ((++lineCount & 0x3FF) == 0) cancellation.ThrowIfCancellationRequested();
            foreach (var match in ByteLevel.PreTokenizer().EnumerateMatches(line))
            {
                var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
                var piece = line.AsSpan(match.Index, match.Length);
                lookup[piece] = lookup.TryGetValue(piece, out long c) ? c + 1 : 1;
            }
        }

        // Words in ordinal order: only for a reproducible iteration; counts and ties do not depend on it.
        var words = counts.Keys.Order(StringComparer.Ordinal).ToArray();
        var symbols = new int[words.Length][];
        var frequency = new long[words.Length];
        var pairCount = new Dictionary<long, long>();
        var where = new Dictionary<long, HashSet<int>>();
        for (int w = 0; w < words.Length; w++)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(words[w]);
            symbols[w] = [.. bytes.Select(b => idOfByte[b])];
            frequency[w] = counts[words[w]];
            AddPairs(w, +1);
        }

        var queue = new PriorityQueue<long, (long, long)>(HigherCountFirst.Instance);
        foreach (var (key, count) in pairCount) queue.Enqueue(key, (count, key));
        var merges = new List<(int, int)>();
        while (tokens.Count < options.VocabSize && queue.TryDequeue(out long best, out var priority))
        {
            long current = pairCount.GetValueOrDefault(best);
            if (current != priority.Item1)
            {
                // Stale: the pair lost occurrences to earlier merges; requeue it with what is left.
                if (current > 0) queue.Enqueue(best, (current, best));
                continue;
            }
            if (current < options.MinFrequency) break;
            if ((merges.Count & 0xFF) == 0) cancellation.ThrowIfCancellationRequested();
            int left = (int)(best >> 32), right = (int)best, merged = tokens.Count;
            tokens.Add(tokens[left] + tokens[right]);
            merges.Add((left, right));
            var fresh = new HashSet<long>();
            foreach (int w in where[best])
            {
                int[] s = symbols[w];
                AddPairs(w, -1);
                var next = new List<int>(s.Length);
                for (int i = 0; i < s.Length; i++)
                {
                    if (i + 1 < s.Length && s[i] == left && s[i + 1] == right) { next.Add(merged); i++; }
                    else next.Add(s[i]);
                }
                symbols[w] = [.. next];
                AddPairs(w, +1);
                for (int i = 0; i + 1 < next.Count; i++)
                    if (next[i] == merged || next[i + 1] == merged) fresh.Add(Key(next[i], next[i + 1]));
            }
            where.Remove(best);
            foreach (long key in fresh) queue.Enqueue(key, (pairCount[key], key));
        }
        return ([.. tokens], [.. merges]);

        void AddPairs(int w, int sign)
        {
            int[] s = symbols[w];
            long f = sign * frequency[w];
            for (int i = 0; i + 1 < s.Length; i++)
            {
                long key = Key(s[i], s[i + 1]);
                long updated = pairCount.GetValueOrDefault(key) + f;
                if (updated == 0) pairCount.Remove(key);
                else pairCount[key] = updated;
                if (sign > 0)
                {
                    if (!where.TryGetValue(key, out var set)) where[key] = set = [];
                    set.Add(w);
                }
            }
        }
    }
}
