using LmToLlm.Corpora;

namespace LmToLlm.Tests.Corpora;

public sealed class DocumentSourceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Detects_each_layout_from_the_content_not_the_name()
    {
        string jsonl = _dir.Write("a.txt", "\n{\"_id\":\"d1\",\"title\":\"T\",\"text\":\"x\"}\n");
        string tsv = _dir.Write("b.dat", "id\ttext\nd1\tx\n");
        string csv = _dir.Write("c.dat", "\"id\",\"text\"\nd1,x\n");
        string text = _dir.Write("d.dat", "id text\n{ not json\n");
        Directory.CreateDirectory(_dir.File("folder"));
        Assert.Equal(DocumentFormat.Jsonl, DocumentSource.Detect(jsonl));
        Assert.Equal(DocumentFormat.Tsv, DocumentSource.Detect(tsv));
        Assert.Equal(DocumentFormat.Csv, DocumentSource.Detect(csv));
        Assert.Equal(DocumentFormat.Text, DocumentSource.Detect(text));
        Assert.Equal(DocumentFormat.Folder, DocumentSource.Detect(_dir.File("folder")));
        Assert.Equal(DocumentFormat.Csv, DocumentSource.Detect(_dir.Write("e.dat", "doc,body\n1,x\n"), new DelimitedCorpusOptions("doc", "body")));
    }

    [Fact]
    public void A_jsonl_whose_first_line_is_long_is_recognised()
    {
        string longText = string.Join(' ', Enumerable.Repeat("word", 20_000));
        string path = _dir.Write("long.txt", $"{{\"_id\":\"d1\",\"text\":\"{longText}\"}}\n");
        Assert.Equal(DocumentFormat.Jsonl, DocumentSource.Detect(path));
    }

    [Fact]
    public void Plain_text_ids_are_line_numbers_and_blank_lines_are_documents()
    {
        var docs = DocumentSource.Open(_dir.Write("p.txt", "first\n\nthird\r\n")).ReadDocuments().ToList();
        Assert.Equal(["1", "2", "3"], docs.Select(d => d.Id));
        Assert.Equal(["first", "", "third"], docs.Select(d => d.Text));
    }

    [Fact]
    public void Csv_columns_are_chosen_by_name_with_an_optional_title()
    {
        string path = _dir.Write("docs.csv", "body,key,head\n\"a, b\",k1,H\nc,k2,\n");
        var docs = DocumentSource.Open(path, null, new DelimitedCorpusOptions("key", "body", "head")).ReadDocuments().ToList();
        Assert.Equal([new Document("k1", "H", "a, b"), new Document("k2", "", "c")], docs);
    }

    [Fact]
    public void A_folder_gives_one_document_per_file_with_relative_path_ids_skipping_dot_files()
    {
        string folder = _dir.File("docs");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        Directory.CreateDirectory(Path.Combine(folder, ".git"));
        File.WriteAllText(Path.Combine(folder, "b.txt"), "line one\r\nline two\n");
        File.WriteAllText(Path.Combine(folder, "sub", "a.md"), "inner");
        File.WriteAllText(Path.Combine(folder, ".hidden"), "skip");
        File.WriteAllText(Path.Combine(folder, ".git", "HEAD"), "skip");
        var docs = DocumentSource.Open(folder).ReadDocuments().ToList();
        Assert.Equal([new Document("b.txt", "", "line one\nline two"), new Document("sub/a.md", "", "inner")], docs);
    }

    [Fact]
    public void Queries_come_from_any_layout()
    {
        Assert.Equal([new Query("1", "cat"), new Query("2", "dog park")], DocumentSource.Open(_dir.Write("q.txt", "cat\ndog park\n")).ReadQueries());
        Assert.Equal([new Query("q1", "cat")], DocumentSource.Open(_dir.Write("q.jsonl", "{\"_id\":\"q1\",\"text\":\"cat\"}\n")).ReadQueries());
        Assert.Equal([new Query("q9", "cat")], DocumentSource.Open(_dir.Write("q.tsv", "id\ttext\nq9\tcat\n")).ReadQueries());
    }

    [Theory]
    [InlineData("bad.jsonl", "{\"_id\":\"d1\",\"text\":\"x\"}\n{\"_id\":\"d2\"}\n", 2, "missing \"text\"")]
    [InlineData("bad.txt", "fine\nalso fine\n\u00ff", 3, "UTF-8")]
    [InlineData("bad.csv", "id,text\nd1,x\nd2,y,z\n", 3, "expected 2 fields")]
    [InlineData("bad.tsv", "id\tbody\nd1\tx\n", 1, "no column 'text'")]
    public void Malformed_input_names_the_file_and_line(string name, string content, long line, string problem)
    {
        string path = name == "bad.txt" ? _dir.WriteBytes(name, System.Text.Encoding.Latin1.GetBytes(content)) : _dir.Write(name, content);
        var e = Assert.Throws<LmToLlmFormatException>(() => DocumentSource.Open(path).ReadDocuments().ToList());
        Assert.Equal(line, e.LineNumber);
        Assert.StartsWith($"{path}:{line}: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_folder_with_a_file_that_is_not_text_names_that_file_and_line()
    {
        string folder = _dir.File("docs");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "a.txt"), "fine");
        File.WriteAllBytes(Path.Combine(folder, "b.bin"), [(byte)'o', (byte)'k', (byte)'\n', 0xC3, 0x28, 0xFF]);
        var e = Assert.Throws<LmToLlmFormatException>(() => DocumentSource.Open(folder).ReadDocuments().ToList());
        Assert.StartsWith($"{Path.Combine(folder, "b.bin")}:2: ", e.Message);
    }

    [Fact]
    public void A_folder_given_as_a_file_layout_and_a_missing_path_get_their_own_messages()
    {
        Directory.CreateDirectory(_dir.File("docs"));
        var folder = Assert.Throws<LmToLlmException>(() => DocumentSource.Open(_dir.File("docs"), DocumentFormat.Text));
        Assert.Contains("is a folder", folder.Message);
        Assert.Contains("--format folder", folder.Message);
        var missing = Assert.Throws<FileNotFoundException>(() => DocumentSource.Open(_dir.File("nope.txt")));
        Assert.Contains("not found", missing.Message);
    }

    [Fact]
    public void Kept_records_are_copied_as_stored_in_every_layout()
    {
        string csv = _dir.Write("in.csv", "id,text,extra\r\nd1,\"a\nb\",x\r\nd2,c,y\r\nd3,\"q \"\"x\"\"\",z\r\n");
        Assert.Equal(2, DocumentSource.Open(csv).WriteKept(_dir.File("out.csv"), i => i != 1));
        Assert.Equal("id,text,extra\nd1,\"a\nb\",x\nd3,\"q \"\"x\"\"\",z\n", File.ReadAllText(_dir.File("out.csv")));

        string jsonl = _dir.Write("in.jsonl", "{\"_id\":\"d1\", \"text\":\"a\"}\n\n{\"_id\":\"d2\",\"text\":\"b\"}\n");
        Assert.Equal(1, DocumentSource.Open(jsonl).WriteKept(_dir.File("out.jsonl"), i => i == 1));
        Assert.Equal("{\"_id\":\"d2\",\"text\":\"b\"}\n", File.ReadAllText(_dir.File("out.jsonl")));

        string folder = _dir.File("docs");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        File.WriteAllText(Path.Combine(folder, "a.txt"), "A");
        File.WriteAllText(Path.Combine(folder, "sub", "b.txt"), "B");
        Assert.Equal(1, DocumentSource.Open(folder).WriteKept(_dir.File("kept"), i => i == 1));
        Assert.Equal(["sub/b.txt"], FolderCorpus.Files(_dir.File("kept")));
        Assert.Throws<ArgumentException>(() => DocumentSource.Open(folder).WriteKept(Path.Combine(folder, "inner"), _ => true));
    }
}
