using System.Text;
using LmToLlm.Corpora;

namespace LmToLlm.Tests.Corpora;

public sealed class PlainTextCorpusTests
{
    [Fact]
    public void Each_line_is_a_document_with_its_line_number_as_id()
    {
        using var dir = new TempDir();
        string path = dir.Write("sentences.txt", "first line\r\n\nthird 학교\n   \nfifth");
        Assert.Equal(
            [new Document("1", "", "first line"), new Document("2", "", ""), new Document("3", "", "third 학교"), new Document("4", "", "   "), new Document("5", "", "fifth")],
            PlainTextCorpus.Read(path));
        Assert.Equal(["1", "3", "5"], PlainTextCorpus.Read(path, skipBlankLines: true).Select(d => d.Id));
    }

    [Fact]
    public void Empty_file_has_no_documents()
    {
        using var dir = new TempDir();
        Assert.Empty(PlainTextCorpus.Read(dir.Write("empty.txt", "")));
    }

    [Fact]
    public void Write_round_trips_plain_and_gzip()
    {
        using var dir = new TempDir();
        foreach (string name in new[] { "out.txt", "out.txt.gz" })
        {
            string path = dir.File(name);
            PlainTextCorpus.Write(path, ["a b", "", "학교"]);
            Assert.Equal(["a b", "", "학교"], PlainTextCorpus.Read(path).Select(d => d.Text));
        }
    }

    [Fact]
    public void Write_refuses_line_breaks_and_leaves_no_file()
    {
        using var dir = new TempDir();
        string path = dir.File("out.txt");
        Assert.Throws<ArgumentException>(() => PlainTextCorpus.Write(path, ["ok", "two\nlines"]));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Invalid_utf8_names_file_and_line()
    {
        using var dir = new TempDir();
        string path = dir.WriteBytes("bad.txt", [.. Encoding.UTF8.GetBytes("ok\nok\nbad "), 0xFF, 0xFE, (byte)'\n']);
        var e = Assert.Throws<LmToLlmFormatException>(() => PlainTextCorpus.Read(path).ToList());
        Assert.Equal((path, 3L), (e.FilePath, e.LineNumber));
        Assert.Contains("invalid UTF-8", e.Message);
    }

    [Fact]
    public void Truncated_gzip_is_an_error()
    {
        using var dir = new TempDir();
        string path = dir.File("t.txt.gz");
        PlainTextCorpus.Write(path, Enumerable.Range(0, 2000).Select(i => $"sentence {i}"));
        byte[] bytes = File.ReadAllBytes(path);
        dir.WriteBytes("t.txt.gz", bytes[..^4]);
        var e = Assert.Throws<LmToLlmFormatException>(() => PlainTextCorpus.Read(path).ToList());
        Assert.Contains("truncated", e.Problem);
    }
}
