using LmToLlm.Retrieval;

namespace LmToLlm.Tests.Retrieval;

/// <summary>The collection statistics a library user reads off an index, on the hand-countable tiny corpus.</summary>
public sealed class InvertedIndexStatisticsTests
{
    [Fact]
    public void Statistics_are_the_hand_counted_ones()
    {
        var index = TestCorpora.Tiny(); // "a b" | "A" + "a, c." | ""
        Assert.Equal(3, index.DocumentCount);
        Assert.Equal(5, index.TotalTokens);
        Assert.Equal([2, 3, 0], Enumerable.Range(0, 3).Select(index.DocumentLength));
        Assert.Equal(2, index.DocumentFrequency(index.TermId("a")));
        Assert.Equal(1, index.DocumentFrequency(index.TermId("b")));
        Assert.Equal(1, index.DocumentFrequency(index.TermId("c")));
        Assert.Equal(-1, index.TermId("d"));
    }

    [Fact]
    public void Out_of_range_ids_are_refused()
    {
        var index = TestCorpora.Tiny();
        Assert.Throws<ArgumentOutOfRangeException>(() => index.DocumentLength(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.DocumentLength(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.DocumentFrequency(index.TermCount));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.DocumentFrequency(-1));
    }
}
