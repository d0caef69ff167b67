using System.IO.Compression;
using System.Text;
using LmToLlm.Corpora;

namespace LmToLlm.Tests.Corpora;

public sealed class BeirJsonlTests
{
    [Fact]
    public void Reads_corpus_and_queries_with_the_title_rule()
    {
        using var dir = new TempDir();
        string corpus = dir.Write("corpus.jsonl",
            "{\"_id\": \"d1\", \"title\": \"Flow\", \"text\": \"over a plate\"}\n\n" +
            "{\"_id\": \"d2\", \"title\": \"\", \"text\": \"no title\"}\r\n" +
            "{\"_id\": 3, \"text\": \"numeric id, title missing\", \"extra\": [1]}\n");
        var documents = BeirJsonl.ReadCorpus(corpus).ToList();
        Assert.Equal(["d1", "d2", "3"], documents.Select(d => d.Id));
        Assert.Equal(["Flow over a plate", "no title", "numeric id, title missing"], documents.Select(d => d.FullText));

        string queries = dir.Write("queries.jsonl", "{\"_id\": \"q1\", \"text\": \"what flow?\"}\n");
        Assert.Equal([new Query("q1", "what flow?")], BeirJsonl.ReadQueries(queries));
    }

    [Fact]
    public void Write_then_read_round_trips()
    {
        using var dir = new TempDir();
        string path = dir.File("c.jsonl");
        Document[] documents = [new("1", "Tí\"tle", "line\nbreak 학교"), new("2", "", "plain")];
        BeirJsonl.WriteCorpus(path, documents);
        Assert.Equal(documents, BeirJsonl.ReadCorpus(path));
        string queries = dir.File("q.jsonl");
        BeirJsonl.WriteQueries(queries, [new Query("7", "x y")]);
        Assert.Equal([new Query("7", "x y")], BeirJsonl.ReadQueries(queries));

        string gz = dir.File("c.jsonl.gz");
        BeirJsonl.WriteCorpus(gz, documents);
        Assert.Equal([0x1F, 0x8B], File.ReadAllBytes(gz)[..2]);
        Assert.Equal(documents, BeirJsonl.ReadCorpus(gz));
        string queriesGz = dir.File("q.jsonl.gz");
        BeirJsonl.WriteQueries(queriesGz, [new Query("7", "x y")]);
        Assert.Equal([new Query("7", "x y")], BeirJsonl.ReadQueries(queriesGz));
    }

