using LmToLlm.Primitives;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace LmToLlm.NGrams;

/// <summary>
/// External sort of fixed-width int records by their first <c>keyWidth</c> ints (lexicographic), within a memory
/// budget: records gather in a buffer, each full buffer is sorted and written as a run, and <see cref="Sort"/> merges the
/// runs into one sorted file. With <c>sumCounts</c>, records equal on the key are one record whose last int (the count)
/// is the sum: a hash table merges them while they gather, and the merge adds up those of different runs.
/// </summary>
internal sealed class RecordSorter : IDisposable
{
    private const double MaxLoad = 0.7;
    private readonly int _width;
    private readonly int _keyWidth;
    private readonly bool _sumCounts;
    private readonly string? _directory;
    private readonly long _mergeBytes;
    private readonly RecordFile _runs;
    private readonly List<(long First, long End)> _ranges = [];
    // Without counts: _capacity records of _width ints, dense. With counts: an open-addressing table of _slots records
    // (count 0 = empty), so that a lookup touches one record rather than an index and then the record. The table starts
    // small and doubles while the old and the new one fit in _maximumSlots together: a table no larger than its content
    // keeps lookups in cache for the low orders.
    private int[] _records;
    // The sort keys of a run: each record's key packed into one 128-bit integer (see TryWritePacked); also the space of
    // the index order when a key does not fit.
    private UInt128[] _keys;
    private int _capacity;
    private int _slots;
    private readonly int _maximumSlots;
    private readonly int _maximumRunRecords;
    private int _count;

    /// <param name="width">Ints per record.</param>
    /// <param name="keyWidth">Leading ints that the records are sorted by (with <paramref name="sumCounts"/>: width − 1).</param>
    /// <param name="sumCounts">Merge records with equal keys, adding their last ints (which must be ≥ 1).</param>
    /// <param name="bufferBytes">Memory for gathering (records, sort order and hash table); the merge's read buffers take a quarter as much.</param>
    /// <param name="directory">Folder of the temporary files (default: the system's).</param>
    /// <param name="maximumRunRecords">At most this many records per run (0 = as the memory allows); lets tests force many runs.</param>
    /// <param name="expectedRecords">With counts: how many distinct keys are expected, so that the table starts large enough (it still grows).</param>
    public RecordSorter(int width, int keyWidth, bool sumCounts, long bufferBytes, string? directory, int maximumRunRecords = 0, long expectedRecords = 0)
    {
        if (sumCounts && keyWidth != width - 1) throw new ArgumentException("with sumCounts the key is every int but the count", nameof(keyWidth));
        _width = width;
        _keyWidth = keyWidth;
        _sumCounts = sumCounts;
        _directory = directory;
        _mergeBytes = Math.Max(1 << 16, bufferBytes / 4);
        // Per record: its ints (in a table at most MaxLoad full, with counts) and its packed sort key.
        double perRecord = width / (sumCounts ? MaxLoad : 1.0) * sizeof(int) + 16;
        _capacity = (int)Math.Clamp(bufferBytes / perRecord, 1024, Array.MaxLength / width * MaxLoad);
        _maximumRunRecords = maximumRunRecords > 0 ? maximumRunRecords : int.MaxValue;
        _capacity = Math.Min(_capacity, _maximumRunRecords);
        _maximumSlots = sumCounts ? (int)(_capacity / MaxLoad) + 1 : _capacity;
        if (sumCounts)
        {
            _slots = (int)Math.Min(_maximumSlots, Math.Max(1 << 16, (long)(expectedRecords / MaxLoad)));
            _capacity = Math.Min(_maximumRunRecords, (int)(_slots * MaxLoad));
        }
        else
        {
            _slots = _capacity;
        }
        _records = new int[(long)_slots * width];
        _keys = sumCounts ? [] : new UInt128[_capacity];
        _runs = new RecordFile(directory, width);
    }

    /// <summary>Adds one record (its first <c>width</c> ints).</summary>
    public void Add(ReadOnlySpan<int> record) => Add(record, _sumCounts ? Hash(record[.._keyWidth]) : 0);

