using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using LmToLlm.Primitives;

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
/// need is prefetched a fixed distance ahead. LMS substrings are named without comparing symbols: bit 30 of every
/// entry of the stage-1 scans says where a group of equal prefixes starts (libsais), so the scans leave the names
/// behind; texts over 2^30 symbols, or alphabets too large for the scans' group table, compare the substrings'
/// symbols instead, their lengths stored in the free half of the array (Mori's sais). The reduced problem of each recursion lives in the suffix
/// array's own space (names in the upper half, the reduced suffix array in the lower), and its buckets in the space
/// between when they fit, so a byte text needs 5 bytes per symbol and 1 KB of buckets.
/// </remarks>
internal static unsafe partial class SuffixSorter
{
    private const int Marked = int.MinValue;
    private const int Unmarked = int.MaxValue;

    /// <summary>How far ahead of the scan the text symbol of an entry is prefetched.</summary>
    private const int PrefetchDistance = 32;

    /// <summary>The suffix array of a byte text.</summary>
    internal static int[] Sort(ReadOnlySpan<byte> text) => Sort(text, 256);

    /// <summary>
    /// The suffix array of <paramref name="text"/> (symbols in [0, <paramref name="alphabet"/>)), in a new array that is
    /// not zeroed first: the sort advises it for huge pages, then clears it itself.
    /// </summary>
    internal static int[] Sort<T>(ReadOnlySpan<T> text, int alphabet, CancellationToken cancellation = default, int threads = 1)
        where T : unmanaged, IBinaryInteger<T>
    {
        var sa = GC.AllocateUninitializedArray<int>(text.Length);
        Sort(text, sa, alphabet, cancellation, threads);
        return sa;
    }

    /// <summary>Sorts the suffixes of <paramref name="text"/> (symbols in [0, <paramref name="alphabet"/>)) into <paramref name="sa"/>.</summary>
    /// <remarks>
    /// With <paramref name="threads"/> above 1, counting, placing and listing LMS positions, naming and clearing are
    /// split by ranges; from 3 threads up the induce scans over small alphabets also go by runs of filled entries,
    /// each run read and written by all threads with one thread turning bucket counts into slots (Grebnov's libsais).
    /// Every entry gets the slot and the group the single-threaded scan gives it, so the result is identical.
    /// </remarks>
    internal static void Sort<T>(ReadOnlySpan<T> text, Span<int> sa, int alphabet, CancellationToken cancellation = default, int threads = 1)
        where T : unmanaged, IBinaryInteger<T>
        => Sort(text, sa, alphabet, threads, DefaultBlockSize, cancellation);

    /// <summary>As the overload above, with the entries one thread takes of a threaded scan's run given (small ones exercise their edges in tests).</summary>
    internal static void Sort<T>(ReadOnlySpan<T> text, Span<int> sa, int alphabet, int threads, int blockSize, CancellationToken cancellation = default)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (sa.Length != text.Length) throw new ArgumentException("the suffix array must be as long as the text", nameof(sa));
        ArgumentOutOfRangeException.ThrowIfLessThan(alphabet, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        using var workers = threads > 1 && text.Length > blockSize ? new Workers(threads, blockSize) : null;
        fixed (T* t = text)
        fixed (int* s = sa)
        {
            HugePages.Advise(s, (long)sa.Length * sizeof(int)); // the induce scans write all over it
            Sais(t, s, text.Length, alphabet, [], workers, cancellation);
        }
    }

    /// <summary>Entries one thread takes of a run of a threaded induce scan: the cache (12 bytes an entry) stays small beside the text.</summary>
    internal const int DefaultBlockSize = 1 << 16;

    /// <summary>Phase timings of the top three levels, reported when the symbol SUFFIX_SORTER_PROFILE is defined.</summary>
    internal static Action<string, TimeSpan>? PhaseObserver { get; set; }

