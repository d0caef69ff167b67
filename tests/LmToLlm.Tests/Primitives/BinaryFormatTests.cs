using System.Buffers.Binary;
using System.IO.Hashing;
using LmToLlm.Primitives;

namespace LmToLlm.Tests.Primitives;

public sealed class BinaryFormatTests
{
    private static readonly BinaryFormat Format = new("LMTLTEST", 3, "an LmToLlm test file", "write it again", formerMagic: "OLDT");

    private static byte[] Write(ReadOnlySpan<byte> body)
    {
        var file = new MemoryStream();
        var hashing = Format.StartWriting(file);
        hashing.Write(body);
        hashing.WriteChecksum();
        return file.ToArray();
    }

    [Fact]
    public void A_file_is_magic_version_body_and_the_xxhash64_of_all_before_the_trailer()
    {
        byte[] file = Write([1, 2, 3]);
        Assert.Equal("LMTLTEST"u8.ToArray(), file[..8]);
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(8)));
        Assert.Equal([1, 2, 3], file[12..15]);
        Assert.Equal(XxHash64.HashToUInt64(file.AsSpan(0, 15)), BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(15)));
        Assert.Equal([1, 2, 3], Format.Open("t.bin", file).ToArray());
    }

    [Fact]
    public void Incremental_and_one_shot_checksums_agree()
    {
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        var checksum = new Checksum();
        checksum.Append(bytes.AsSpan(0, 3));
        checksum.Append(bytes.AsSpan(3, 500));
        checksum.Append(bytes.AsSpan(503));
        Assert.Equal(Checksum.Compute(bytes), checksum.Value);
    }

    [Fact]
    public void Another_kind_of_file_is_named_as_such()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => Format.Open("t.bin", "LMTLXXXX\0\0\0\0\0\0\0\0\0\0\0\0"u8));
        Assert.Equal("t.bin: not an LmToLlm test file (the file does not start with 'LMTLTEST'); write it again", e.Message);
    }

    [Fact]
    public void An_older_version_says_so_and_what_to_do()
    {
        byte[] file = Write([1]);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(8), 2);
        BinaryFormat.Restamp(file);
        var e = Assert.Throws<LmToLlmFormatException>(() => Format.Open("t.bin", file));
        Assert.Equal("t.bin: an LmToLlm test file written by an older version of LmToLlm (format version 2; this build reads version 3); write it again", e.Message);
    }

    [Fact]
    public void A_former_layout_with_another_magic_is_an_older_version()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => Format.Open("t.bin", "OLDT\u0001\0\0\0"u8));
        Assert.Contains("written by an older version of LmToLlm", e.Message);
        Assert.True(Format.Recognizes("OLDT"u8));
    }

    [Fact]
    public void A_newer_version_asks_for_an_upgrade()
    {
        byte[] file = Write([1]);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(8), 4);
        var e = Assert.Throws<LmToLlmFormatException>(() => Format.Open("t.bin", file));
        Assert.Contains("written by a newer version of LmToLlm (format version 4; this build reads version 3); upgrade LmToLlm or write it again", e.Message);
    }

    [Fact]
    public void Truncation_and_flipped_bits_are_checksum_mismatches()
    {
        byte[] file = Write([1, 2, 3, 4]);
        Assert.Contains("truncated", Assert.Throws<LmToLlmFormatException>(() => Format.Open("t.bin", file.AsSpan(0, 14))).Message);
        file[13] ^= 1;
        Assert.Contains("checksum mismatch", Assert.Throws<LmToLlmFormatException>(() => Format.Open("t.bin", file)).Message);
    }
}
