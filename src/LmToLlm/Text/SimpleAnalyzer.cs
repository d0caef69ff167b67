using System.Buffers;
using System.Globalization;
using System.Text;

namespace LmToLlm.Text;

/// <summary>
/// The <c>simple</c> analyzer, used by every reference in this project's test data.
/// A token is a maximal run of code points whose Unicode general category is Lu, Ll, Lt, Lm, Lo or Nd;
/// each code point is lowercased on its own (invariant simple 1:1 case mapping); every other code point
/// separates tokens and is dropped. A surrogate pair is one code point; a lone surrogate separates tokens.
/// Example: <c>"Mach-number 2.5 flow."</c> → <c>mach number 2 5 flow</c>.
/// </summary>
public sealed class SimpleAnalyzer : Analyzer
{
    /// <inheritdoc />
    public override string Name => "simple";

    /// <inheritdoc />
    public override void Analyze(ReadOnlySpan<char> text, ITokenSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        char[]? rented = null;
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
                    buffer[length++] = char.ToLowerInvariant(c);
                }
                else if (length > 0)
                {
                    sink.Add(buffer[..length]);
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
                sink.Add(buffer[..length]);
                length = 0;
            }
            i += Math.Max(consumed, 1);
        }
        if (length > 0) sink.Add(buffer[..length]);
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
    }

    internal static bool IsTokenCategory(UnicodeCategory category) => category is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber;
}
