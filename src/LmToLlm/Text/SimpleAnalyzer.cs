using System.Buffers;
using System.Globalization;
using System.Text;

namespace LmToLlm.Text;

/// <summary>
/// The <c>simple</c> analyzer, used by every reference in this project's test data.
/// A token is a maximal run of code points whose Unicode general category is Lu, Ll, Lt, Lm, Lo or Nd;
/// each code point is lowercased on its own (Unicode simple 1:1 case mapping); every other code point
/// separates tokens and is dropped. A surrogate pair is one code point; a lone surrogate separates tokens.
/// Categories and case mappings are those of the running .NET (Unicode 16 for .NET 10); the references were
/// made with Unicode 14, and the two agree on every code point Unicode 14 assigns (U+0130 → U+0069 included).
/// Example: <c>"Mach-number 2.5 flow."</c> → <c>mach number 2 5 flow</c>.
/// </summary>
internal sealed class SimpleAnalyzer : Analyzer
{
    /// <inheritdoc />
    public override string Name => "simple";

    /// <inheritdoc />
    public override void Analyze(ReadOnlySpan<char> text, ITokenSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var forward = new Forward(sink);
        Scan(text, ref forward);
    }

    /// <summary>
    /// The tokenizer shared by every analyzer built on <c>simple</c>.
    /// Input: raw text. Output: each lowercased token, in text order, as a writable span of a scratch buffer
    /// (a handler may rewrite it in place; it is valid only during the call). No allocation for texts ≤ 512 chars;
    /// longer texts rent one buffer from the shared pool.
    /// </summary>
    internal static void Scan<THandler>(ReadOnlySpan<char> text, ref THandler handler) where THandler : struct, ITokenHandler
    {
        char[]? rented = null;
        // Simple lowercase maps BMP to BMP and supplementary to supplementary, so a token never grows.
        Span<char> buffer = text.Length <= 512 ? stackalloc char[text.Length] : (rented = ArrayPool<char>.Shared.Rent(text.Length));
        int length = 0;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (!char.IsSurrogate(c))
            {
                if (IsTokenCategory(char.GetUnicodeCategory(c)))
                {
                    buffer[length++] = ToLowerSimple(c);
                }
                else if (length > 0)
                {
                    handler.Handle(buffer[..length]);
                    length = 0;
                }
                i++;
                continue;
            }

            if (Rune.DecodeFromUtf16(text[i..], out Rune rune, out int consumed) == OperationStatus.Done
                && IsTokenCategory(Rune.GetUnicodeCategory(rune)))
            {
                length += Rune.ToLowerInvariant(rune).EncodeToUtf16(buffer[length..]);
            }
            else if (length > 0)
            {
                handler.Handle(buffer[..length]);
                length = 0;
            }
            i += Math.Max(consumed, 1);
        }
        if (length > 0) handler.Handle(buffer[..length]);
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
    }

    /// <summary>
    /// Unicode simple (1:1) lowercase of a BMP code point. .NET's invariant casing deliberately leaves U+0130
    /// (capital I with dot above) unchanged; UnicodeData.txt maps it to U+0069, as the references do. Checked over
    /// every code point: this is the only difference from Python 3.11's mapping for code points both know.
    /// </summary>
    internal static char ToLowerSimple(char c) => c == '\u0130' ? 'i' : char.ToLowerInvariant(c);

    internal static bool IsTokenCategory(UnicodeCategory category) => category is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber;

    private readonly struct Forward(ITokenSink sink) : ITokenHandler
    {
        public void Handle(Span<char> token) => sink.Add(token);
    }
}

/// <summary>What <see cref="SimpleAnalyzer.Scan"/> calls per token; a struct so the call is inlined, not virtual.</summary>
internal interface ITokenHandler
{
    void Handle(Span<char> token);
}
