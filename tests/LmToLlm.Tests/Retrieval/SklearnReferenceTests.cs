using LmToLlm.Retrieval;
using Xunit.Abstractions;

namespace LmToLlm.Tests.Retrieval;

/// <summary>TF-IDF against scikit-learn 1.2.1 TfidfVectorizer outputs for Cranfield in ../shared/reference.</summary>
public sealed class SklearnReferenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-12;   // relative; see reference README (summation order inside SciPy)

    [SharedTheory("data/cranfield/beir", "reference/cranfield/sklearn-tfidf-idf.tsv", "reference/cranfield/sklearn-tfidf-nosmooth-idf.tsv")]
    [InlineData("sklearn-tfidf-idf.tsv", true)]
    [InlineData("sklearn-tfidf-nosmooth-idf.tsv", false)]
    public void Reproduces_idf_table(string file, bool smooth)
    {
        var index = ReferenceFiles.Index("cranfield");
        var tfidf = TfIdf.Create(index, new TfIdfOptions { SmoothIdf = smooth });
        var rows = ReferenceFiles.ReadIdf(SharedData.File("reference", "cranfield", file));
        Assert.Equal(rows.Count, tfidf.VocabularySize);
        int identical = 0;
        double maxRelative = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            var (term, df, idf) = rows[i];
            int id = index.TermId(term);
            Assert.Equal(i, id);   // vocabulary sorted the way scikit-learn sorts it
            Assert.Equal(df, index.DocumentFrequency(id));
            double ours = tfidf.Idf(id);
            maxRelative = Math.Max(maxRelative, Math.Abs(ours - idf) / idf);
            if (ours == idf) identical++;
        }
        output.WriteLine($"{file}: {rows.Count} terms, {identical} bit-identical idf values, max relative error {maxRelative:E2}");
        Assert.True(maxRelative <= Tolerance, $"max relative idf error {maxRelative:E2}");
    }

    [SharedTheory("data/cranfield/beir", "reference/cranfield/sklearn-tfidf-docvectors.tsv.gz", "reference/cranfield/sklearn-tfidf-sublinear-docvectors.tsv.gz")]
    [InlineData("sklearn-tfidf-docvectors.tsv.gz", false)]
    [InlineData("sklearn-tfidf-sublinear-docvectors.tsv.gz", true)]
    public void Reproduces_every_document_vector_entry(string file, bool sublinear)
    {
        var index = ReferenceFiles.Index("cranfield");
        var tfidf = TfIdf.Create(index, new TfIdfOptions { SublinearTf = sublinear });
        var expected = ReferenceFiles.ReadDocVectors(SharedData.File("reference", "cranfield", file))
            .GroupBy(r => r.DocumentId).ToDictionary(g => g.Key, g => g.ToList());
        int entries = 0, identical = 0;
        double maxAbsolute = 0, maxRelative = 0;
        for (int d = 0; d < index.DocumentCount; d++)
        {
            var vector = tfidf.DocumentVector(d);
            var want = expected.GetValueOrDefault(index.DocumentId(d)) ?? [];
            Assert.True(want.Count == vector.Terms.Length, $"document {index.DocumentId(d)}: {vector.Terms.Length} entries, reference {want.Count}");
            for (int i = 0; i < want.Count; i++)
            {
                Assert.Equal(want[i].Term, index.Term(vector.Terms[i]));
                double diff = Math.Abs(vector.Weights[i] - want[i].Weight);
                maxAbsolute = Math.Max(maxAbsolute, diff);
                maxRelative = Math.Max(maxRelative, diff / want[i].Weight);
                if (diff == 0) identical++;
                entries++;
            }
        }
        output.WriteLine($"{file}: {entries} entries, {identical} bit-identical, max absolute error {maxAbsolute:E2}, max relative {maxRelative:E2}");
        Assert.Equal(expected.Values.Sum(v => v.Count), entries);
        Assert.True(maxAbsolute <= Tolerance, $"max absolute error {maxAbsolute:E2}");
    }

    [SharedTheory("data/cranfield/beir", "reference/cranfield/sklearn-tfidf.run", "reference/cranfield/sklearn-tfidf-sublinear.run")]
    [InlineData("sklearn-tfidf.run", false)]
    [InlineData("sklearn-tfidf-sublinear.run", true)]
    public void Reproduces_cosine_run(string file, bool sublinear)
    {
        var index = ReferenceFiles.Index("cranfield");
        var tfidf = TfIdf.Create(index, new TfIdfOptions { SublinearTf = sublinear });
        var reference = ReferenceFiles.ReadRun(SharedData.File("reference", "cranfield", file));
        int queries = 0, scores = 0, sameDocument = 0;
        double maxRelative = 0;
        foreach (var query in ReferenceFiles.Queries("cranfield"))
        {
            var hits = tfidf.Search(query.Text, 100);
            var expected = reference[query.Id];
            var actual = hits.Select(h => (index.DocumentId(h.Document), h.Score)).ToList();
            ReferenceFiles.AssertSameRanking(query.Id, expected, actual, (e, a) => Math.Abs(a - e) <= Tolerance * Math.Abs(e));
            for (int r = 0; r < expected.Count; r++)
            {
                maxRelative = Math.Max(maxRelative, Math.Abs(actual[r].Score - expected[r].Score) / expected[r].Score);
                if (actual[r].Item1 == expected[r].DocumentId) sameDocument++;
                scores++;
            }
            queries++;
        }
        output.WriteLine($"{file}: {queries} queries, {scores} scores, {sameDocument} same document at the same rank, max relative score error {maxRelative:E2}");
        Assert.Equal(reference.Count, queries);
        Assert.Equal(scores, sameDocument);
    }
}
