using System.Runtime.InteropServices;

namespace LmToLlm.Primitives;

/// <summary>
/// An open-addressing hash table from byte strings (UTF-8 words, or whole sentences) to dense ids with counts, with
/// no string or array per occurrence. Input: byte spans. Output: ids in first-seen order; <see cref="Prune"/> drops
/// rare strings as word2vec.c's <c>ReduceVocab</c> does. The strings live in one growing byte arena.
/// </summary>
internal sealed class ByteStringTable
{
    private byte[] _arena = new byte[1 << 16];
    private int _arenaLength;
    private int[] _offsets = new int[1024];
    private int[] _lengths = new int[1024];
    private long[] _counts = new long[1024];
    private int[] _slots = NewSlots(2048);

    internal int Count { get; private set; }

    internal long CountOf(int id) => _counts[id];

    internal ReadOnlySpan<byte> WordOf(int id) => new(_arena, _offsets[id], _lengths[id]);

    /// <summary>The id of <paramref name="word"/>, or −1.</summary>
    internal int Find(ReadOnlySpan<byte> word)
    {
        int mask = _slots.Length - 1;
        for (int slot = (int)Hash(word) & mask; ; slot = (slot + 1) & mask)
        {
            int id = _slots[slot];
            if (id < 0) return -1;
            if (_lengths[id] == word.Length && WordOf(id).SequenceEqual(word)) return id;
        }
    }

    /// <summary>Adds <paramref name="increment"/> to the count of <paramref name="word"/>, inserting it when new; returns its id.</summary>
    internal int Add(ReadOnlySpan<byte> word, long increment = 1)
    {
        int mask = _slots.Length - 1;
        int slot = (int)Hash(word) & mask;
        while (true)
        {
            int id = _slots[slot];
            if (id < 0) break;
            if (_lengths[id] == word.Length && WordOf(id).SequenceEqual(word))
            {
                _counts[id] += increment;
                return id;
            }
            slot = (slot + 1) & mask;
        }
        int added = Append(word, increment);
        _slots[slot] = added;
        if (Count * 2 > _slots.Length) Rehash(_slots.Length * 2);
        return added;
    }

    /// <summary>Adds every string of <paramref name="other"/> with its count.</summary>
    internal void AddAll(ByteStringTable other)
    {
        for (int id = 0; id < other.Count; id++) Add(other.WordOf(id), other._counts[id]);
    }

    /// <summary>The distinct strings with their counts, in first-seen order.</summary>
    internal List<(byte[] Key, long Count)> ToList()
    {
        var list = new List<(byte[], long)>(Count);
        for (int id = 0; id < Count; id++) list.Add((WordOf(id).ToArray(), _counts[id]));
        return list;
    }

    /// <summary>
    /// Keeps only the words with a count above <paramref name="minimum"/>, and id 0 whatever its count when
    /// <paramref name="keepFirst"/> (a vocabulary's reserved first entry); ids are renumbered in order.
    /// </summary>
    internal void Prune(long minimum, bool keepFirst)
    {
        byte[] oldArena = _arena;
        int[] oldOffsets = _offsets;
        int[] oldLengths = _lengths;
        long[] oldCounts = _counts;
        int oldCount = Count;
        _arena = new byte[Math.Max(1 << 16, _arenaLength)];
        _arenaLength = 0;
        _offsets = new int[oldOffsets.Length];
        _lengths = new int[oldLengths.Length];
        _counts = new long[oldCounts.Length];
        Count = 0;
        for (int id = 0; id < oldCount; id++)
        {
            if (oldCounts[id] > minimum || (keepFirst && id == 0)) Append(new ReadOnlySpan<byte>(oldArena, oldOffsets[id], oldLengths[id]), oldCounts[id]);
        }
        Rehash(_slots.Length);
    }

    private int Append(ReadOnlySpan<byte> word, long count)
    {
        if (Count == _offsets.Length)
        {
            Array.Resize(ref _offsets, Count * 2);
            Array.Resize(ref _lengths, Count * 2);
            Array.Resize(ref _counts, Count * 2);
        }
        if (_arenaLength + word.Length > _arena.Length) Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + word.Length));
        word.CopyTo(_arena.AsSpan(_arenaLength));
        _offsets[Count] = _arenaLength;
        _lengths[Count] = word.Length;
        _counts[Count] = count;
        _arenaLength += word.Length;
        return Count++;
    }

    private void Rehash(int size)
    {
        _slots = NewSlots(size);
        int mask = size - 1;
        for (int id = 0; id < Count; id++)
        {
            int slot = (int)Hash(WordOf(id)) & mask;
            while (_slots[slot] >= 0) slot = (slot + 1) & mask;
            _slots[slot] = id;
        }
    }

    private static int[] NewSlots(int size)
    {
        var slots = new int[size];
        slots.AsSpan().Fill(-1);
        return slots;
    }

    /// <summary>FNV-1a over 8-byte blocks, then the tail; finished with a multiplicative mix.</summary>
    private static ulong Hash(ReadOnlySpan<byte> word)
    {
        ulong h = 14695981039346656037UL;
        int i = 0;
        for (; i + 8 <= word.Length; i += 8) h = (h ^ MemoryMarshal.Read<ulong>(word[i..])) * 1099511628211UL;
        for (; i < word.Length; i++) h = (h ^ word[i]) * 1099511628211UL;
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 32);
    }
}
