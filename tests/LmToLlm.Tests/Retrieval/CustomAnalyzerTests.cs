using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval;

/// <summary>A caller's own analyzer works wherever a built-in one does, and an index built with it reopens with it.</summary>
public sealed class CustomAnalyzerTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Comma-separated phrases, trimmed: "red apple, green pear" → "red apple", "green pear".</summary>
    private sealed class PhraseAnalyzer : Analyzer
    {
        public override string Name => "phrases";

        public override void Analyze(ReadOnlySpan<char> text, ITokenSink sink)
        {
            foreach (var range in text.Split(','))
            {
                var phrase = text[range].Trim();
                if (!phrase.IsEmpty) sink.Add(phrase);
            }
        }
    }

    [Fact]
    public void Custom_analyzer_round_trips_through_build_save_load_search()
    {
        Document[] docs = [new("d1", "", "red apple, green pear"), new("d2", "", "red apple, blue sky"), new("d3", "", "green pear")];
        var analyzer = new PhraseAnalyzer();
        var index = InvertedIndex.Build(docs, analyzer);
        Assert.Equal(["blue sky", "green pear", "red apple"], index.Terms);
        var before = Bm25.Create(index).Search("green pear, nothing", 10);
        Assert.Equal([2, 0], before.Select(h => h.Document));   // d3 is shorter, so it ranks first

        string path = _dir.File("phrases.lmi");
        index.Save(path);
        var reopened = InvertedIndex.Load(path, analyzer);
        Assert.Same(analyzer, reopened.Analyzer);
        Assert.Equal(before, Bm25.Create(reopened).Search("green pear, nothing", 10));

        var unknown = Assert.Throws<LmToLlmFormatException>(() => InvertedIndex.Load(path));
        Assert.Contains("'phrases'", unknown.Message);
        var wrong = Assert.Throws<LmToLlmFormatException>(() => InvertedIndex.Load(path, Analyzer.Simple));
        Assert.Contains("not 'simple'", wrong.Message);
    }
}
