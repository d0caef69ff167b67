using System.Runtime.CompilerServices;

namespace LmToLlm.Subwords;

/// <summary>
/// UTF-8 as SentencePiece reads it (<c>util.cc</c>): a character's length from its lead byte alone, and a decoder
/// that rejects over-long forms, surrogates and values above U+10FFFF one byte at a time.
/// </summary>
internal static class SpmUtf8
{
    /// <summary>U+2581 LOWER ONE EIGHTH BLOCK, the word-boundary mark, in UTF-8.</summary>
    internal static ReadOnlySpan<byte> SpaceSymbol => "\u2581"u8;

    /// <summary>U+FFFD, written for every byte that does not start a valid character.</summary>
    internal static ReadOnlySpan<byte> ReplacementCharacter => "\uFFFD"u8;

    /// <summary>The length the lead byte announces (1 for a stray continuation byte), as <c>OneCharLen</c>.</summary>
    internal static int LeadLength(byte lead) => (lead >> 4) switch { < 12 => 1, 12 or 13 => 2, 14 => 3, _ => 4 };

    /// <summary><see cref="LeadLength"/> clipped to what is left of <paramref name="text"/>.</summary>
    internal static int CharLength(ReadOnlySpan<byte> text) => Math.Min(LeadLength(text[0]), text.Length);

    internal static bool IsValidCodepoint(int c) => c < 0xD800 || (c >= 0xE000 && c <= 0x10FFFF);

    /// <summary>Decodes one character; returns U+FFFD with length 1 on malformed input, as <c>DecodeUTF8</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Decode(ReadOnlySpan<byte> s, out int length)
    {
        byte b0 = s[0];
        if (b0 < 0x80) { length = 1; return b0; }
        if (s.Length >= 2 && (b0 & 0xE0) == 0xC0)
        {
            int cp = ((b0 & 0x1F) << 6) | (s[1] & 0x3F);
            if (IsTrail(s[1]) && cp >= 0x80 && IsValidCodepoint(cp)) { length = 2; return cp; }
        }
        else if (s.Length >= 3 && (b0 & 0xF0) == 0xE0)
        {
            int cp = ((b0 & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
            if (IsTrail(s[1]) && IsTrail(s[2]) && cp >= 0x800 && IsValidCodepoint(cp)) { length = 3; return cp; }
        }
        else if (s.Length >= 4 && (b0 & 0xF8) == 0xF0)
        {
            int cp = ((b0 & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
            if (IsTrail(s[1]) && IsTrail(s[2]) && IsTrail(s[3]) && cp >= 0x10000 && IsValidCodepoint(cp)) { length = 4; return cp; }
        }
        length = 1;
        return 0xFFFD;
    }

    /// <summary>Whether the first character is well formed (a literal U+FFFD counts as well formed).</summary>
    internal static bool IsValidPrefix(ReadOnlySpan<byte> s, out int length) => Decode(s, out length) != 0xFFFD || length == 3;

    private static bool IsTrail(byte b) => (b & 0xC0) == 0x80;

    /// <summary>Decodes a whole string to code points, as <c>UTF8ToUnicodeText</c> (malformed bytes become U+FFFD).</summary>
    internal static List<int> ToCodepoints(ReadOnlySpan<byte> s)
    {
        var list = new List<int>(s.Length);
        while (!s.IsEmpty)
        {
            list.Add(Decode(s, out int n));
            s = s[n..];
        }
        return list;
    }
}
