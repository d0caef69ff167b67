using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval;

public sealed class InvertedIndexFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-index-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SavedIndex()
    {
        var index = InvertedIndex.Build(TestCorpora.Random(new Random(3), 300, 80, 25), Analyzer.Simple, new InvertedIndexOptions { MinNGram = 1, MaxNGram = 2 });
        string path = Path.Combine(_dir, "x.lmi");
        index.Save(path);
        return path;
    }

    [Fact]
    public void Round_trip_keeps_everything()
    {
        var index = InvertedIndex.Build(TestCorpora.Random(new Random(3), 300, 80, 25).Append(new Document("é-ü", "", "naïve 학교")), Analyzer.Simple, new InvertedIndexOptions { MinNGram = 1, MaxNGram = 2 });
        string path = Path.Combine(_dir, "x.lmi");
        index.Save(path);
        var loaded = InvertedIndex.Load(path);
        Assert.Equal(index.AnalyzerName, loaded.AnalyzerName);
        Assert.Equal(index.Options, loaded.Options);
        Assert.Equal(index.Terms, loaded.Terms);
        Assert.Equal(index.DocumentIds, loaded.DocumentIds);
        Assert.Equal(index.DocumentLengths.ToArray(), loaded.DocumentLengths.ToArray());
        Assert.Equal(index.PostingDocsArray, loaded.PostingDocsArray);
        Assert.Equal(index.PostingFreqsArray, loaded.PostingFreqsArray);
        Assert.Equal(index.TotalTokens, loaded.TotalTokens);
        Assert.Equal(Bm25.Lucene(index).Search("w1 w2 w3", 5), Bm25.Lucene(loaded).Search("w1 w2 w3", 5));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Flipped_byte_is_reported_as_corrupt()
    {
        string path = SavedIndex();
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<LmToLlmFormatException>(() => InvertedIndex.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("corrupt", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(100)]
    [InlineData(-1)]
    public void Truncated_file_is_reported(int keep)
    {
        string path = SavedIndex();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(keep >= 0 ? keep : bytes.Length - 1)]);
        var e = Assert.Throws<LmToLlmFormatException>(() => InvertedIndex.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Matches("truncated|corrupt|not an LmToLlm inverted index", e.Message);
    }

    [Fact]
    public void Foreign_file_is_reported()
    {
        string path = Path.Combine(_dir, "corpus.jsonl");
        File.WriteAllText(path, "{\"_id\": \"1\", \"text\": \"hello\"}\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => InvertedIndex.Load(path));
        Assert.Contains("not an LmToLlm inverted index", e.Message);
    }

    [Fact]
    public void Other_format_version_is_reported()
    {
        string path = SavedIndex();
        var bytes = File.ReadAllBytes(path);
        bytes[8] = 99;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<LmToLlmFormatException>(() => InvertedIndex.Load(path));
        Assert.Contains("version 99", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Older_format_versions_are_refused_with_advice(int version)
    {
        string path = SavedIndex();
        var bytes = File.ReadAllBytes(path);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), version);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<LmToLlmFormatException>(() => InvertedIndex.Load(path));
        Assert.Equal($"{path}: an LmToLlm inverted index written by an older version of LmToLlm (format version {version}; this build reads version 3); rebuild it with 'lmtollm index'", e.Message);
    }

    /// <summary>Rewrites the checksum so that the loader's structural checks, not the checksum, must catch the damage.</summary>
    private static void Reseal(byte[] bytes)
    {
        LmToLlm.Primitives.BinaryFormat.Restamp(bytes);
    }

    [Theory]
    [InlineData(0)]   // document count
    [InlineData(1)]   // term count
    [InlineData(3)]   // posting data bytes
    public void Header_sizes_beyond_the_file_are_refused_before_allocating(int field)
    {
        string path = SavedIndex();
        var bytes = File.ReadAllBytes(path);
        int counts = 8 + 4 + 4 + "simple".Length + 4 + 4;   // magic, version, analyzer, n-gram range (unchanged by version 3)
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(counts + 4 * field), int.MaxValue / 4);
        Reseal(bytes);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<LmToLlmFormatException>(() => InvertedIndex.Load(path));
        Assert.Contains("declares more data than the file holds", e.Message);
    }

    [Fact]
    public void Damaged_posting_blocks_with_a_valid_checksum_are_reported_not_crashed()
    {
        string path = SavedIndex();
        var original = File.ReadAllBytes(path);
        var random = new Random(5);
        int reported = 0;
        for (int c = 0; c < 150; c++)
        {
            var bytes = original.ToArray();
            int flips = random.Next(1, 4);
            // The posting blocks are the last section before the checksum; damage them (and sometimes the offsets before).
            for (int f = 0; f < flips; f++) bytes[bytes.Length - 9 - random.Next(Math.Min(4000, bytes.Length - 60))] ^= (byte)(1 << random.Next(8));
            Reseal(bytes);
            File.WriteAllBytes(path, bytes);
            try
            {
                var index = InvertedIndex.Load(path);
                Bm25.Lucene(index).Search("w1 w2 w3 w4", 10);   // a load that succeeds must give a usable index
            }
            catch (LmToLlmFormatException e)
            {
                Assert.Contains("corrupt", e.Message);
                reported++;
            }
        }
        Assert.True(reported > 75, $"only {reported} of 150 damaged files were reported");
    }

    [Fact]
    public void Empty_corpus_is_refused()
    {
        var e = Assert.Throws<LmToLlmException>(() => InvertedIndex.Build([], Analyzer.Simple));
        Assert.Contains("no documents", e.Message);
    }
}
