using System.Buffers.Binary;

namespace LmToLlm.Primitives;

/// <summary>
/// Passes writes through to <paramref name="inner"/> while counting them and keeping their <see cref="Checksum"/>, so a
/// binary file can be written as a stream and closed with <see cref="WriteChecksum"/> (the trailer
/// <see cref="BinaryFormat"/> checks). Does not own <paramref name="inner"/>.
/// </summary>
internal sealed class HashingStream(Stream inner) : WriteOnlyStream
{
    private readonly Checksum _checksum = new();

    /// <summary>The bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>The checksum of everything written so far.</summary>
    public ulong Checksum => _checksum.Value;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        _checksum.Append(buffer);
        BytesWritten += buffer.Length;
    }

    /// <summary>Writes zero bytes up to the next multiple of 8, so the next section can be used in place.</summary>
    public void PadTo8()
    {
        int extra = (int)(-BytesWritten & 7);
        if (extra > 0) Write(stackalloc byte[extra]);
    }

    /// <summary>Writes the checksum of everything written so far (little-endian; not itself hashed) and flushes.</summary>
    public void WriteChecksum()
    {
        Span<byte> trailer = stackalloc byte[BinaryFormat.ChecksumBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer, Checksum);
        inner.Write(trailer);
        inner.Flush();
    }

    public override void Flush() => inner.Flush();
}
