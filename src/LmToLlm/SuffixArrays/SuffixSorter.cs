using System.Numerics;

namespace LmToLlm.SuffixArrays;

/// <summary>
/// Suffix-array construction by induced sorting (SA-IS: Nong, Zhang and Chan 2009, "Linear suffix array construction
/// by almost pure induced-sorting"). Input: a text of symbols in [0, alphabet). Output: the start positions of its
/// suffixes in lexicographic order, a shorter suffix before every suffix it is a prefix of (as libdivsufsort orders them).
/// </summary>
/// <remarks>
/// The end of the text acts as a virtual sentinel smaller than every symbol, so no symbol is reserved. The reduced
/// problem of each recursion lives in the suffix array's own space (names in the upper half, the reduced suffix
/// array in the lower), and its buckets in the space between when they fit, so a byte text needs about 5 bytes
/// per symbol plus a type bit.
/// </remarks>
internal static class SuffixSorter
{
    /// <summary>The suffix array of a byte text.</summary>
    internal static int[] Sort(ReadOnlySpan<byte> text)
    {
        var sa = new int[text.Length];
        Sort(text, sa, 256);
        return sa;
    }

    /// <summary>Sorts the suffixes of <paramref name="text"/> (symbols in [0, <paramref name="alphabet"/>)) into <paramref name="sa"/>.</summary>
    internal static void Sort<T>(ReadOnlySpan<T> text, Span<int> sa, int alphabet, CancellationToken cancellationToken = default)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (sa.Length != text.Length) throw new ArgumentException("the suffix array must be as long as the text", nameof(sa));
        ArgumentOutOfRangeException.ThrowIfLessThan(alphabet, 1);
        Sais(text, sa, alphabet, [], cancellationToken);
    }

    private static int Sym<T>(T value) where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(value);

    private static void Sais<T>(ReadOnlySpan<T> t, Span<int> sa, int k, Span<int> free, CancellationToken cancellationToken)
        where T : unmanaged, IBinaryInteger<T>
    {
        int n = t.Length;
        if (n == 0) return;
        if (n == 1)
        {
            sa[0] = 0;
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var types = SuffixTypes.Of(t);

        // Buckets: counts kept when there is room for them, else recounted for each use.
        Span<int> counts, bucket;
        if (free.Length >= 2 * k)
        {
            counts = free[..k];
            bucket = free.Slice(k, k);
        }
        else if (free.Length >= k)
        {
            counts = [];
            bucket = free[..k];
        }
        else
        {
            counts = new int[k];
            bucket = new int[k];
        }
        if (!counts.IsEmpty) Count(t, counts);

        // Stage 1: sort the LMS substrings by inducing from their unsorted positions.
        sa.Fill(-1);
        Buckets(t, counts, bucket, end: true);
        for (int i = 1; i < n; i++)
            if (types.IsLms(i)) sa[--bucket[Sym(t[i])]] = i;
        InduceL(t, sa, types, counts, bucket);
        InduceS(t, sa, types, counts, bucket);
        cancellationToken.ThrowIfCancellationRequested();

        // Compact the sorted LMS positions into sa[0..m), then name each LMS substring by its rank among distinct ones.
        int m = 0;
        for (int i = 0; i < n; i++)
        {
            int p = sa[i];
            if (p > 0 && types.IsLms(p)) sa[m++] = p;
        }
        sa[m..].Fill(-1);
        int names = 0;
        int previous = -1;
        for (int i = 0; i < m; i++)
        {
            int p = sa[i];
            if (previous < 0 || !EqualLmsSubstrings(t, types, p, previous)) names++;
            previous = p;
            sa[m + (p >> 1)] = names - 1; // LMS positions are at least 2 apart: p/2 is unique
        }
        for (int i = n - 1, w = n; i >= m; i--)
            if (sa[i] >= 0) sa[--w] = sa[i];

        // Stage 2: sort the reduced text (names in text order), recursively when names repeat.
        var reduced = sa.Slice(n - m, m);
        var reducedSa = sa[..m];
        if (names < m) Sais<int>(reduced, reducedSa, names, sa.Slice(m, n - 2 * m), cancellationToken);
        else for (int i = 0; i < m; i++) reducedSa[reduced[i]] = i;

        // Stage 3: map back to text positions, place the sorted LMS suffixes at their bucket ends and induce the rest.
        for (int i = 1, j = 0; i < n; i++)
            if (types.IsLms(i)) reduced[j++] = i;
        for (int i = 0; i < m; i++) reducedSa[i] = reduced[reducedSa[i]];
        sa[m..].Fill(-1);
        Buckets(t, counts, bucket, end: true);
        for (int i = m - 1; i >= 0; i--)
        {
            int p = sa[i];
            sa[i] = -1;
            sa[--bucket[Sym(t[p])]] = p;
        }
        InduceL(t, sa, types, counts, bucket);
        InduceS(t, sa, types, counts, bucket);
    }

    private static void Count<T>(ReadOnlySpan<T> t, Span<int> counts) where T : unmanaged, IBinaryInteger<T>
    {
        counts.Clear();
        foreach (T c in t) counts[Sym(c)]++;
    }

    /// <summary>Bucket starts (or ends) of every symbol; recounts when the counts could not be kept.</summary>
    private static void Buckets<T>(ReadOnlySpan<T> t, Span<int> counts, Span<int> bucket, bool end) where T : unmanaged, IBinaryInteger<T>
    {
        if (counts.IsEmpty)
        {
            Count(t, bucket);
            counts = bucket;
        }
        int sum = 0;
        for (int c = 0; c < bucket.Length; c++)
        {
            int size = counts[c];
            sum += size;
            bucket[c] = end ? sum : sum - size;
        }
    }

    /// <summary>L-type suffixes, scanning left to right from bucket starts; the virtual sentinel makes n−1 the first.</summary>
    private static void InduceL<T>(ReadOnlySpan<T> t, Span<int> sa, in SuffixTypes types, Span<int> counts, Span<int> bucket)
        where T : unmanaged, IBinaryInteger<T>
    {
        int n = t.Length;
        Buckets(t, counts, bucket, end: false);
        sa[bucket[Sym(t[n - 1])]++] = n - 1;
        for (int i = 0; i < sa.Length; i++)
        {
            int j = sa[i] - 1;
            if (j >= 0 && !types.IsS(j)) sa[bucket[Sym(t[j])]++] = j;
        }
    }

    /// <summary>S-type suffixes, scanning right to left from bucket ends.</summary>
    private static void InduceS<T>(ReadOnlySpan<T> t, Span<int> sa, in SuffixTypes types, Span<int> counts, Span<int> bucket)
        where T : unmanaged, IBinaryInteger<T>
    {
        Buckets(t, counts, bucket, end: true);
        for (int i = sa.Length - 1; i >= 0; i--)
        {
            int j = sa[i] - 1;
            if (j >= 0 && types.IsS(j)) sa[--bucket[Sym(t[j])]] = j;
        }
    }

    /// <summary>True when the LMS substrings at <paramref name="a"/> and <paramref name="b"/> are equal in symbols and types.</summary>
    private static bool EqualLmsSubstrings<T>(ReadOnlySpan<T> t, in SuffixTypes types, int a, int b) where T : unmanaged, IBinaryInteger<T>
    {
        int n = t.Length;
        for (int d = 0; ; d++)
        {
            if (a + d == n || b + d == n) return false; // only one substring reaches the sentinel
            if (t[a + d] != t[b + d] || types.IsS(a + d) != types.IsS(b + d)) return false;
            if (d > 0 && types.IsLms(a + d)) return true; // types so far equal, so b + d is LMS too
        }
    }

    /// <summary>One bit per position: set for S-type (smaller than the suffix after it), clear for L-type.</summary>
    private readonly struct SuffixTypes
    {
        private readonly ulong[] _bits;

        private SuffixTypes(ulong[] bits) => _bits = bits;

        public static SuffixTypes Of<T>(ReadOnlySpan<T> t) where T : unmanaged, IBinaryInteger<T>
        {
            int n = t.Length;
            var bits = new ulong[(n + 63) >> 6];
            bool nextIsS = false; // the last suffix is L: the sentinel after it is smaller
            for (int i = n - 2; i >= 0; i--)
            {
                int a = Sym(t[i]), b = Sym(t[i + 1]);
                bool isS = a < b || (a == b && nextIsS);
                if (isS) bits[i >> 6] |= 1UL << i;
                nextIsS = isS;
            }
            return new SuffixTypes(bits);
        }

        public bool IsS(int i) => (_bits[i >> 6] & (1UL << i)) != 0;

        /// <summary>Leftmost S: an S-type position after an L-type one.</summary>
        public bool IsLms(int i) => i > 0 && IsS(i) && !IsS(i - 1);
    }
}