    [Conditional("SUFFIX_SORTER_PROFILE")]
    private static void Phase(int level, string name, ref long since)
    {
        long now = Stopwatch.GetTimestamp();
        if (level <= 2) PhaseObserver?.Invoke(new string(' ', 2 * level) + level + ": " + name, Stopwatch.GetElapsedTime(since, now));
        since = now;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(void* address)
    {
        if (Sse.IsSupported) Sse.Prefetch0(address);
    }

    private static int Sym<T>(T value) where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(value);

    // The three tests below decide an entry's bits without a branch: each goes either way about as often as the
    // other, so a branch would be mispredicted at every other entry of a scan. Symbols are non-negative ints, so
    // the sign of a difference is the comparison; position 0 compares its own symbol (no suffix before it).

    /// <summary><see cref="Marked"/> when the symbol before position j (j &gt; 0) is smaller than <paramref name="symbol"/>, t[j]; else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BeforeIsSmaller<T>(T* t, int j, int symbol) where T : unmanaged, IBinaryInteger<T>
        => (Sym(t[j - ((-j) >>> 31)]) - symbol) & Marked;

    /// <summary><see cref="Marked"/> when the symbol before position j (j &gt; 0) is larger than <paramref name="symbol"/>, t[j]; else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BeforeIsLarger<T>(T* t, int j, int symbol) where T : unmanaged, IBinaryInteger<T>
        => (symbol - Sym(t[j - ((-j) >>> 31)])) & Marked;

    /// <summary><see cref="Group"/> when <paramref name="last"/> differs from <paramref name="group"/>; else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int StartsGroup(int last, int group)
    {
        int difference = last ^ group;
        return ((difference | -difference) >>> 1) & Group;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call does all the work: no time to tier up
    private static void Sais<T>(T* t, int* sa, int n, int k, Span<int> free, Workers? workers, CancellationToken cancellation, int level = 0)
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
        Span<int> counts, bucket, spare;
        if (free.Length >= 2 * k)
        {
            counts = free[..k];
            bucket = free.Slice(k, k);
            spare = free[(2 * k)..];
        }
        else if (free.Length >= k)
        {
            counts = [];
            bucket = free[..k];
            spare = free[k..];
        }
        else
        {
            counts = new int[k];
            bucket = new int[k];
            spare = free;
        }
        fixed (int* countsP = counts)
        fixed (int* b = bucket)
        {
            int* c = counts.IsEmpty ? null : countsP;
            if (c != null) Count(t, n, c, k, workers);
            // With threads, each part of the text counts its LMS positions per bucket, so that the parts can place
            // them, and later list them, each on its own.
            int[]? lmsByPart = CountLmsByPart(t, n, k, workers);
            Phase(level, "count", ref clock);

            // Stage 1: sort the LMS substrings by inducing from their unsorted positions at their bucket ends.
            // Names come out of the scans themselves when an entry has a bit to spare for its group and there is room
            // for the scans' group table; otherwise the sorted substrings are compared symbol by symbol.
            Span<int> lastGroup = n > MaxGrouped ? [] : spare.Length >= k ? spare[..k] : k <= 1 << 16 ? new int[k] : [];
            int m, names;
            fixed (int* g = lastGroup)
            {
                if (g != null)
                {
                    m = SortLmsSubstringsNamed(t, sa, n, c, b, g, k, lmsByPart, workers, level, ref clock);
                    names = NameFromGroups(sa, n, m, markUnique: level > 0, workers);
                    Phase(level, "names", ref clock);
                }
                else
                {
                    m = SortLmsSubstrings(t, sa, n, c, b, k, lmsByPart, workers);
                    Phase(level, "stage 1", ref clock);
                    names = NameByComparing(t, sa, n, m, markUnique: level > 0);
                    Phase(level, "names", ref clock);
                }
            }
            cancellation.ThrowIfCancellationRequested();
            // Below the top the text is ours to mark, and the names the recursion cannot reorder are left out of it.
            int dropped = 0;
            if (level > 0 && typeof(T) == typeof(int) && names < m && lmsByPart == null) dropped = CompactReducedText((int*)t, sa, n, m);
            else
                for (int i = n - 1, w = n; i >= m; i--)
                    if (sa[i] != 0) sa[--w] = (sa[i] & Unmarked) - 1;
            Phase(level, "reduced text", ref clock);

            // Stage 2: sort the reduced text (names in text order), recursively when names repeat.
            int* reduced = sa + n - (m - dropped);
            // Its buckets go in the gap between the two halves, or in what this level's buckets left free if larger.
            var gap = new Span<int>(sa + m - dropped, n - 2 * m + dropped);
            if (names < m) Sais(reduced, sa, m - dropped, names - dropped, gap.Length >= spare.Length ? gap : spare, workers, cancellation, level + 1);
            else for (int i = 0; i < m; i++) sa[reduced[i]] = i;
            Phase(level, "recursion", ref clock);

            // Stage 3: map back to text positions, place the sorted LMS suffixes at their bucket ends and induce the rest.
            if (dropped > 0) ExpandSortedLms((int*)t, sa, n, m, dropped);
            else MapBack(t, sa, n, m, reduced, k, lmsByPart, workers);
            Phase(level, "map back", ref clock);
            Clear(sa + m, n - m, workers);
            Buckets(t, n, c, b, k, end: true);
            if ((long)k * 32 <= m) PlaceSortedLmsByBuckets(t, sa, m, b, k);
            else
                for (int i = m - 1; i >= 0; i--)
                {
                    if (i >= PrefetchDistance) Prefetch(t + sa[i - PrefetchDistance]);
                    int p = sa[i];
                    sa[i] = 0;
                    sa[--b[Sym(t[p])]] = p;
                }
            Phase(level, "place sorted LMS", ref clock);
            InduceL(t, sa, n, c, b, k, final: true, workers);
            Phase(level, "stage 3 induce L", ref clock);
            InduceS(t, sa, n, c, b, k, final: true, workers);
            Phase(level, "stage 3 induce S", ref clock);
        }
    }

    /// <summary>
    /// Moves the sorted LMS suffixes in sa[0..m) to the ends of their buckets (<paramref name="bucketEnd"/>), zeros
    /// behind them. Sorted suffixes come bucket by bucket, so each bucket's are one block, found by a binary search
    /// on its first symbol and moved whole, highest bucket first: k log m reads of the text instead of m.
    /// </summary>
    private static void PlaceSortedLmsByBuckets<T>(T* t, int* sa, int m, int* bucketEnd, int k) where T : unmanaged, IBinaryInteger<T>
    {
        int high = m;
        for (int symbol = k - 1; symbol >= 0 && high > 0; symbol--)
        {
            int low = 0, bound = high;
            while (low < bound)
            {
                int middle = (low + bound) >>> 1;
                if (Sym(t[sa[middle]]) < symbol) low = middle + 1;
                else bound = middle;
            }
            int count = high - low, to = bucketEnd[symbol] - count; // to >= low: the bucket ends at or after the block
            if (count > 0 && to != low)
            {
                Buffer.MemoryCopy(sa + low, sa + to, (long)count * sizeof(int), (long)count * sizeof(int));
                new Span<int>(sa + low, Math.Min(high, to) - low).Clear();
            }
            high = low;
        }
    }

    /// <summary>Stage 3's first step without dropped names: the LMS positions in text order over the reduced text, then each sorted index mapped to its position.</summary>
    private static void MapBack<T>(T* t, int* sa, int n, int m, int* reduced, int k, int[]? lmsByPart, Workers? workers)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (lmsByPart != null) ListLms(t, n, m, reduced, k, lmsByPart, workers!);
        else ListLmsRange(t, n, 0, n, reduced, 0, m);
        if (workers != null && m >= workers.ShortestRun)
        {
            workers.Sa = (nint)sa;
            workers.Extra = (nint)reduced;
            workers.Run(0, m, &GatherPart);
        }
        else Gather(sa, reduced, 0, m);
    }

    /// <summary>Largest text whose positions leave bit 30 of an entry free for its group in <see cref="SortLmsSubstringsNamed"/>.</summary>
    private const int MaxGrouped = 1 << 30;

    /// <summary>Bit 30 of an entry during the named sort of LMS substrings: the entry starts a new group (see <see cref="InduceLNamed"/>).</summary>
    private const int Group = 1 << 30;

    /// <summary>An entry's position without its sign and group bits.</summary>
    private const int Position = Group - 1;

    /// <summary>
    /// Stage 1 as in Nong, Zhang and Chan: the LMS positions at their bucket ends, then both induce scans. Input: the
    /// text. Output: the sorted LMS positions, marked, among zeros; returns how many there are.
    /// </summary>
    private static int SortLmsSubstrings<T>(T* t, int* sa, int n, int* c, int* b, int k, int[]? lmsByPart, Workers? workers)
        where T : unmanaged, IBinaryInteger<T>
    {
        Clear(sa, n, workers);
        Buckets(t, n, c, b, k, end: true);
        int m = lmsByPart != null ? PlaceLms(t, sa, n, b, k, lmsByPart, workers!) : PlaceLms(t, sa, n, b);
        InduceL(t, sa, n, c, b, k, final: false, workers);
        InduceS(t, sa, n, c, b, k, final: false, workers);
        // The scan left the sorted LMS positions marked: compact them into sa[0..m).
        for (int i = 0, w = 0; i < n; i++)
        {
            int v = sa[i];
            sa[w] = v & Unmarked;
            w += v >>> 31;
        }
        return m;
    }

    /// <summary>Puts every LMS position at the end of its bucket (right to left in the text); returns how many.</summary>
    /// <remarks>
    /// Types right to left without branches: i is S-type when t[i] &lt; t[i+1] + (1 if i+1 is S-type else 0); the last
    /// suffix is L-type, the sentinel after it being smaller.
    /// </remarks>
    private static int PlaceLms<T>(T* t, int* sa, int n, int* b) where T : unmanaged, IBinaryInteger<T>
    {
        int m = 0;
        int nextIsS = 0;
        int next = Sym(t[n - 1]);
        for (int i = n - 2; i >= 0; i--)
        {
            int symbol = Sym(t[i]);
            int isS = (symbol - next - nextIsS) >>> 31;
            if ((nextIsS & ~isS) != 0)
            {
                sa[--b[next]] = i + 1;
                m++;
            }
            nextIsS = isS;
            next = symbol;
        }
        return m;
    }

