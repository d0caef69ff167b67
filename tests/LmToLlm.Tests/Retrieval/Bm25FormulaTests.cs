using LmToLlm.Retrieval;

namespace LmToLlm.Tests.Retrieval;

/// <summary>Pencil-checkable BM25 cases on <see cref="TestCorpora.Tiny"/>: N = 3 (one document empty), L̄ = 5/3, term a: df = 2.</summary>
public sealed class Bm25FormulaTests
{
    [Theory]
    // 1/√L as a Lucene norm byte and back: L = 2 → 0.70710677 → byte 121 → 0.625 → 1/0.625² = 2.56; L = 3 → 120 → 0.5 → 4.
    [InlineData(1, 124, 1.0f)]
    [InlineData(2, 121, 2.56f)]
    [InlineData(3, 120, 4.0f)]
    [InlineData(4, 120, 4.0f)]
    [InlineData(10, 117, 10.24f)]
    public void Lucene_norm_quantises_length(int length, int expectedByte, float decoded)
    {
        byte norm = LuceneNorms.EncodeLength(length);
        Assert.Equal(expectedByte, norm);
        Assert.Equal(decoded, LuceneNorms.DecodedLengths[norm]);
    }

    [Theory]
    // idf and the scores of "a" in doc 0 (tf 1, L 2) and doc 1 (tf 2, L 3), k1 = 1.2, b = 0.75, with B = 1 − b + b·L/L̄:
    // lucene-exact: idf = ln(1 + 1.5/2.5) = ln 1.6 = 0.4700036; doc 1: 0.4700036·2.2·2 / (2 + 1.2·1.6) = 0.5275551
    [InlineData("lucene-exact", 0.47000362924573563, 0.4344571362775708, 0.5275550940513359)]
    // robertson: (N − df + 0.5)/(df + 0.5) = 0.6 < 1, so idf is clamped to ln 1 = 0 (the negative-idf fix)
    [InlineData("robertson", 0.0, 0.0, 0.0)]
    // atire: idf = ln(3/2); doc 1: 0.4054651·2.2·2/3.92 = 0.4551139
    [InlineData("atire", 0.4054651081081644, 0.3747996797638495, 0.4551138968561029)]
    // bm25l: idf = ln(4/2.5); doc 1: c = 2/1.6 = 1.25, 0.4700036·2.2·(1.25 + 0.5)/(1.2 + 1.25 + 0.5) = 0.6133946
    [InlineData("bm25l", 0.47000362924573563, 0.5511210068820556, 0.6133945669817228)]
    // bm25plus: idf = ln(4/2); doc 1: 0.6931472·(2.2·2/(1.92 + 2) + 1) = 1.4711695
    [InlineData("bm25plus", 0.6931471805599453, 1.3338714651111554, 1.4711695260864146)]
    // lucene: doc 0 length 2 decodes to 2.56: 0.4700036·2.2/(1 + 1.2·(0.25 + 0.75·2.56/(5/3))) = 1.0340080/2.6824;
    // doc 1 length 3 decodes to 4: 0.4700036·2.2·2/(2 + 1.2·(0.25 + 0.75·4/(5/3))) = 2.0680160/4.46
    [InlineData("lucene", 0.47000362924573563, 0.3854786753654480, 0.4636807441711426)]
    public void Variant_scores_by_hand(string variant, double idf, double doc0, double doc1)
    {
        var index = TestCorpora.Tiny();
        var bm25 = Bm25.Create(index, new Bm25Options { Variant = Bm25Options.ParseVariant(variant) });
        int a = index.TermId("a");
        Assert.Equal(2, index.DocumentFrequency(a));
        Assert.Equal(5f / 3f, bm25.AverageDocumentLength);
        Assert.Equal(idf, bm25.Weight(a).Idf, 1e-6);
        Assert.Equal(doc0, bm25.Score([a], 0), 1e-6);
        Assert.Equal(doc1, bm25.Score([a], 1), 1e-6);
        Assert.Equal(0f, bm25.Score([a], 2));
    }

    [Fact]
    public void Repeated_query_term_counts_once_per_occurrence()
    {
        var index = TestCorpora.Tiny();
        var bm25 = Bm25.Lucene(index);
        int a = index.TermId("a");
        float once = bm25.Score([a], 1);
        Assert.Equal((float)(2.0 * once), bm25.Score([a, a], 1));
        var hits = bm25.Search("a A", 10);
        Assert.Equal([1, 0], hits.Select(h => h.Document));
        Assert.Equal((float)(2.0 * once), (float)hits[0].Score);
    }

