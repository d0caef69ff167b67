using System.Text;

namespace LmToLlm.Corpora;

/// <summary>
/// Splits a byte stream into lines at LF and decodes each line on its own with strict UTF-8, so that invalid bytes
/// are reported on the right line (a <see cref="StreamReader"/> decodes whole buffers and fails ahead of the line).
/// Input: a stream of UTF-8 (a leading BOM is skipped). Output: lines without the LF (a CR before it is kept, the
/// caller decides) and their 1-based numbers; <see cref="LmToLlmFormatException"/> on invalid UTF-8 or corrupt gzip.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly string _path;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _bomChecked;

    public Utf8LineReader(Stream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <summary>The number of the line last returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line without its LF, or null at the end. <paramref name="terminated"/>: whether an LF followed it.</summary>
    public string? ReadLine(out bool terminated)
    {
        while (true)
        {
            if (!_bomChecked && (_end - _start >= 3 || _eof))
            {
                _bomChecked = true;
                if (_buffer.AsSpan(_start, _end - _start).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) _start += 3;
            }
            if (_bomChecked)
            {
                int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    string line = Decode(_buffer.AsSpan(_start, newline));
                    _start += newline + 1;
                    terminated = true;
                    return line;
                }
                if (_eof)
                {
                    terminated = false;
                    if (_start == _end) return null;
                    string last = Decode(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
                    return last;
                }
            }
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int read;
        try
        {
            read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (InvalidDataException e)
        {
            throw new LmToLlmFormatException(_path, LineNumber + 1,
                e.Message == CheckedGZipStream.TruncatedMessage ? e.Message : $"corrupt gzip data ({e.Message}); the file may be damaged or truncated", e);
        }
        if (read == 0) _eof = true;
        _end += read;
    }

    private string Decode(ReadOnlySpan<byte> bytes)
    {
        LineNumber++;
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            string where = e.Index >= 0 && e.BytesUnknown is { Length: > 0 } unknown
                ? $" (byte 0x{unknown[0]:X2} at byte {e.Index + 1} of the line)"
                : "";
            throw new LmToLlmFormatException(_path, LineNumber, $"invalid UTF-8{where}; re-encode the file as UTF-8", e);
        }
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>
/// A <see cref="TextReader"/> over <see cref="Utf8LineReader"/> for parsers that want characters (CsvHelper):
/// each line followed by <c>\n</c> when the file had one, errors with exact line numbers.
/// </summary>
internal sealed class Utf8LineTextReader(Utf8LineReader lines) : TextReader
{
    private string _current = "";
    private int _position;
    private bool _done;

    public override int Peek() => Fill() ? _current[_position] : -1;

    public override int Read() => Fill() ? _current[_position++] : -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (buffer.Length == 0 || !Fill()) return 0;
        int n = Math.Min(buffer.Length, _current.Length - _position);
        _current.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    private bool Fill()
    {
        while (_position == _current.Length)
        {
            if (_done) return false;
            string? line = lines.ReadLine(out bool terminated);
            if (line is null)
            {
                _done = true;
                return false;
            }
            _current = terminated ? line + "\n" : line;
            _position = 0;
        }
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) lines.Dispose();
        base.Dispose(disposing);
    }
}
