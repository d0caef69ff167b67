using System.Text;
using LmToLlm.Corpora;

namespace LmToLlm.Tests.Corpora;

public sealed class TextLinesTests
{
    [Fact]
    public void Skips_bom_strips_cr_and_keeps_a_last_line_without_newline()
    {
        using var dir = new TempDir();
        string path = dir.WriteBytes("t.txt", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("a\r\nb\n\nc")]);
        Assert.Equal([(1L, "a"), (2L, "b"), (3L, ""), (4L, "c")], TextLines.Read(path));
    }

    [Fact]
    public void Reads_lines_longer_than_the_buffer()
    {
        using var dir = new TempDir();
        string longLine = new('x', 300_000);
        string path = dir.Write("long.txt", "short\n" + longLine + "\n학교\n");
        Assert.Equal(["short", longLine, "학교"], TextLines.Read(path).Select(l => l.Text));
    }

    [Fact]
    public void Multibyte_characters_across_buffer_boundaries_decode()
    {
        using var dir = new TempDir();
        var lines = Enumerable.Range(0, 20_000).Select(i => $"{i} 학교에서 😀 naïve").ToList();
        string path = dir.Write("u.txt", string.Join("\n", lines) + "\n");
        Assert.Equal(lines, TextLines.Read(path).Select(l => l.Text));
    }

    [Fact]
    public void Invalid_utf8_far_into_the_file_names_the_right_line()
    {
        using var dir = new TempDir();
        var text = new StringBuilder();
        for (int i = 0; i < 10_000; i++) text.Append("line ").Append(i).Append('\n');
        string path = dir.WriteBytes("bad.txt", [.. Encoding.UTF8.GetBytes(text.ToString()), (byte)'o', (byte)'k', 0xC3, (byte)'(', (byte)'\n']);
        var e = Assert.Throws<LmToLlmFormatException>(() => TextLines.Read(path).ToList());
        Assert.Equal((path, 10_001L), (e.FilePath, e.LineNumber));
        Assert.Equal("invalid UTF-8 (byte 0xC3 at byte 3 of the line); re-encode the file as UTF-8", e.Problem);
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TextLines.Read("nope/missing.txt").ToList());
        Assert.Equal("nope/missing.txt: file not found", e.Message);
    }
}
