using LmToLlm.Text;

namespace LmToLlm.Tests.Text;

public sealed class AnalyzerTests
{
    private static string Run(string analyzer, string text) => string.Join(' ', Analyzer.FromName(analyzer).Tokenize(text));

    [Theory]
    [InlineData("The flows were separating at Mach 2", "flow were separ mach 2")]
    [InlineData("An analysis of THE boundary-layers", "analysi boundari layer")] // stop words, case, hyphen
    [InlineData("", "")]
    [InlineData("the a an of", "")]
    [InlineData("1960s 42", "1960 42")] // digits are consonants to Porter, as in the reference implementation
    [InlineData("😀 running 𝐀 cafés", "run 𝐀 café")] // emoji separates; non-ASCII letters pass through Porter
    [InlineData("학교에서 공부", "학교에서 공부")]
    public void English(string text, string expected) => Assert.Equal(expected, Run("english", text));

    [Fact]
    public void English_stop_list_is_lucenes_classic_33_words()
    {
        Assert.Equal(33, EnglishAnalyzer.StopWords.Count);
        Assert.True(EnglishAnalyzer.IsStopWord("their".AsSpan()));
        Assert.False(EnglishAnalyzer.IsStopWord("they're"));
    }

    [Theory]
    [InlineData("학교에서", "학교에서 학교 교에 에서")]
    [InlineData("학교를", "학교를 학교 교를")]
    [InlineData("학교", "학교")] // the bigram equals the token: not repeated
    [InlineData("한", "한")]
    [InlineData("학교에서 ABC학교 한", "학교에서 학교 교에 에서 abc학교 학교 한")]
    [InlineData("x한y", "x한y")] // one-syllable runs add nothing
    [InlineData("서울2024년도", "서울2024년도 서울 년도")]
    [InlineData("ᄒᆞᆫ글", "ᄒᆞᆫ글")] // conjoining jamo are letters (Lo) but not syllables: only a 1-syllable run
    [InlineData("English only", "english only")]
    [InlineData("😀학교😀", "학교")]
    [InlineData("", "")]
    public void Korean(string text, string expected) => Assert.Equal(expected, Run("korean", text));

    [Theory]
    [InlineData("학교에서", "학교 교에 에서")]
    [InlineData("학교를 학교", "학교 교를 학교")]
    [InlineData("한 x한y", "한 x 한 y")]
    [InlineData("학교에서 ABC학교 한", "학교 교에 에서 abc 학교 한")]
    [InlineData("English 123", "english 123")]
    [InlineData("", "")]
    public void Korean_bigrams(string text, string expected) => Assert.Equal(expected, Run("korean-bigrams", text));

    [Fact]
    public void Korean_inflections_share_the_stem_bigram()
    {
        var a = Analyzer.Korean.Tokenize("학교에서");
        var b = Analyzer.Korean.Tokenize("학교를");
        Assert.Contains("학교", a.Intersect(b));
    }

    [Theory]
    [InlineData("char:3-4", "Flow", "<fl <flo flo flow low low> ow>")]
    [InlineData("char-nowrap:3", "a flow", "a flo low")]
    [InlineData("char:3", "a", "<a>")]
    [InlineData("char:4-5", "a", "<a>")] // shorter than MIN: the wrapped token itself
    [InlineData("char:1-2", "ab", "<a a ab b b>")] // lone markers are skipped
    [InlineData("char-nowrap:1-2", "ab", "a ab b")]
    [InlineData("char:2", "😀a😀 𝐀b", "<a a> <𝐀 𝐀b b>")] // surrogate pairs count as one code point
    [InlineData("char:2", "학교", "<학 학교 교>")]
    [InlineData("char:3-5", "", "")]
    [InlineData("char:3", "where", "<wh whe her ere re>")] // the example of Bojanowski et al. 2017 (fastText), §3.2
    [InlineData("char:3-6", "the", "<th <the <the> the the> he>")] // <the> itself is an n-gram when ≤ MAX, as in fastText
    public void Char_ngrams(string analyzer, string text, string expected) => Assert.Equal(expected, Run(analyzer, text));

    [Theory]
    [InlineData("simple")]
    [InlineData("english")]
    [InlineData("korean")]
    [InlineData("korean-bigrams")]
    [InlineData("char:3-5")]
    [InlineData("char:4")]
    [InlineData("char-nowrap:2-3")]
    public void Names_round_trip(string name) => Assert.Equal(name, Analyzer.FromName(name).Name);

    [Theory]
    [InlineData("porter")]
    [InlineData("Simple")]
    [InlineData("")]
    public void Unknown_name_lists_the_known_ones(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Analyzer.FromName(name));
        Assert.Equal($"unknown analyzer '{name}'; known analyzers: simple, english, whitespace, keyword, korean, korean-bigrams, char:MIN-MAX, char-nowrap:MIN-MAX", e.Message);
    }

    [Theory]
    [InlineData("char:")]
    [InlineData("char:0-3")]
    [InlineData("char:5-3")]
    [InlineData("char:3-99")]
    [InlineData("char:a-b")]
    [InlineData("char:3-")]
    public void Malformed_char_names_explain_the_pattern(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Analyzer.FromName(name));
        Assert.Contains("expected char:MIN-MAX", e.Message);
    }

    [Theory]
    [InlineData("english")]
    [InlineData("korean")]
    [InlineData("korean-bigrams")]
    [InlineData("char:3-5")]
    public void Analyze_does_not_allocate(string name)
    {
        var analyzer = Analyzer.FromName(name);
        var sink = new CountingSink();
        string text = "The generalizations of 학교에서 flows 😀 𝐀𝐁 at Mach 2.5";
        analyzer.Analyze(text, sink);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) analyzer.Analyze(text, sink);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sink.Count > 0);
    }

    private sealed class CountingSink : ITokenSink
    {
        public int Count;
        public void Add(ReadOnlySpan<char> token) => Count++;
    }
}
