namespace LmToLlm.SuffixArrays;

/// <summary>
/// Leaving out of the recursion the names it cannot reorder (Grebnov's libsais, <c>compact_lms_suffixes_32s</c>).
/// </summary>
/// <remarks>
/// An LMS substring that occurs once has a unique name, so its suffix's rank among the LMS suffixes is already its
/// substring's rank. And when the name before it in the reduced text is unique too, no comparison of two reduced
/// suffixes ever reaches it: two suffixes that agree up to the unique name before it differ there. Such names are
/// dropped from the reduced text the recursion sorts (which keeps the unique names that follow a repeated one), and
/// put back at their ranks afterwards. At the levels below the top most names are unique: on 42 MB of English, level
/// 2 drops 1,447,764 of its 1,635,003 names, and the recursion below it shrinks to a ninth.
/// The level's text must be writable (a dropped position is marked by the sign bit of its symbol until it is put
/// back), so this runs at the levels below the top only, whose texts live in the suffix array.
/// </remarks>
internal static unsafe partial class SuffixSorter
{
    /// <summary>
    /// Input: the m sorted LMS positions in sa[0..m), the name (from 1) of the substring at p in sa[m + p/2] with the
    /// sign bit set when no other substring has it, zeros elsewhere in sa[m..n). Output: the reduced text of the names
    /// kept, renumbered from 0 in order, at the end of sa; just before it, the ranks of the dropped ones in text order;
    /// their positions marked in t. Returns how many were dropped.
    /// </summary>
    private static int CompactReducedText(int* t, int* sa, int n, int m)
    {
        int* names = sa + m;
        int half = (n + 1) >> 1;

        // In text order: a unique name is dropped when the LMS name before it is unique too (the first never is).
        int before = 0;
        for (int j = 0; j < half; j++)
        {
            int v = names[j];
            names[j] = v & (before | Unmarked);
            before = v == 0 ? before : v;
        }

        // In sorted order: a dropped name becomes its rank (marked), a kept one its name less the dropped ones before it.
        int dropped = 0;
        for (int i = 0; i < m; i++)
        {
            if (i + PrefetchDistance < m) Prefetch(names + (sa[i + PrefetchDistance] >> 1));
            int q = sa[i];
            int v = names[q >> 1];
            if (v < 0)
            {
                t[q] |= Marked;
                dropped++;
                names[q >> 1] = i | Marked;
            }
            else names[q >> 1] = v - dropped;
        }

        // In text order, right to left: kept names (from 0) to the end of sa, ranks of dropped ones into sa[m - dropped..m)
        // (the sorted positions are no longer needed), then moved just before the kept names.
        for (int j = half - 1, kept = n, ranks = m; j >= 0; j--)
        {
            int v = names[j];
            if (v > 0) sa[--kept] = v - 1;
            else if (v < 0) sa[--ranks] = v & Unmarked;
        }
        int remaining = m - dropped;
        Buffer.MemoryCopy(sa + remaining, sa + n - m, (long)dropped * sizeof(int), (long)dropped * sizeof(int));
        return dropped;
    }

    /// <summary>
    /// After the recursion sorted the kept names (sa[0..m − dropped), indices into the kept names), with the ranks of
    /// the dropped ones in sa[n − m..n − m + dropped): leaves the m sorted LMS positions in sa[0..m) and unmarks t.
    /// </summary>
    private static void ExpandSortedLms(int* t, int* sa, int n, int m, int dropped)
    {
        int remaining = m - dropped;
        int* kept = sa + n - remaining;
        // The kept LMS positions in text order (types from the unmarked symbols), over the kept names.
        int nextIsS = 0;
        int nextRaw = t[n - 1];
        int next = nextRaw & Unmarked;
        for (int i = n - 2, w = remaining; i >= 0 && w > 0; i--)
        {
            int raw = t[i];
            int symbol = raw & Unmarked;
            int isS = (symbol - next - nextIsS) >>> 31;
            kept[w - 1] = i + 1; // kept only when i + 1 is LMS and not dropped
            w -= nextIsS & ~isS & ~(nextRaw >>> 31);
            nextIsS = isS;
            next = symbol;
            nextRaw = raw;
        }
        Gather(sa, kept, 0, remaining);
        Buffer.MemoryCopy(sa, kept, (long)remaining * sizeof(int), (long)remaining * sizeof(int));
        new Span<int>(sa, m).Clear();

        // Dropped positions at their ranks (text order, as their ranks were listed), then the kept ones in the gaps.
        int* ranks = sa + n - m;
        for (int i = 0, d = 0; d < dropped; i++)
        {
            int v = t[i];
            if (v >= 0) continue;
            t[i] = v & Unmarked;
            sa[ranks[d++]] = i;
        }
        for (int i = 0, from = 0; from < remaining; i++)
            if (sa[i] == 0) sa[i] = kept[from++];
    }
}
