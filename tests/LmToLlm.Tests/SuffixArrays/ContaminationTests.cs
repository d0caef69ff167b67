using LmToLlm.SuffixArrays;

namespace LmToLlm.Tests.SuffixArrays;

public sealed class ContaminationTests
{
    [Fact]
    public void Finds_planted_examples_and_their_longest_spans()
    {
        using var dir = new TempDir();
        string text = dir.Write("train.txt", "a b c d e f\ng h i\nc d e f g\n");
        SuffixArrayBuilder.Build(text, dir.File("i.sa"));
        using var index = SuffixArrayIndex.Open(dir.File("i.sa"));
        var results = Contamination.Check(index, [("1", "x c d e f g y"), ("2", "g h i"), ("3", "z z z z"), ("4", "")], n: 3).ToList();
        // 1: trigrams x c d, c d e, d e f, e f g, f g y → 3 found; longest "c d e f g" (5, across nothing: line 3).
        Assert.Equal(("1", 7, 5, 5, 3, true), (results[0].Id, results[0].Tokens, results[0].LongestSpan, results[0].NGrams, results[0].NGramsFound, results[0].Contaminated));
        Assert.Equal((3, 1, 1, true), (results[1].LongestSpan, results[1].NGrams, results[1].NGramsFound, results[1].Contaminated));
        Assert.Equal((0, 2, 0, false), (results[2].LongestSpan, results[2].NGrams, results[2].NGramsFound, results[2].Contaminated));
        Assert.Equal((0, 0, false), (results[3].Tokens, results[3].NGrams, results[3].Contaminated));
        // A threshold of a share: 3 of 5 found is below 0.8.
        Assert.False(Contamination.Check(index, [("1", "x c d e f g y")], n: 3, threshold: 0.8).Single().Contaminated);
        // A span across two documents does not count: "h i c" never occurs.
        Assert.Equal(2, Contamination.Check(index, [("5", "h i c")], n: 3).Single().LongestSpan);
    }
}
