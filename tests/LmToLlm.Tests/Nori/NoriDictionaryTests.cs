using System.IO.Compression;
using LmToLlm.Nori;

namespace LmToLlm.Tests.Nori;

public sealed class NoriDictionaryTests
{
    private static readonly string Embedded = Path.Combine(SharedData.RepositoryRoot, "src", "LmToLlm.Nori", "Dictionary", "nori-dictionary.bin.gz");

    [Fact]
    public void Embedded_dictionary_has_the_converted_counts()
    {
        var d = NoriDictionary.Default;
        Assert.Equal(774_580, d.SurfaceFormCount);
        Assert.Equal(811_757, d.EntryCount);
        Assert.Contains("8.8.1", d.Source);
    }

    [Fact]
    public void A_damaged_payload_fails_the_checksum()
    {
        byte[] raw = Decompress(File.ReadAllBytes(Embedded));
        raw[raw.Length / 2] ^= 0x40;
        var e = Assert.Throws<LmToLlmFormatException>(() => LoadBytes(Compress(raw)));
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void A_foreign_file_is_refused_by_its_magic()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => LoadBytes(Compress("#lmtollm-vocabulary\nnot a dictionary\n"u8.ToArray())));
        Assert.Contains("not an LmToLlm Korean dictionary (the file does not start with 'LMTLNORI')", e.Message);
    }

    [Fact]
    public void A_plain_file_is_not_gzip()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => LoadBytes("hello"u8.ToArray()));
        Assert.Contains("gzip", e.Message);
    }

    [Fact]
    public void A_truncated_file_says_so()
    {
        byte[] raw = Decompress(File.ReadAllBytes(Embedded));
        var e = Assert.Throws<LmToLlmFormatException>(() => LoadBytes(Compress(raw[..1000])));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void A_newer_format_version_is_named()
    {
        byte[] header = [.. "LMTLNORI"u8, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var e = Assert.Throws<LmToLlmFormatException>(() => LoadBytes(Compress(header)));
        Assert.Contains("version 2", e.Message);
    }

    private static NoriDictionary LoadBytes(byte[] file)
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "dictionary.bin.gz");
        File.WriteAllBytes(path, file);
        return NoriDictionary.Load(path);
    }

    private static byte[] Decompress(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Compress(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(raw);
        return output.ToArray();
    }
}
