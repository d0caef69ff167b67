using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LmToLlm.NGrams;

/// <summary>
/// Fixed-width records of ints on a temporary file (see <see cref="TemporaryFile"/>): appended in order, then read back
/// as often as needed, whole or by ranges. Input: records of <see cref="Width"/> ints. Output: <see cref="RecordReader"/>s.
/// </summary>
internal sealed class RecordFile : IDisposable
{
    private readonly SafeFileHandle _file;
    private int[] _pending;
    private int _pendingCount;
    private long _written; // ints on disk

    public RecordFile(string? directory, int width, int bufferInts = 1 << 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Width = width;
        _file = TemporaryFile.Open(directory, "lmtollm-records");
        _pending = new int[Math.Max(width, bufferInts / width * width)];
    }

    /// <summary>A new file that <paramref name="fill"/> appends to, completed; deleted when filling fails.</summary>
    public static RecordFile Create(string? directory, int width, Action<RecordFile> fill)
    {
        var file = new RecordFile(directory, width);
        try
        {
            fill(file);
            file.Complete();
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Ints per record.</summary>
    public int Width { get; }

    /// <summary>Records appended so far.</summary>
    public long Count => (_written + _pendingCount) / Width;

    public void Append(ReadOnlySpan<int> record)
    {
        if (_pendingCount + Width > _pending.Length) Flush();
        record[..Width].CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += Width;
    }

    /// <summary>Writes what is buffered and frees the buffer; call once appending is done.</summary>
    public void Complete()
    {
        Flush();
        _pending = [];
    }

    private void Flush()
    {
        if (_pendingCount == 0) return;
        RandomAccess.Write(_file, MemoryMarshal.AsBytes(_pending.AsSpan(0, _pendingCount)), _written * sizeof(int));
        _written += _pendingCount;
        _pendingCount = 0;
    }

    /// <summary>Reads records [<paramref name="first"/>, <paramref name="end"/>) (default: all) through a buffer of about <paramref name="bufferBytes"/>.</summary>
    public RecordReader Read(long bufferBytes = 1 << 20, long first = 0, long end = -1)
    {
        Flush();
        if (end < 0) end = Count;
        return new RecordReader(_file, Width, first, end, bufferBytes);
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>A forward cursor over records: <see cref="MoveNext"/>, then <see cref="Current"/> until the next move.</summary>
internal abstract class RecordStream
{
    public abstract bool MoveNext();
    public abstract ReadOnlySpan<int> Current { get; }
}

/// <summary>Records [first, end) of a <see cref="RecordFile"/>, read sequentially through a buffer.</summary>
internal sealed class RecordReader : RecordStream
{
    private readonly SafeFileHandle _file;
    private readonly int _width;
    private readonly int[] _buffer;
    private long _next;  // next record to load from the file
    private readonly long _end;
    private int _loaded; // ints in the buffer
    private int _position = -1; // int offset of the current record in the buffer

    internal RecordReader(SafeFileHandle file, int width, long first, long end, long bufferBytes)
    {
        _file = file;
        _width = width;
        _next = first;
        _end = end;
        long records = Math.Clamp(bufferBytes / sizeof(int) / width, 1, Math.Max(1, end - first));
        _buffer = new int[records * width];
    }

    public override ReadOnlySpan<int> Current => _buffer.AsSpan(_position, _width);

    public override bool MoveNext()
    {
        int position = _position < 0 ? 0 : _position + _width;
        if (position < _loaded)
        {
            _position = position;
            return true;
        }
        if (_next >= _end) return false;
        int records = (int)Math.Min(_end - _next, _buffer.Length / _width);
        _loaded = records * _width;
        TemporaryFile.ReadExactly(_file, MemoryMarshal.AsBytes(_buffer.AsSpan(0, _loaded)), _next * _width * sizeof(int));
        _next += records;
        _position = 0;
        return true;
    }
}
