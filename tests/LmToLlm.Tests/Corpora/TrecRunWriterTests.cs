using System.Globalization;
using LmToLlm.Corpora;

namespace LmToLlm.Tests.Corpora;

public sealed class TrecRunWriterTests
{
    [Fact]
    public void Writes_ranked_lines_with_round_trip_scores()
    {
        string path = Path.Combine(Path.GetTempPath(), $"run-{Guid.NewGuid():N}.run");
        try
        {
            double third = 1.0 / 3.0;
            TrecRunWriter.Write(path, [new RunQuery("1", [new("d7", third), new("d2", 0.25)]), new RunQuery("2", []), new RunQuery("3", [new("d1", 23.890179f)])], "tag");
            var lines = File.ReadAllLines(path);
            Assert.Equal(["1 Q0 d7 1 0.3333333333333333 tag", "1 Q0 d2 2 0.25 tag", "3 Q0 d1 1 23.890178680419922 tag"], lines);
            Assert.Equal(third, double.Parse(lines[0].Split(' ')[4], CultureInfo.InvariantCulture));
            TrecRunWriter.Write(path, [new RunQuery("3", [new("d1", 23.890179f)])], "bm25", singlePrecision: true);
            Assert.Equal("3 Q0 d1 1 23.890179 bm25\n", File.ReadAllText(path));
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("a tag")]
    [InlineData("")]
    public void Rejects_white_space_in_fields(string tag) =>
        Assert.Throws<ArgumentException>(() => TrecRunWriter.Write(TextWriter.Null, [new RunQuery("1", [new("d", 1)])], tag));

    [Fact]
    public void Failed_write_leaves_no_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"run-{Guid.NewGuid():N}.run");
        Assert.Throws<ArgumentException>(() => TrecRunWriter.Write(path, [new RunQuery("1", [new("ok", 1), new("bad id", 1)])], "t"));
        Assert.False(File.Exists(path));
    }
}
