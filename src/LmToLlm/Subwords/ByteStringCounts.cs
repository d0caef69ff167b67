using System.IO.Hashing;
using System.Runtime.CompilerServices;

namespace LmToLlm.Subwords;

/// <summary>
/// Counts byte strings without a string or array per occurrence. Input: spans with a count each. Output: the distinct
/// strings with their summed counts. The strings live in one growing byte arena; the table is open addressing over
/// int slots (linear probing), each entry keeping its hash so a resize never rereads the bytes.
/// </summary>
internal sealed class ByteStringCounts
{
    private struct Entry
    {
        public int Offset, Length;
        public ulong Hash;
        public long Count;
    }

    private byte[] _arena = new byte[1 << 16];
    private int _arenaUsed;
    private Entry[] _entries = new Entry[1024];
    private int[] _slots = new int[2048]; // entry index + 1, 0 = empty
    private int _count;

    internal int Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Add(ReadOnlySpan<byte> key, long count)
    {
        ulong hash = XxHash3.HashToUInt64(key);
        int mask = _slots.Length - 1;
        int slot = (int)hash & mask;
        while (true)
        {
            int e = _slots[slot] - 1;
            if (e < 0) break;
            ref var entry = ref _entries[e];
            if (entry.Hash == hash && key.SequenceEqual(_arena.AsSpan(entry.Offset, entry.Length)))
            {
                entry.Count += count;
                return;
            }
            slot = (slot + 1) & mask;
        }
        if (_arenaUsed + key.Length > _arena.Length) Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + key.Length));
        key.CopyTo(_arena.AsSpan(_arenaUsed));
        if (_count == _entries.Length) Array.Resize(ref _entries, _count * 2);
        _entries[_count] = new Entry { Offset = _arenaUsed, Length = key.Length, Hash = hash, Count = count };
        _arenaUsed += key.Length;
        _slots[slot] = ++_count;
        if (_count * 2 > _slots.Length) Grow();
    }

    /// <summary>Adds every string of <paramref name="other"/> with its count.</summary>
    internal void AddAll(ByteStringCounts other)
    {
        for (int i = 0; i < other._count; i++)
        {
            ref var e = ref other._entries[i];
            Add(other._arena.AsSpan(e.Offset, e.Length), e.Count);
        }
    }

    /// <summary>The distinct strings with their counts, in first-seen order.</summary>
    internal List<(byte[] Key, long Count)> ToList()
    {
        var list = new List<(byte[], long)>(_count);
        for (int i = 0; i < _count; i++) list.Add((_arena.AsSpan(_entries[i].Offset, _entries[i].Length).ToArray(), _entries[i].Count));
        return list;
    }

    private void Grow()
    {
        var slots = new int[_slots.Length * 2];
        int mask = slots.Length - 1;
        for (int i = 0; i < _count; i++)
        {
            int slot = (int)_entries[i].Hash & mask;
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = i + 1;
        }
        _slots = slots;
    }
}
