using System.Globalization;

namespace LmToLlm.Text;

/// <summary>
/// Character n-grams of <c>simple</c> tokens, for subword work; named <c>char:MIN-MAX</c> (or <c>char:N</c>) with the
/// token wrapped in boundary markers, <c>char-nowrap:MIN-MAX</c> without.
/// </summary>
/// <remarks>
/// <para>Rule: each <c>simple</c> token <c>t</c> becomes <c>w = "&lt;" + t + "&gt;"</c> (wrapped, as fastText does)
/// or <c>w = t</c> (nowrap). Its n-grams are emitted by start position, then by length n = MIN..MAX: every run of n
/// consecutive code points of <c>w</c> (a surrogate pair counts as one), except that a 1-gram consisting of a
/// marker alone (<c>&lt;</c> or <c>&gt;</c>) is skipped. When <c>w</c> has fewer than MIN code points, <c>w</c> itself
/// is emitted, so no token is lost. n-grams never cross token boundaries; the whole token is not emitted separately.</para>
/// <para><c>char:3-4</c> on <c>"Flow"</c>: <c>&lt;fl &lt;flo flo flow low low&gt; ow&gt;</c>.
/// <c>char-nowrap:3</c> on <c>"a flow"</c>: <c>a flo low</c>.</para>
/// </remarks>
internal sealed class CharNGramAnalyzer : Analyzer
{
    /// <summary>The largest n accepted (64).</summary>
    internal const int LongestAllowed = 64;

    private CharNGramAnalyzer(int min, int max, bool wrap)
    {
        MinLength = min;
        MaxLength = max;
        Wrap = wrap;
    }

    /// <summary>Character n-grams of lengths <paramref name="min"/>..<paramref name="max"/> (1 ≤ min ≤ max ≤ 64).</summary>
    internal static CharNGramAnalyzer Create(int min, int max, bool wrap = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, LongestAllowed);
        return new CharNGramAnalyzer(min, max, wrap);
    }

    /// <summary>The shortest n-gram, in code points.</summary>
    internal int MinLength { get; }

    /// <summary>The longest n-gram, in code points.</summary>
    internal int MaxLength { get; }

    /// <summary>Whether tokens are wrapped in <c>&lt;</c> … <c>&gt;</c> before cutting.</summary>
    internal bool Wrap { get; }

    /// <inheritdoc />
    public override string Name => (Wrap ? "char:" : "char-nowrap:") + (MinLength == MaxLength
        ? MinLength.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{MinLength}-{MaxLength}"));

    /// <summary>Parses <c>char:MIN-MAX</c>, <c>char:N</c>, <c>char-nowrap:…</c>; null when <paramref name="name"/> is not of that form.</summary>
    internal static CharNGramAnalyzer? TryParse(string name)
    {
        bool wrap;
        ReadOnlySpan<char> spec;
        if (name.StartsWith("char:", StringComparison.Ordinal)) { wrap = true; spec = name.AsSpan(5); }
        else if (name.StartsWith("char-nowrap:", StringComparison.Ordinal)) { wrap = false; spec = name.AsSpan(12); }
        else return null;
        int dash = spec.IndexOf('-');
        ReadOnlySpan<char> low = dash < 0 ? spec : spec[..dash];
        ReadOnlySpan<char> high = dash < 0 ? spec : spec[(dash + 1)..];
        if (!int.TryParse(low, NumberStyles.None, CultureInfo.InvariantCulture, out int min)
            || !int.TryParse(high, NumberStyles.None, CultureInfo.InvariantCulture, out int max)
            || min < 1 || max < min || max > LongestAllowed)
        {
            throw new ArgumentException($"bad character n-gram analyzer '{name}': expected char:MIN-MAX or char:N with 1 ≤ MIN ≤ MAX ≤ {LongestAllowed}, e.g. char:3-5");
        }
        return new CharNGramAnalyzer(min, max, wrap);
    }

    /// <inheritdoc />
    public override void Analyze(ReadOnlySpan<char> text, ITokenSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var handler = new Cutter(sink, this);
        SimpleAnalyzer.Scan(text, ref handler);
    }

    private readonly struct Cutter(ITokenSink sink, CharNGramAnalyzer options) : ITokenHandler
    {
        public void Handle(Span<char> token)
        {
            char[]? rented = null;
            int needed = token.Length + 2;
            Span<char> w = needed <= 256 ? stackalloc char[needed] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(needed));
            int length;
            if (options.Wrap)
            {
                w[0] = '<';
                token.CopyTo(w[1..]);
                w[token.Length + 1] = '>';
                length = needed;
            }
            else
            {
                token.CopyTo(w);
                length = token.Length;
            }
            Cut(w[..length]);
            if (rented is not null) System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }

        private void Cut(ReadOnlySpan<char> w)
        {
            int codePoints = 0;
            for (int i = 0; i < w.Length; i += Step(w, i)) codePoints++;
            if (codePoints < options.MinLength)
            {
                sink.Add(w);
                return;
            }
            for (int start = 0; start < w.Length; start += Step(w, start))
            {
                int end = start;
                for (int n = 1; n <= options.MaxLength && end < w.Length; n++)
                {
                    end += Step(w, end);
                    if (n < options.MinLength) continue;
                    if (n == 1 && options.Wrap && (start == 0 || end == w.Length)) continue; // a lone marker
                    sink.Add(w[start..end]);
                }
            }
        }

        private static int Step(ReadOnlySpan<char> w, int i) =>
            char.IsHighSurrogate(w[i]) && i + 1 < w.Length && char.IsLowSurrogate(w[i + 1]) ? 2 : 1;
    }
}
