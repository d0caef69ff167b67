using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace LmToLlm.Data;

/// <summary>
/// How text is normalized before it is compared, in this order: Unicode NFC (<see cref="Nfc"/>), case folding
/// (<see cref="CaseFold"/>: each code point mapped by the invariant simple lowercase mapping), punctuation removal
/// (<see cref="RemovePunctuation"/>: code points of general category P* are deleted, not replaced by a space) and
/// white-space collapse (<see cref="CollapseWhitespace"/>: every run of <see cref="char.IsWhiteSpace(char)"/> code
/// points becomes one space; leading and trailing white space is dropped).
/// Example with the defaults and punctuation removal: <c>"  Hello,\tWORLD! "</c> → <c>"hello world"</c>.
/// </summary>
public sealed record TextNormalization
{
    /// <summary>
    /// Compose to Unicode NFC first (default true). Uses <see cref="string.Normalize(NormalizationForm)"/>,
    /// which is a no-op when the runtime runs in globalization-invariant mode (see <see cref="NfcAvailable"/>).
    /// </summary>
    public bool Nfc { get; init; } = true;

    /// <summary>Lowercase every code point (default true).</summary>
    public bool CaseFold { get; init; } = true;

    /// <summary>Collapse white-space runs to one space and trim (default true).</summary>
    public bool CollapseWhitespace { get; init; } = true;

    /// <summary>Delete punctuation (default false).</summary>
    public bool RemovePunctuation { get; init; }

    /// <summary>The defaults: NFC, case fold, white-space collapse, punctuation kept.</summary>
    public static TextNormalization Default { get; } = new();

    /// <summary>
    /// True when <see cref="string.Normalize(NormalizationForm)"/> really composes non-ASCII text in this process.
    /// It is false under <c>InvariantGlobalization</c>, where .NET leaves strings unchanged; NFC is then skipped.
    /// </summary>
    public static bool NfcAvailable { get; } = "e\u0301".Normalize(NormalizationForm.FormC).Length == 1;

    /// <summary>The normalized form of <paramref name="text"/> as a string (allocates; see the type for the rules).</summary>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        char[] buffer = ArrayPool<char>.Shared.Rent(Math.Max(16, text.Length * 2));
        try
        {
            int length = Apply(text, ref buffer);
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The 128-bit XXH3 fingerprint of the UTF-16 code units of the normalized text: equal normalized texts give
    /// equal fingerprints; distinct ones collide with probability about 2^-128 per pair.
    /// </summary>
    internal UInt128 Fingerprint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        char[] buffer = ArrayPool<char>.Shared.Rent(Math.Max(16, text.Length * 2));
        try
        {
            int length = Apply(text, ref buffer);
            return XxHash128.HashToUInt128(MemoryMarshal.AsBytes(buffer.AsSpan(0, length)));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the normalized text into <paramref name="buffer"/> (grown when needed); returns its length.</summary>
    internal int Apply(string text, ref char[] buffer)
    {
        if (Nfc && NfcAvailable && !IsAscii(text) && !text.IsNormalized(NormalizationForm.FormC))
            text = text.Normalize(NormalizationForm.FormC);
        // Lowercasing can lengthen a code point's UTF-16 form only through surrogates, which keep their length.
        if (buffer.Length < text.Length) buffer = new char[text.Length];
        int length = 0;
        bool pendingSpace = false;
        ReadOnlySpan<char> span = text;
        int i = 0;
        while (i < span.Length)
        {
            Rune rune;
            int consumed;
            if (!char.IsSurrogate(span[i])) { rune = new Rune(span[i]); consumed = 1; }
            else if (Rune.DecodeFromUtf16(span[i..], out rune, out consumed) != OperationStatus.Done) { rune = Rune.ReplacementChar; consumed = Math.Max(consumed, 1); }
            i += consumed;
            if (CollapseWhitespace && Rune.IsWhiteSpace(rune))
            {
                pendingSpace = length > 0;
                continue;
            }
            if (RemovePunctuation && IsPunctuation(Rune.GetUnicodeCategory(rune))) continue;
            if (CaseFold) rune = Rune.ToLowerInvariant(rune);
            if (pendingSpace) { buffer[length++] = ' '; pendingSpace = false; }
            length += rune.EncodeToUtf16(buffer.AsSpan(length));
        }
        return length;
    }

    private static bool IsAscii(string text) => Ascii.IsValid(text);

    private static bool IsPunctuation(UnicodeCategory c) => c is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
        or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
        or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
}
