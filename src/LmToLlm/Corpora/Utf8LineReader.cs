namespace LmToLlm.Corpora;

/// <summary>
/// Splits a byte stream into lines at LF with strict UTF-8 decoding that reports invalid bytes on the right line
/// (a <see cref="StreamReader"/> decodes whole buffers and fails ahead of the line, without a number).
/// Input: a stream of UTF-8 (a leading BOM is skipped). Output: lines without the LF (a CR before it is kept, the
/// caller decides) and their 1-based numbers; <see cref="LmToLlmFormatException"/> on invalid UTF-8 or corrupt gzip.
/// </summary>
/// <remarks>
/// Speed: the complete lines in the byte buffer are transcoded in one vectorised call (as a StreamReader does), then
/// split on LF; only when that call meets an invalid byte is its line located, and the lines before it still come out.
/// </remarks>
internal sealed class Utf8LineReader : IDisposable
{
    private readonly Stream _stream;
    private readonly string _path;
    private byte[] _bytes = new byte[1 << 16];
    private int _bytesStart;
    private int _bytesEnd;
    private bool _eof;
    private bool _bomChecked;
    private char[] _chars = new char[1 << 16];
    private int _charsStart;
    private int _charsEnd;
    private string? _pendingError;

    internal Utf8LineReader(Stream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <summary>The number of the line last returned (0 before the first).</summary>
    internal long LineNumber { get; private set; }

    /// <summary>The next line without its LF, or null at the end. <paramref name="terminated"/>: whether an LF followed it.</summary>
    internal string? ReadLine(out bool terminated)
    {
        while (true)
        {
            if (_charsStart < _charsEnd)
            {
                var rest = _chars.AsSpan(_charsStart, _charsEnd - _charsStart);
                int newline = rest.IndexOf('\n');
                LineNumber++;
                terminated = newline >= 0;
                int length = terminated ? newline : rest.Length;
                string line = new(rest[..length]);
                _charsStart += terminated ? length + 1 : length;
                return line;
            }
            if (_pendingError is not null) throw new LmToLlmFormatException(_path, LineNumber + 1, _pendingError);
            if (!DecodeNextBlock())
            {
                terminated = false;
                return null;
            }
        }
    }

    /// <summary>Transcodes the complete lines in the byte buffer (all that is left at the end of the stream).</summary>
    private bool DecodeNextBlock()
    {
        int blockEnd;
        while (true)
        {
            if (!_bomChecked && (_bytesEnd - _bytesStart >= 3 || _eof))
            {
                _bomChecked = true;
                if (_bytes.AsSpan(_bytesStart, _bytesEnd - _bytesStart).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) _bytesStart += 3;
            }
            if (_bomChecked)
            {
                int last = _bytes.AsSpan(_bytesStart, _bytesEnd - _bytesStart).LastIndexOf((byte)'\n');
                if (last >= 0)
                {
                    blockEnd = _bytesStart + last + 1;
                    break;
                }
                if (_eof)
                {
                    if (_bytesStart == _bytesEnd) return false;
                    blockEnd = _bytesEnd;
                    break;
                }
            }
            Fill();
        }

        var block = _bytes.AsSpan(_bytesStart, blockEnd - _bytesStart);
        if (_chars.Length < block.Length) _chars = new char[Math.Max(block.Length, _chars.Length * 2)]; // UTF-16 never needs more chars than UTF-8 bytes
        var status = System.Text.Unicode.Utf8.ToUtf16(block, _chars, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true);
        if (status != System.Buffers.OperationStatus.Done)
        {
            // Keep the lines before the bad one; it is reported when they are used up.
            int lineStart = block[..read].LastIndexOf((byte)'\n') + 1;
            System.Text.Unicode.Utf8.ToUtf16(block[..lineStart], _chars, out _, out written);
            _pendingError = $"invalid UTF-8 (byte 0x{block[read]:X2} at byte {read - lineStart + 1} of the line); re-encode the file as UTF-8";
        }
        _charsStart = 0;
        _charsEnd = written;
        _bytesStart = blockEnd;
        return true;
    }

    private void Fill()
    {
        if (_bytesStart > 0)
        {
            _bytes.AsSpan(_bytesStart, _bytesEnd - _bytesStart).CopyTo(_bytes);
            _bytesEnd -= _bytesStart;
            _bytesStart = 0;
        }
        if (_bytesEnd == _bytes.Length) Array.Resize(ref _bytes, _bytes.Length * 2);
        int read;
        try
        {
            read = _stream.Read(_bytes, _bytesEnd, _bytes.Length - _bytesEnd);
        }
        catch (InvalidDataException e)
        {
            throw CheckedGZipStream.FormatError(_path, LineNumber + 1, e);
        }
        if (read == 0) _eof = true;
        _bytesEnd += read;
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
