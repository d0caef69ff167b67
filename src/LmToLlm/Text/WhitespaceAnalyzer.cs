namespace LmToLlm.Text;

/// <summary>
/// The <c>whitespace</c> analyzer, Lucene's <c>WhitespaceAnalyzer</c>: a token is a maximal run of code points that
/// are not white space in Java's <c>Character.isWhitespace</c> sense (categories Zs, Zl, Zp except the no-break
/// spaces U+00A0, U+2007, U+202F; and U+0009–U+000D, U+001C–U+001F). No lowercasing, punctuation kept. As Lucene's
/// <c>CharTokenizer</c>, a token is cut after 255 UTF-16 units (the rest starts the next token), and a surrogate
/// pair is never split. Example: <c>"Mach-number  2.5\tflow."</c> → <c>Mach-number 2.5 flow.</c>
/// </summary>
internal sealed class WhitespaceAnalyzer : Analyzer
{
    /// <summary>Lucene's <c>CharTokenizer.DEFAULT_MAX_WORD_LEN</c>.</summary>
    internal const int MaxTokenLength = 255;

    /// <inheritdoc />
    public override string Name => "whitespace";

    /// <inheritdoc />
    public override void Analyze(ReadOnlySpan<char> text, ITokenSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        int start = -1, i = 0;
        while (i < text.Length)
        {
            int width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (IsJavaWhitespace(text[i]))
            {
                if (start >= 0) sink.Add(text[start..i]);
                start = -1;
            }
            else
            {
                if (start < 0) start = i;
                // CharTokenizer: the token is emitted once it holds ≥ 255 units (a pair may take it to 256).
                if (i + width - start >= MaxTokenLength)
                {
                    sink.Add(text[start..(i + width)]);
                    start = -1;
                }
            }
            i += width;
        }
        if (start >= 0) sink.Add(text[start..]);
    }

    /// <summary>Java's <c>Character.isWhitespace</c> (every such code point is in the BMP).</summary>
    internal static bool IsJavaWhitespace(char c) => c switch
    {
        >= '\u0009' and <= '\u000D' or >= '\u001C' and <= '\u001F' => true,
        '\u00A0' or '\u2007' or '\u202F' => false,
        _ => char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.SpaceSeparator
            or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator,
    };
}
