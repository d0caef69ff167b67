using System.Buffers.Binary;
using System.Text;

namespace LmToLlm.Primitives;

/// <summary>
/// The frame every binary file of this library shares (after KenLM's <c>lm/binary_format.hh</c>: recognise the file by
/// its magic, read the header, match the checksum before trusting the rest). Layout, little-endian:
/// <list type="bullet">
/// <item>header (<see cref="HeaderBytes"/>): 8 ASCII magic bytes naming the format, int32 format version;</item>
/// <item>the format's own body;</item>
/// <item>trailer (<see cref="ChecksumBytes"/>): the <see cref="Checksum"/> of every byte before it.</item>
/// </list>
/// One instance describes one format; readers get the same diagnosis for every format: not this kind of file, written by
/// an older or newer version (with what to do), truncated, or corrupt.
/// </summary>
internal sealed class BinaryFormat
{
    /// <summary>Magic (8 bytes) and format version (int32).</summary>
    public const int HeaderBytes = 12;

    /// <summary>The trailing checksum (uint64).</summary>
    public const int ChecksumBytes = 8;

    private readonly byte[] _magic;
    private readonly byte[]? _formerMagic;

    /// <param name="magic">8 ASCII characters, <c>LMTL</c> and four naming the format.</param>
    /// <param name="version">The version this build writes and reads; bump it whenever the layout changes.</param>
    /// <param name="description">What the file is, with its article ("an LmToLlm inverted index").</param>
    /// <param name="remedy">What the user does about a file this build cannot read ("rebuild it with 'lmtollm index'").</param>
    /// <param name="formerMagic">The magic of an earlier layout of the same format, recognised only to be refused as older.</param>
    public BinaryFormat(string magic, int version, string description, string remedy, string? formerMagic = null)
    {
        if (magic.Length != 8 || !Ascii.IsValid(magic)) throw new ArgumentException("the magic is 8 ASCII characters", nameof(magic));
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        _magic = Encoding.ASCII.GetBytes(magic);
        _formerMagic = formerMagic is null ? null : Encoding.ASCII.GetBytes(formerMagic);
        Version = version;
        Description = description;
        Remedy = remedy;
    }

    /// <summary>The first 8 bytes of a file of this format.</summary>
    public ReadOnlySpan<byte> Magic => _magic;

    /// <summary>The format version this build writes and reads.</summary>
    public int Version { get; }

    /// <summary>What the file is, with its article.</summary>
    public string Description { get; }

    /// <summary>What to do about a file this build cannot read.</summary>
    public string Remedy { get; }

    /// <summary>True when <paramref name="head"/> (a file's first bytes) starts like this format, in this or a former layout.</summary>
    public bool Recognizes(ReadOnlySpan<byte> head) =>
        head.StartsWith(_magic) || (_formerMagic is not null && head.StartsWith(_formerMagic));

    /// <summary>Writes the header (magic, version) to <paramref name="destination"/>, which is at least <see cref="HeaderBytes"/> long.</summary>
    public void WriteHeader(Span<byte> destination)
    {
        _magic.CopyTo(destination);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], Version);
    }

    /// <summary>Writes the header to <paramref name="stream"/>.</summary>
    public void WriteHeader(Stream stream)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        WriteHeader(header);
        stream.Write(header);
    }

    /// <summary>
    /// Checks the header at the start of <paramref name="file"/> (at least its first <see cref="HeaderBytes"/>; the
    /// whole length in <paramref name="fileLength"/>): this format's magic, this build's version, room for the trailer.
    /// </summary>
    /// <exception cref="LmToLlmFormatException">Naming <paramref name="path"/>, with what is wrong and what to do.</exception>
    public void ReadHeader(string path, ReadOnlySpan<byte> file, long fileLength)
    {
        if (_formerMagic is not null && file.StartsWith(_formerMagic) && !file.StartsWith(_magic))
            ThrowHelper.Format(path, 0, $"{Description} written by an older version of LmToLlm (an earlier layout; this build reads format version {Version}); {Remedy}");
        if (!file.StartsWith(_magic))
            ThrowHelper.Format(path, 0, $"not {Description} (the file does not start with '{Encoding.ASCII.GetString(_magic)}'); {Remedy}");
        if (file.Length < HeaderBytes)
            ThrowHelper.Format(path, 0, $"the file is truncated ({fileLength} bytes, shorter than its header); {Remedy}");
        int version = BinaryPrimitives.ReadInt32LittleEndian(file[8..]);
        if (version != Version)
            ThrowHelper.Format(path, 0, version < Version
                ? $"{Description} written by an older version of LmToLlm (format version {version}; this build reads version {Version}); {Remedy}"
                : $"{Description} written by a newer version of LmToLlm (format version {version}; this build reads version {Version}); upgrade LmToLlm or {Remedy}");
        if (fileLength < HeaderBytes + ChecksumBytes)
            ThrowHelper.Format(path, 0, $"the file is truncated ({fileLength} bytes, shorter than its header and checksum); {Remedy}");
    }

    /// <summary>Throws unless the last <see cref="ChecksumBytes"/> of a file equal <paramref name="computed"/>, the checksum of all bytes before them.</summary>
    public void MatchChecksum(string path, ulong computed, ReadOnlySpan<byte> trailer)
    {
        if (BinaryPrimitives.ReadUInt64LittleEndian(trailer) != computed)
            ThrowHelper.Format(path, 0, $"checksum mismatch: the file is corrupt or truncated; {Remedy}");
    }

    /// <summary>
    /// Checks the header and the checksum of a whole file held in memory and returns its body (between the header and
    /// the trailer).
    /// </summary>
    /// <exception cref="LmToLlmFormatException">Naming <paramref name="path"/>, with what is wrong and what to do.</exception>
    public ReadOnlySpan<byte> Open(string path, ReadOnlySpan<byte> file)
    {
        ReadHeader(path, file, file.Length);
        int end = file.Length - ChecksumBytes;
        MatchChecksum(path, Checksum.Compute(file[..end]), file[end..]);
        return file[HeaderBytes..end];
    }

    /// <summary>Starts a file: wraps <paramref name="stream"/> in a <see cref="HashingStream"/> and writes the header through it.</summary>
    public HashingStream StartWriting(Stream stream)
    {
        var hashing = new HashingStream(stream);
        WriteHeader(hashing);
        return hashing;
    }

    /// <summary>Recomputes the trailer of a whole file in place (tests build corrupt files whose checksum still matches).</summary>
    public static void Restamp(Span<byte> file)
    {
        if (file.Length < ChecksumBytes) return;
        int end = file.Length - ChecksumBytes;
        BinaryPrimitives.WriteUInt64LittleEndian(file[end..], Checksum.Compute(file[..end]));
    }

    /// <summary>The whole content of <paramref name="stream"/> (from its position), for the readers that parse a file in memory.</summary>
    public static byte[] ReadAll(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
