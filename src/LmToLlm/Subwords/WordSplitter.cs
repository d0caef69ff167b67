using LmToLlm.Primitives;
using System.Runtime.CompilerServices;

namespace LmToLlm.Subwords;

/// <summary>
/// Splits normalised text into words at the boundary mark <c>▁</c> (<c>SplitIntoWords</c> in
/// <c>model_interface.cc</c>): each word starts with its mark, or ends with it when whitespace is a suffix.
/// </summary>
internal static class WordSplitter
{
    internal static List<(int Start, int Length)> Split(ReadOnlySpan<byte> text, bool whitespaceAsSuffix, bool allowWhitespaceOnly)
    {
        var result = new List<(int Start, int Length)>();
        int begin = 0;
        bool inSpaceRun = false;
        if (whitespaceAsSuffix)
        {
            if (begin < text.Length) result.Add((begin, 0));
            while (begin < text.Length)
            {
                int n = SpmUtf8.CharLength(text[begin..]);
                bool isSpace = text.Slice(begin, n).SequenceEqual(SpmUtf8.SpaceSymbol);
                if (isSpace) inSpaceRun = true;
                else if (inSpaceRun)
                {
                    if (allowWhitespaceOnly) result.Add((begin, 0));
                    inSpaceRun = false;
                }
                result[^1] = (result[^1].Start, result[^1].Length + n);
                begin += n;
                if (begin < text.Length && isSpace && !allowWhitespaceOnly) result.Add((begin, 0));
            }
            return result;
        }
        while (begin < text.Length)
        {
            int n = SpmUtf8.CharLength(text[begin..]);
            bool isSpace = text.Slice(begin, n).SequenceEqual(SpmUtf8.SpaceSymbol);
            if (begin == 0 || (isSpace && (!inSpaceRun || !allowWhitespaceOnly)))
            {
                result.Add((begin, 0));
                inSpaceRun = true;
            }
            if (inSpaceRun && !isSpace) inSpaceRun = false;
            result[^1] = (result[^1].Start, result[^1].Length + n);
            begin += n;
        }
        return result;
    }

    /// <summary>Counts the words <see cref="Split"/> gives into <paramref name="counts"/>, without a list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForEach(ReadOnlySpan<byte> text, bool whitespaceAsSuffix, bool allowWhitespaceOnly, ByteStringTable counts, long freq)
    {
        if (whitespaceAsSuffix)
        {
            foreach (var (start, length) in Split(text, whitespaceAsSuffix, allowWhitespaceOnly)) counts.Add(text.Slice(start, length), freq);
            return;
        }
        int begin = 0, wordStart = 0;
        bool inSpaceRun = false;
        while (begin < text.Length)
        {
            byte lead = text[begin];
            int n = lead < 0x80 ? 1 : SpmUtf8.CharLength(text[begin..]);
            bool isSpace = lead == 0xE2 && text.Slice(begin, n).SequenceEqual(SpmUtf8.SpaceSymbol);
            if (begin == 0 || (isSpace && (!inSpaceRun || !allowWhitespaceOnly)))
            {
                if (begin > 0) counts.Add(text[wordStart..begin], freq);
                wordStart = begin;
                inSpaceRun = true;
            }
            if (inSpaceRun && !isSpace) inSpaceRun = false;
            begin += n;
        }
        if (text.Length > 0) counts.Add(text[wordStart..], freq);
    }
}