    /// <summary>As <see cref="Add(ReadOnlySpan{int})"/> with the key's <see cref="Hash"/> computed by the caller.</summary>
    public void Add(ReadOnlySpan<int> record, uint hash)
    {
        int at;
        if (_sumCounts)
        {
            ReadOnlySpan<int> key = record[.._keyWidth];
            int slot = Slot(hash);
            while (true)
            {
                at = slot * _width;
                if (_records[at + _keyWidth] == 0) break;
                if (_records.AsSpan(at, _keyWidth).SequenceEqual(key))
                {
                    _records[at + _keyWidth] += record[_keyWidth];
                    return;
                }
                if (++slot == _slots) slot = 0;
            }
        }
        else
        {
            at = _count * _width;
        }
        record[.._width].CopyTo(_records.AsSpan(at));
        if (++_count == _capacity && !Grow())
        {
            WriteRun();
            if (_sumCounts && _slots < _maximumSlots && _count == 0)
            {
                // Too large to double beside itself: now that it is empty, the table takes the whole budget.
                long freed = _records.Length * 4L;
                _records = [];
                LargeMemory.Return(freed); // give the small table back before the large one is taken
                _slots = _maximumSlots;
                _records = new int[(long)_slots * _width];
                _capacity = Math.Min(_maximumRunRecords, (int)(_slots * MaxLoad));
            }
        }
    }

