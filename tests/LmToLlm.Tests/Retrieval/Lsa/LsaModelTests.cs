using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Lsa;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval.Lsa;

public sealed class LsaModelTests
{
    private static TfIdf Small()
    {
        var random = new Random(11);
        string[] words = ["car", "auto", "engine", "road", "doctor", "nurse", "clinic", "drug", "ship", "sea", "port", "wave"];
        var docs = Enumerable.Range(0, 40).Select(i =>
        {
            int topic = i % 3;
            var tokens = Enumerable.Range(0, 12).Select(_ => words[topic * 4 + random.Next(4)]).Append(words[random.Next(words.Length)]);
            return new Document($"d{i}", "", string.Join(' ', tokens));
        }).ToArray();
        return TfIdf.Create(InvertedIndex.Build(docs, Analyzer.Simple));
    }

    [Fact]
    public void Reconstruction_error_decreases_with_dimensions_and_vanishes_at_full_rank()
    {
        var tfidf = Small();
        double previous = double.MaxValue;
        foreach (int k in new[] { 1, 2, 3, 5, 8, 12 })
        {
            double error = LsaModel.Build(tfidf, new LsaOptions { Dimensions = k }).ReconstructionError();
            Assert.True(error < previous, $"k = {k}: error {error} not below {previous}");
            previous = error;
        }
        Assert.True(previous < 1e-9, $"full rank (12 terms) leaves error {previous}");
    }

    [Fact]
    public void Randomized_svd_agrees_with_the_exact_one()
    {
        var tfidf = Small();
        var exact = LsaModel.Build(tfidf, new LsaOptions { Dimensions = 4 });
        var randomized = LsaModel.Build(tfidf, new LsaOptions { Dimensions = 4, ExactSvdMaxCells = 0 });
        Assert.True(exact.UsedExactSvd);
        Assert.False(randomized.UsedExactSvd);
        for (int j = 0; j < 4; j++) Assert.Equal(exact.SingularValues[j], randomized.SingularValues[j], 6);
        Assert.Equal(exact.ReconstructionError(), randomized.ReconstructionError(), 6);
    }

    [Fact]
    public void Folded_in_document_text_finds_the_document_itself()
    {
        var tfidf = Small();
        var lsa = LsaModel.Build(tfidf, new LsaOptions { Dimensions = 12 });
        // at full rank q V Vᵀ = q, so a document's own text is its nearest neighbour (cosine 1)
        var hits = lsa.Search("car car auto engine road doctor", 3);
        var direct = tfidf.Search("car car auto engine road doctor", 1);
        Assert.Equal(direct[0].Document, hits[0].Document);
        Assert.Equal(direct[0].Score, hits[0].Score, 4);
    }
}
