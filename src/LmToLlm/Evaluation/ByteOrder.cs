namespace LmToLlm.Evaluation;

/// <summary>
/// Orders strings as C <c>strcmp</c> orders their UTF-8 bytes, i.e. by Unicode code point. trec_eval sorts query
/// ids and breaks score ties with <c>strcmp</c> on docnos; UTF-16 ordinal order differs from it only for
/// supplementary characters, which this comparer fixes.
/// </summary>
internal sealed class ByteOrder : IComparer<string>
{
    public static readonly ByteOrder Instance = new();

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
