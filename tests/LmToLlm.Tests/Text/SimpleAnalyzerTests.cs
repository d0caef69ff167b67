using LmToLlm.Corpora;
using LmToLlm.Text;

namespace LmToLlm.Tests.Text;

public sealed class SimpleAnalyzerTests
{
    [Theory]
    [InlineData("Mach-number 2.5 flow.", "mach number 2 5 flow")] // the README's example
    [InlineData("", "")]
    [InlineData("  ,,  ", "")]
    [InlineData("학교에서 공부", "학교에서 공부")]
    [InlineData("ÉCOLE Straße", "école straße")]
    [InlineData("\u0130stanbul", "\u0069stanbul")] // U+0130 simple lowercase is U+0069 (no combining dot)
    [InlineData("ΣΟΦΊΑ", "σοφία")] // final sigma is not context-sensitive: each code point on its own
    [InlineData("x²+y₂=½", "x y")] // No (superscripts, subscripts, fractions) separates
    [InlineData("Ⅻ chapters", "chapters")] // Nl (Roman numeral) separates
    [InlineData("١٢٣ ٤", "١٢٣ ٤")] // Arabic-Indic digits are Nd
    [InlineData("naïve café", "naïve café")] // precomposed letters
    [InlineData("cafe\u0301", "cafe")] // combining mark (Mn) separates and is dropped
    [InlineData("smile😀face", "smile face")] // emoji (So, surrogate pair) separates
    [InlineData("𝐀𝐁c", "𝐀𝐁c")] // mathematical bold capitals: Lu, surrogate pairs, no lowercase mapping in UnicodeData
    [InlineData("𐐀𐐁", "𐐨𐐩")] // Deseret capitals lowercase to supplementary code points
    [InlineData("a\uD800b", "a b")] // a lone surrogate separates
    [InlineData("\uDC00", "")]
    [InlineData("under_score tab\tnew\nline", "under score tab new line")]
    [InlineData("ǅungla", "ǆungla")] // Lt titlecase digraph lowercases
    [InlineData("ʰmodifier", "ʰmodifier")] // Lm is a letter
    [InlineData("日本語テキスト", "日本語テキスト")] // Lo
    public void Tokenizes_as_defined(string text, string expected) =>
        Assert.Equal(expected, string.Join(' ', Analyzer.Simple.Tokenize(text)));

    [Fact]
    public void Long_text_uses_a_rented_buffer_and_gives_the_same_tokens()
    {
        string text = string.Join(" ", Enumerable.Repeat("Alpha-BETA 12", 200)) + " " + new string('x', 2000);
        var tokens = Analyzer.Simple.Tokenize(text);
        Assert.Equal(601, tokens.Count);
        Assert.Equal("alpha", tokens[0]);
        Assert.Equal("beta", tokens[1]);
        Assert.Equal(new string('x', 2000), tokens[^1]);
    }

    [Fact]
    public void Analyze_does_not_allocate()
    {
        var sink = new CountingSink();
        string text = "The quick brown fox, 42 times — naïve 😀 𝐀𝐁.";
        Analyzer.Simple.Analyze(text, sink);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) Analyzer.Simple.Analyze(text, sink);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(101 * 8, sink.Count);
    }

    /// <summary>The figures in ../shared/data/cranfield/README.md and the term column of the scikit-learn idf table.</summary>
    [SharedFact("data/cranfield/beir/corpus.jsonl", "data/cranfield/beir/queries.jsonl", "reference/cranfield/sklearn-tfidf-idf.tsv")]
    public void Cranfield_figures_match_the_readme_and_the_reference_vocabulary()
    {
        var vocabulary = new Vocabulary();
        var documentFrequency = new Vocabulary();
        var seen = new HashSet<int>();
        var perDocument = new Vocabulary();
        int documents = 0, nonEmpty = 0;
        foreach (var document in BeirJsonl.ReadCorpus(SharedData.File("data", "cranfield", "beir", "corpus.jsonl")))
        {
            documents++;
            long before = vocabulary.TotalCount;
            perDocument = new Vocabulary();
            Analyzer.Simple.Analyze(document.FullText, perDocument);
            foreach (var (token, i) in perDocument.Tokens.Select((t, i) => (t, i)))
            {
                vocabulary.Add(token, perDocument.GetCount(i));
                documentFrequency.Add(token);
            }
            if (vocabulary.TotalCount > before) nonEmpty++;
        }
        Assert.Equal(1400, documents);
        Assert.Equal(1398, nonEmpty);
        Assert.Equal(243_204, vocabulary.TotalCount);
        Assert.Equal(7_471, vocabulary.Count);
        Assert.Equal(122_884, documentFrequency.TotalCount);

        var queryVocabulary = new Vocabulary();
        int longest = 0;
        foreach (var query in BeirJsonl.ReadQueries(SharedData.File("data", "cranfield", "beir", "queries.jsonl")))
        {
            long before = queryVocabulary.TotalCount;
            Analyzer.Simple.Analyze(query.Text, queryVocabulary);
            longest = Math.Max(longest, (int)(queryVocabulary.TotalCount - before));
        }
        Assert.Equal(3_907, queryVocabulary.TotalCount);
        Assert.Equal(955, queryVocabulary.Count);
        Assert.Equal(44, longest);

        // term<TAB>df<TAB>idf sorted by code point; Cranfield is ASCII so ordinal order is code-point order.
        var reference = File.ReadLines(SharedData.File("reference", "cranfield", "sklearn-tfidf-idf.tsv")).Skip(1)
            .Select(line => line.Split('\t')).Select(f => (Term: f[0], Df: long.Parse(f[1]))).ToList();
        var ours = documentFrequency.Tokens.Select((t, i) => (Term: t, Df: documentFrequency.GetCount(i)))
            .OrderBy(x => x.Term, StringComparer.Ordinal).ToList();
        Assert.Equal(reference.Select(r => r.Term), ours.Select(o => o.Term));
        Assert.Equal(reference, ours);
    }

    private sealed class CountingSink : ITokenSink
    {
        public int Count;
        public void Add(ReadOnlySpan<char> token) => Count++;
    }
}
