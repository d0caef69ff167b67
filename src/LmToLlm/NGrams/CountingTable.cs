using System.Numerics;
using System.Runtime.CompilerServices;

namespace LmToLlm.NGrams;

/// <summary>
/// One hash partition of one order while counting: n-gram key → dense id (0, 1, 2, … in insertion order), with the raw
/// count and the prefix id of each n-gram. Input: keys (suffix id, first word id) and prefix ids, in text order.
/// Output: keys, counts and prefixes in id order, handed out block by block (<see cref="MoveKeys"/>).
/// The three columns live in blocks of 2^16 entries, so the table grows without copying and without leaving the old
/// arrays as garbage (a growable array needs up to 2.5× its size while it grows); only the hash index is rebuilt.
/// </summary>
internal sealed class CountingTable
{
    internal const int BlockBits = 16;
    internal const int BlockSize = 1 << BlockBits;
    private const int BlockMask = BlockSize - 1;
    private const double MaxLoad = 0.7;

    private ulong[][] _keys = [];
    private int[][] _counts = [];
    private int[][] _prefixes = [];
    private int[] _slots; // id + 1; 0 = empty. Empty array when released.
    private int _shift;
    private int _count;

    /// <param name="expected">Distinct n-grams expected; sizes the hash index only (the columns grow by blocks).</param>
    internal CountingTable(int expected)
    {
        (_slots, _shift) = NewSlots(expected);
    }

    internal int Count => _count;

    /// <summary>Bytes held by the columns and the hash index.</summary>
    internal long Bytes => (long)_keys.Length * BlockSize * (sizeof(ulong) + 2 * sizeof(int)) + _slots.LongLength * sizeof(int);

    private static (int[] Slots, int Shift) NewSlots(int count)
    {
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, (long)(count / MaxLoad) + 1));
        return (new int[capacity], 64 - BitOperations.Log2((uint)capacity));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong KeyAt(int id) => _keys[id >> BlockBits][id & BlockMask];

    /// <summary>Counts one occurrence of <paramref name="key"/>; a new key gets the next id and <paramref name="prefix"/>.</summary>
    internal int Add(ulong key, int prefix)
    {
        int[] slots = _slots;
        int mask = slots.Length - 1;
        int slot = Slot(key);
        while (true)
        {
            int entry = slots[slot];
            if (entry == 0) break;
            int found = entry - 1;
            if (KeyAt(found) == key)
            {
                _counts[found >> BlockBits][found & BlockMask]++;
                return found;
            }
            slot = (slot + 1) & mask;
        }
        int id = _count;
        int block = id >> BlockBits;
        if (block == _keys.Length) AddBlock();
        _keys[block][id & BlockMask] = key;
        _counts[block][id & BlockMask] = 1;
        _prefixes[block][id & BlockMask] = prefix;
        _count = id + 1;
        slots[slot] = id + 1;
        if (_count > slots.Length * MaxLoad) Grow();
        return id;
    }

    private void AddBlock()
    {
        int blocks = _keys.Length + 1;
        Array.Resize(ref _keys, blocks);
        Array.Resize(ref _counts, blocks);
        Array.Resize(ref _prefixes, blocks);
        _keys[^1] = new ulong[BlockSize];
        _counts[^1] = new int[BlockSize];
        _prefixes[^1] = new int[BlockSize];
    }

    private void Grow()
    {
        int capacity = _slots.Length * 2;
        _slots = []; // let the old index go before the new one is allocated
        int[] slots = new int[capacity];
        _shift--;
        int mask = capacity - 1;
        for (int id = 0; id < _count; id++)
        {
            int slot = Slot(KeyAt(id));
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = id + 1;
        }
        _slots = slots;
    }

    /// <summary>Frees the hash index when no more n-grams will be added.</summary>
    internal void ReleaseIndex() => _slots = [];

    /// <summary>
    /// Hands the keys to <paramref name="copy"/> one block at a time in id order, as (first id, values), and drops each
    /// block once copied, so that the merged array never coexists with the whole column.
    /// </summary>
    internal void MoveKeys(Action<int, ReadOnlySpan<ulong>> copy) => MoveBlocks(ref _keys, copy);

    /// <inheritdoc cref="MoveKeys"/>
    internal void MoveCounts(Action<int, ReadOnlySpan<int>> copy) => MoveBlocks(ref _counts, copy);

    /// <inheritdoc cref="MoveKeys"/>
    internal void MovePrefixes(Action<int, ReadOnlySpan<int>> copy) => MoveBlocks(ref _prefixes, copy);

    private void MoveBlocks<T>(ref T[][] blocks, Action<int, ReadOnlySpan<T>> copy)
    {
        for (int b = 0; b < blocks.Length; b++)
        {
            int first = b << BlockBits;
            copy(first, blocks[b].AsSpan(0, Math.Min(BlockSize, _count - first)));
            blocks[b] = null!;
        }
        blocks = [];
    }
}
