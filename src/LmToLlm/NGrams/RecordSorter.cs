using System.Numerics;
using System.Runtime.CompilerServices;

namespace LmToLlm.NGrams;

/// <summary>
/// External sort of fixed-width int records by their first <c>keyWidth</c> ints (lexicographic), within a memory
/// budget: records gather in a buffer, each full buffer is sorted and written as a run, and <see cref="Sort"/> merges the
/// runs into one sorted file. With <c>sumCounts</c>, records equal on the key are one record whose last int (the count)
/// is the sum: a hash index merges them while they gather, and the merge adds up those of different runs.
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
    private int[] _records; // _capacity records of _width ints
    private int[] _order;
    private int[] _slots;   // record index + 1 (sumCounts only); 0 = empty
    private readonly int _capacity;
    private int _count;
    private int _shift;

    /// <param name="width">Ints per record.</param>
    /// <param name="keyWidth">Leading ints that the records are sorted by (with <paramref name="sumCounts"/>: width − 1).</param>
    /// <param name="sumCounts">Merge records with equal keys, adding their last ints.</param>
    /// <param name="bufferBytes">Memory for gathering (records, sort order and hash index); the merge uses half as much.</param>
    /// <param name="directory">Folder of the temporary files (default: the system's).</param>
    /// <param name="maximumRunRecords">At most this many records per run (0 = as the memory allows); lets tests force many runs.</param>
    public RecordSorter(int width, int keyWidth, bool sumCounts, long bufferBytes, string? directory, int maximumRunRecords = 0)
    {
        if (sumCounts && keyWidth != width - 1) throw new ArgumentException("with sumCounts the key is every int but the count", nameof(keyWidth));
        _width = width;
        _keyWidth = keyWidth;
        _sumCounts = sumCounts;
        _directory = directory;
        _mergeBytes = Math.Max(1 << 16, bufferBytes / 2);
        // Per record: its ints, one int of sort order and (with counts) ~1.5 ints of hash slots.
        double perRecord = (width + 1 + (sumCounts ? 1 / MaxLoad * 1.05 : 0)) * sizeof(int);
        _capacity = (int)Math.Clamp(bufferBytes / perRecord, 1024, Array.MaxLength / width);
        if (maximumRunRecords > 0) _capacity = Math.Min(_capacity, maximumRunRecords);
        _records = new int[(long)_capacity * width];
        _order = new int[_capacity];
        if (sumCounts)
        {
            int slots = (int)BitOperations.RoundUpToPowerOf2((uint)(_capacity / MaxLoad) + 1);
            _slots = new int[slots];
            _shift = 32 - BitOperations.Log2((uint)slots);
        }
        else
        {
            _slots = [];
        }
        _runs = new RecordFile(directory, width);
    }

    /// <summary>Adds one record (its first <c>width</c> ints).</summary>
    public void Add(ReadOnlySpan<int> record)
    {
        if (_sumCounts)
        {
            ReadOnlySpan<int> key = record[.._keyWidth];
            int mask = _slots.Length - 1;
            int slot = (int)(Hash(key) >> _shift);
            while (true)
            {
                int entry = _slots[slot];
                if (entry == 0) break;
                int at = (entry - 1) * _width;
                if (_records.AsSpan(at, _keyWidth).SequenceEqual(key))
                {
                    _records[at + _keyWidth] += record[_keyWidth];
                    return;
                }
                slot = (slot + 1) & mask;
            }
            _slots[slot] = _count + 1;
        }
        record[.._width].CopyTo(_records.AsSpan(_count * _width));
        if (++_count == _capacity) WriteRun();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<int> key)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (int v in key) h = (h ^ (uint)v) * 0xD6E8FEB86659FD93UL;
        return (uint)(h >> 32);
    }

    private void WriteRun()
    {
        if (_count == 0) return;
        Span<int> order = _order.AsSpan(0, _count);
        for (int i = 0; i < order.Length; i++) order[i] = i;
        order.Sort(new ByKey(_records, _width, _keyWidth));
        long first = _runs.Count;
        foreach (int i in order) _runs.Append(_records.AsSpan(i * _width, _width));
        _ranges.Add((first, _runs.Count));
        _count = 0;
        _slots.AsSpan().Clear();
    }

    /// <summary>Every record added, sorted by key (merged by key with counts), in a new file; the sorter is spent.</summary>
    public RecordFile Sort(CancellationToken cancellationToken = default)
    {
        WriteRun();
        _records = _order = _slots = [];
        _runs.Complete();
        LargeMemory.Collect();
        var output = new RecordFile(_directory, _width);
        try
        {
            var readers = new RecordReader[_ranges.Count];
            long perRun = Math.Max(1 << 12, _mergeBytes / Math.Max(1, _ranges.Count));
            for (int r = 0; r < readers.Length; r++) readers[r] = _runs.Read(perRun, _ranges[r].First, _ranges[r].End);
            var merged = new MergedRecords(readers, _keyWidth, _sumCounts);
            long done = 0;
            while (merged.MoveNext())
            {
                output.Append(merged.Current);
                if ((++done & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            }
            output.Complete();
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
        finally
        {
            _runs.Dispose();
        }
    }

    public void Dispose() => _runs.Dispose();

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
