using LmToLlm.Data;

namespace LmToLlm.Tests.Data;

public sealed class CorpusDocumentsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-corpus-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Plain_text_lines_with_bom_crlf_blank_lines_long_lines_and_no_final_newline()
    {
        string path = Path.Combine(_dir, "c.txt");
        string longLine = new('x', 200_000);
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "first\r\n\r\nthird é\n"u8, .. System.Text.Encoding.UTF8.GetBytes(longLine), .. "\nlast"u8]);
        var docs = CorpusDocuments.Read(path).ToList();
        Assert.Equal(["first", "", "third é", longLine, "last"], docs.Select(d => d.Text));
        Assert.Equal([1L, 2, 3, 4, 5], docs.Select(d => d.Line));
    }

    [Fact]
    public void Invalid_utf8_is_reported_at_its_own_line()
    {
        string path = Path.Combine(_dir, "bad.txt");
        File.WriteAllBytes(path, [.. string.Concat(Enumerable.Repeat("a fine line of text\n", 5000)).Select(c => (byte)c), 0xFF, (byte)'\n']);
        var e = Assert.Throws<LmToLlmFormatException>(() => CorpusDocuments.Read(path).Count());
        Assert.Equal(5001, e.LineNumber);
    }

    [Fact]
    public void Json_lines_use_title_and_text_and_keep_the_raw_line()
    {
        string path = Path.Combine(_dir, "c.jsonl");
        File.WriteAllText(path, "{\"_id\":\"1\",\"title\":\"T\",\"text\":\"body\"}\n\n{\"_id\":\"2\",\"text\":\"only\"}\n[1]\n");
        using var e = CorpusDocuments.Read(path).GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal(new CorpusDocument(1, "{\"_id\":\"1\",\"title\":\"T\",\"text\":\"body\"}", "T body"), e.Current);
        Assert.True(e.MoveNext());
        Assert.Equal("only", e.Current.Text);
        Assert.Equal(3, e.Current.Line);
        var error = Assert.Throws<LmToLlmFormatException>(() => e.MoveNext());
        Assert.Equal(4, error.LineNumber);
    }
}
