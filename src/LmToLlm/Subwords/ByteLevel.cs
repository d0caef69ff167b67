using System.Text.RegularExpressions;

namespace LmToLlm.Subwords;

/// <summary>
/// GPT-2's byte-level alphabet and pre-tokenizer (Radford et al. 2019, <c>encoder.py</c>: <c>bytes_to_unicode</c>).
/// Input: text. Output: pre-tokens, each a run of bytes spelled with one printable character per byte.
/// The printable bytes <c>!</c>..<c>~</c>, <c>¡</c>..<c>¬</c>, <c>®</c>..<c>ÿ</c> stand for themselves; the other 68
/// bytes, in byte order, become U+0100, U+0101, … (so a space is <c>Ġ</c>, U+0120). Ids 0..255 of a trained
/// vocabulary follow GPT-2's order: the printable bytes first, then the others.
/// </summary>
internal static partial class ByteLevel
{
    /// <summary>GPT-2's pre-tokenizer: contractions, letters, digits and other symbols each with one optional leading space, then whitespace runs.</summary>
    internal const string Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    internal static partial Regex PreTokenizer();

    /// <summary>The character that spells byte b.</summary>
    internal static readonly char[] ByteToChar = BuildByteToChar();

    /// <summary>GPT-2's order of the bytes: the printable ones, then the rest; <c>Order[i]</c> is the byte of id i.</summary>
    internal static readonly byte[] Order = BuildOrder();

    /// <summary>The byte a character spells, or -1 when the character is not in the alphabet (indexed by char below U+0180).</summary>
    private static readonly short[] CharToByte = BuildCharToByte();

    /// <summary>The byte <paramref name="c"/> spells, or -1.</summary>
    internal static int ByteOf(char c) => c < CharToByte.Length ? CharToByte[c] : -1;

    private static bool Printable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++) map[b] = Printable(b) ? (char)b : (char)(256 + next++);
        return map;
    }

    private static byte[] BuildOrder()
    {
        var order = new List<byte>(256);
        for (int b = 0; b < 256; b++) if (Printable(b)) order.Add((byte)b);
        for (int b = 0; b < 256; b++) if (!Printable(b)) order.Add((byte)b);
        return [.. order];
    }

    private static short[] BuildCharToByte()
    {
        var map = new short[0x180];
        Array.Fill(map, (short)-1);
        for (int b = 0; b < 256; b++) map[ByteToChar[b]] = (short)b;
        return map;
    }
}
