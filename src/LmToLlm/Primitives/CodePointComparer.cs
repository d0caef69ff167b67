namespace LmToLlm.Primitives;

/// <summary>
/// Orders strings by Unicode code point, which is the order of their UTF-8 bytes (C <c>strcmp</c>, trec_eval's
/// sort of query ids and docnos, the index's term dictionary). UTF-16 ordinal order differs from it only where a
/// surrogate (a code point above U+FFFF) meets U+E000..U+FFFF, which this comparer fixes.
/// </summary>
internal sealed class CodePointComparer : IComparer<string>
{
    public static readonly CodePointComparer Instance = new();

    public int Compare(string? x, string? y) => CompareStrings(x ?? "", y ?? "");

    public static int CompareStrings(string x, string y)
    {
        int n = Math.Min(x.Length, y.Length);
        for (int i = 0; i < n; i++)
        {
            char a = x[i], b = y[i];
            if (a == b) continue;
            // Surrogates (D800-DFFF) encode code points above FFFF, so they sort after E000-FFFF.
            if (a >= 0xD800 && b >= 0xD800) return Fix(a) - Fix(b);
            return a - b;
        }
        return x.Length - y.Length;
    }

    private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
