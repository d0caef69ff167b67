namespace LmToLlm.Primitives;

/// <summary>
/// The base of streams that only accept writes (hashing, counting, decoding into a writer): a subclass implements
/// <see cref="Write(ReadOnlySpan{byte})"/> and, when it buffers, <see cref="Flush"/>; reading and seeking are refused (a counting subclass may report its <see cref="Position"/>).
/// </summary>
internal abstract class WriteOnlyStream : Stream
{
    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public sealed override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public sealed override void WriteByte(byte value) => Write([value]);

    public override void Flush() { }

    public sealed override bool CanRead => false;
    public sealed override bool CanSeek => false;
    public sealed override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
