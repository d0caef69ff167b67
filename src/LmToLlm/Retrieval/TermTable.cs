using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LmToLlm.Retrieval;

/// <summary>
/// A string-to-dense-id table for index building: terms live in one char arena, an open-addressing slot array
/// (linear probing, load ≤ 1/2) holds ids, and each term's hash is kept to skip most comparisons.
/// No allocation per lookup or per term. Not thread-safe (one per builder thread).
/// </summary>
internal sealed class TermTable
{
    private char[] _chars = new char[1 << 12];
    private int _charCount;
    private Entry[] _entries = new Entry[256];
    private ulong[] _slots = new ulong[512];   // hash << 32 | (id + 1); 0 = empty
    private int _mask = 511;

    private struct Entry
    {
        public int Start;
        public int Length;
    }

    internal int Count { get; private set; }

    internal ReadOnlySpan<char> Term(int id) => _chars.AsSpan(_entries[id].Start, _entries[id].Length);

    /// <summary>The id of <paramref name="term"/>, adding it with the next id when new.</summary>
    internal int GetOrAdd(ReadOnlySpan<char> term)
    {
        int hash = Hash(term);
        int slot = hash & _mask;
        while (true)
        {
            ulong entry = _slots[slot];
            if (entry == 0) break;
            if ((int)(entry >> 32) == hash)
            {
                int id = (int)(uint)entry - 1;
                if (Term(id).SequenceEqual(term)) return id;
            }
            slot = (slot + 1) & _mask;
        }
        return Add(term, hash, slot);
    }

    private int Add(ReadOnlySpan<char> term, int hash, int slot)
    {
        int id = Count++;
        if (id == _entries.Length) Array.Resize(ref _entries, id * 2);
        if (_charCount + term.Length > _chars.Length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _charCount + term.Length));
        term.CopyTo(_chars.AsSpan(_charCount));
        _entries[id] = new Entry { Start = _charCount, Length = term.Length };
        _charCount += term.Length;
        _slots[slot] = ((ulong)(uint)hash << 32) | (uint)(id + 1);
        if (Count * 2 > _slots.Length) Grow();
        return id;
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new ulong[old.Length * 2];
        _mask = _slots.Length - 1;
        foreach (ulong entry in old)
        {
            if (entry == 0) continue;
            int slot = (int)(entry >> 32) & _mask;
            while (_slots[slot] != 0) slot = (slot + 1) & _mask;
            _slots[slot] = entry;
        }
    }

    /// <summary>A fast 32-bit hash of the UTF-16 code units (multiply-rotate over 8-byte words).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ReadOnlySpan<char> term)
    {
        var bytes = MemoryMarshal.AsBytes(term);
        ulong h = 0x9E3779B97F4A7C15UL ^ (ulong)bytes.Length;
        while (bytes.Length >= 8)
        {
            h = BitOperations.RotateLeft((h ^ MemoryMarshal.Read<ulong>(bytes)) * 0xC2B2AE3D27D4EB4FUL, 31);
            bytes = bytes[8..];
        }
        if (bytes.Length > 0)
        {
            ulong tail = 0;
            for (int i = 0; i < bytes.Length; i++) tail |= (ulong)bytes[i] << (8 * i);
            h = BitOperations.RotateLeft((h ^ tail) * 0xC2B2AE3D27D4EB4FUL, 31);
        }
        h *= 0x165667B19E3779F9UL;
        return (int)(h ^ (h >> 32));
    }
}
