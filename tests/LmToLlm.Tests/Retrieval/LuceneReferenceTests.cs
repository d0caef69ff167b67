using LmToLlm.Retrieval;
using Xunit.Abstractions;

namespace LmToLlm.Tests.Retrieval;

/// <summary>BM25 (variant lucene) against the Lucene 4.10.4 runs in ../shared/reference (see its README).</summary>
public sealed class LuceneReferenceTests(ITestOutputHelper output)
{
    [SharedTheory("data/cranfield/beir/corpus.jsonl", "data/cacm/beir/corpus.jsonl")]
    [InlineData("cranfield", 1400, 1398, 243204, 7471)]
    [InlineData("cacm", 3204, -1, 174913, 9552)]
    public void Collection_statistics_match_lucene(string set, int maxDoc, int docCount, long sumTotalTermFreq, int terms)
    {
        var index = ReferenceFiles.Index(set);
        Assert.Equal(maxDoc, index.DocumentCount);
        if (docCount >= 0) Assert.Equal(docCount, index.NonEmptyDocumentCount);
        Assert.Equal(sumTotalTermFreq, index.TotalTokens);
        Assert.Equal(terms, index.TermCount);
    }

    [SharedTheory("data/cranfield/beir", "data/cacm/beir", "reference/cranfield", "reference/cacm")]
    [InlineData("cranfield", "lucene-bm25.run", 1.2f, 0.75f)]
    [InlineData("cranfield", "lucene-bm25-k0.9-b0.4.run", 0.9f, 0.4f)]
    [InlineData("cacm", "lucene-bm25.run", 1.2f, 0.75f)]
    [InlineData("cacm", "lucene-bm25-k0.9-b0.4.run", 0.9f, 0.4f)]
    public void Reproduces_lucene_run_with_identical_floats(string set, string run, float k1, float b)
    {
        var index = ReferenceFiles.Index(set);
        var reference = ReferenceFiles.ReadRun(SharedData.File("reference", set, run));
        var bm25 = Bm25.Lucene(index, k1, b);
        int queries = 0, scores = 0, identical = 0, sameDocument = 0;
        double maxRelative = 0;
        foreach (var query in ReferenceFiles.Queries(set))
        {
            var hits = bm25.Search(query.Text, 100);
            if (!reference.TryGetValue(query.Id, out var expected)) { Assert.Empty(hits); continue; }
            var actual = hits.Select(h => (index.DocumentId(h.Document), h.Score)).ToList();
            // The run prints Java Float.toString; parsing as float recovers Lucene's float exactly.
            ReferenceFiles.AssertSameRanking(query.Id, expected, actual, (e, a) => Math.Abs(a - e) <= 1e-6 * Math.Abs(e));
            for (int r = 0; r < expected.Count; r++)
            {
                float want = float.Parse(expected[r].ScoreText, System.Globalization.CultureInfo.InvariantCulture);
                if ((float)actual[r].Score == want) identical++;
                if (actual[r].Item1 == expected[r].DocumentId) sameDocument++;
                maxRelative = Math.Max(maxRelative, Math.Abs(actual[r].Score - want) / want);
                scores++;
            }
            queries++;
        }
        output.WriteLine($"{set}/{run}: {queries} queries, {scores} scores, {identical} bit-identical floats, {sameDocument} same document at the same rank, max relative error {maxRelative:E2}");
        Assert.Equal(reference.Count, queries);
        Assert.Equal(scores, identical);
        Assert.Equal(scores, sameDocument);   // ties broken by corpus order, as Lucene does
    }

    [SharedTheory("data/cranfield/beir", "data/cacm/beir", "reference/cranfield/lucene8-bm25.run", "reference/cacm/lucene8-bm25.run")]
    [InlineData("cranfield")]
    [InlineData("cacm")]
    public void Lucene8_variant_reproduces_lucene8_run(string set)
    {
        var index = ReferenceFiles.Index(set);
        var reference = ReferenceFiles.ReadRun(SharedData.File("reference", set, "lucene8-bm25.run"));
        var bm25 = Bm25.Create(index, new Bm25Options { Variant = Bm25Variant.Lucene8 });
        int queries = 0, scores = 0;
        foreach (var query in ReferenceFiles.Queries(set))
        {
            var hits = bm25.Search(query.Text, 100);
            if (!reference.TryGetValue(query.Id, out var expected)) { Assert.Empty(hits); continue; }
            Assert.Equal(expected.Count, hits.Length);
            for (int r = 0; r < expected.Count; r++)
            {
                // Float.toString parsed as float is Lucene's float; same document at the same rank, ties included.
                float want = float.Parse(expected[r].ScoreText, System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(want == (float)hits[r].Score && expected[r].DocumentId == index.DocumentId(hits[r].Document),
                    $"query {query.Id} rank {r + 1}: Lucene 8 {expected[r].DocumentId} {expected[r].ScoreText}, ours {index.DocumentId(hits[r].Document)} {(float)hits[r].Score}");
                scores++;
            }
            queries++;
        }
        output.WriteLine($"{set}/lucene8-bm25.run: {queries} queries, {scores} scores, all bit-identical, same documents at the same ranks");
        Assert.Equal(reference.Count, queries);
    }
}