    /// <summary>
    /// Names the m sorted LMS substrings in sa[0..m) by comparing their symbols, their lengths stored in the free half
    /// of the array (Mori's sais). Output: name + 1 of the substring at p in sa[m + p/2], 0 elsewhere in sa[m..n), with
    /// the sign bit set on a name that occurs once when <paramref name="markUnique"/>; returns the number of distinct names.
    /// </summary>
    private static int NameByComparing<T>(T* t, int* sa, int n, int m, bool markUnique) where T : unmanaged, IBinaryInteger<T>
    {
        // Lengths of the LMS substrings (to the next LMS position, inclusive) at m + p/2; 0 for the last one,
        // which runs into the sentinel and so equals no other. LMS positions are at least 2 apart: p/2 is unique.
        new Span<int>(sa + m, n - m).Clear();
        int nextIsS = 0;
        int next = Sym(t[n - 1]);
        int notLms = 0; // where the loop writes for a position that is not LMS
        for (int i = n - 2, after = n; i >= 0; i--)
        {
            int symbol = Sym(t[i]);
            int isS = (symbol - next - nextIsS) >>> 31;
            bool lms = (nextIsS & ~isS) != 0;
            int* slot = lms ? sa + m + ((i + 1) >> 1) : &notLms;
            *slot = after == n ? 0 : after - i;
            after = lms ? i + 1 : after;
            nextIsS = isS;
            next = symbol;
        }
        // Name each LMS substring by its rank among the distinct ones (names + 1 stored, so 0 marks a free slot).
        int names = 0;
        int* previousSlot = null;
        bool previousNew = false;
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
            bool isNew = length == 0 || length != previousLength
                || !new ReadOnlySpan<T>(t + p, length).SequenceEqual(new ReadOnlySpan<T>(t + previous, length));
            if (isNew) names++;
            if (markUnique && isNew && previousNew) *previousSlot |= Marked; // the one before is alone in its group
            previous = p;
            previousLength = length;
            previousSlot = sa + m + (p >> 1);
            *previousSlot = names;
            previousNew = isNew;
        }
        if (markUnique && previousNew) *previousSlot |= Marked;
        return names;
    }

    /// <summary>
    /// Stage 1 with the groups of equal prefixes kept in bit 30 of every entry (Grebnov's libsais): two LMS
    /// substrings are equal exactly when no group starts between them in the sorted order, so naming compares no
    /// symbols. Output: the sorted LMS positions in sa[0..m), each with its sign bit set when its substring differs
    /// from the one before; returns m. <paramref name="lastGroup"/>: k ints of scratch.
    /// </summary>
    private static int SortLmsSubstringsNamed<T>(T* t, int* sa, int n, int* c, int* b, int* lastGroup, int k, int[]? lmsByPart, Workers? workers, int level, ref long clock)
        where T : unmanaged, IBinaryInteger<T>
    {
        Clear(sa, n, workers);
        Phase(level, "clear", ref clock);
        Buckets(t, n, c, b, k, end: true);
        Buffer.MemoryCopy(b, lastGroup, (long)k * sizeof(int), (long)k * sizeof(int));
        int m = lmsByPart != null ? PlaceLms(t, sa, n, b, k, lmsByPart, workers!) : PlaceLms(t, sa, n, b);
        Phase(level, "place LMS", ref clock);
        // The LMS positions of a bucket are one group (only their first symbol is sorted): it starts at the lowest.
        for (int symbol = 0; symbol < k; symbol++)
            if (b[symbol] < lastGroup[symbol]) sa[b[symbol]] |= Group;
        InduceLNamed(t, sa, n, c, b, lastGroup, k, workers);
        Phase(level, "stage 1 induce L", ref clock);
        // The L scan marks an entry that differs from the one before it; the S scan reads right to left and wants the
        // mark on an entry that differs from the one after it: move each bucket's L-type marks down by one.
        // The threaded S scan also needs the slots it fills empty: the L scan left the group bit of the first LMS
        // position of each bucket there.
        bool threaded = workers != null && workers.ScansInRuns(k);
        Buckets(t, n, c, lastGroup, k, end: false);
        for (int symbol = 0; symbol < k; symbol++)
        {
            int carry = Group; // the entry above a bucket's L-type ones is of another group
            for (int i = b[symbol] - 1, start = lastGroup[symbol]; i >= start; i--)
            {
                int v = sa[i];
                sa[i] = (v & ~Group) | carry;
                carry = v & Group;
            }
            if (threaded)
            {
                int end = symbol + 1 < k ? lastGroup[symbol + 1] : n;
                new Span<int>(sa + b[symbol], end - b[symbol]).Clear();
            }
        }
        Phase(level, "shift group bits", ref clock);
        InduceSNamed(t, sa, n, c, b, lastGroup, k, workers);
        Phase(level, "stage 1 induce S", ref clock);
        // Compact the marked LMS positions into sa[0..m); one differs from the one before when a group starts at it
        // or at any entry between them (the marks say "differs from the entry after").
        int differs = Group, w = 0;
        for (int i = 0; i < n; i++)
        {
            int v = sa[i];
            int lms = v >>> 31;
            sa[w] = (v & Position) | (differs << 1);
            w += lms;
            differs = (v & Group) | (differs & (lms - 1));
        }
        Phase(level, "compact", ref clock);
        return m;
    }

    /// <summary>
    /// <see cref="InduceL"/> of stage 1, keeping groups: an entry carries <see cref="Group"/> when it starts a new
    /// group, that is differs from the entry before it in the order the scans have sorted so far. The scan counts the
    /// groups it has read; a suffix induced into a bucket starts a group when the last one induced there came from an
    /// earlier group. A cleared entry keeps its group bit, so that later scans still see where groups start.
    /// </summary>
    private static void InduceLNamed<T>(T* t, int* sa, int n, int* counts, int* bucket, int* lastGroup, int k, Workers? workers)
        where T : unmanaged, IBinaryInteger<T>
    {
        Buckets(t, n, counts, bucket, k, end: false);
        new Span<int>(lastGroup, k).Clear();
        int last = Sym(t[n - 1]);
        // The suffix before the sentinel is a group of its own, and the next one induced into its bucket starts another.
        sa[bucket[last]++] = (n - 1) | Group | BeforeIsSmaller(t, n - 1, last);
        if (workers == null || !workers.ScansInRuns(k))
        {
            InduceLNamedRange(t, sa, 0, n, bucket, lastGroup, 0);
            return;
        }
        workers.Prepare((nint)t, (nint)sa, 2 * k, final: false);
        int longest = workers.LongestRun, shortest = workers.ShortestRun, group = 0;
        for (int i = 0; i < n;)
        {
            int limit = Math.Min(n, i + longest), end = i;
            while (end < limit && sa[end] != 0) end++;
            if (end - i < shortest)
            {
                // Not a long run: the next stretch goes the single-threaded way, which takes entries as they come.
                end = Math.Min(n, i + shortest);
                group = InduceLNamedRange(t, sa, i, end, bucket, lastGroup, group);
            }
            else
            {
                workers.Run(i, end, &ReadNamedRunL<T>);
                group = workers.TakeSlots(bucket, lastGroup, k, up: true, group);
                workers.Run(i, end, &WriteNamedRunL);
            }
            i = end;
        }
    }

    /// <summary>The loop of <see cref="InduceLNamed"/> over sa[from..to), from the given group count; returns the count after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call does all the work: no time to tier up
    private static int InduceLNamedRange<T>(T* t, int* sa, int from, int to, int* bucket, int* lastGroup, int group)
        where T : unmanaged, IBinaryInteger<T>
    {
        int prefetchEnd = to - PrefetchDistance;
        for (int i = from; i < to; i++)
        {
            if (i < prefetchEnd) Prefetch(t + ((sa[i + PrefetchDistance] & Position) - 1));
            int v = sa[i];
            group += (v >> 30) & 1;
            if (v > 0)
            {
                int p = v & Position;
                if (p == 0) continue;
                int j = p - 1;
                int symbol = Sym(t[j]);
                int starts = StartsGroup(lastGroup[symbol], group);
                lastGroup[symbol] = group;
                sa[bucket[symbol]++] = j | starts | BeforeIsSmaller(t, j, symbol);
                sa[i] = v & Group;
            }
            else if (v < 0) sa[i] = v & Unmarked;
        }
        return group;
    }

    /// <summary>
    /// <see cref="InduceS"/> of stage 1, keeping groups as <see cref="InduceLNamed"/> does but from the right: an
    /// entry's <see cref="Group"/> says it differs from the entry after it. Leaves the LMS positions marked, with their
    /// group bits, and the group bits of every other entry.
    /// </summary>
    private static void InduceSNamed<T>(T* t, int* sa, int n, int* counts, int* bucket, int* lastGroup, int k, Workers? workers)
        where T : unmanaged, IBinaryInteger<T>
    {
        Buckets(t, n, counts, bucket, k, end: true);
        new Span<int>(lastGroup, k).Clear();
        if (workers == null || !workers.ScansInRuns(k))
        {
            InduceSNamedRange(t, sa, 0, n, bucket, lastGroup, 0);
            return;
        }
        workers.Prepare((nint)t, (nint)sa, 2 * k, final: false);
        int longest = workers.LongestRun, shortest = workers.ShortestRun, group = 0;
        for (int i = n - 1; i >= 0;)
        {
            int limit = Math.Max(-1, i - longest), begin = i;
            while (begin > limit && sa[begin] != 0) begin--;
            if (i - begin < shortest)
            {
                begin = Math.Max(-1, i - shortest);
                group = InduceSNamedRange(t, sa, begin + 1, i + 1, bucket, lastGroup, group);
            }
            else
            {
                workers.Run(begin + 1, i + 1, &ReadNamedRunS<T>);
                group = workers.TakeSlots(bucket, lastGroup, k, up: false, group);
                workers.Run(begin + 1, i + 1, &WriteNamedRunS);
            }
            i = begin;
        }
    }

    /// <summary>The loop of <see cref="InduceSNamed"/> over sa[from..to), right to left; returns the group count after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call does all the work: no time to tier up
    private static int InduceSNamedRange<T>(T* t, int* sa, int from, int to, int* bucket, int* lastGroup, int group)
        where T : unmanaged, IBinaryInteger<T>
    {
        int prefetchEnd = from + PrefetchDistance;
        for (int i = to - 1; i >= from; i--)
        {
            if (i >= prefetchEnd) Prefetch(t + ((sa[i - PrefetchDistance] & Position) - 1));
            int v = sa[i];
            group += (v >> 30) & 1;
            if (v > 0)
            {
                int p = v & Position;
                if (p == 0) continue;
                int j = p - 1;
                int symbol = Sym(t[j]);
                int starts = StartsGroup(lastGroup[symbol], group);
                lastGroup[symbol] = group;
                sa[--bucket[symbol]] = j | starts | BeforeIsLarger(t, j, symbol);
                sa[i] = v & Group;
            }
        }
        return group;
    }

    /// <summary>
    /// Reads this thread's part of a run of the threaded <see cref="InduceLNamed"/>: the suffixes it induces with the
    /// part's own count of groups read so far, per bucket how many and the part's last group induced there (−1: none).
    /// </summary>
    private static void ReadNamedRunL<T>(Workers workers, int part) where T : unmanaged, IBinaryInteger<T>
    {
        T* t = (T*)workers.Text;
        int* sa = (int*)workers.Sa;
        var (from, to) = workers.Part(workers.Begin, workers.End, part);
        int k = workers.K / 2;
        int* table = workers.Table(part, workers.K), last = table + k;
        new Span<int>(table, k).Clear();
        new Span<int>(last, k).Fill(-1);
        Induced* cache = workers.Cache(part);
        int count = 0, group = 0;
        int prefetchEnd = to - PrefetchDistance;
        for (int i = from; i < to; i++)
        {
            if (i < prefetchEnd) Prefetch(t + ((sa[i + PrefetchDistance] & Position) - 1));
            int v = sa[i];
            group += (v >> 30) & 1;
            if (v > 0)
            {
                int p = v & Position;
                if (p == 0) continue;
                int j = p - 1;
                int symbol = Sym(t[j]);
                table[symbol]++;
                last[symbol] = group;
                cache[count++] = new Induced(symbol, j | BeforeIsSmaller(t, j, symbol), group);
                sa[i] = v & Group;
            }
            else if (v < 0) sa[i] = v & Unmarked;
        }
        workers.Cached[part] = count;
        workers.Groups[part] = group;
    }

    /// <summary>Writes this thread's induced suffixes with their group bits, from the state <see cref="Workers.TakeSlots(int*, int*, int, bool, int)"/> gave its part.</summary>
    private static void WriteNamedRunL(Workers workers, int part)
    {
        int* sa = (int*)workers.Sa;
        int k = workers.K / 2;
        int* table = workers.Table(part, workers.K), last = table + k;
        int first = workers.Groups[part];
        Induced* cache = workers.Cache(part);
        for (int e = 0, count = workers.Cached[part]; e < count; e++)
        {
            int symbol = cache[e].Symbol, group = first + cache[e].Group;
            int starts = StartsGroup(last[symbol], group);
            last[symbol] = group;
            sa[table[symbol]++] = cache[e].Suffix | starts;
        }
    }

    /// <summary>As <see cref="ReadNamedRunL{T}"/> for the threaded <see cref="InduceSNamed"/>, right to left; part 0 is the rightmost.</summary>
    private static void ReadNamedRunS<T>(Workers workers, int part) where T : unmanaged, IBinaryInteger<T>
    {
        T* t = (T*)workers.Text;
        int* sa = (int*)workers.Sa;
        var (from, to) = workers.Part(workers.Begin, workers.End, workers.Parts - 1 - part);
        int k = workers.K / 2;
        int* table = workers.Table(part, workers.K), last = table + k;
        new Span<int>(table, k).Clear();
        new Span<int>(last, k).Fill(-1);
        Induced* cache = workers.Cache(part);
        int count = 0, group = 0;
        int prefetchEnd = from + PrefetchDistance;
        for (int i = to - 1; i >= from; i--)
        {
            if (i >= prefetchEnd) Prefetch(t + ((sa[i - PrefetchDistance] & Position) - 1));
            int v = sa[i];
            group += (v >> 30) & 1;
            if (v > 0)
            {
                int p = v & Position;
                if (p == 0) continue;
                int j = p - 1;
                int symbol = Sym(t[j]);
                table[symbol]++;
                last[symbol] = group;
                cache[count++] = new Induced(symbol, j | BeforeIsLarger(t, j, symbol), group);
                sa[i] = v & Group;
            }
        }
        workers.Cached[part] = count;
        workers.Groups[part] = group;
    }

    /// <summary>As <see cref="WriteNamedRunL"/>, downwards from bucket ends.</summary>
    private static void WriteNamedRunS(Workers workers, int part)
    {
        int* sa = (int*)workers.Sa;
        int k = workers.K / 2;
        int* table = workers.Table(part, workers.K), last = table + k;
        int first = workers.Groups[part];
        Induced* cache = workers.Cache(part);
        for (int e = 0, count = workers.Cached[part]; e < count; e++)
        {
            int symbol = cache[e].Symbol, group = first + cache[e].Group;
            int starts = StartsGroup(last[symbol], group);
            last[symbol] = group;
            sa[--table[symbol]] = cache[e].Suffix | starts;
        }
    }

    /// <summary>
    /// Names from the marks <see cref="SortLmsSubstringsNamed"/> leaves on sa[0..m): name + 1 of the substring at p in
    /// sa[m + p/2], 0 elsewhere in sa[m..n), with the sign bit set on a name that occurs once when
    /// <paramref name="markUnique"/>; sa[0..m) left as plain positions. Returns the number of distinct names.
    /// </summary>
    private static int NameFromGroups(int* sa, int n, int m, bool markUnique, Workers? workers)
    {
        Clear(sa + m, n - m, workers);
        if (workers != null && m >= workers.ShortestRun)
        {
            // Each part counts the new names it starts, then names its substrings from the count before it.
            workers.Sa = (nint)sa;
            workers.M = m;
            workers.MarkUnique = markUnique;
            workers.Run(0, m, &CountNamesPart);
            int before = 0;
            for (int part = 0; part < workers.Parts; part++)
            {
                int own = workers.Cached[part];
                workers.Cached[part] = before;
                before += own;
            }
            workers.Run(0, m, &NamePart);
            return before;
        }
        return NameRange(sa, m, 0, m, 0, markUnique, afterStarts: 1);
    }

    /// <summary>
    /// The loop of <see cref="NameFromGroups"/> over sa[from..to), from the names before it; returns the names after.
    /// <paramref name="afterStarts"/>: 1 when the entry after the range starts a group or there is none, else 0.
    /// </summary>
    private static int NameRange(int* sa, int m, int from, int to, int names, bool markUnique, int afterStarts)
    {
        int mark = markUnique ? Marked : 0;
        int starts = to > from ? sa[from] >>> 31 : 0;
        for (int i = from; i < to; i++)
        {
            if (i + PrefetchDistance < to) Prefetch(sa + m + ((sa[i + PrefetchDistance] & Unmarked) >> 1));
            int v = sa[i];
            int nextStarts = i + 1 < to ? sa[i + 1] >>> 31 : afterStarts;
            names += starts;
            int p = v & Unmarked;
            sa[i] = p;
            sa[m + (p >> 1)] = names | (((starts & nextStarts) << 31) & mark); // alone in its group
            starts = nextStarts;
        }
        return names;
    }

    private static void CountNamesPart(Workers workers, int part)
    {
        var (from, to) = workers.Part(workers.Begin, workers.End, part);
        int* sa = (int*)workers.Sa;
        int count = 0;
        for (int i = from; i < to; i++) count += sa[i] >>> 31;
        workers.Cached[part] = count;
        // Whether the entry after this part starts a group, read before any part clears its bit.
        workers.Groups[part] = to < workers.End ? sa[to] >>> 31 : 1;
    }

    private static void NamePart(Workers workers, int part)
    {
        var (from, to) = workers.Part(workers.Begin, workers.End, part);
        NameRange((int*)workers.Sa, workers.M, from, to, workers.Cached[part], workers.MarkUnique, workers.Groups[part]);
    }

    private static void GatherPart(Workers workers, int part)
    {
        var (from, to) = workers.Part(workers.Begin, workers.End, part);
        Gather((int*)workers.Sa, (int*)workers.Extra, from, to);
    }

    /// <summary>sa[i] = list[sa[i]] for i in [from, to): sorted indices into a list become its entries.</summary>
    private static void Gather(int* sa, int* list, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (i + PrefetchDistance < to) Prefetch(list + sa[i + PrefetchDistance]);
            sa[i] = list[sa[i]];
        }
    }

    /// <summary>
    /// The type context of a part of the text that ends before <paramref name="to"/>: the symbol there (−1, below
    /// every symbol, for the sentinel) and whether the suffix there is S-type, found by looking past a run of equal symbols.
    /// </summary>
    private static (int Next, int NextIsS) TypeAt<T>(T* t, int n, int to) where T : unmanaged, IBinaryInteger<T>
    {
        if (to >= n) return (-1, 0);
        int symbol = Sym(t[to]);
        int i = to + 1;
        while (i < n && Sym(t[i]) == symbol) i++;
        return (symbol, i < n && Sym(t[i]) > symbol ? 1 : 0);
    }

    /// <summary>Per part of the text (the workers' parts of [0, n)), how many LMS positions fall in each bucket; null with one thread.</summary>
    private static int[]? CountLmsByPart<T>(T* t, int n, int k, Workers? workers) where T : unmanaged, IBinaryInteger<T>
    {
        if (workers == null || !workers.Splits(k) || n < workers.ShortestRun) return null;
        var byPart = new int[workers.Parts * k];
        fixed (int* table = byPart)
        {
            workers.Text = (nint)t;
            workers.K = k;
            workers.N = n;
            workers.Extra = (nint)table;
            workers.Run(0, n, &CountLmsPart<T>);
        }
        return byPart;
    }

    private static void CountLmsPart<T>(Workers workers, int part) where T : unmanaged, IBinaryInteger<T>
    {
        T* t = (T*)workers.Text;
        var (from, to) = workers.Part(0, workers.N, part);
        int* table = (int*)workers.Extra + (long)part * workers.K;
        var (next, nextIsS) = TypeAt(t, workers.N, to);
        int i = to - 1;
        if (next < 0 && i >= from)
        {
            // The last suffix is L-type: no LMS position at the sentinel.
            next = Sym(t[i--]);
            nextIsS = 0;
        }
        // Without a branch (an LMS position comes at no pattern a predictor learns), in two tables taken in turn so
        // that runs of one symbol do not wait on their own increments.
        int k = workers.K;
        bool small = k <= Workers.CountTable;
        int* local = stackalloc int[small ? 2 * k : 0];
        int* even = small ? local : table, odd = small ? local + k : table;
        if (small) new Span<int>(local, 2 * k).Clear();
        for (; i - 1 >= from; i -= 2)
        {
            int symbol = Sym(t[i]);
            int isS = (symbol - next - nextIsS) >>> 31;
            even[next] += nextIsS & ~isS;
            int before = Sym(t[i - 1]);
            int beforeIsS = (before - symbol - isS) >>> 31;
            odd[symbol] += isS & ~beforeIsS;
            nextIsS = beforeIsS;
            next = before;
        }
        if (i >= from)
        {
            int symbol = Sym(t[i]);
            int isS = (symbol - next - nextIsS) >>> 31;
            even[next] += nextIsS & ~isS;
        }
        if (small)
            for (int c = 0; c < k; c++) table[c] = even[c] + odd[c];
    }

    /// <summary><see cref="PlaceLms{T}(T*, int*, int, int*)"/> by parts of the text, each from the slots the parts after it leave.</summary>
    private static int PlaceLms<T>(T* t, int* sa, int n, int* b, int k, int[] lmsByPart, Workers workers) where T : unmanaged, IBinaryInteger<T>
    {
        int m = 0;
        for (int part = workers.Parts - 1; part >= 0; part--)
        {
            int* slots = workers.Table(part, k);
            for (int c = 0; c < k; c++)
            {
                int count = lmsByPart[part * k + c];
                slots[c] = b[c];
                b[c] -= count;
                m += count;
            }
        }
        workers.Text = (nint)t;
        workers.Sa = (nint)sa;
        workers.K = k;
        workers.N = n;
        workers.Run(0, n, &PlaceLmsPart<T>);
        return m;
    }

    private static void PlaceLmsPart<T>(Workers workers, int part) where T : unmanaged, IBinaryInteger<T>
    {
        T* t = (T*)workers.Text;
        int* sa = (int*)workers.Sa;
        var (from, to) = workers.Part(0, workers.N, part);
        int* slots = workers.Table(part, workers.K);
        var (next, nextIsS) = TypeAt(t, workers.N, to);
        for (int i = to - 1; i >= from; i--)
        {
            int symbol = Sym(t[i]);
            int isS = (symbol - next - nextIsS) >>> 31;
            if ((nextIsS & ~isS) != 0) sa[--slots[next]] = i + 1;
            nextIsS = isS;
            next = symbol;
        }
    }

    /// <summary>The LMS positions in text order into <paramref name="list"/>[0..m), each part of the text writing its own.</summary>
    private static void ListLms<T>(T* t, int n, int m, int* list, int k, int[] lmsByPart, Workers workers) where T : unmanaged, IBinaryInteger<T>
    {
        int before = 0;
        for (int part = 0; part < workers.Parts; part++)
        {
            int own = 0;
            for (int c = 0; c < k; c++) own += lmsByPart[part * k + c];
            workers.Cached[part] = before + own; // where the part's list ends
            before += own;
        }
        Debug.Assert(before == m);
        workers.Text = (nint)t;
        workers.Extra = (nint)list;
        workers.N = n;
        workers.Run(0, n, &ListLmsPart<T>);
    }

    private static void ListLmsPart<T>(Workers workers, int part) where T : unmanaged, IBinaryInteger<T>
    {
        var (from, to) = workers.Part(0, workers.N, part);
        ListLmsRange((T*)workers.Text, workers.N, from, to, (int*)workers.Extra, part == 0 ? 0 : workers.Cached[part - 1], workers.Cached[part]);
    }

    /// <summary>The LMS positions in t[from..to), right to left, into list[first..end) (as many as there are).</summary>
    private static void ListLmsRange<T>(T* t, int n, int from, int to, int* list, int first, int end) where T : unmanaged, IBinaryInteger<T>
    {
        var (next, nextIsS) = TypeAt(t, n, to);
        for (int i = to - 1, w = end; i >= from && w > first; i--)
        {
            int symbol = Sym(t[i]);
            int isS = (symbol - next - nextIsS) >>> 31;
            list[w - 1] = i + 1; // kept only when i + 1 is LMS
            w -= nextIsS & ~isS;
            nextIsS = isS;
            next = symbol;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call does all the work: no time to tier up
    private static void Count<T>(T* t, int n, int* counts, int k, Workers? workers = null) where T : unmanaged, IBinaryInteger<T>
    {
        new Span<int>(counts, k).Clear();
        if (workers == null && k <= 256)
        {
            CountSmall(t, 0, n, counts, k);
            return;
        }
        if (workers == null || k > Workers.CountTable)
        {
            for (int i = 0; i < n; i++) counts[Sym(t[i])]++;
            return;
        }
        workers.Text = (nint)t;
        workers.Run(0, n, &CountPart<T>);
        for (int part = 0; part < workers.Parts; part++)
            for (int c = 0; c < k; c++) counts[c] += workers.Counts[part * Workers.CountTable + c];
    }

    private static void CountPart<T>(Workers workers, int part) where T : unmanaged, IBinaryInteger<T>
    {
        var (from, to) = workers.Part(workers.Begin, workers.End, part);
        fixed (int* table = &workers.Counts[part * Workers.CountTable])
            CountSmall((T*)workers.Text, from, to, table, Workers.CountTable);
    }

    /// <summary>Counts the symbols (all below 256) of t[from..to) into counts[0..k).</summary>
    private static void CountSmall<T>(T* t, int from, int to, int* counts, int k) where T : unmanaged, IBinaryInteger<T>
    {
        // Four tables, so that runs of one symbol do not wait on their own increments.
        int* four = stackalloc int[4 * 256];
        new Span<int>(four, 4 * 256).Clear();
        int i = from;
        for (; i + 4 <= to; i += 4)
        {
            four[Sym(t[i])]++;
            four[256 + Sym(t[i + 1])]++;
            four[512 + Sym(t[i + 2])]++;
            four[768 + Sym(t[i + 3])]++;
        }
        for (; i < to; i++) four[Sym(t[i])]++;
        for (int c = 0; c < k; c++) counts[c] = four[c] + four[256 + c] + four[512 + c] + four[768 + c];
    }

    /// <summary>Zeroes the array, by several threads when there are: the first touch of fresh pages costs the most.</summary>
    private static void Clear(int* sa, int n, Workers? workers)
    {
        if (workers == null)
        {
            new Span<int>(sa, n).Clear();
            return;
        }
        workers.Sa = (nint)sa;
        workers.Run(0, n, &ClearPart);
    }

    private static void ClearPart(Workers workers, int part)
    {
        var (from, to) = workers.Part(workers.Begin, workers.End, part);
        new Span<int>((int*)workers.Sa + from, to - from).Clear();
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
    private static void InduceL<T>(T* t, int* sa, int n, int* counts, int* bucket, int k, bool final, Workers? workers)
        where T : unmanaged, IBinaryInteger<T>
    {
        Buckets(t, n, counts, bucket, k, end: false);
        int last = Sym(t[n - 1]);
        sa[bucket[last]++] = (n - 1) | BeforeIsSmaller(t, n - 1, last);
        if (workers != null && workers.ScansInRuns(k))
        {
            InduceLInRuns(t, sa, n, bucket, k, final, workers);
            return;
        }
        InduceLRange(t, sa, 0, n, bucket, final);
    }

    /// <summary>The loop of <see cref="InduceL"/> over sa[from..to).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InduceLRange<T>(T* t, int* sa, int from, int to, int* bucket, bool final)
        where T : unmanaged, IBinaryInteger<T>
    {
        int prefetchEnd = to - PrefetchDistance;
        for (int i = from; i < to; i++)
        {
            if (i < prefetchEnd) Prefetch(t + ((sa[i + PrefetchDistance] & Unmarked) - 1));
            int v = sa[i];
            if (v > 0)
            {
                int j = v - 1;
                int symbol = Sym(t[j]);
                sa[bucket[symbol]++] = j | BeforeIsSmaller(t, j, symbol);
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
    private static void InduceS<T>(T* t, int* sa, int n, int* counts, int* bucket, int k, bool final, Workers? workers)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (workers != null && workers.ScansInRuns(k))
        {
            // The runs of the threaded scan need every slot the scan will fill to be empty; after the final L scan
            // the S-type part of each bucket still holds the LMS suffixes placed there, which this scan places again.
            if (final) ClearSParts(t, sa, n, counts, bucket, k, workers);
            Buckets(t, n, counts, bucket, k, end: true);
            InduceSInRuns(t, sa, n, bucket, k, final, workers);
            return;
        }
        Buckets(t, n, counts, bucket, k, end: true);
        InduceSRange(t, sa, 0, n, bucket, final);
    }

    /// <summary>The loop of <see cref="InduceS"/> over sa[from..to), right to left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InduceSRange<T>(T* t, int* sa, int from, int to, int* bucket, bool final)
        where T : unmanaged, IBinaryInteger<T>
    {
        int prefetchEnd = from + PrefetchDistance;
        for (int i = to - 1; i >= from; i--)
        {
            if (i >= prefetchEnd) Prefetch(t + ((sa[i - PrefetchDistance] & Unmarked) - 1));
            int v = sa[i];
            if (v > 0)
            {
                int j = v - 1;
                int symbol = Sym(t[j]);
                sa[--bucket[symbol]] = j | BeforeIsLarger(t, j, symbol);
                if (!final) sa[i] = 0;
            }
            else if (final) sa[i] = v & Unmarked;
        }
    }

    /// <summary>Zeroes sa[bucket[c], end of bucket c) for every symbol c: what the L scan left above its L-type suffixes.</summary>
    private static void ClearSParts<T>(T* t, int* sa, int n, int* counts, int* bucket, int k, Workers workers)
        where T : unmanaged, IBinaryInteger<T>
    {
        int* ends = workers.Table(0, k);
        Buckets(t, n, counts, ends, k, end: true);
        for (int c = 0; c < k; c++)
            if (ends[c] > bucket[c]) new Span<int>(sa + bucket[c], ends[c] - bucket[c]).Clear();
    }

    /// <summary>
    /// <see cref="InduceL"/> by several threads (Grebnov's libsais). The scan goes by runs of filled entries: a slot
    /// the scan fills is empty until then, so no entry of a run is induced by the run itself and all of its entries
    /// are known when it starts. In a long run each thread reads its part (the symbols of the suffixes it induces, and
    /// how many go to each bucket), one thread turns the counts into each part's slots, and each thread writes its
    /// part's induced suffixes: the slots are the single-threaded scan's, so the result is identical.
    /// </summary>
    private static void InduceLInRuns<T>(T* t, int* sa, int n, int* bucket, int k, bool final, Workers workers)
        where T : unmanaged, IBinaryInteger<T>
    {
        workers.Prepare((nint)t, (nint)sa, k, final);
        int longest = workers.LongestRun, shortest = workers.ShortestRun;
        for (int i = 0; i < n;)
        {
            int limit = Math.Min(n, i + longest), end = i;
            while (end < limit && sa[end] != 0) end++;
            if (end - i < shortest)
            {
                // Not a long run: the next stretch goes the single-threaded way, which takes entries as they come.
                end = Math.Min(n, i + shortest);
                InduceLRange(t, sa, i, end, bucket, final);
            }
            else
            {
                workers.Run(i, end, &ReadRunL<T>);
                workers.TakeSlots(bucket, k, up: true);
                workers.Run(i, end, &WriteRunL);
            }
            i = end;
        }
    }

    /// <summary>Reads this thread's part of a run of <see cref="InduceLInRuns"/>: the suffixes it induces and their buckets' counts.</summary>
    private static void ReadRunL<T>(Workers workers, int part) where T : unmanaged, IBinaryInteger<T>
    {
        T* t = (T*)workers.Text;
        int* sa = (int*)workers.Sa;
        var (from, to) = workers.Part(workers.Begin, workers.End, part);
        int* table = workers.Table(part, workers.K);
        new Span<int>(table, workers.K).Clear();
        Induced* cache = workers.Cache(part);
        bool final = workers.Final;
        int count = 0;
        int prefetchEnd = to - PrefetchDistance;
        for (int i = from; i < to; i++)
        {
            if (i < prefetchEnd) Prefetch(t + ((sa[i + PrefetchDistance] & Unmarked) - 1));
            int v = sa[i];
            if (v > 0)
            {
                int j = v - 1;
                int symbol = Sym(t[j]);
                table[symbol]++;
                cache[count++] = new Induced(symbol, j | BeforeIsSmaller(t, j, symbol));
                sa[i] = final ? v | Marked : 0;
            }
            else if (v < 0) sa[i] = v & Unmarked;
        }
        workers.Cached[part] = count;
    }

    /// <summary>Writes this thread's induced suffixes at the slots <see cref="Workers.TakeSlots(int*, int, bool, int)"/> gave its part.</summary>
    private static void WriteRunL(Workers workers, int part)
    {
        int* sa = (int*)workers.Sa;
        int* table = workers.Table(part, workers.K);
        Induced* cache = workers.Cache(part);
        for (int e = 0, count = workers.Cached[part]; e < count; e++) sa[table[cache[e].Symbol]++] = cache[e].Suffix;
    }

    /// <summary><see cref="InduceS"/> by several threads, by runs from the right, as <see cref="InduceLInRuns"/>.</summary>
    private static void InduceSInRuns<T>(T* t, int* sa, int n, int* bucket, int k, bool final, Workers workers)
        where T : unmanaged, IBinaryInteger<T>
    {
        workers.Prepare((nint)t, (nint)sa, k, final);
        int longest = workers.LongestRun, shortest = workers.ShortestRun;
        for (int i = n - 1; i >= 0;)
        {
            int limit = Math.Max(-1, i - longest), begin = i;
            while (begin > limit && sa[begin] != 0) begin--;
            if (i - begin < shortest)
            {
                begin = Math.Max(-1, i - shortest);
                InduceSRange(t, sa, begin + 1, i + 1, bucket, final);
            }
            else
            {
                workers.Run(begin + 1, i + 1, &ReadRunS<T>);
                workers.TakeSlots(bucket, k, up: false);
                workers.Run(begin + 1, i + 1, &WriteRunS);
            }
            i = begin;
        }
    }

    /// <summary>Reads this thread's part of a run of <see cref="InduceSInRuns"/>, right to left; part 0 is the rightmost.</summary>
    private static void ReadRunS<T>(Workers workers, int part) where T : unmanaged, IBinaryInteger<T>
    {
        T* t = (T*)workers.Text;
        int* sa = (int*)workers.Sa;
        var (from, to) = workers.Part(workers.Begin, workers.End, workers.Parts - 1 - part);
        int* table = workers.Table(part, workers.K);
        new Span<int>(table, workers.K).Clear();
        Induced* cache = workers.Cache(part);
        bool final = workers.Final;
        int count = 0;
        int prefetchEnd = from + PrefetchDistance;
        for (int i = to - 1; i >= from; i--)
        {
            if (i >= prefetchEnd) Prefetch(t + ((sa[i - PrefetchDistance] & Unmarked) - 1));
            int v = sa[i];
            if (v > 0)
            {
                int j = v - 1;
                int symbol = Sym(t[j]);
                table[symbol]++;
                cache[count++] = new Induced(symbol, j | BeforeIsLarger(t, j, symbol));
                if (!final) sa[i] = 0;
            }
            else if (final) sa[i] = v & Unmarked;
        }
        workers.Cached[part] = count;
    }

    /// <summary>Writes this thread's induced suffixes downwards from the slots <see cref="Workers.TakeSlots(int*, int, bool, int)"/> gave its part.</summary>
    private static void WriteRunS(Workers workers, int part)
    {
        int* sa = (int*)workers.Sa;
        int* table = workers.Table(part, workers.K);
        Induced* cache = workers.Cache(part);
        for (int e = 0, count = workers.Cached[part]; e < count; e++) sa[--table[cache[e].Symbol]] = cache[e].Suffix;
    }

    /// <summary>A suffix a threaded scan induces, the symbol whose bucket it goes to, and (naming) the groups its part had read.</summary>
    private readonly struct Induced(int symbol, int suffix, int group = 0)
    {
        public readonly int Symbol = symbol, Suffix = suffix, Group = group;
    }

    /// <summary>
    /// The threads of a sort (the calling one and threads − 1 of its own, started once) and the state a step shares
    /// with them. A step is a static function over one part of a range; the parts (a few per thread) go to whichever
    /// thread asks first, so a thread the scheduler leaves waiting on a shared machine holds up at most the part it
    /// took, not every step. Nothing is allocated per step, which matters with some thousand steps per scan.
    /// </summary>
    private sealed class Workers : IDisposable
    {
        /// <summary>Symbols a counting table of one part holds; larger alphabets are counted by one thread.</summary>
        public const int CountTable = 256;

        private readonly Thread[] _threads;
        private readonly SemaphoreSlim _wake = new(0);
        private Induced[] _caches = [];
        private int[] _tables = [];
        private delegate*<Workers, int, void> _step;
        // The job: its number in the upper half, the next part to take in the lower; parts finished; threads asleep.
        private long _job;
        private int _finished, _sleepers;
        private volatile bool _stopping;

        public Workers(int threads, int blockSize)
        {
            Threads = threads;
            Parts = 4 * threads;
            LongestRun = threads * blockSize;
            PartCapacity = LongestRun / Parts + 1;
            ShortestRun = Math.Max(Parts, Math.Min(blockSize, 1 << 14));
            Counts = new int[Parts * CountTable];
            Cached = new int[Parts];
            Groups = new int[Parts];
            _threads = new Thread[threads - 1];
            for (int i = 0; i < _threads.Length; i++)
            {
                _threads[i] = new Thread(Loop, maxStackSize: 256 << 10) { IsBackground = true, Name = "SuffixSorter" };
                _threads[i].Start();
            }
        }

        public int Threads { get; }

        /// <summary>How many parts a step's range is cut into.</summary>
        public int Parts { get; }

        /// <summary>A threaded scan's longest run; a longer one is taken in pieces.</summary>
        public int LongestRun { get; }

        /// <summary>Entries of one part of a run, at most.</summary>
        private int PartCapacity { get; }

        /// <summary>Runs shorter than this are scanned by the calling thread alone: the handing out costs more than it saves.</summary>
        public int ShortestRun { get; }

        /// <summary>One counting table per part.</summary>
        public int[] Counts { get; }

        /// <summary>How many induced suffixes each part's cache holds.</summary>
        public int[] Cached { get; }

        /// <summary>Groups each part of a naming scan read; after <see cref="TakeSlots(int*, int*, int, bool, int)"/>, the count before the part.</summary>
        public int[] Groups { get; }

        // What the current step works on.
        public nint Text, Sa, Extra;
        public int Begin, End, K, N, M;
        public bool Final, MarkUnique;

        /// <summary>
        /// Whether work over an alphabet of <paramref name="k"/> symbols is split into parts with a table of k counts
        /// each (LMS positions by part, the runs of a threaded scan): turning the counts into slots costs k steps per
        /// part, small beside the work only for small alphabets.
        /// </summary>
        public bool Splits(int k) => (long)k * Parts * 4 <= LongestRun || k <= 1024;

        /// <summary>
        /// Whether the induce scans go by runs on all threads: from <see cref="FewestThreadsForRuns"/> threads up, for
        /// alphabets that <see cref="Splits"/>. With two threads on two cores the runs cost a third more CPU seconds
        /// for no wall time (benchmarks/suffixarrays.md), so two threads share only the passes split by ranges.
        /// </summary>
        public bool ScansInRuns(int k) => Threads >= FewestThreadsForRuns && Splits(k);

        private const int FewestThreadsForRuns = 3;

        /// <summary>
        /// Sets what the steps of a threaded scan read, and makes room for a bucket table and a cache per part (made at
        /// the first threaded scan: with two threads there is none).
        /// </summary>
        public void Prepare(nint text, nint sa, int k, bool final)
        {
            (Text, Sa, K, Final) = (text, sa, k, final);
            if (_caches.Length == 0) _caches = GC.AllocateUninitializedArray<Induced>(Parts * PartCapacity, pinned: true);
            if (_tables.Length < Parts * k) _tables = GC.AllocateUninitializedArray<int>(Parts * k, pinned: true);
        }

        /// <summary>Part <paramref name="part"/>'s table of k ints.</summary>
        public int* Table(int part, int k)
        {
            if (_tables.Length < Parts * k) _tables = GC.AllocateUninitializedArray<int>(Parts * k, pinned: true);
            return (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_tables)) + (long)part * k;
        }

        /// <summary>Part <paramref name="part"/>'s cache of induced suffixes.</summary>
        public Induced* Cache(int part)
            => (Induced*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_caches)) + (long)part * PartCapacity;

        /// <summary>
        /// Turns each part's bucket counts into its first slots (up: from bucket starts, part 0 first; down: from
        /// bucket ends, part 0 first) and moves the shared bucket pointers past all of them.
        /// </summary>
        public void TakeSlots(int* bucket, int k, bool up, int stride = 0)
        {
            for (int part = 0; part < Parts; part++)
            {
                int* table = Table(part, stride == 0 ? k : stride);
                if (up)
                    for (int c = 0; c < k; c++)
                    {
                        int slot = bucket[c];
                        bucket[c] = slot + table[c];
                        table[c] = slot;
                    }
                else
                    for (int c = 0; c < k; c++)
                    {
                        int slot = bucket[c];
                        bucket[c] = slot - table[c];
                        table[c] = slot;
                    }
            }
        }

        /// <summary>
        /// <see cref="TakeSlots(int*, int, bool, int)"/> for a naming scan (tables of 2k: counts, then each part's last group
        /// per bucket): leaves in each part's second half the last group induced into each bucket before the part, in
        /// <see cref="Groups"/> the groups read before it, and in <paramref name="lastGroup"/> the state after the run.
        /// Returns the groups read after the run.
        /// </summary>
        public int TakeSlots(int* bucket, int* lastGroup, int k, bool up, int group)
        {
            TakeSlots(bucket, k, up, stride: 2 * k);
            for (int part = 0; part < Parts; part++)
            {
                int* last = Table(part, 2 * k) + k;
                for (int c = 0; c < k; c++)
                {
                    int before = lastGroup[c], mine = last[c];
                    if (mine >= 0) lastGroup[c] = group + mine;
                    last[c] = before;
                }
                int read = Groups[part];
                Groups[part] = group;
                group += read;
            }
            return group;
        }

        /// <summary>Part <paramref name="part"/> of [from, to), contiguous.</summary>
        public (int From, int To) Part(int from, int to, int part)
        {
            long length = to - from;
            return (from + (int)(length * part / Parts), from + (int)(length * (part + 1) / Parts));
        }

        /// <summary>Runs <paramref name="step"/> on every part, on whichever threads take them, and returns when all are done.</summary>
        public void Run(delegate*<Workers, int, void> step)
        {
            _step = step;
            _finished = 0;
            long job = ((Volatile.Read(ref _job) >> 32) + 1) << 32;
            Volatile.Write(ref _job, job); // publishes the step and its state to the threads that read the job
            int sleepers = Interlocked.Exchange(ref _sleepers, 0);
            if (sleepers > 0) _wake.Release(sleepers);
            Work(job >> 32);
            var spin = new SpinWait();
            while (Volatile.Read(ref _finished) < Parts) spin.SpinOnce(sleep1Threshold: -1);
        }

        /// <summary>Runs <paramref name="step"/> on the parts of [from, to) and returns when all are done.</summary>
        public void Run(int from, int to, delegate*<Workers, int, void> step)
        {
            (Begin, End) = (from, to);
            Run(step);
        }

        /// <summary>Takes parts of job <paramref name="number"/> until none is left; a stale job's parts are never taken.</summary>
        private void Work(long number)
        {
            while (true)
            {
                long job = Volatile.Read(ref _job);
                if (job >> 32 != number || (int)job >= Parts) return;
                if (Interlocked.CompareExchange(ref _job, job + 1, job) != job) continue;
                _step(this, (int)job);
                Interlocked.Increment(ref _finished);
            }
        }

        private void Loop()
        {
            long seen = 0, idleSince = Stopwatch.GetTimestamp();
            var spin = new SpinWait();
            while (!_stopping)
            {
                long number = Volatile.Read(ref _job) >> 32;
                if (number != seen)
                {
                    seen = number;
                    Work(number);
                    spin.Reset();
                    idleSince = Stopwatch.GetTimestamp();
                    continue;
                }
                // Jobs of a scan follow each other within microseconds, and waking a sleeping thread takes longer than
                // many a part: keep asking for a while before sleeping until the next job.
                if (Stopwatch.GetElapsedTime(idleSince).Ticks < SpinBeforeSleeping)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                    continue;
                }
                Interlocked.Increment(ref _sleepers);
                if (Volatile.Read(ref _job) >> 32 == seen && !_stopping) _wake.Wait();
                spin.Reset();
                idleSince = Stopwatch.GetTimestamp();
            }
        }

        /// <summary>How long (in TimeSpan ticks, 0.2 ms) a thread without work keeps asking before it sleeps.</summary>
        private const long SpinBeforeSleeping = TimeSpan.TicksPerMillisecond / 5;

        public void Dispose()
        {
            _stopping = true;
            _wake.Release(_threads.Length);
            foreach (var thread in _threads) thread.Join();
            _wake.Dispose();
        }
    }
}
