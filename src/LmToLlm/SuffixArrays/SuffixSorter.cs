using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace LmToLlm.SuffixArrays;

/// <summary>
/// Suffix-array construction by induced sorting (SA-IS: Nong, Zhang and Chan 2009, "Linear suffix array construction
/// by almost pure induced-sorting"). Input: a text of symbols in [0, alphabet). Output: the start positions of its
/// suffixes in lexicographic order, a shorter suffix before every suffix it is a prefix of (as libdivsufsort orders them).
/// </summary>
/// <remarks>
/// The end of the text acts as a virtual sentinel smaller than every symbol, so no symbol is reserved. No type array
/// is kept: as in Grebnov's libsais, an entry's sign bit says whether the suffix before it is to be induced by the
/// scan that reads it (the type of suffix j − 1 follows from the symbols at j − 1 and j once the type of j is known),
/// so an induce scan reads the suffix array, the text and the bucket pointers only; the text symbol each entry will
/// need is prefetched a fixed distance ahead. LMS substrings are named by comparing their symbols, their lengths
/// stored in the free half of the array (Mori's sais). The reduced problem of each recursion lives in the suffix
/// array's own space (names in the upper half, the reduced suffix array in the lower), and its buckets in the space
/// between when they fit, so a byte text needs 5 bytes per symbol and 1 KB of buckets.
/// </remarks>
internal static unsafe class SuffixSorter
{
    private const int Marked = int.MinValue;
    private const int Unmarked = int.MaxValue;

    /// <summary>How far ahead of the scan the text symbol of an entry is prefetched.</summary>
    private const int PrefetchDistance = 32;

    /// <summary>The suffix array of a byte text.</summary>
    internal static int[] Sort(ReadOnlySpan<byte> text)
    {
        var sa = new int[text.Length];
        Sort(text, sa, 256);
        return sa;
    }

