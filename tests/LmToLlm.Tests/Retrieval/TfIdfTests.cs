using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval;

/// <summary>TfidfVectorizer semantics on <see cref="TestCorpora.Tiny"/> ("a b", "a a c", ""; N = 3), by hand.</summary>
public sealed class TfIdfTests
{
    private static readonly double IdfA = Math.Log(4.0 / 3.0) + 1;   // smooth: ln((1 + 3)/(1 + 2)) + 1
    private static readonly double IdfC = Math.Log(4.0 / 2.0) + 1;   // ln((1 + 3)/(1 + 1)) + 1

    [Fact]
    public void L2_document_vector()
    {
        var index = TestCorpora.Tiny();
        var v = TfIdf.Create(index).DocumentVector(1);
        double a = 2 * IdfA, c = IdfC, norm = Math.Sqrt(a * a + c * c);
        Assert.Equal(["a", "c"], v.Terms.Select(index.Term));
        Assert.Equal(a / norm, v.Weights[0], 15);
        Assert.Equal(c / norm, v.Weights[1], 15);
        Assert.Empty(TfIdf.Create(index).DocumentVector(2).Terms);
    }

    [Fact]
    public void L1_none_sublinear_nosmooth_and_no_idf()
    {
        var index = TestCorpora.Tiny();
        var l1 = TfIdf.Create(index, new TfIdfOptions { Norm = TfIdfNorm.L1 }).DocumentVector(1);
        Assert.Equal(2 * IdfA / (2 * IdfA + IdfC), l1.Weights[0], 15);
        var none = TfIdf.Create(index, new TfIdfOptions { Norm = TfIdfNorm.None, SublinearTf = true }).DocumentVector(1);
        Assert.Equal((1 + Math.Log(2)) * IdfA, none.Weights[0], 15);
        var rough = TfIdf.Create(index, new TfIdfOptions { Norm = TfIdfNorm.None, SmoothIdf = false }).DocumentVector(1);
        Assert.Equal(2 * (Math.Log(3.0 / 2.0) + 1), rough.Weights[0], 15);   // ln(N/df) + 1
        var raw = TfIdf.Create(index, new TfIdfOptions { Norm = TfIdfNorm.None, UseIdf = false }).DocumentVector(1);
        Assert.Equal([2.0, 1.0], raw.Weights);
    }

    [Fact]
    public void Min_and_max_df_prune_the_vocabulary()
    {
        var index = TestCorpora.Tiny();
        var common = TfIdf.Create(index, new TfIdfOptions { MinDf = DocumentFrequencyLimit.Count(2) });
        Assert.Equal(1, common.VocabularySize);
        Assert.Equal(["a"], common.DocumentVector(1).Terms.Select(index.Term));
        Assert.Equal(1.0, common.DocumentVector(1).Weights[0], 15);
        var rare = TfIdf.Create(index, new TfIdfOptions { MaxDf = DocumentFrequencyLimit.Fraction(0.5) });   // df ≤ 1.5
        Assert.Equal(2, rare.VocabularySize);
        Assert.True(double.IsNaN(rare.Idf(index.TermId("a"))));
        Assert.Throws<ArgumentException>(() => TfIdf.Create(index, new TfIdfOptions { MinDf = DocumentFrequencyLimit.Count(3) }));
        Assert.Equal(DocumentFrequencyLimit.Count(2), DocumentFrequencyLimit.Parse("2"));
        Assert.Equal(DocumentFrequencyLimit.Fraction(1.0), DocumentFrequencyLimit.Parse("1.0"));
    }

    [Fact]
    public void Word_ngrams_follow_sklearn()
    {
        var index = InvertedIndex.Build([new Document("0", "", "a b"), new Document("1", "", "a a c")], Analyzer.Simple, new InvertedIndexOptions { MinNGram = 1, MaxNGram = 2 });
        Assert.Equal(["a", "a a", "a b", "a c", "b", "c"], index.Terms);
        Assert.Equal(5, index.DocumentLength(1));   // a, a, c, "a a", "a c"
        Assert.Equal(new[] { index.TermId("a"), index.TermId("c"), index.TermId("a c") }.Order(), index.AnalyzeQuery("a c").Order());
        var bigrams = InvertedIndex.Build([new Document("0", "", "a b c")], Analyzer.Simple, new InvertedIndexOptions { MinNGram = 2, MaxNGram = 2 });
        Assert.Equal(["a b", "b c"], bigrams.Terms);
    }

    [Fact]
    public void Query_search_ranks_by_cosine_and_drops_zero_scores()
    {
        var index = TestCorpora.Tiny();
        var tfidf = TfIdf.Create(index);
        var hits = tfidf.Search("c", 10);
        Assert.Single(hits);
        Assert.Equal(1, hits[0].Document);
        Assert.Equal(IdfC / Math.Sqrt(4 * IdfA * IdfA + IdfC * IdfC), hits[0].Score, 15);
        Assert.Empty(tfidf.Search("zebra", 10));
        Assert.Empty(tfidf.Search("", 10));
    }
}
