using System.Globalization;

namespace LexicalVsSemantic.Real;

/// <summary>
/// One line of the metric table: a model's test-split means over one collection's queries of one kind, and the
/// paired p-values of its nDCG@10 against BM25 on the same queries (t-test and randomization test).
/// </summary>
internal sealed record MetricRow(string Collection, string Kind, int Queries, string Model, double Ndcg, double Map, double Recall100, double Mrr,
    double PairedTP, double RandomizationP);

/// <summary>
/// The sample's conclusion, computed from the metric table (never written in advance): which model wins on which
/// kind of query, by how much, with what confidence; and whether each target of the issue is met.
/// </summary>
internal static class Conclusion
{
    /// <summary>Below this many queries a kind is reported but not concluded on.</summary>
    public const int MinQueries = 10;

    /// <summary>A "wide margin" on no-overlap queries: at least this much nDCG@10 above BM25, with p &lt; 0.05.</summary>
    public const double WideMargin = 0.10;

    /// <summary>The cross-lingual figure to beat: dense with BWESG vectors, nDCG@10 on an earlier 500-query sample.</summary>
    public const double CrossLingualBaseline = 0.308;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static bool IsLexical(string model) => model is "bm25" or "tfidf" or "rm3" || model.StartsWith("bm25-", StringComparison.Ordinal) && model != "bm25-qe";

    public static bool IsHybrid(string model) => model.StartsWith("hybrid", StringComparison.Ordinal);

    /// <summary>One sentence per collection and query kind.</summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<MetricRow> rows)
    {
        var lines = new List<string>();
        foreach (var group in rows.GroupBy(r => (r.Collection, r.Kind)))
        {
            var (collection, kind) = group.Key;
            var bm25 = group.FirstOrDefault(r => r.Model == "bm25");
            if (bm25 is null) continue;
            string where = $"{collection}, {kind} ({bm25.Queries} queries)";
            if (bm25.Queries < MinQueries)
            {
                lines.Add($"{where}: too few queries to conclude.");
                continue;
            }
            var best = group.OrderByDescending(r => r.Ndcg).ThenBy(r => r.Model == "bm25" ? 0 : 1).First();
            if (best.Model == "bm25")
            {
                var second = group.Where(r => r.Model != "bm25").OrderByDescending(r => r.Ndcg).FirstOrDefault();
                lines.Add(second is null
                    ? $"{where}: BM25 {F(bm25.Ndcg)}."
                    : $"{where}: BM25 wins with nDCG@10 {F(bm25.Ndcg)}; the next best, {second.Model}, is {Delta(second.Ndcg - bm25.Ndcg)} ({Confidence(second)}).");
            }
            else
            {
                lines.Add($"{where}: {best.Model} wins with nDCG@10 {F(best.Ndcg)} against BM25's {F(bm25.Ndcg)}, {Delta(best.Ndcg - bm25.Ndcg)} ({Confidence(best)}).");
            }
        }
        return lines;
    }

    /// <summary>The issue's targets, each met or missed with its numbers; only for the collections present.</summary>
    public static IReadOnlyList<string> Targets(IReadOnlyList<MetricRow> rows)
    {
        var lines = new List<string>();
        MetricRow? Row(string collection, string kind, string model) => rows.FirstOrDefault(r => r.Collection == collection && r.Kind == kind && r.Model == model);
        MetricRow? Best(string collection, string kind, Func<string, bool> which) =>
            rows.Where(r => r.Collection == collection && r.Kind == kind && which(r.Model)).OrderByDescending(r => r.Ndcg).FirstOrDefault();

        if (Row("en-revdict", "all", "bm25") is { } revBm25 && Best("en-revdict", "all", m => !IsLexical(m)) is { } revBest)
        {
            bool met = revBest.Ndcg > revBm25.Ndcg && revBest.PairedTP < 0.05;
            lines.Add($"{Mark(met)} en-revdict: best semantic or hybrid model beats BM25 with p < 0.05 over all queries — {revBest.Model} {F(revBest.Ndcg)} vs {F(revBm25.Ndcg)}, {Delta(revBest.Ndcg - revBm25.Ndcg)}, {Confidence(revBest)}.");
            if (Row("en-revdict", "no-overlap", "bm25") is { } noBm25 && Best("en-revdict", "no-overlap", m => !IsLexical(m)) is { } noBest)
            {
                bool wide = noBest.Ndcg - noBm25.Ndcg >= WideMargin && noBest.PairedTP < 0.05;
                lines.Add($"{Mark(wide)} en-revdict: wide margin on no-overlap queries (≥ +{WideMargin:0.00} nDCG@10, p < 0.05) — {noBest.Model} {F(noBest.Ndcg)} vs {F(noBm25.Ndcg)}, {Delta(noBest.Ndcg - noBm25.Ndcg)}, {Confidence(noBest)}.");
            }
        }
        if (Best("en-ko-help", "all", m => !IsLexical(m)) is { } cross)
        {
            bool met = cross.Ndcg > CrossLingualBaseline;
            string lexical = Row("en-ko-help", "all", "bm25") is { } bm25 ? $" (BM25: {F(bm25.Ndcg)})" : "";
            lines.Add($"{Mark(met)} en-ko-help: best semantic or hybrid model above {CrossLingualBaseline:0.000} — {cross.Model} {F(cross.Ndcg)}{lexical}.");
        }
        foreach (string collection in new[] { "en-help", "ko-help" })
        {
            if (Row(collection, "all", "bm25") is not { } bm25 || Best(collection, "all", IsHybrid) is not { } hybrid) continue;
            bool met = hybrid.Ndcg >= bm25.Ndcg;
            lines.Add($"{Mark(met)} {collection}: best hybrid at least equal to BM25 — {hybrid.Model} {F(hybrid.Ndcg)} vs {F(bm25.Ndcg)}, {Delta(hybrid.Ndcg - bm25.Ndcg)}, {Confidence(hybrid)}.");
        }
        return lines;
    }