    [Fact]
    public void A_writer_that_fails_midway_leaves_the_old_file_untouched()
    {
        using var dir = new TempDir();
        string path = dir.Write("c.jsonl", "old\n");
        static IEnumerable<Document> Failing()
        {
            yield return new Document("1", "", "written");
            throw new InvalidOperationException("source failed");
        }
        Assert.Throws<InvalidOperationException>(() => BeirJsonl.WriteCorpus(path, Failing()));
        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [SharedFact("data/cranfield/beir/corpus.jsonl", "data/cranfield/beir/queries.jsonl")]
    public void Reads_the_cranfield_collection()
    {
        var documents = BeirJsonl.ReadCorpus(SharedData.File("data", "cranfield", "beir", "corpus.jsonl")).ToList();
        Assert.Equal(1400, documents.Count);
        Assert.Equal(Enumerable.Range(1, 1400).Select(i => i.ToString()), documents.Select(d => d.Id));
        Assert.Equal(225, BeirJsonl.ReadQueries(SharedData.File("data", "cranfield", "beir", "queries.jsonl")).Count());
    }

    [Theory]
    [InlineData("{\"_id\": \"1\", \"text\": \"ok\"}\n{\"_id\": \"2\", \"text\": \"unterminated}\n", 2, "invalid JSON")]
    [InlineData("{\"_id\": \"1\", \"text\": \"ok\"}\n[1, 2]\n", 2, "expected a JSON object per line")]
    [InlineData("{\"text\": \"no id\"}\n", 1, "missing \"_id\"")]
    [InlineData("{\"_id\": \"1\"}\n", 1, "missing \"text\"")]
    [InlineData("{\"_id\": \"1\", \"text\": 42}\n", 1, "\"text\" must be a string")]
    [InlineData("{\"_id\": \"1\", \"text\": null}\n", 1, "\"text\" must be a string")]
    [InlineData("{\"_id\": true, \"text\": \"x\"}\n", 1, "\"_id\" must be a string")]
    [InlineData("{\"_id\": \"1\", \"title\": [\"t\"], \"text\": \"x\"}\n", 1, "\"title\" must be a string")]
    public void Malformed_corpus_lines_name_file_and_line(string content, long line, string problem)
    {
        using var dir = new TempDir();
        string path = dir.Write("bad.jsonl", content);
        var e = Assert.Throws<LmToLlmFormatException>(() => BeirJsonl.ReadCorpus(path).ToList());
        Assert.Equal((path, line), (e.FilePath, e.LineNumber));
        Assert.Contains(problem, e.Problem);
        Assert.StartsWith($"{path}:{line}: ", e.Message);
    }

    [Fact]
    public void Malformed_query_line_names_file_and_line()
    {
        using var dir = new TempDir();
        string path = dir.Write("q.jsonl", "{\"_id\": \"1\", \"text\": \"ok\"}\n{\"_id\": \"2\"}\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => BeirJsonl.ReadQueries(path).ToList());
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("missing \"text\"", e.Problem);
    }

    [Fact]
    public void Invalid_utf8_names_the_line()
    {
        using var dir = new TempDir();
        byte[] bytes = [.. Encoding.UTF8.GetBytes("{\"_id\": \"1\", \"text\": \"ok\"}\n{\"_id\": \"2\", \"text\": \"caf"), 0xE9, .. Encoding.UTF8.GetBytes("\"}\n")];
        string path = dir.WriteBytes("latin1.jsonl", bytes);
        var e = Assert.Throws<LmToLlmFormatException>(() => BeirJsonl.ReadCorpus(path).ToList());
        Assert.Equal(2, e.LineNumber);
        Assert.Equal("invalid UTF-8 (byte 0xE9 at byte 26 of the line); re-encode the file as UTF-8", e.Problem);
    }

    [Fact]
    public void Gzip_files_read_transparently_and_truncation_is_an_error()
    {
        using var dir = new TempDir();
        var lines = Enumerable.Range(1, 5000).Select(i => $"{{\"_id\": \"{i}\", \"text\": \"document number {i} of the test\"}}");
        string good = dir.File("corpus.jsonl.gz");
        AtomicFile.WriteText(good, w => { foreach (var l in lines) w.Write(l + "\n"); });
        Assert.Equal(5000, BeirJsonl.ReadCorpus(good).Count());

        byte[] all = File.ReadAllBytes(good);
        foreach (int cut in new[] { all.Length - 1, all.Length - 8, all.Length / 2, 12, 3 })
        {
            string truncated = dir.WriteBytes($"cut{cut}.jsonl.gz", all[..cut]);
            var e = Assert.Throws<LmToLlmFormatException>(() => BeirJsonl.ReadCorpus(truncated).ToList());
            Assert.Equal(truncated, e.FilePath);
            Assert.True(e.LineNumber >= 1, e.Message);
            Assert.Contains("truncated", e.Problem);
        }
    }

    [Fact]
    public void Corrupt_gzip_is_an_error()
    {
        using var dir = new TempDir();
        string path = dir.File("c.jsonl.gz");
        AtomicFile.WriteText(path, w => w.Write("{\"_id\": \"1\", \"text\": \"x\"}\n"));
        byte[] bytes = File.ReadAllBytes(path);
        bytes[12] ^= 0xFF; // inside the deflate data
        dir.WriteBytes("c.jsonl.gz", bytes);
        var e = Assert.Throws<LmToLlmFormatException>(() => BeirJsonl.ReadCorpus(path).ToList());
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void Missing_file_is_reported_by_name()
    {
        var e = Assert.Throws<FileNotFoundException>(() => BeirJsonl.ReadCorpus("no/such/corpus.jsonl").ToList());
        Assert.Contains("no/such/corpus.jsonl", e.Message);
    }
}
