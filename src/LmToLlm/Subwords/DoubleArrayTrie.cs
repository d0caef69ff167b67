using System.Buffers.Binary;

namespace LmToLlm.Subwords;

/// <summary>
/// Lookup in a darts-clone double-array trie, the structure SentencePiece stores its normalisation rules in. Input:
/// the little-endian 32-bit units as stored. Output: every key that is a prefix of a text, with its value.
/// </summary>
internal sealed class DoubleArrayTrie
{
    private readonly uint[] _units;

    internal DoubleArrayTrie(ReadOnlySpan<byte> blob)
    {
        _units = new uint[blob.Length / 4];
        for (int i = 0; i < _units.Length; i++) _units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob[(i * 4)..]);
    }

    private static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;
    private static int Value(uint unit) => (int)(unit & 0x7FFFFFFFu);
    private static uint Label(uint unit) => unit & (0x80000000u | 0xFFu);
    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);

    /// <summary>Whether some key starts with <paramref name="prefix"/> (the walk down the trie finds a node for it).</summary>
    internal bool HasKeyStartingWith(ReadOnlySpan<byte> prefix)
    {
        if (_units.Length == 0) return false;
        uint nodePos = Offset(_units[0]);
        foreach (byte b in prefix)
        {
            nodePos ^= b;
            if (nodePos >= (uint)_units.Length) return false;
            uint unit = _units[nodePos];
            if (Label(unit) != b) return false;
            nodePos ^= Offset(unit);
        }
        return true;
    }

    /// <summary>
    /// The longest key that is a prefix of <paramref name="text"/>: its length in bytes and value, or length 0
    /// (darts-clone <c>commonPrefixSearch</c>, keeping the longest match as SentencePiece's normaliser does).
    /// </summary>
    internal int LongestPrefix(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        int longest = 0;
        if (_units.Length == 0) return 0;
        uint nodePos = Offset(_units[0]);
        for (int i = 0; i < text.Length; i++)
        {
            nodePos ^= text[i];
            if (nodePos >= (uint)_units.Length) return longest;
            uint unit = _units[nodePos];
            if (Label(unit) != text[i]) return longest;
            nodePos ^= Offset(unit);
            if (HasLeaf(unit))
            {
                if (nodePos >= (uint)_units.Length) return longest;
                longest = i + 1;
                value = Value(_units[nodePos]);
            }
        }
        return longest;
    }
}