    /// <summary>
    /// What the Korean tokenization changes, from the tokenization table: per lexical model the analyzers' test nDCG@10
    /// and the dev-chosen analyzer against <c>korean</c>; then, with nori, the dev-chosen hybrid against BM25 with nori
    /// (the same tokens) and with korean (the main table's BM25).
    /// </summary>
    public static IReadOnlyList<string> Tokenization(IReadOnlyList<TokenizationRow> rows)
    {
        var lines = new List<string>();
        foreach (var collection in rows.GroupBy(r => r.Collection))
        {
            TokenizationRow? Row(string analyzer, string model) => collection.FirstOrDefault(r => r.Analyzer == analyzer && r.Model == model);
            foreach (string model in new[] { "bm25", "tfidf", "rm3" })
            {
                var byAnalyzer = collection.Where(r => r.Model == model).ToArray();
                if (byAnalyzer.Length == 0 || Row("korean", model) is not { } korean) continue;
                var chosen = byAnalyzer.OrderByDescending(r => r.DevNdcg).First();
                string all = string.Join(" · ", byAnalyzer.Select(r => $"{r.Analyzer} {F(r.TestNdcg)}"));
                string versus = chosen.Analyzer == "korean" ? "korean itself"
                    : $"{chosen.Analyzer} {F(chosen.TestNdcg)} vs korean {F(korean.TestNdcg)}, {Delta(chosen.TestNdcg - korean.TestNdcg)}" +
                      (model == "bm25" ? $", paired t p = {P(chosen.TestPairedTP)}" : "");
                lines.Add($"{collection.Key}, {model}: {all} (test nDCG@10); chosen on dev: {versus}.");
            }
            var hybrids = collection.Where(r => r.Analyzer == "nori" && IsHybrid(r.Model)).ToArray();
            if (hybrids.Length > 0 && Row("nori", "bm25") is { } noriBm25 && Row("korean", "bm25") is { } koreanBm25)
            {
                var best = hybrids.OrderByDescending(r => r.DevNdcg).First();
                bool met = best.TestNdcg >= noriBm25.TestNdcg;
                lines.Add($"{Mark(met)} {collection.Key} with nori (every setting chosen on dev): best hybrid at least equal to BM25 — {best.Model} ({best.Chosen}) {F(best.TestNdcg)} " +
                    $"vs nori BM25 {F(noriBm25.TestNdcg)}, {Delta(best.TestNdcg - noriBm25.TestNdcg)}, paired t p = {P(best.TestPairedTPSameAnalyzer)}; " +
                    $"vs korean BM25 {F(koreanBm25.TestNdcg)}, {Delta(best.TestNdcg - koreanBm25.TestNdcg)}, paired t p = {P(best.TestPairedTP)}.");
            }
        }
        return lines;
    }

    private static string Mark(bool met) => met ? "MET   " : "MISSED";

    private static string F(double value) => value.ToString("0.000", Invariant);

    private static string Delta(double delta) => (delta >= 0 ? "+" : "−") + Math.Abs(delta).ToString("0.000", Invariant);

    private static string Confidence(MetricRow row) =>
        $"paired t p = {P(row.PairedTP)}, randomization p = {P(row.RandomizationP)}: {(row.PairedTP < 0.05 && row.RandomizationP < 0.05 ? "significant" : "not significant")} at 0.05";

    private static string P(double p) => p < 0.0001 ? "< 0.0001" : p.ToString("0.0000", Invariant);
}
