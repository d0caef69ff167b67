using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LmToLlm.Embeddings;

/// <summary>
/// Draws the negative words of negative sampling, with probability ∝ <c>count^0.75</c>. Input: the vocabulary counts
/// (<c>&lt;/s&gt;</c> first). Output: word ids drawn from the trainer's random state, without a per-draw allocation.
/// </summary>
/// <remarks>
/// Two samplers. <see cref="DrawWord2VecC"/> gives exactly the word that word2vec.c's 100-million-slot unigram table
/// would give (a draw that lands on <c>&lt;/s&gt;</c> becomes a uniform word), but keeps only each word's first slot
/// (a 400 MB table becomes a few hundred kB). <see cref="Draw"/> is Walker's alias method over the words without
/// <c>&lt;/s&gt;</c>, as gensim's table has no sentence-end token: one random column, one comparison.
/// </remarks>
internal sealed class Word2VecNegatives
{
    /// <summary>word2vec.c's table length: <c>1e8</c>, or fewer slots for a small vocabulary.</summary>
    private readonly ulong _tableLength;
    /// <summary>First table slot of each word; <c>_starts[V] = table length</c>.</summary>
    private readonly int[] _starts = [];
    /// <summary>The word at the first slot of each bucket of <c>2^_bucketShift</c> slots.</summary>
    private readonly int[] _bucketWords = [];
    private readonly int _bucketShift;
    private readonly ulong _vocabularyMinusOne;
    private readonly AliasColumn[] _alias = [];

    private Word2VecNegatives(ulong tableLength, int[] starts, int[] bucketWords, int bucketShift, ulong vocabularyMinusOne, AliasColumn[] alias)
    {
        _tableLength = tableLength;
        _starts = starts;
        _bucketWords = bucketWords;
        _bucketShift = bucketShift;
        _vocabularyMinusOne = vocabularyMinusOne;
        _alias = alias;
    }

    /// <summary>word2vec.c's sampler (<c>InitUnigramTable</c>), for <c>Compatibility = word2vec.c</c>.</summary>
    public static Word2VecNegatives Word2VecC(long[] counts)
    {
        int size = (int)Math.Min(100_000_000L, counts.Length * 10_000L);
        int[] starts = UnigramTableStarts(counts, size);
        int shift = 0;
        while ((size >> shift) > 1 << 18) shift++;
        var bucketWords = new int[(size >> shift) + 1];
        int word = 0;
        for (int b = 0; b < bucketWords.Length; b++)
        {
            long slot = (long)b << shift;
            while (word + 1 < counts.Length && starts[word + 1] <= slot) word++;
            bucketWords[b] = word;
        }
        return new Word2VecNegatives((ulong)size, starts, bucketWords, shift, (ulong)(counts.Length - 1), []);
    }

    /// <summary>The alias sampler over words 1..V−1 (no <c>&lt;/s&gt;</c>), the default.</summary>
    public static Word2VecNegatives Alias(long[] counts)
    {
        int n = counts.Length;
        var weights = new double[n];
        double total = 0;
        for (int i = 1; i < n; i++) total += weights[i] = Math.Pow(counts[i], 0.75);
        if (!(total > 0)) weights[n - 1] = total = 1;
        // Vose's construction: scaled weights below 1 borrow the rest of their column from one above 1.
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < n; i++)
        {
            scaled[i] = weights[i] * n / total;
            (scaled[i] < 1 ? small : large).Push(i);
        }
        var alias = new AliasColumn[n];
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Peek();
            alias[s] = new AliasColumn(Threshold(scaled[s]), l);
            scaled[l] -= 1 - scaled[s];
            if (scaled[l] < 1) small.Push(large.Pop());
        }
        while (large.Count > 0) { int l = large.Pop(); alias[l] = new AliasColumn(uint.MaxValue, l); }
        while (small.Count > 0) { int s = small.Pop(); alias[s] = new AliasColumn(uint.MaxValue, s); }
        return new Word2VecNegatives(0, [], [], 0, (ulong)(n - 1), alias);
    }

    private static uint Threshold(double probability) => probability >= 1 ? uint.MaxValue : (uint)(probability * 4294967296.0);

    /// <summary>
    /// word2vec.c's draw: slot <c>(random &gt;&gt; 16) mod table length</c>; a slot of <c>&lt;/s&gt;</c> becomes word
    /// <c>random mod (V − 1) + 1</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DrawWord2VecC(ulong random)
    {
        int slot = (int)((random >> 16) % _tableLength);
        ref int starts = ref MemoryMarshal.GetArrayDataReference(_starts);
        int word = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_bucketWords), slot >> _bucketShift);
        while (Unsafe.Add(ref starts, word + 1) <= slot) word++;
        return word == 0 ? (int)(random % _vocabularyMinusOne) + 1 : word;
    }

    /// <summary>
    /// The alias draw from bits 16–47 of the random state: their product with V gives the column (high half) and a
    /// uniform fraction (low half) that picks the column's word or its alias.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Draw(ulong random)
    {
        ulong product = ((random >> 16) & 0xFFFF_FFFFUL) * (ulong)_alias.Length;
        AliasColumn column = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_alias), (nint)(product >> 32));
        return (uint)product < column.Threshold ? (int)(product >> 32) : column.Alias;
    }

    /// <summary>
    /// The first slot of each word in word2vec.c's <c>InitUnigramTable</c> (slot a holds word i while a/size ≤ the
    /// cumulative share of <c>count^0.75</c> of words 0..i), computed with the same float arithmetic.
    /// </summary>
    internal static int[] UnigramTableStarts(long[] counts, int size)
    {
        var starts = new int[counts.Length + 1];
        double total = 0;
        foreach (long c in counts) total += Math.Pow(c, 0.75);
        int i = 0;
        double cumulative = Math.Pow(counts[0], 0.75) / total;
        for (int a = 0; a < size; a++)
        {
            if (a / (double)size > cumulative)
            {
                i++;
                if (i < counts.Length)
                {
                    cumulative += Math.Pow(counts[i], 0.75) / total;
                    starts[i] = a + 1;
                }
            }
            // word2vec.c clamps i to the last word; from then on every slot is the last word's.
            if (i >= counts.Length) { i = counts.Length - 1; break; }
        }
        for (int w = i + 1; w < counts.Length; w++) starts[w] = size;
        starts[counts.Length] = size;
        return starts;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct AliasColumn(uint Threshold, int Alias);
}
