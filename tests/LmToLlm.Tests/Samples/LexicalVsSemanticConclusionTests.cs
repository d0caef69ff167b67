using LexicalVsSemantic.Real;

namespace LmToLlm.Tests.Samples;

/// <summary>The flagship's conclusion is computed from the metric table: a fixed table gives a known text.</summary>
public sealed class LexicalVsSemanticConclusionTests
{
    private static MetricRow Row(string collection, string kind, int n, string model, double ndcg, double p = 1, double pr = 1) =>
        new(collection, kind, n, model, ndcg, 0, 0, 0, p, pr);

    private static readonly MetricRow[] Table =
    [
        Row("en-revdict", "all", 300, "bm25", 0.340),
        Row("en-revdict", "all", 300, "dense", 0.180, 0.0001, 0.0001),
        Row("en-revdict", "all", 300, "hybrid-contextual", 0.400, 0.0004, 0.0006),
        Row("en-revdict", "no-overlap", 80, "bm25", 0.020),
        Row("en-revdict", "no-overlap", 80, "contextual", 0.090, 0.03, 0.04),
        Row("en-ko-help", "all", 300, "bm25", 0.220),
        Row("en-ko-help", "all", 300, "dense", 0.310, 0.001, 0.002),
        Row("ko-help", "all", 300, "bm25", 0.560),
        Row("ko-help", "all", 300, "rm3", 0.550, 0.2, 0.21),
        Row("ko-help", "all", 300, "hybrid", 0.540, 0.01, 0.02),
        Row("ko-help", "no-overlap", 4, "bm25", 0.0),
        Row("ko-help", "no-overlap", 4, "hybrid", 0.5, 0.3, 0.3),
    ];

    [Fact]
    public void Findings_name_the_winner_the_margin_and_the_confidence()
    {
        Assert.Equal(
        [
            "en-revdict, all (300 queries): hybrid-contextual wins with nDCG@10 0.400 against BM25's 0.340, +0.060 (paired t p = 0.0004, randomization p = 0.0006: significant at 0.05).",
            "en-revdict, no-overlap (80 queries): contextual wins with nDCG@10 0.090 against BM25's 0.020, +0.070 (paired t p = 0.0300, randomization p = 0.0400: significant at 0.05).",
            "en-ko-help, all (300 queries): dense wins with nDCG@10 0.310 against BM25's 0.220, +0.090 (paired t p = 0.0010, randomization p = 0.0020: significant at 0.05).",
            "ko-help, all (300 queries): BM25 wins with nDCG@10 0.560; the next best, rm3, is −0.010 (paired t p = 0.2000, randomization p = 0.2100: not significant at 0.05).",
            "ko-help, no-overlap (4 queries): too few queries to conclude.",
        ], Conclusion.Findings(Table));
    }

    [Fact]
    public void Targets_are_met_or_missed_with_their_numbers()
    {
        Assert.Equal(
        [
            "MET    en-revdict: best semantic or hybrid model beats BM25 with p < 0.05 over all queries — hybrid-contextual 0.400 vs 0.340, +0.060, paired t p = 0.0004, randomization p = 0.0006: significant at 0.05.",
            "MISSED en-revdict: wide margin on no-overlap queries (≥ +0.10 nDCG@10, p < 0.05) — contextual 0.090 vs 0.020, +0.070, paired t p = 0.0300, randomization p = 0.0400: significant at 0.05.",
            "MET    en-ko-help: best semantic or hybrid model above 0.308 — dense 0.310 (BM25: 0.220).",
            "MISSED ko-help: best hybrid at least equal to BM25 — hybrid 0.540 vs 0.560, −0.020, paired t p = 0.0100, randomization p = 0.0200: significant at 0.05.",
        ], Conclusion.Targets(Table));
    }

    private static TokenizationRow Tok(string analyzer, string model, double dev, double test, double p = 1, double pSame = 1, string chosen = "") =>
        new("ko-help", analyzer, model, dev, test, p, pSame, chosen);

    [Fact]
    public void Tokenization_lines_choose_the_analyzer_and_the_hybrid_on_dev_and_report_test()
    {
        TokenizationRow[] table =
        [
            Tok("nori", "bm25", 0.640, 0.620, p: 0.03),
            Tok("nori", "hybrid-word2vec", 0.650, 0.610, p: 0.5, pSame: 0.2, chosen: "z0.9"),
            Tok("nori", "hybrid-fasttext", 0.630, 0.640, chosen: "rrf"),
            Tok("korean", "bm25", 0.630, 0.600),
            Tok("whitespace", "bm25", 0.400, 0.380, p: 0.0001),
            Tok("korean", "tfidf", 0.400, 0.360),
            Tok("nori", "tfidf", 0.390, 0.370),
        ];
        Assert.Equal(
        [
            "ko-help, bm25: nori 0.620 · korean 0.600 · whitespace 0.380 (test nDCG@10); chosen on dev: nori 0.620 vs korean 0.600, +0.020, paired t p = 0.0300.",
            "ko-help, tfidf: korean 0.360 · nori 0.370 (test nDCG@10); chosen on dev: korean itself.",
            "MISSED ko-help with nori (every setting chosen on dev): best hybrid at least equal to BM25 — hybrid-word2vec (z0.9) 0.610 vs nori BM25 0.620, −0.010, paired t p = 0.2000; vs korean BM25 0.600, +0.010, paired t p = 0.5000.",
        ], Conclusion.Tokenization(table));
    }

    [Theory]
    [InlineData("bm25", true)]
    [InlineData("rm3", true)]
    [InlineData("tfidf", true)]
    [InlineData("bm25-qe", false)]
    [InlineData("dense", false)]
    [InlineData("hybrid", false)]
    public void Lexical_models_are_the_counting_ones(string model, bool lexical) => Assert.Equal(lexical, Conclusion.IsLexical(model));
}
