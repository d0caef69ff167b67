namespace LmToLlm.Subwords;

/// <summary>
/// The longest user-defined symbol at the start of a text (SentencePiece's <c>PrefixMatcher</c>): such symbols are
/// neither normalised nor split. Input: the symbols. Output: the match length, or one character when none matches.
/// </summary>
internal sealed class PrefixMatcher
{
    private readonly byte[][] _symbols;
    private readonly System.Buffers.SearchValues<byte> _firstBytes;

    internal PrefixMatcher(IEnumerable<string> symbols)
    {
        _symbols = symbols.Select(s => System.Text.Encoding.UTF8.GetBytes(s)).Where(b => b.Length > 0).ToArray();
        _firstBytes = System.Buffers.SearchValues.Create(_symbols.Select(s => s[0]).Distinct().ToArray());
    }

    /// <summary>
    /// Where the first symbol could start in <paramref name="text"/> (valid UTF-8), or -1: a symbol's first byte is a
    /// lead byte, so the bytes before it are whole characters that no symbol starts.
    /// </summary>
    internal int IndexOfPossibleMatch(ReadOnlySpan<byte> text) => text.IndexOfAny(_firstBytes);

    internal bool IsEmpty => _symbols.Length == 0;

    /// <summary>The length of the longest symbol that starts <paramref name="text"/> (found), or of its first character.</summary>
    internal int Match(ReadOnlySpan<byte> text, out bool found)
    {
        int longest = 0;
        foreach (var s in _symbols)
            if (s.Length > longest && text.StartsWith(s)) longest = s.Length;
        found = longest > 0;
        return found ? longest : SpmUtf8.CharLength(text);
    }
}
