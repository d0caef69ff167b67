using LmToLlm.Subwords;

namespace LmToLlm.Tests.Subwords;

/// <summary>Streamed lines are the lines of the whole text split at once, whatever the line lengths.</summary>
public sealed class TrainingTextSplitTests
{
    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a\n")]
    [InlineData("a\n\nb\r\nlast")]
    [InlineData("\n\n")]
    public void Streamed_split_equals_the_split_of_the_whole_text(string text)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        Assert.Equal(TrainingText.SplitLines(bytes), TrainingText.SplitLines(new MemoryStream(bytes)));
    }

    [Fact]
    public void Lines_longer_than_the_read_buffer_and_lines_across_its_edges_come_out_whole()
    {
        var random = new Random(5);
        var text = new List<byte>();
        foreach (int length in new[] { 65_535, 1, 200_000, 0, 65_536, 7, 131_071 })
        {
            text.AddRange(Enumerable.Range(0, length).Select(_ => (byte)random.Next('a', 'z' + 1)));
            text.Add((byte)'\n');
        }
        text.AddRange("no newline at the end"u8.ToArray());
        byte[] bytes = [.. text];
        Assert.Equal(TrainingText.SplitLines(bytes), TrainingText.SplitLines(new MemoryStream(bytes)));
    }
}
