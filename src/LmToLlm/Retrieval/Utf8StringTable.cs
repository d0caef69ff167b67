using System.Buffers;
using System.Text;

namespace LmToLlm.Retrieval;

/// <summary>
/// Many strings as one UTF-8 byte array and int offsets (about a fifth of the memory of one .NET string each).
/// When the strings are sorted in Unicode code-point order — the order of their UTF-8 bytes — <see cref="Find(ReadOnlySpan{char})"/>
/// looks one up by binary search without allocating.
/// </summary>
/// <remarks>
/// Input: strings (lone surrogates become U+FFFD, as in the index file). Output: immutable table, thread-safe.
/// </remarks>
internal sealed class Utf8StringTable
{
    private readonly byte[] _bytes;
    private readonly int[] _offsets;   // length Count + 1

    internal Utf8StringTable(byte[] bytes, int[] offsets)
    {
        _bytes = bytes;
        _offsets = offsets;
    }

    internal int Count => _offsets.Length - 1;

    internal ReadOnlySpan<byte> Bytes => _bytes;
    internal ReadOnlySpan<int> Offsets => _offsets;

    /// <summary>Bytes held by the arrays.</summary>
    internal long MemoryBytes => _bytes.Length + 4L * _offsets.Length;

    internal ReadOnlySpan<byte> Utf8(int i) => _bytes.AsSpan(_offsets[i], _offsets[i + 1] - _offsets[i]);

    internal string this[int i] => Encoding.UTF8.GetString(Utf8(i));

    internal string[] ToArray()
    {
        var result = new string[Count];
        for (int i = 0; i < result.Length; i++) result[i] = this[i];
        return result;
    }

    internal static Utf8StringTable Create(IReadOnlyList<string> strings)
    {
        var offsets = new int[strings.Count + 1];
        long total = 0;
        for (int i = 0; i < strings.Count; i++)
        {
            total += Encoding.UTF8.GetByteCount(strings[i]);
            if (total > Array.MaxLength) throw new LmToLlmException("the strings exceed 2 GB as UTF-8; split the corpus into shards");
            offsets[i + 1] = (int)total;
        }
        var bytes = new byte[total];
        for (int i = 0; i < strings.Count; i++) Encoding.UTF8.GetBytes(strings[i], bytes.AsSpan(offsets[i]));
        return new Utf8StringTable(bytes, offsets);
    }

    /// <summary>The index of <paramref name="text"/> in a table sorted by UTF-8 bytes, or −1.</summary>
    internal int Find(ReadOnlySpan<char> text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> key = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        int length = Encoding.UTF8.GetBytes(text, key);
        int found = Find(key[..length]);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return found;
    }

    private int Find(ReadOnlySpan<byte> key)
    {
        int lo = 0, hi = Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = Utf8(mid).SequenceCompareTo(key);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }
}