    /// <summary>With counts: doubles the table when the old and new fit the budget together; false when it cannot.</summary>
    private bool Grow()
    {
        if (!_sumCounts || _count >= _maximumRunRecords) return false;
        int slots = (int)Math.Min((long)_slots * 2, _maximumSlots - _slots);
        if (slots <= _slots) return false;
        int[] records = new int[(long)slots * _width];
        for (int old = 0; old < _slots; old++)
        {
            int from = old * _width;
            if (_records[from + _keyWidth] == 0) continue;
            var key = _records.AsSpan(from, _keyWidth);
            int slot = (int)(((ulong)Hash(key) * (uint)slots) >> 32);
            while (records[slot * _width + _keyWidth] != 0)
            {
                if (++slot == slots) slot = 0;
            }
            _records.AsSpan(from, _width).CopyTo(records.AsSpan(slot * _width));
        }
        _records = records;
        _slots = slots;
        _capacity = Math.Min(_maximumRunRecords, (int)(slots * MaxLoad));
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(uint hash) => (int)(((ulong)hash * (uint)_slots) >> 32);

    /// <summary>
    /// With counts: asks the processor to load the table slot of a key added soon (its <see cref="Hash"/>), so that the
    /// lookups of a batch wait for memory together rather than one after another.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(uint hash)
    {
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref _records[Slot(hash) * _width]));
    }

    /// <summary>The hash of a key as the counting table uses it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Hash(ReadOnlySpan<int> key)
    {
        ulong h = HashSeed;
        foreach (int v in key) h = HashStep(h, v);
        return (uint)(h >> 32);
    }

    /// <summary>
    /// <see cref="Hash"/> of <paramref name="window"/> read backwards, its last int first: the key of a window of tokens
    /// stored last word first, hashed where it lies rather than copied out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint HashReversed(ReadOnlySpan<int> window)
    {
        ulong h = HashSeed;
        for (int j = window.Length - 1; j >= 0; j--) h = HashStep(h, window[j]);
        return (uint)(h >> 32);
    }

    private const ulong HashSeed = 0x9E3779B97F4A7C15UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong HashStep(ulong h, int value) => (h ^ (uint)value) * 0xD6E8FEB86659FD93UL;

    private void WriteRun()
    {
        if (_count == 0) return;
        if (_sumCounts)
        {
            // Move the table's records to its front, in slot order (each moves down, never onto one not yet moved).
            int kept = 0;
            for (int slot = 0; slot < _slots; slot++)
            {
                int at = slot * _width;
                if (_records[at + _keyWidth] == 0) continue;
                if (kept != slot) _records.AsSpan(at, _width).CopyTo(_records.AsSpan(kept * _width));
                kept++;
            }
        }
        if (_keys.Length < _count) _keys = new UInt128[_count];
        long first = _runs.Count;
        if (!TryWritePacked())
        {
            Span<int> order = MemoryMarshal.Cast<UInt128, int>(_keys.AsSpan())[.._count];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            order.Sort(new ByKey(_records, _width, _keyWidth));
            foreach (int i in order) _runs.Append(_records.AsSpan(i * _width, _width));
        }
        _ranges.Add((first, _runs.Count));
        _count = 0;
        if (_sumCounts) _records.AsSpan().Clear();
    }

    /// <summary>Every record added, sorted by key (merged by key with counts), in a new file; the sorter is spent.</summary>
    public RecordFile Sort(CancellationToken cancellationToken = default) => Merge([this], cancellationToken);

    /// <summary>
    /// The records of several sorters of the same shape (hash partitions filled by different threads), sorted and merged
    /// into one file; the sorters are spent. Their last runs are sorted in parallel.
    /// </summary>
    internal static RecordFile Merge(IReadOnlyList<RecordSorter> sorters, CancellationToken cancellationToken = default)
    {
        Parallel.For(0, sorters.Count, i => sorters[i].WriteRun());
        long freed = 0;
        foreach (var sorter in sorters)
        {
            freed += sorter._records.Length * 4L + sorter._keys.Length * 16L;
            sorter._records = [];
            sorter._keys = [];
            sorter._runs.Complete();
        }
        LargeMemory.Return(freed);
        var first = sorters[0];
        int runs = sorters.Sum(s => s._ranges.Count);
        if (runs == 1 && first._ranges.Count == 1)
        {
            // One run is the sorted file already: hand it over instead of copying it.
            first._handedOver = true;
            return first._runs;
        }
        try
        {
            return RecordFile.Create(first._directory, first._width, output =>
            {
                long perRun = Math.Max(1 << 12, first._mergeBytes / Math.Max(1, runs));
                var readers = new List<RecordStream>(runs);
                foreach (var sorter in sorters)
                {
                    foreach (var (start, end) in sorter._ranges) readers.Add(sorter._runs.Read(perRun, start, end));
                }
                var merged = new MergedRecords([.. readers], first._keyWidth, first._sumCounts);
                long done = 0;
                while (merged.MoveNext())
                {
                    output.Append(merged.Current);
                    if ((++done & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                }
            });
        }
        finally
        {
            foreach (var sorter in sorters) sorter.Dispose();
        }
    }

    private bool _handedOver;

    public void Dispose()
    {
        if (!_handedOver) _runs.Dispose();
    }

    /// <summary>
    /// Writes the run sorted by packed keys: each record's key ints in as few bits as the largest of them needs, then
    /// the record's index (so that equal keys keep the order they were added in), one 128-bit integer per record. A
    /// sort of plain integers reads no record, where comparing records reads two scattered ones per step. Large runs
    /// sort by halves on two threads, merged while written. False when a key is negative or does not fit.
    /// </summary>
    private bool TryWritePacked()
    {
        int count = _count, width = _width, keyWidth = _keyWidth;
        int all = 0;
        for (int i = 0; i < count; i++)
        {
            var key = _records.AsSpan(i * width, keyWidth);
            foreach (int v in key) all |= v;
        }
        if (all < 0) return false;
        int bits = Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)all));
        int indexBits = 32 - BitOperations.LeadingZeroCount((uint)count);
        if (bits * keyWidth + indexBits > 128) return false;
        UInt128[] keys = _keys;
        int[] records = _records;
        ParallelBlocks.For(count, PackBlock, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                UInt128 packed = 0;
                foreach (int v in records.AsSpan(i * width, keyWidth)) packed = (packed << bits) | (uint)v;
                keys[i] = (packed << indexBits) | (uint)i;
            }
        });
        int half = count >= 2 * PackBlock ? count / 2 : count;
        if (half < count) Parallel.Invoke(() => keys.AsSpan(0, half).Sort(), () => keys.AsSpan(half, count - half).Sort());
        else keys.AsSpan(0, count).Sort();
        // Merged a batch at a time, whose records are then copied with the one some places ahead already asked for:
        // the records are read in scattered order, and this keeps several of those reads waiting together.
        UInt128 mask = (UInt128.One << indexBits) - 1;
        Span<int> batch = stackalloc int[1024];
        int a = 0, b = half;
        while (a < half || b < count)
        {
            int filled = 0;
            for (; filled < batch.Length && (a < half || b < count); filled++)
            {
                UInt128 next = b == count || (a < half && keys[a] < keys[b]) ? keys[a++] : keys[b++];
                batch[filled] = (int)(next & mask);
            }
            for (int e = 0; e < filled; e++)
            {
                if (e + GatherDistance < filled) PrefetchRecord(batch[e + GatherDistance]);
                _runs.Append(records.AsSpan(batch[e] * width, width));
            }
        }
        return true;
    }

    private const int GatherDistance = 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void PrefetchRecord(int index)
    {
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref _records[index * _width]));
    }

    private const int PackBlock = 1 << 16;

    /// <summary>Lexicographic order of the first keyWidth ints of two records of a flat array.</summary>
    private readonly struct ByKey(int[] records, int width, int keyWidth) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            int a = x * width, b = y * width;
            for (int i = 0; i < keyWidth; i++)
            {
                int c = records[a + i].CompareTo(records[b + i]);
                if (c != 0) return c;
            }
            return x.CompareTo(y); // stable: equal keys keep the order they were added in
        }
    }
}

