using LmToLlm.Text;

namespace LmToLlm.Tests.Text;

/// <summary>Lucene's WhitespaceAnalyzer and KeywordAnalyzer, cases worked out by hand from their definitions.</summary>
public sealed class WhitespaceKeywordAnalyzerTests
{
    [Fact]
    public void Whitespace_splits_on_java_whitespace_only_and_keeps_case_and_punctuation()
    {
        // U+2003 (em space, Zs) and U+001F (unit separator) split; U+00A0 (no-break space) does not, as in Java.
        Assert.Equal(["Mach-number", "2.5", "flow.\u00A0x", "y", "z"],
            Analyzer.FromName("whitespace").Tokenize("  Mach-number  2.5\tflow.\u00A0x\u2003y\u001Fz\r\n"));
        Assert.Empty(Analyzer.Whitespace.Tokenize(" \t\n"));
    }

    [Fact]
    public void Whitespace_cuts_tokens_at_255_units_without_splitting_a_surrogate_pair()
    {
        Assert.Equal([new string('a', 255), new string('a', 45)], Analyzer.Whitespace.Tokenize(new string('a', 300)));
        // 254 units + a pair = 256 units: the pair stays whole, then the cut (Lucene checks length ≥ 255 after the code point).
        string pair = "\U0001F600";
        Assert.Equal([new string('a', 254) + pair, "b"], Analyzer.Whitespace.Tokenize(new string('a', 254) + pair + "b"));
    }

    [Fact]
    public void Keyword_gives_the_whole_input_as_one_token()
    {
        Assert.Equal(["New York, NY "], Analyzer.FromName("keyword").Tokenize("New York, NY "));
        Assert.Equal([""], Analyzer.Keyword.Tokenize(""));   // KeywordTokenizer emits one empty token for an empty input
    }
}
