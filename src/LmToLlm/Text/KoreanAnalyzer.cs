namespace LmToLlm.Text;

/// <summary>
/// Hangul-aware analyzers built on <c>simple</c> tokens: runs of Hangul syllables become overlapping syllable
/// bigrams, so that <c>학교에서</c> and <c>학교를</c> share <c>학교</c> without a morphological dictionary.
/// </summary>
/// <remarks>
/// <para>A <b>Hangul run</b> is a maximal run of precomposed Hangul syllables, U+AC00–U+D7A3, inside one
/// <c>simple</c> token. Conjoining or compatibility jamo (U+1100–U+11FF, U+3130–U+318F, …) are ordinary letters,
/// not syllables; text is not normalised, so decomposed (NFD) Hangul gets no bigrams.</para>
/// <para><c>korean</c> (<see cref="KoreanMode.TokenAndBigrams"/>): for each token, in text order: the token itself,
/// then the overlapping bigrams of each Hangul run of two or more syllables, in order — except that a bigram equal
/// to the whole token (a token of exactly two syllables) is not emitted a second time.
/// <c>학교에서 ABC학교 한</c> → <c>학교에서 학교 교에 에서 abc학교 학교 한</c>.</para>
/// <para><c>korean-bigrams</c> (<see cref="KoreanMode.BigramsOnly"/>): each token is cut into maximal segments
/// that are Hangul runs or contain no Hangul syllable; a non-Hangul segment is emitted as it is, a one-syllable run
/// as it is, a longer run as its overlapping bigrams. <c>학교에서 ABC학교 한</c> → <c>학교 교에 에서 abc 학교 한</c>.</para>
/// </remarks>
internal sealed class KoreanAnalyzer : Analyzer
{
    private KoreanAnalyzer(KoreanMode mode) => Mode = mode;

    /// <summary><c>korean</c>: each token plus the bigrams of its Hangul runs.</summary>
    internal static KoreanAnalyzer TokenAndBigrams { get; } = new(KoreanMode.TokenAndBigrams);

    /// <summary><c>korean-bigrams</c>: Hangul runs replaced by their bigrams.</summary>
    internal static KoreanAnalyzer BigramsOnly { get; } = new(KoreanMode.BigramsOnly);

    /// <summary>Which tokens are emitted.</summary>
    internal KoreanMode Mode { get; }

    /// <inheritdoc />
    public override string Name => Mode == KoreanMode.TokenAndBigrams ? "korean" : "korean-bigrams";

    /// <summary>Whether <paramref name="c"/> is a precomposed Hangul syllable (U+AC00–U+D7A3).</summary>
    internal static bool IsHangulSyllable(char c) => c is >= '\uAC00' and <= '\uD7A3';

    /// <inheritdoc />
    public override void Analyze(ReadOnlySpan<char> text, ITokenSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var handler = new Bigrams(sink, Mode == KoreanMode.BigramsOnly);
        SimpleAnalyzer.Scan(text, ref handler);
    }

    private readonly struct Bigrams(ITokenSink sink, bool bigramsOnly) : ITokenHandler
    {
        public void Handle(Span<char> token)
        {
            if (!bigramsOnly) sink.Add(token);
            int i = 0;
            while (i < token.Length)
            {
                int start = i;
                bool hangul = IsHangulSyllable(token[i]);
                while (i < token.Length && IsHangulSyllable(token[i]) == hangul) i++;
                // Syllables are BMP chars, so a run of n chars is n syllables.
                int length = i - start;
                if (hangul && length >= 2)
                {
                    if (!bigramsOnly && length == token.Length && length == 2) continue;
                    for (int b = start; b + 2 <= i; b++) sink.Add(token.Slice(b, 2));
                }
                else if (bigramsOnly)
                {
                    sink.Add(token.Slice(start, length));
                }
            }
        }
    }
}

/// <summary>What the Hangul-aware analyzer emits (see <see cref="KoreanAnalyzer"/>).</summary>
internal enum KoreanMode
{
    /// <summary>The <c>simple</c> token, then the syllable bigrams of its Hangul runs (<c>korean</c>).</summary>
    TokenAndBigrams,

    /// <summary>Hangul runs replaced by their syllable bigrams; one-syllable runs and other segments kept (<c>korean-bigrams</c>).</summary>
    BigramsOnly,
}
