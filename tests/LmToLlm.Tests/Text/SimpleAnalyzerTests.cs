using LmToLlm.Text;

namespace LmToLlm.Tests.Text;

public sealed class SimpleAnalyzerTests
{
    [Theory]
    [InlineData("Mach-number 2.5 flow.", "mach number 2 5 flow")]
    [InlineData("", "")]
    [InlineData("  ,,  ", "")]
    [InlineData("학교에서 공부", "학교에서 공부")]
    public void Tokenizes_as_defined(string text, string expected) =>
        Assert.Equal(expected, string.Join(' ', Analyzer.Simple.Tokenize(text)));
}
