using System.Runtime.CompilerServices;
using System.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// SentencePiece's normaliser (<c>normalizer.cc</c>). Input: raw UTF-8 text. Output: the normalised UTF-8 text the
/// models segment: the compiled character map applied longest-match first, malformed bytes as U+FFFD, extra
/// whitespace removed, spaces as <c>▁</c> and a <c>▁</c> before the first word.
/// </summary>
internal sealed class SubwordNormalizer
{
    private readonly DoubleArrayTrie? _trie;
    private readonly byte[] _replacements = [];
    private readonly PrefixMatcher? _userSymbols;
    private readonly bool[] _asciiAsIs = new bool[128]; // ASCII bytes no rule starts with: they stand for themselves
    // An ASCII byte that some rule starts with still stands for itself when it is no rule and no rule starts with it
    // and the ASCII byte after it (most letters: the rules that start with them go on with a combining mark).
    private readonly bool[] _asciiAsIsBefore = new bool[128 * 128], _asciiAsIsAtEnd = new bool[128];
    private readonly bool _addDummyPrefix, _removeExtraWhitespaces, _escapeWhitespaces, _whitespaceAsSuffix;

    internal SubwordNormalizer(SubwordNormalizerSpec spec, bool treatWhitespaceAsSuffix, PrefixMatcher? userSymbols)
    {
        var blob = spec.PrecompiledCharsMap.Span;
        if (!blob.IsEmpty)
        {
            if (blob.Length <= 4) throw new FormatException("the normalisation rule blob is broken");
            uint trieSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(blob);
            if (trieSize >= (uint)blob.Length || trieSize > (uint)(blob.Length - 4)) throw new FormatException("the normalisation trie is larger than its blob");
            _trie = new DoubleArrayTrie(blob.Slice(4, (int)trieSize));
            _replacements = blob[(4 + (int)trieSize)..].ToArray();
        }
        _userSymbols = userSymbols is { IsEmpty: false } ? userSymbols : null;
        Span<byte> pair = stackalloc byte[2];
        for (int b = 0; b < 128; b++)
        {
            pair[0] = (byte)b;
            _asciiAsIs[b] = _userSymbols is null && _trie?.HasKeyStartingWith(pair[..1]) != true;
            bool isKey = _trie is not null && _trie.LongestPrefix(pair[..1], out _) == 1;
            _asciiAsIsAtEnd[b] = _userSymbols is null && !isKey;
            for (int x = 0; x < 128; x++)
            {
                pair[1] = (byte)x;
                _asciiAsIsBefore[(b << 7) | x] = _userSymbols is null && !isKey && _trie?.HasKeyStartingWith(pair) != true;
            }
        }
        _addDummyPrefix = spec.AddDummyPrefix;
        _removeExtraWhitespaces = spec.RemoveExtraWhitespaces;
        _escapeWhitespaces = spec.EscapeWhitespaces;
        _whitespaceAsSuffix = treatWhitespaceAsSuffix;
    }

    /// <summary>
    /// The replacement for the start of <paramref name="input"/> and how many input bytes it consumes
    /// (<c>NormalizePrefix</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<byte> NormalizePrefix(ReadOnlySpan<byte> input, out int consumed)
    {
        if (input[0] < 0x80 && _asciiAsIs[input[0]])
        {
            consumed = 1;
            return input[..1];
        }
        if (_userSymbols is not null)
        {
            int n = _userSymbols.Match(input, out bool found);
            if (found) { consumed = n; return input[..n]; }
        }
        int length = 0, value = 0;
        if (_trie is not null) length = _trie.LongestPrefix(input, out value);
        if (length == 0)
        {
            if (!SpmUtf8.IsValidPrefix(input, out int n)) { consumed = 1; return SpmUtf8.ReplacementCharacter; }
            consumed = n;
            return input[..n];
        }
        consumed = length;
        var rest = _replacements.AsSpan(Math.Min(value, _replacements.Length));
        int end = rest.IndexOf((byte)0);
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>Normalises UTF-8 <paramref name="input"/> into <paramref name="output"/> (cleared first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Normalize(ReadOnlySpan<byte> input, List<byte> output)
    {
        output.Clear();
        if (_removeExtraWhitespaces)
            while (!input.IsEmpty)
            {
                var p = NormalizePrefix(input, out int n);
                if (!(p.Length == 1 && p[0] == (byte)' ')) break;
                input = input[n..];
            }
        if (input.IsEmpty) return;
        if (!_whitespaceAsSuffix && _addDummyPrefix) AddSpace(output);
        bool isPrevSpace = _removeExtraWhitespaces;
        while (!input.IsEmpty)
        {
            // A run of ASCII bytes that stand for themselves (spaces excepted) is copied at once: each would give
            // itself and clear isPrevSpace.
            int run = 0;
            while (run < input.Length)
            {
                byte b = input[run];
                if (b >= 0x80 || b == (byte)' ') break;
                if (!_asciiAsIs[b])
                {
                    if (run + 1 == input.Length ? !_asciiAsIsAtEnd[b] : input[run + 1] >= 0x80 || !_asciiAsIsBefore[(b << 7) | input[run + 1]]) break;
                }
                run++;
            }
            if (run > 0)
            {
                output.AddRange(input[..run]);
                isPrevSpace = false;
                input = input[run..];
                continue;
            }
            if (input[0] == (byte)' ' && _asciiAsIs[' '])
            {
                // A space that stands for itself: dropped after a space when extra whitespace goes, else written.
                if (!isPrevSpace)
                {
                    if (_escapeWhitespaces) output.AddRange(SpmUtf8.SpaceSymbol);
                    else output.Add((byte)' ');
                    isPrevSpace = true;
                }
                input = input[1..];
                if (!_removeExtraWhitespaces) isPrevSpace = false;
                continue;
            }
            var sp = NormalizePrefix(input, out int n);
            while (isPrevSpace && !sp.IsEmpty && sp[0] == (byte)' ') sp = sp[1..];
            if (!sp.IsEmpty)
            {
                foreach (byte b in sp)
                {
                    if (_escapeWhitespaces && b == (byte)' ') AddRange(output, SpmUtf8.SpaceSymbol);
                    else output.Add(b);
                }
                isPrevSpace = sp[^1] == (byte)' ';
            }
            input = input[n..];
            if (!_removeExtraWhitespaces) isPrevSpace = false;
        }
        if (_removeExtraWhitespaces)
        {
            ReadOnlySpan<byte> space = _escapeWhitespaces ? SpmUtf8.SpaceSymbol : " "u8;
            while (EndsWith(output, space)) output.RemoveRange(output.Count - space.Length, space.Length);
        }
        if (_whitespaceAsSuffix && _addDummyPrefix) AddSpace(output);
    }

    /// <summary>Normalises a .NET string (encoded to UTF-8 first; lone surrogates become U+FFFD).</summary>
    internal string Normalize(string text)
    {
        var output = new List<byte>();
        Normalize(Encoding.UTF8.GetBytes(text), output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private void AddSpace(List<byte> output)
    {
        if (_escapeWhitespaces) AddRange(output, SpmUtf8.SpaceSymbol);
        else output.Add((byte)' ');
    }

    private static void AddRange(List<byte> output, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) output.Add(b);
    }

    private static bool EndsWith(List<byte> output, ReadOnlySpan<byte> suffix)
    {
        if (output.Count < suffix.Length) return false;
        for (int i = 0; i < suffix.Length; i++)
            if (output[output.Count - suffix.Length + i] != suffix[i]) return false;
        return true;
    }
}