    [Theory]
    // Lucene 8 SmallFloat.intToByte4 / byte4ToInt, values printed by lucene-core 8.8.1: exact below 24 + 8 = 32,
    // then a 4-bit mantissa over length − 24 (41 → 40, 1000 → 984).
    [InlineData(0, 0, 0)]
    [InlineData(23, 23, 23)]
    [InlineData(24, 24, 24)]
    [InlineData(31, 31, 31)]
    [InlineData(32, 32, 32)]
    [InlineData(41, 40, 40)]
    [InlineData(1000, 87, 984)]
    [InlineData(123456, 143, 122904)]
    [InlineData(int.MaxValue, 255, 2013265944)]
    public void Lucene8_norm_quantises_length(int length, int expectedByte, int decoded)
    {
        byte norm = LuceneNorms.IntToByte4(length);
        Assert.Equal(expectedByte, norm);
        Assert.Equal(decoded, LuceneNorms.Byte4ToInt(norm));
    }

    [Fact]
    public void Lucene8_uses_doc_count_and_no_k1_plus_one_factor()
    {
        // docCount 2 (the empty document does not count), L̄ = 5/2, idf = ln(1 + 0.5/2.5) = ln 1.2 = 0.1823216;
        // doc 0 (tf 1, L 2): K = 1.2·(0.25 + 0.75·2/2.5) = 1.02, score = idf·1/(1 + 1.02) = 0.0902582;
        // doc 1 (tf 2, L 3): K = 1.2·(0.25 + 0.75·3/2.5) = 1.38, score = idf·2/(2 + 1.38) = 0.1078826.
        var index = TestCorpora.Tiny();
        var bm25 = Bm25.Create(index, new Bm25Options { Variant = Bm25Variant.Lucene8 });
        int a = index.TermId("a");
        Assert.Equal(2.5f, bm25.AverageDocumentLength);
        Assert.Equal(Math.Log(1.2), bm25.Weight(a).Idf, 1e-7);
        Assert.Equal(Math.Log(1.2) / 2.02, bm25.Score([a], 0), 1e-7);
        Assert.Equal(Math.Log(1.2) * 2 / 3.38, bm25.Score([a], 1), 1e-7);
        // A repeated term is one clause of weight 3·idf (Lucene 8 merges duplicate SHOULD clauses).
        Assert.Equal(3 * Math.Log(1.2) * 2 / 3.38, bm25.Score([a, a, a], 1), 1e-6);
        Assert.Equal(bm25.SearchExhaustive([a, a, a], 10), bm25.Search([a, a, a], 10));
        Assert.Contains("idf(docFreq=2, docCount=2)", bm25.Explain("a", 1).ToString());
    }

    [Fact]
    public void Lucene_uses_max_doc_including_empty_documents()
    {
        var index = TestCorpora.Tiny();
        Assert.Equal(3, index.DocumentCount);
        Assert.Equal(2, index.NonEmptyDocumentCount);
        // idf with maxDoc 3, not docCount 2: ln(1 + (3 − 2 + 0.5)/(2 + 0.5)).
        Assert.Equal((float)Math.Log(1.6), Bm25.Lucene(index).Idf(2));
    }

    [Theory]
    [InlineData(-0.1f, 0.75f, null)]
    [InlineData(float.NaN, 0.75f, null)]
    [InlineData(1.2f, -0.01f, null)]
    [InlineData(1.2f, 1.01f, null)]
    [InlineData(1.2f, 0.75f, -1f)]
    public void Invalid_parameters_are_rejected(float k1, float b, float? delta)
    {
        var index = TestCorpora.Tiny();
        Assert.Throws<ArgumentOutOfRangeException>(() => Bm25.Create(index, new Bm25Options { K1 = k1, B = b, Delta = delta }));
    }

    [Fact]
    public void Unknown_variant_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Bm25Options.ParseVariant("bm26"));
        Assert.Contains("lucene-exact", e.Message);
    }

    [Fact]
    public void Query_with_no_known_term_or_no_token_returns_nothing()
    {
        var bm25 = Bm25.Lucene(TestCorpora.Tiny());
        Assert.Empty(bm25.Search("zebra", 10));
        Assert.Empty(bm25.Search("", 10));
        Assert.Empty(bm25.Search("...", 10));
    }

    [Fact]
    public void Explain_matches_score_and_is_lucene_shaped()
    {
        var index = TestCorpora.Tiny();
        var bm25 = Bm25.Lucene(index);
        var explanation = bm25.Explain("a c", 1);
        float score = bm25.Score(index.AnalyzeQuery("a c"), 1);
        Assert.Equal(score, explanation.Value);
        Assert.Equal("sum of:", explanation.Description);
        Assert.Equal(2, explanation.Details.Count);
        string text = explanation.ToString();
        Assert.Contains("weight(body:a in 1)", text);
        Assert.Contains("idf(docFreq=2, maxDocs=3)", text);
        Assert.Contains("4.0 = fieldLength (quantised norm)", text);
        Assert.Contains("2.0 = termFreq=2.0", text);
        Assert.Contains("parameter k1", text);
    }

    [Fact]
    public void Term_ids_outside_the_index_are_rejected()
    {
        var bm25 = Bm25.Lucene(TestCorpora.Tiny());
        Assert.Throws<ArgumentOutOfRangeException>(() => bm25.Search([-1], 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => bm25.Search([bm25.Index.TermCount], 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => bm25.Search("a", -1));
    }
}
