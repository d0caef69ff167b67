using LmToLlm.Embeddings;
using LmToLlm.Experiments;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Feedback;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval;

/// <summary>The ranking options a library user sets: public init properties with the documented defaults, and errors that name the property.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var bm25 = Bm25Options.Default;
        Assert.Equal((Bm25Variant.Lucene, 1.2f, 0.75f, (float?)null), (bm25.Variant, bm25.K1, bm25.B, bm25.Delta));
        var tfidf = TfIdfOptions.Default;
        Assert.Equal((TfIdfNorm.L2, true, true, false), (tfidf.Norm, tfidf.UseIdf, tfidf.SmoothIdf, tfidf.SublinearTf));
        Assert.Equal(DocumentFrequencyLimit.Count(1), tfidf.MinDf);
        Assert.Equal(DocumentFrequencyLimit.Fraction(1.0), tfidf.MaxDf);
        var rm3 = Rm3Options.Default;
        Assert.Equal((10, 10, 0.5f, 0.1f), (rm3.FeedbackDocuments, rm3.FeedbackTerms, rm3.OriginalQueryWeight, rm3.MaxDocumentFrequencyRatio));
        var expansion = EmbeddingExpansionOptions.Default;
        Assert.Equal((10, 0.5f, 50), (expansion.ExpansionTerms, expansion.OriginalQueryWeight, expansion.Candidates));
        Assert.Equal(1000, ModelComparisonOptions.Default.Depth);
    }

    [Fact]
    public void Bm25_parameters_are_checked_when_set()
    {
        Assert.Equal("K1", Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Options { K1 = -1 }).ParamName);
        Assert.Equal("B", Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Options { B = 1.5f }).ParamName);
        Assert.Equal("Delta", Assert.Throws<ArgumentOutOfRangeException>(() => Bm25Options.Default with { Delta = float.NaN }).ParamName);
        Assert.Equal("Variant", Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Options { Variant = (Bm25Variant)99 }).ParamName);
    }

    [Fact]
    public void Options_set_by_a_user_change_the_ranking_as_their_reference_says()
    {
        var index = InvertedIndex.Build([new("d1", "", "a a a b"), new("d2", "", "a b c d e f g h")], Analyzer.Simple);
        // b = 0: no length normalisation, so the longer d2 is not penalised for its length; k1 = 0: tf saturates at once,
        // so with b = 0 both documents score idf(b) for "b" and tie, broken by corpus order.
        var flat = Bm25.Create(index, new Bm25Options { K1 = 0, B = 0 }).Search("b", 10);
        Assert.Equal(flat[0].Score, flat[1].Score);
        Assert.Equal([0, 1], flat.Select(h => h.Document));
        // max_df = 1 document drops "a" and "b" (in both documents): only "c".."h" remain in the vocabulary.
        var tfidf = TfIdf.Create(index, new TfIdfOptions { MaxDf = DocumentFrequencyLimit.Count(1) });
        Assert.Empty(tfidf.Search("a b", 10));
        Assert.Equal([1], tfidf.Search("c", 10).Select(h => h.Document));
    }

    [Fact]
    public void Feedback_options_name_the_property_out_of_range()
    {
        var bm25 = Bm25.Create(InvertedIndex.Build([new("d1", "", "a b")], Analyzer.Simple));
        Assert.Equal("FeedbackTerms", Assert.Throws<ArgumentOutOfRangeException>(() => Rm3.Create(bm25, new Rm3Options { FeedbackTerms = 0 })).ParamName);
        var vectors = WordVectors.Create(["a", "b"], [1, 0, 0, 1]);
        Assert.Equal("Candidates", Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingExpansion.Create(bm25, vectors, new EmbeddingExpansionOptions { ExpansionTerms = 5, Candidates = 4 })).ParamName);
    }
}
