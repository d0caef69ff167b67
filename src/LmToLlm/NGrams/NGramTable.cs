using System.Numerics;
using System.Runtime.CompilerServices;

namespace LmToLlm.NGrams;

/// <summary>
/// Open-addressing hash from a packed n-gram key to a dense id (0, 1, 2, … in insertion order).
/// An n-gram w1..wk (k ≥ 2) is keyed by (id of its suffix w2..wk in the order k−1 table, id of w1):
/// extending a match one word to the left is one lookup, as a backoff query needs.
/// </summary>
internal sealed class NGramTable
{
    private const double MaxLoad = 0.7;
    private ulong[] _keys;
    private int[] _slots; // id + 1; 0 = empty. Empty array when released (rebuilt on the next lookup).
    private int _shift;
    private int _count;
    private readonly Lock _rebuild = new();

    internal NGramTable(int expected = 1024)
    {
        _keys = new ulong[Math.Max(16, expected)];
        (_slots, _shift) = NewSlots(expected);
    }

    private static (int[] Slots, int Shift) NewSlots(int count)
    {
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, (long)(count / MaxLoad) + 1));
        return (new int[capacity], 64 - BitOperations.Log2((uint)capacity));
    }

    /// <summary>Frees the hash index (the keys stay); the next lookup rebuilds it. Saves memory between counting and querying.</summary>
    internal void ReleaseIndex()
    {
        lock (_rebuild)
        {
            _slots = [];
        }
    }

    private int[] Slots
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            int[] slots = _slots;
            return slots.Length != 0 ? slots : RebuildIndex();
        }
    }

    private int[] RebuildIndex()
    {
        lock (_rebuild)
        {
            if (_slots.Length != 0) return _slots;
            var (slots, shift) = NewSlots(_count);
            int mask = slots.Length - 1;
            for (int id = 0; id < _count; id++)
            {
                int slot = (int)((_keys[id] * 0x9E3779B97F4A7C15UL) >> shift);
                while (slots[slot] != 0) slot = (slot + 1) & mask;
                slots[slot] = id + 1;
            }
            _shift = shift;
            _slots = slots;
            return slots;
        }
    }

    internal int Count => _count;

    /// <summary>Bytes held by the keys and the hash index.</summary>
    public long Bytes => _keys.LongLength * sizeof(ulong) + _slots.LongLength * sizeof(int);

    /// <summary>The keys in id order (length ≥ <see cref="Count"/>).</summary>
    internal ulong[] Keys => _keys;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Key(int suffix, int first) => ((ulong)(uint)suffix << 32) | (uint)first;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Suffix(ulong key) => (int)(key >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int First(ulong key) => (int)(uint)key;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    /// <summary>The id of <paramref name="key"/>, or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Find(ulong key)
    {
        int[] slots = Slots;
        int mask = slots.Length - 1;
        for (int slot = Slot(key); ; slot = (slot + 1) & mask)
        {
            int entry = slots[slot];
            if (entry == 0) return -1;
            if (_keys[entry - 1] == key) return entry - 1;
        }
    }

    /// <summary>The id of <paramref name="key"/>, adding it with the next id when absent.</summary>
    internal int GetOrAdd(ulong key, out bool added)
    {
        if (_slots.Length == 0) RebuildIndex();
        int mask = _slots.Length - 1;
        int slot = Slot(key);
        while (true)
        {
            int entry = _slots[slot];
            if (entry == 0) break;
            if (_keys[entry - 1] == key) { added = false; return entry - 1; }
            slot = (slot + 1) & mask;
        }
        int id = _count++;
        if (id == _keys.Length) Array.Resize(ref _keys, checked(Math.Max(16, (int)Math.Min(Array.MaxLength, _keys.Length * 3L / 2))));
        _keys[id] = key;
        _slots[slot] = id + 1;
        if (_count > _slots.Length * MaxLoad) Grow();
        added = true;
        return id;
    }

    /// <summary>Drops unused capacity of the key array (after counting).</summary>
    internal void Trim()
    {
        if (_keys.Length != _count) Array.Resize(ref _keys, _count);
    }

    private void Grow()
    {
        int capacity = _slots.Length * 2;
        _slots = new int[capacity];
        _shift--;
        int mask = capacity - 1;
        for (int id = 0; id < _count; id++)
        {
            int slot = Slot(_keys[id]);
            while (_slots[slot] != 0) slot = (slot + 1) & mask;
            _slots[slot] = id + 1;
        }
    }

    /// <summary>A table over <paramref name="keys"/> (distinct, in id order) whose hash index is built on the first lookup.</summary>
    internal static NGramTable Adopt(ulong[] keys)
    {
        var table = new NGramTable(0) { _keys = keys, _count = keys.Length, _slots = [] };
        return table;
    }

    /// <summary>A table over <paramref name="keys"/>, checking that they are distinct.</summary>
    internal static NGramTable FromKeys(ulong[] keys, int count)
    {
        var table = new NGramTable(count);
        for (int i = 0; i < count; i++)
        {
            table.GetOrAdd(keys[i], out bool added);
            if (!added) throw new InvalidDataException("duplicate n-gram key");
        }
        return table;
    }
}
