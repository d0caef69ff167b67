namespace LmToLlm.SuffixArrays;

/// <summary>
/// Longest-common-prefix array by Kasai et al. 2001 ("Linear-time longest-common-prefix computation in suffix arrays
/// and its applications"). Input: a text, its suffix array and a separator symbol. Output: lcp[r] = the length of
/// the common prefix of the suffixes of ranks r − 1 and r (lcp[0] = 0), stopping at the separator, so a common
/// prefix never spans two documents.
/// </summary>
internal static class LcpArray
{
    internal static int[] Build(ReadOnlySpan<int> text, ReadOnlySpan<int> sa, int separator, CancellationToken cancellationToken = default)
    {
        int n = text.Length;
        var rank = new int[n];
        for (int r = 0; r < n; r++) rank[sa[r]] = r;
        var lcp = new int[n];
        int h = 0;
        for (int i = 0; i < n; i++)
        {
            if ((i & 0xFFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            int r = rank[i];
            if (r == 0)
            {
                h = 0;
                continue;
            }
            int j = sa[r - 1];
            while (i + h < n && j + h < n && text[i + h] == text[j + h] && text[i + h] != separator) h++;
            lcp[r] = h;
            if (h > 0) h--; // the suffix at i + 1 shares at least h − 1 with its predecessor
        }
        return lcp;
    }
}
