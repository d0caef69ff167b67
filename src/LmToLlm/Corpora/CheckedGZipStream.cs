using System.Buffers.Binary;
using System.IO.Compression;

namespace LmToLlm.Corpora;

/// <summary>
/// Gzip decompression that notices a truncated file. .NET's <see cref="GZipStream"/> ends silently when the
/// compressed data stops early, so at the end this stream compares the decompressed length with the gzip
/// trailer's ISIZE (the last 4 bytes of the file: length mod 2^32, RFC 1952 §2.3.1).
/// Input: a seekable gzip file stream (one member). Output: the decompressed bytes, or <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class CheckedGZipStream(FileStream file) : Stream
{
    internal const string TruncatedMessage = "the gzip data ends early: the file is truncated (or is several concatenated gzip members, which are not supported; decompress it first)";

    /// <summary>The format error for a gzip failure at <paramref name="line"/> of <paramref name="path"/>.</summary>
    internal static LmToLlmFormatException FormatError(string path, long line, InvalidDataException e) =>
        new(path, line, e.Message == TruncatedMessage ? e.Message : $"corrupt gzip data ({e.Message}); the file may be damaged or truncated", e);

    private readonly GZipStream _inner = new(file, CompressionMode.Decompress);
    private readonly long _fileLength = file.Length;
    private readonly FileStream _file = file;
    private long _total;
    private bool _checked;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = _inner.Read(buffer);
        _total += read;
        if (read == 0 && buffer.Length > 0 && !_checked) CheckTrailer();
        return read;
    }

    private void CheckTrailer()
    {
        _checked = true;
        if (_fileLength < 18) throw new InvalidDataException(TruncatedMessage); // header 10 + empty deflate ≥ 2 + trailer 8
        Span<byte> size = stackalloc byte[4];
        RandomAccess.Read(_file.SafeFileHandle, size, _fileLength - 4);
        if (BinaryPrimitives.ReadUInt32LittleEndian(size) != (uint)_total) throw new InvalidDataException(TruncatedMessage);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
