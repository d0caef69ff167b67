using System.Text;
using LmToLlm.Corpora;

namespace LmToLlm.Tests.Corpora;

public sealed class DelimitedCorpusTests
{
    [Fact]
    public void Reads_csv_with_chosen_columns_and_quoted_fields()
    {
        using var dir = new TempDir();
        string path = dir.Write("docs.csv",
            "doc_id,headline,body,extra\n" +
            "a1,Flow,\"over a plate, slowly\",x\n" +
            "\n" +
            "a2,,\"two\nlines with \"\"quotes\"\"\",y\r\n" +
            "a3,T,plain,z\n");
        var documents = DelimitedCorpus.Read(path, new DelimitedCorpusOptions("doc_id", "body", "headline")).ToList();
        Assert.Equal(
            [new Document("a1", "Flow", "over a plate, slowly"), new Document("a2", "", "two\nlines with \"quotes\""), new Document("a3", "T", "plain")],
            documents);
    }

    [Fact]
    public void Reads_tsv_without_quoting_by_default()
    {
        using var dir = new TempDir();
        string path = dir.Write("collection.tsv", "id\ttext\n1\tsays \"hi\" and 'bye'\n2\t\"quoted\"\n");
        Assert.Equal(["says \"hi\" and 'bye'", "\"quoted\""], DelimitedCorpus.Read(path).Select(d => d.Text));
    }

    [Fact]
    public void Write_then_read_round_trips_csv_tsv_and_gzip()
    {
        using var dir = new TempDir();
        Document[] documents = [new("1", "Title, with comma", "text \"quoted\" 학교"), new("2", "", "second")];
        foreach (string name in new[] { "d.csv", "d.tsv", "d.csv.gz" })
        {
            string path = dir.File(name);
            DelimitedCorpus.Write(path, documents);
            Assert.Equal(documents, DelimitedCorpus.Read(path, new DelimitedCorpusOptions(TitleColumn: "title")));
        }
        Assert.StartsWith("id,title,text\n1,\"Title, with comma\",", File.ReadAllText(dir.File("d.csv")));
    }

    [Fact]
    public void Write_tsv_refuses_a_tab_in_a_field_and_leaves_no_file()
    {
        using var dir = new TempDir();
        Assert.Throws<ArgumentException>(() => DelimitedCorpus.Write(dir.File("d.tsv"), [new Document("1", "", "a\tb")]));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("d.csv", "", 1, "empty file; expected a header row")]
    [InlineData("d.csv", "id,body\n1,x\n", 1, "no column 'text' in the header (columns: 'id', 'body'; delimiter ',')")]
    [InlineData("d.tsv", "id,text\n1,x\n", 1, "no column 'id' in the header (columns: 'id,text'; delimiter TAB)")]
    [InlineData("d.csv", "id,text,id\n", 1, "the header names column 'id' twice")]
    [InlineData("d.csv", "id,text\n1,a\n2,b,c\n", 3, "expected 2 fields as in the header, found 3")]
    [InlineData("d.csv", "id,text\n1,a\n\n2\n", 4, "expected 2 fields as in the header, found 1")]
    [InlineData("d.csv", "id,text\n1,\"multi\nline\"\n2,b,extra\n", 4, "expected 2 fields")]
    [InlineData("d.tsv", "id\ttext\n1\ta\tb\n", 2, "a field may contain a stray delimiter")]
    [InlineData("d.csv", "id,text\n,x\n", 2, "empty id in column 'id'")]
    [InlineData("d.csv", "id,text\n1,ab\"c\"d\n", 2, "bad quoting")]
    public void Malformed_files_name_file_and_line(string name, string content, long line, string problem)
    {
        using var dir = new TempDir();
        string path = dir.Write(name, content);
        var e = Assert.Throws<LmToLlmFormatException>(() => DelimitedCorpus.Read(path).ToList());
        Assert.Equal(path, e.FilePath);
        Assert.Contains(problem, e.Problem);
        Assert.Equal(line, e.LineNumber);
    }

    [Fact]
    public void Invalid_utf8_names_file_and_line()
    {
        using var dir = new TempDir();
        string path = dir.WriteBytes("bad.csv", [.. Encoding.UTF8.GetBytes("id,text\n1,ok\n2,caf"), 0xE9, (byte)'\n']);
        var e = Assert.Throws<LmToLlmFormatException>(() => DelimitedCorpus.Read(path).ToList());
        Assert.Contains("invalid UTF-8 (byte 0xE9 at byte 6 of the line)", e.Problem);
        Assert.Equal((path, 3L), (e.FilePath, e.LineNumber));
    }
}
