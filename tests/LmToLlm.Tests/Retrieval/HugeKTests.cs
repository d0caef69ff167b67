using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Lsa;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval;

/// <summary>A k far beyond the collection (int.MaxValue) is capped at the document count: no huge allocation, the same hits as k = N.</summary>
public sealed class HugeKTests
{
    private static readonly InvertedIndex Index = InvertedIndex.Build(TestCorpora.Random(new Random(3), 300, 50, 12), Analyzer.Simple);

    public static TheoryData<string> Rankers => ["bm25", "tfidf", "lsa"];

    private static IRanker Create(string name) => name switch
    {
        "bm25" => Bm25.Create(Index),
        "tfidf" => TfIdf.Create(Index),
        _ => LsaModel.Build(TfIdf.Create(Index), new LsaOptions { Dimensions = 20 }),
    };

    [Theory]
    [MemberData(nameof(Rankers))]
    public void Int_MaxValue_gives_the_hits_of_k_equal_to_the_document_count(string name)
    {
        var ranker = Create(name);
        string query = string.Join(' ', Enumerable.Range(0, 3).Select(_ => TestCorpora.Word(new Random(7), 50)));
        var all = ranker.Search(query, Index.DocumentCount);
        var huge = ranker.Search(query, int.MaxValue);
        Assert.NotEmpty(huge);
        Assert.True(huge.Length <= Index.DocumentCount);
        Assert.Equal(all, huge);
        var many = ranker.SearchMany([query, query], int.MaxValue);
        Assert.Equal(all, many[0]);
    }
}
