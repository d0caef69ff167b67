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
        var index = InvertedIndex.Build(TestCorpora.Random(new Random(3), 300, 80, 25), Analyzer.Simple, new InvertedIndexOptions(1, 2));
        string path = Path.Combine(_dir, "x.lmi");
        index.Save(path);
        return path;
    }

    [Fact]
    public void Round_trip_keeps_everything()
    {
        var index = InvertedIndex.Build(TestCorpora.Random(new Random(3), 300, 80, 25).Append(new Document("é-ü", "", "naïve 학교")), Analyzer.Simple, new InvertedIndexOptions(1, 2));
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
        Assert.Matches("truncated|corrupt|not an LmToLlm index", e.Message);
    }

    [Fact]
    public void Foreign_file_is_reported()
    {
        string path = Path.Combine(_dir, "corpus.jsonl");
        File.WriteAllText(path, "{\"_id\": \"1\", \"text\": \"hello\"}\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => InvertedIndex.Load(path));
        Assert.Contains("not an LmToLlm index", e.Message);
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

    [Fact]
    public void Empty_corpus_is_refused()
    {
        var e = Assert.Throws<LmToLlmException>(() => InvertedIndex.Build([], Analyzer.Simple));
        Assert.Contains("no documents", e.Message);
    }
}
