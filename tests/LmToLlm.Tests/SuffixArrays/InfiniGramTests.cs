using LmToLlm.SuffixArrays;

namespace LmToLlm.Tests.SuffixArrays;

public sealed class InfiniGramTests : IDisposable
{
    // Stream: S a b c S a b d S b c S (S = separator; 12 symbols, 3 documents).
    private readonly TempDir _dir = new();
    private readonly SuffixArrayIndex _index;
    private readonly InfiniGram _model;

    public InfiniGramTests()
    {
        string text = _dir.Write("c.txt", "a b c\na b d\nb c\n");
        SuffixArrayBuilder.Build(text, _dir.File("i.sa"));
        _index = SuffixArrayIndex.Open(_dir.File("i.sa"));
        _model = new InfiniGram(_index);
    }

    public void Dispose()
    {
        _index.Dispose();
        _dir.Dispose();
    }

    private (double P, int K, long Num, long Den)[] Score(string line) =>
        [.. _model.ScoreSentence(line).Select(s => (s.Probability, s.SuffixLength, s.Count, s.SuffixCount))];

    [Fact]
    public void Sentence_probabilities_equal_hand_computed_values()
    {
        // a: cnt(S a)/cnt(S·) = 2/3 (the final S is followed by nothing); b: cnt(S a b)/cnt(S a) = 2/2;
        // c: cnt(S a b c)/cnt(S a b) = 1/2; </s>: cnt(S a b c S)/cnt(S a b c) = 1/1.
        Assert.Equal([(2 / 3.0, 1, 2L, 3L), (1.0, 2, 2L, 2L), (0.5, 3, 1L, 2L), (1.0, 4, 1L, 1L)], Score("a b c"));
        // c never starts a document: 0 from the suffix S; then "S c" is unseen, the longest suffix is "c" (2, each followed by S).
        Assert.Equal([(0.0, 1, 0L, 3L), (0.0, 1, 0L, 2L), (0.0, 1, 0L, 2L)], Score("c a"));
        // d: 0/3; </s> after d: "S d" unseen, "d" once, followed by S.
        Assert.Equal([(0.0, 1, 0L, 3L), (1.0, 1, 1L, 1L)], Score("d"));
        // An unknown word leaves the empty suffix: cnt(S)/stream length = 4/12.
        Assert.Equal([(0.0, 1, 0L, 3L), (4 / 12.0, 0, 4L, 12L)], Score("zebra"));
    }

    [Fact]
    public void Next_token_distribution_uses_the_longest_suffix_that_occurs()
    {
        var b = _model.NextTokens(["b"]);
        Assert.Equal(1, b.SuffixLength);
        Assert.Equal(3, b.SuffixCount);
        Assert.Equal([("c", 2L, 2 / 3.0), ("d", 1L, 1 / 3.0)], b.Continuations.Select(c => (c.Token, c.Count, c.Probability)));
        var xb = _model.NextTokens(["x", "a", "b"]);
        Assert.Equal(2, xb.SuffixLength);
        Assert.Equal([("c", 1L, 0.5), ("d", 1L, 0.5)], xb.Continuations.Select(c => (c.Token, c.Count, c.Probability)));
        var c = _model.NextTokens(["c"]);
        Assert.Equal([("</s>", 2L, 1.0)], c.Continuations.Select(x => (x.Token, x.Count, x.Probability)));
        var start = _model.NextTokens([], sentenceStart: true);
        Assert.Equal([("a", 2L, 2 / 3.0), ("b", 1L, 1 / 3.0)], start.Continuations.Select(x => (x.Token, x.Count, x.Probability)));
    }

    [Fact]
    public void Distributions_sum_to_one()
    {
        foreach (var context in new[] { new string[0], ["a"], ["b"], ["a", "b"], ["zebra"] })
            Assert.Equal(1.0, _model.NextTokens(context).Continuations.Sum(c => c.Probability), 12);
    }

    [Fact]
    public void Interpolation_weights_sum_to_one()
    {
        // λ·p + (1 − λ)·q with λ = 0.25 on (0.5, 0.1) and (0, 0.2): p = 0.175 and 0.15.
        double expected = Math.Pow(10, -(Math.Log10(0.25 * 0.5 + 0.75 * 0.1) + Math.Log10(0.75 * 0.2)) / 2);
        Assert.Equal(expected, InfiniGramInterpolation.Perplexity([(0.5, 0.1), (0.0, 0.2)], 0.25), 12);
        Assert.Equal(Math.Pow(10, -(Math.Log10(0.1) + Math.Log10(0.2)) / 2), InfiniGramInterpolation.Perplexity([(0.5, 0.1), (0.0, 0.2)], 0), 12);
    }
}
