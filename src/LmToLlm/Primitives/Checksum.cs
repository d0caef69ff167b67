using System.IO.Hashing;

namespace LmToLlm.Primitives;

/// <summary>
/// The one checksum of this library's binary files: XxHash64 (seed 0) from System.IO.Hashing, a fast non-cryptographic
/// hash that catches truncation and flipped bits. Incremental (<see cref="Append"/>) for files written as a stream,
/// one-shot (<see cref="Compute"/>) for files held in memory; both give the same value for the same bytes.
/// </summary>
internal sealed class Checksum
{
    private readonly XxHash64 _hash = new();

    /// <summary>Adds <paramref name="bytes"/> to the running checksum.</summary>
    public void Append(ReadOnlySpan<byte> bytes) => _hash.Append(bytes);

    /// <summary>The checksum of everything appended so far.</summary>
    public ulong Value => _hash.GetCurrentHashAsUInt64();

    /// <summary>The checksum of <paramref name="bytes"/>.</summary>
    public static ulong Compute(ReadOnlySpan<byte> bytes) => XxHash64.HashToUInt64(bytes);
}