/// <summary>
/// The k-way merge of sorted record streams by their first keyWidth ints; with sumCounts, records with equal keys become
/// one whose last int is the sum. Ties between streams go to the earlier stream, so the merge is stable.
/// </summary>
internal sealed class MergedRecords : RecordStream
{
    private readonly RecordStream[] _inputs;
    private readonly int _keyWidth;
    private readonly bool _sumCounts;
    private readonly int[] _heap; // input indices, a binary min-heap by current record
    private int _size;
    private int[] _current = [];

    public MergedRecords(RecordStream[] inputs, int keyWidth, bool sumCounts)
    {
        _inputs = inputs;
        _keyWidth = keyWidth;
        _sumCounts = sumCounts;
        _heap = new int[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].MoveNext()) Push(i);
        }
    }

    public override ReadOnlySpan<int> Current => _current;

    public override bool MoveNext()
    {
        if (_size == 0) return false;
        int top = _heap[0];
        var record = _inputs[top].Current;
        if (_current.Length != record.Length) _current = new int[record.Length];
        record.CopyTo(_current);
        Advance(top);
        if (_sumCounts)
        {
            var key = _current.AsSpan(0, _keyWidth);
            while (_size > 0 && _inputs[_heap[0]].Current[.._keyWidth].SequenceEqual(key))
            {
                int next = _heap[0];
                _current[^1] += _inputs[next].Current[^1];
                Advance(next);
            }
        }
        return true;
    }

    // The top input moved on: sift it down, or drop it when it ended.
    private void Advance(int input)
    {
        if (_inputs[input].MoveNext())
        {
            SiftDown(0);
            return;
        }
        _heap[0] = _heap[--_size];
        if (_size > 0) SiftDown(0);
    }

    private bool Less(int a, int b)
    {
        int c = _inputs[a].Current[.._keyWidth].SequenceCompareTo(_inputs[b].Current[.._keyWidth]);
        return c < 0 || (c == 0 && a < b);
    }

    private void Push(int input)
    {
        int i = _size++;
        _heap[i] = input;
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Less(_heap[i], _heap[parent])) break;
            (_heap[i], _heap[parent]) = (_heap[parent], _heap[i]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            int left = 2 * i + 1, smallest = i;
            if (left < _size && Less(_heap[left], _heap[smallest])) smallest = left;
            if (left + 1 < _size && Less(_heap[left + 1], _heap[smallest])) smallest = left + 1;
            if (smallest == i) return;
            (_heap[i], _heap[smallest]) = (_heap[smallest], _heap[i]);
            i = smallest;
        }
    }
}
