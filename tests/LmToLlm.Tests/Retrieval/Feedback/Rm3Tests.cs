using LmToLlm.Corpora;
using LmToLlm.Embeddings;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Feedback;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval.Feedback;

public sealed class Rm3Tests
{
    private static readonly Document[] Corpus =
    [
        new("d0", "", "apple apple banana cherry"),
        new("d1", "", "apple banana banana date"),
        new("d2", "", "cherry date elderberry"),
    ];

    private static Bm25 Model() => Bm25.Create(InvertedIndex.Build(Corpus, Analyzer.Simple));

    [Fact]
    public void Expansion_equals_the_hand_computed_relevance_model()
    {
        var bm25 = Model();
        var rm3 = Rm3.Create(bm25, new Rm3Options { FeedbackDocuments = 2, FeedbackTerms = 2, MaxDocumentFrequencyRatio = 1f });
        var first = bm25.Search("apple", 10);
        Assert.Equal([0, 1], first.Select(h => h.Document));
        double s0 = first[0].Score, s1 = first[1].Score;
        // d0 = {apple 2, banana 1, cherry 1} pruned to 2 terms: apple 2, banana 1 (banana < cherry on the tie); |d0|₁ = 3.
        // d1 = {apple 1, banana 2, date 1} pruned: banana 2, apple 1 (apple < date); |d1|₁ = 3.
        // RM(apple) ∝ 2/3·s0 + 1/3·s1, RM(banana) ∝ 1/3·s0 + 2/3·s1; the two sum to s0 + s1.
        double rmApple = (2 * s0 + s1) / (3 * (s0 + s1)), rmBanana = (s0 + 2 * s1) / (3 * (s0 + s1));
        // w = 0.5·q + 0.5·RM, q(apple) = 1.
        var expected = new Dictionary<string, double> { ["apple"] = 0.5 + 0.5 * rmApple, ["banana"] = 0.5 * rmBanana };
        var expanded = rm3.Expand("apple");
        Assert.Equal(["apple", "banana"], expanded.Select(t => bm25.Index.Term(t.Term)));
        foreach (var t in expanded) Assert.Equal(expected[bm25.Index.Term(t.Term)], t.Weight, 1e-6);

        // Second pass: Σ w(t)·BM25(t, d).
        var hits = rm3.Search("apple", 10);
        foreach (var hit in hits)
        {
            double score = expanded.Sum(t => t.Weight * (double)bm25.Score([t.Term], hit.Document));
            Assert.Equal(score, hit.Score, 1e-5);
        }
        Assert.Equal([0, 1], hits.Select(h => h.Document));
    }

    [Fact]
    public void Unknown_query_tokens_count_in_the_original_query_share()
    {
        var bm25 = Model();
        var rm3 = Rm3.Create(bm25, new Rm3Options { FeedbackDocuments = 2, FeedbackTerms = 2, MaxDocumentFrequencyRatio = 1f });
        var withUnknown = rm3.Expand("apple zzz");
        var alone = rm3.Expand("apple");
        // q(apple) is 1/2 instead of 1, so apple's weight drops by 0.5·(1 − 1/2); the feedback part is unchanged.
        Assert.Equal(alone[0].Weight - 0.25, withUnknown.First(t => bm25.Index.Term(t.Term) == "apple").Weight, 1e-6);
    }

    [Fact]
    public void Terms_in_more_than_a_tenth_of_the_documents_are_not_feedback_terms()
    {
        var bm25 = Model();
        var expanded = Rm3.Create(bm25).Expand("apple");
        // Every term of this three-document collection has df/N ≥ 1/3 > 0.1: only the original query remains, at λ·q = 0.5.
        var only = Assert.Single(expanded);
        Assert.Equal("apple", bm25.Index.Term(only.Term));
        Assert.Equal(0.5, only.Weight, 1e-9);
    }

    [Theory]
    [InlineData("ab", true)]
    [InlineData("a", false)]
    [InlineData("학교", true)]
    [InlineData("don't", false)]
    [InlineData("abcdefghijklmnopqrstu", false)]
    public void Feedback_terms_have_two_to_twenty_letters_or_digits(string term, bool expected) => Assert.Equal(expected, Rm3.IsFeedbackTerm(term));

    [Fact]
    public void Embedding_expansion_adds_the_words_nearest_the_query_centroid()
    {
        var bm25 = Model();
        // apple's nearest word is banana (cosine 0.8), then date (0.6); cherry is orthogonal (0), elderberry opposite.
        var vectors = WordVectors.Create(["apple", "banana", "date", "cherry", "elderberry"],
            [1f, 0f, 0.8f, 0.6f, 0.6f, 0.8f, 0f, 1f, -1f, 0f], 2);
        var expansion = EmbeddingExpansion.Create(bm25, vectors, new EmbeddingExpansionOptions { ExpansionTerms = 2, Candidates = 4 });
        var expanded = expansion.Expand("apple").ToDictionary(t => bm25.Index.Term(t.Term), t => (double)t.Weight);
        // E(banana) = 0.8 / 1.4, E(date) = 0.6 / 1.4; w = 0.5·q + 0.5·E.
        Assert.Equal(3, expanded.Count);
        Assert.Equal(0.5, expanded["apple"], 1e-6);
        Assert.Equal(0.5 * 0.8 / 1.4, expanded["banana"], 1e-6);
        Assert.Equal(0.5 * 0.6 / 1.4, expanded["date"], 1e-6);
    }
}
