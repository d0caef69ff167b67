namespace LmToLlm.Subwords;

/// <summary>
/// The Unicode script of a code point, as SentencePiece's <c>unicode_script::GetScript</c> uses it to stop pieces at
/// script changes. Code points not listed (unassigned ones included) are Common, as in the reference.
/// </summary>
internal static partial class UnicodeScripts
{
    internal const int Common = 0;

    /// <summary>The name of script index <paramref name="script"/> (for messages and tests).</summary>
    internal static string Name(int script) => s_names[script];

    /// <summary>The script index of <paramref name="codepoint"/>.</summary>
    internal static int Of(int codepoint)
    {
        var starts = Starts;
        int lo = 0, hi = starts.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= codepoint) lo = mid + 1;
            else hi = mid - 1;
        }
        return hi >= 0 && codepoint <= Ends[hi] ? ScriptOfRange[hi] : Common;
    }
}
