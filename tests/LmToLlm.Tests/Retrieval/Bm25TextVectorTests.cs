using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval;

/// <summary><see cref="Bm25.TextVector"/>: a text weighted as one more document of the collection.</summary>
public sealed class Bm25TextVectorTests
{
    private static readonly string[] Texts = ["a b", "a c c", "b b b b b b b b b b c", "d"];

    private static InvertedIndex Index() => InvertedIndex.Build(Texts.Select((t, i) => new Document(i.ToString(), "", t)), Analyzer.Simple);

    [Theory]
    [InlineData(Bm25Variant.Lucene)]
    [InlineData(Bm25Variant.LuceneExact)]
    [InlineData(Bm25Variant.Robertson)]
    [InlineData(Bm25Variant.Atire)]
    [InlineData(Bm25Variant.Bm25L)]
    [InlineData(Bm25Variant.Bm25Plus)]
    public void The_vector_of_an_indexed_text_equals_its_term_weights(Bm25Variant variant)
    {
        var bm25 = Bm25.Create(Index(), new Bm25Options { Variant = variant });
        for (int d = 0; d < Texts.Length; d++)
        {
            var vector = bm25.TextVector(Texts[d]);
            var expected = new List<(int, double)>();
            for (int t = 0; t < bm25.Index.TermCount; t++)
            {
                int at = bm25.Index.PostingDocuments(t).IndexOf(d);
                if (at >= 0) expected.Add((t, bm25.Weight(t).Score(bm25.Index.PostingFrequencies(t)[at], bm25.LengthFactor(d))));
            }
            Assert.Equal(expected, vector.Terms.Zip(vector.Weights));
        }
    }

    [Fact]
    public void Atire_weights_of_an_unseen_text_by_hand()
    {
        // N = 4, L̄ = (2 + 3 + 11 + 1)/4 = 4.25; text "c c a zebra": L = 4 (zebra counts in the length, not in the vector).
        // c: df 2, idf = ln(4/2); w = idf·2.2·2 / (2 + 1.2·(0.25 + 0.75·4/4.25)).  a: df 2, same idf, tf 1.
        var bm25 = Bm25.Create(Index(), new Bm25Options { Variant = Bm25Variant.Atire });
        var vector = bm25.TextVector("c c a zebra");
        double idf = Math.Log(2), k = 1.2 * (0.25 + 0.75 * 4 / 4.25);
        Assert.Equal([bm25.Index.TermId("a"), bm25.Index.TermId("c")], vector.Terms);
        Assert.Equal(idf * 2.2 * 1 / (1 + k), vector.Weights[0], 1e-6);
        Assert.Equal(idf * 2.2 * 2 / (2 + k), vector.Weights[1], 1e-6);
        Assert.Empty(bm25.TextVector("zebra unicorn").Terms);
    }
}
