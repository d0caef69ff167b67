using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace LmToLlm.NGrams;

/// <summary>
/// The UTF-8 spellings of a vocabulary in one array, for writing ARPA lines: an 8 M-token model writes some 30 million
/// words, and one array with a fixed-size copy per short word costs less than a copy call per word's own array.
/// </summary>
internal sealed class ArpaWords
{
    /// <summary>Bytes a copy may write past the end of a word (the buffer written to keeps that much room).</summary>
    internal const int Slack = 32;

    private readonly byte[] _bytes;  // every spelling in id order, then Slack bytes, so a 32-byte read never leaves the array
    private readonly int[] _starts;  // word w is _bytes[_starts[w] .. _starts[w + 1])

    internal ArpaWords(NGramVocabulary vocabulary)
    {
        int count = vocabulary.Count;
        _starts = new int[count + 1];
        long total = 0;
        for (int w = 0; w < count; w++)
        {
            _starts[w] = checked((int)total);
            int length = Encoding.UTF8.GetByteCount(vocabulary[w]);
            LongestWord = Math.Max(LongestWord, length);
            total += length;
        }
        _starts[count] = checked((int)total);
        _bytes = new byte[checked((int)total + Slack)];
        for (int w = 0; w < count; w++) Encoding.UTF8.GetBytes(vocabulary[w], _bytes.AsSpan(_starts[w]));
    }

    /// <summary>Bytes of the longest spelling.</summary>
    internal int LongestWord { get; }

    /// <summary>
    /// Writes word <paramref name="id"/> at <paramref name="target"/>[<paramref name="at"/>], which must have room for
    /// the word and <see cref="Slack"/> bytes more; returns the offset after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int CopyTo(int id, byte[] target, int at)
    {
        int start = _starts[id], length = _starts[id + 1] - start;
        if (length <= Slack)
            Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_bytes), (nuint)start)
                .StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(target), (nuint)at);
        else
            _bytes.AsSpan(start, length).CopyTo(target.AsSpan(at));
        return at + length;
    }
}
