using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using LmToLlm.SuffixArrays;

namespace LmToLlm.Tests.SuffixArrays;

/// <summary>Byte mode against libdivsufsort 2.0.1 (Debian libdivsufsort-dev): the same suffix array of the w2v corpus.</summary>
public sealed class DivsufsortTests
{
    /// <summary>
    /// SHA-256 of the int32 little-endian array that <c>divsufsort(text, sa, n)</c> returns for the decompressed
    /// <c>w2v-corpus/corpus.txt.gz</c> (42,324,461 bytes), recorded from a small C driver run beside the repository.
    /// </summary>
    private const string DivsufsortSha256 = "3c35f0783c232bbb9f1c7f1185746dc3ad481fd87701de72060dd722c0b2c163";

    [SharedFact("data/w2v-corpus/corpus.txt.gz")]
    public void Suffix_array_of_the_w2v_corpus_equals_divsufsort()
    {
        string corpus = SharedData.File("data", "w2v-corpus", "corpus.txt.gz");
        byte[] text;
        using (var gz = new GZipStream(File.OpenRead(corpus), CompressionMode.Decompress))
        using (var copy = new MemoryStream())
        {
            gz.CopyTo(copy);
            text = copy.ToArray();
        }
        Assert.Equal(42_324_461, text.Length);
        int[] sa = SuffixSorter.Sort(text);
        Assert.Equal(DivsufsortSha256, Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(sa.AsSpan()))));
        foreach (int threads in new[] { 2, 3 })   // ranges only; ranges and threaded scans
        {
            SuffixSorter.Sort<byte>(text, sa, 256, threads, SuffixSorter.DefaultBlockSize);
            Assert.Equal(DivsufsortSha256, Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(sa.AsSpan()))));
        }
    }
}
