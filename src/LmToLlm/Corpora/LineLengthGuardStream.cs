namespace LmToLlm.Corpora;

/// <summary>
/// Passes bytes through and fails once a line (bytes between LF or CR line ends) grows past
/// <see cref="TextLines.MaxLineBytes"/>, before a reader builds a string of it: a file with a gigantic line is a format
/// error naming the line, not an out-of-memory crash. Input: a (decompressed) byte stream. Output: the same bytes.
/// </summary>
internal sealed class LineLengthGuardStream(Stream inner, string path, long maxLineBytes, long linesBefore = 0) : Stream
{
    private long _lineLength;
    private long _lineEnds = linesBefore; // LF count: lines are numbered as the readers number them (LF or CRLF ends)

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        var rest = buffer[..read];
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOfAny((byte)'\n', (byte)'\r');
            if (end < 0)
            {
                Grow(rest.Length);
                break;
            }
            Grow(end);
            if (rest[end] == '\n') _lineEnds++;
            _lineLength = 0;
            rest = rest[(end + 1)..];
        }
        return read;
    }

    private void Grow(int bytes)
    {
        _lineLength += bytes;
        if (_lineLength > maxLineBytes)
            ThrowHelper.Format(path, _lineEnds + 1, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the line is longer than {maxLineBytes:N0} bytes, the maximum line length; split it, or raise the limit with the environment variable {TextLines.MaxLineBytesVariable}=<bytes>"));
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