    /// <summary>Sorts the suffixes of <paramref name="text"/> (symbols in [0, <paramref name="alphabet"/>)) into <paramref name="sa"/>.</summary>
    internal static void Sort<T>(ReadOnlySpan<T> text, Span<int> sa, int alphabet, CancellationToken cancellation = default)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (sa.Length != text.Length) throw new ArgumentException("the suffix array must be as long as the text", nameof(sa));
        ArgumentOutOfRangeException.ThrowIfLessThan(alphabet, 1);
        fixed (T* t = text)
        fixed (int* s = sa)
            Sais(t, s, text.Length, alphabet, [], cancellation);
    }

    /// <summary>Phase timings of the top two levels, reported when the symbol SUFFIX_SORTER_PROFILE is defined.</summary>
    internal static Action<string, TimeSpan>? PhaseObserver { get; set; }

    [Conditional("SUFFIX_SORTER_PROFILE")]
    private static void Phase(int level, string name, ref long since)
    {
        long now = Stopwatch.GetTimestamp();
        if (level <= 1) PhaseObserver?.Invoke(level == 0 ? name : "  level 1: " + name, Stopwatch.GetElapsedTime(since, now));
        since = now;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(void* address)
    {
        if (Sse.IsSupported) Sse.Prefetch0(address);
    }

    private static int Sym<T>(T value) where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(value);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call does all the work: no time to tier up
    private static void Sais<T>(T* t, int* sa, int n, int k, Span<int> free, CancellationToken cancellation, int level = 0)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (n == 0) return;
        if (n == 1)
        {
            sa[0] = 0;
            return;
        }
        cancellation.ThrowIfCancellationRequested();
        long clock = Stopwatch.GetTimestamp();

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
        fixed (int* countsP = counts)
        fixed (int* b = bucket)
        {
            int* c = counts.IsEmpty ? null : countsP;
            if (c != null) Count(t, n, c, k);
            Phase(level, "count", ref clock);

            // Stage 1: sort the LMS substrings by inducing from their unsorted positions at their bucket ends.
            new Span<int>(sa, n).Clear();
            Phase(level, "clear", ref clock);
            Buckets(t, n, c, b, k, end: true);
            int m = 0;
            bool nextIsS = false; // the last suffix is L: the sentinel after it is smaller
            int next = Sym(t[n - 1]);
            for (int i = n - 2; i >= 0; i--)
            {
                int symbol = Sym(t[i]);
                bool isS = symbol < next || (symbol == next && nextIsS);
                if (!isS && nextIsS)
                {
                    sa[--b[next]] = i + 1;
                    m++;
                }
                nextIsS = isS;
                next = symbol;
            }
            Phase(level, "classify and place LMS", ref clock);
            InduceL(t, sa, n, c, b, k, final: false);
            Phase(level, "stage 1 induce L", ref clock);
            InduceS(t, sa, n, c, b, k, final: false);
            Phase(level, "stage 1 induce S", ref clock);
            cancellation.ThrowIfCancellationRequested();

            // The scan left the sorted LMS positions marked: compact them into sa[0..m).
            for (int i = 0, w = 0; i < n; i++)
            {
                int v = sa[i];
                sa[w] = v & Unmarked;
                w += v >>> 31;
            }
            // Lengths of the LMS substrings (to the next LMS position, inclusive) at m + p/2; 0 for the last one,
            // which runs into the sentinel and so equals no other. LMS positions are at least 2 apart: p/2 is unique.
            Phase(level, "compact", ref clock);
            new Span<int>(sa + m, n - m).Clear();
            nextIsS = false;
            next = Sym(t[n - 1]);
            for (int i = n - 2, after = n; i >= 0; i--)
            {
                int symbol = Sym(t[i]);
                bool isS = symbol < next || (symbol == next && nextIsS);
                if (!isS && nextIsS)
                {
                    sa[m + ((i + 1) >> 1)] = after == n ? 0 : after - i;
                    after = i + 1;
                }
                nextIsS = isS;
                next = symbol;
            }
            Phase(level, "lengths", ref clock);
            // Name each LMS substring by its rank among the distinct ones (names + 1 stored, so 0 marks a free slot).
            int names = 0;
            for (int i = 0, previous = -1, previousLength = 0; i < m; i++)
            {
                if (i + PrefetchDistance < m)
                {
                    int ahead = sa[i + PrefetchDistance];
                    Prefetch(sa + m + (ahead >> 1));
                    Prefetch(t + ahead);
                }
                int p = sa[i];
                int length = sa[m + (p >> 1)];
                if (length == 0 || length != previousLength
                    || !new ReadOnlySpan<T>(t + p, length).SequenceEqual(new ReadOnlySpan<T>(t + previous, length)))
                    names++;
                previous = p;
                previousLength = length;
                sa[m + (p >> 1)] = names;
            }
            Phase(level, "names " + m + " " + names, ref clock);
            for (int i = n - 1, w = n; i >= m; i--)
                if (sa[i] != 0) sa[--w] = sa[i] - 1;
            Phase(level, "name LMS substrings", ref clock);

            // Stage 2: sort the reduced text (names in text order), recursively when names repeat.
            int* reduced = sa + n - m;
            if (names < m) Sais(reduced, sa, m, names, new Span<int>(sa + m, n - 2 * m), cancellation, level + 1);
            else for (int i = 0; i < m; i++) sa[reduced[i]] = i;
            Phase(level, "recursion", ref clock);

            // Stage 3: map back to text positions, place the sorted LMS suffixes at their bucket ends and induce the rest.
            nextIsS = false;
            next = Sym(t[n - 1]);
            for (int i = n - 2, w = m; i >= 0; i--)
            {
                int symbol = Sym(t[i]);
                bool isS = symbol < next || (symbol == next && nextIsS);
                if (!isS && nextIsS) reduced[--w] = i + 1;
                nextIsS = isS;
                next = symbol;
            }
            for (int i = 0; i < m; i++)
            {
                if (i + PrefetchDistance < m) Prefetch(reduced + sa[i + PrefetchDistance]);
                sa[i] = reduced[sa[i]];
            }
            new Span<int>(sa + m, n - m).Clear();
            Buckets(t, n, c, b, k, end: true);
            for (int i = m - 1; i >= 0; i--)
            {
                if (i >= PrefetchDistance) Prefetch(t + sa[i - PrefetchDistance]);
                int p = sa[i];
                sa[i] = 0;
                sa[--b[Sym(t[p])]] = p;
            }
            Phase(level, "place sorted LMS", ref clock);
            InduceL(t, sa, n, c, b, k, final: true);
            Phase(level, "stage 3 induce L", ref clock);
            InduceS(t, sa, n, c, b, k, final: true);
            Phase(level, "stage 3 induce S", ref clock);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call does all the work: no time to tier up
    private static void Count<T>(T* t, int n, int* counts, int k) where T : unmanaged, IBinaryInteger<T>
    {
        new Span<int>(counts, k).Clear();
        for (int i = 0; i < n; i++) counts[Sym(t[i])]++;
    }

    /// <summary>Bucket starts (or ends) of every symbol; recounts when the counts could not be kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call does all the work: no time to tier up
    private static void Buckets<T>(T* t, int n, int* counts, int* bucket, int k, bool end) where T : unmanaged, IBinaryInteger<T>
    {
        if (counts == null)
        {
            Count(t, n, bucket, k);
            counts = bucket;
        }
        int sum = 0;
        for (int c = 0; c < k; c++)
        {
            int size = counts[c];
            sum += size;
            bucket[c] = end ? sum : sum - size;
        }
    }

    /// <summary>
    /// L-type suffixes, scanning left to right from bucket starts; the virtual sentinel makes n−1 the first. An entry
    /// without its sign bit has an L-type suffix before it, which this scan induces; one with it has an S-type one,
    /// left for <see cref="InduceS"/>. The scan flips every sign it reads (final) or, sorting LMS substrings, clears
    /// the entries it induced from, which no later step needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call does all the work: no time to tier up
    private static void InduceL<T>(T* t, int* sa, int n, int* counts, int* bucket, int k, bool final)
        where T : unmanaged, IBinaryInteger<T>
    {
        Buckets(t, n, counts, bucket, k, end: false);
        int last = Sym(t[n - 1]);
        sa[bucket[last]++] = (n - 1) | (n > 1 && Sym(t[n - 2]) < last ? Marked : 0);
        int prefetchEnd = n - PrefetchDistance;
        for (int i = 0; i < n; i++)
        {
            if (i < prefetchEnd) Prefetch(t + ((sa[i + PrefetchDistance] & Unmarked) - 1));
            int v = sa[i];
            if (v > 0)
            {
                int j = v - 1;
                int symbol = Sym(t[j]);
                sa[bucket[symbol]++] = j | (j > 0 && Sym(t[j - 1]) < symbol ? Marked : 0);
                sa[i] = final ? v | Marked : 0;
            }
            else if (v < 0) sa[i] = v & Unmarked;
        }
    }

    /// <summary>
    /// S-type suffixes, scanning right to left from bucket ends; an entry without its sign bit has an S-type suffix
    /// before it. Final: clears every sign. Sorting LMS substrings: leaves only the LMS suffixes, marked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call does all the work: no time to tier up
    private static void InduceS<T>(T* t, int* sa, int n, int* counts, int* bucket, int k, bool final)
        where T : unmanaged, IBinaryInteger<T>
    {
        Buckets(t, n, counts, bucket, k, end: true);
        for (int i = n - 1; i >= 0; i--)
        {
            if (i >= PrefetchDistance) Prefetch(t + ((sa[i - PrefetchDistance] & Unmarked) - 1));
            int v = sa[i];
            if (v > 0)
            {
                int j = v - 1;
                int symbol = Sym(t[j]);
                sa[--bucket[symbol]] = j | (j > 0 && Sym(t[j - 1]) > symbol ? Marked : 0);
                if (!final) sa[i] = 0;
            }
            else if (final) sa[i] = v & Unmarked;
        }
    }
}
