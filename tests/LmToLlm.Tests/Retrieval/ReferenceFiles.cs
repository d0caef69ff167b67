using System.Globalization;
using System.IO.Compression;
using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval;

/// <summary>A ranked line of a reference run: document id, the score as printed and parsed.</summary>
public sealed record RunLine(string DocumentId, int Rank, string ScoreText, double Score);

/// <summary>
/// Small local readers for the reference files (the project's run/qrels readers belong to the evaluation module;
/// these only serve the differential tests) and indexes built once per test run.
/// </summary>
public static class ReferenceFiles
{
    private static readonly Lazy<InvertedIndex> CranfieldIndex = new(() => BuildIndex("cranfield"));
    private static readonly Lazy<InvertedIndex> CacmIndex = new(() => BuildIndex("cacm"));

    public static InvertedIndex Index(string set) => set switch
    {
        "cranfield" => CranfieldIndex.Value,
        "cacm" => CacmIndex.Value,
        _ => throw new ArgumentException(set),
    };

    public static InvertedIndex BuildIndex(string set) =>
        InvertedIndex.Build(BeirJsonl.ReadCorpus(SharedData.File("data", set, "beir", "corpus.jsonl")), Analyzer.Simple);

    public static List<Query> Queries(string set) => BeirJsonl.ReadQueries(SharedData.File("data", set, "beir", "queries.jsonl")).ToList();

    /// <summary>Run lines grouped by query id, in file order.</summary>
    public static Dictionary<string, List<RunLine>> ReadRun(string path)
    {
        var result = new Dictionary<string, List<RunLine>>();
        foreach (var line in File.ReadLines(path))
        {
            var f = line.Split(' ');
            Assert.Equal(6, f.Length);
            if (!result.TryGetValue(f[0], out var list)) result[f[0]] = list = [];
            list.Add(new RunLine(f[2], int.Parse(f[3], CultureInfo.InvariantCulture), f[4], double.Parse(f[4], CultureInfo.InvariantCulture)));
        }
        return result;
    }

    /// <summary><c>term\tdf\tidf</c> rows after the header.</summary>
    public static List<(string Term, int Df, double Idf)> ReadIdf(string path) =>
        File.ReadLines(path).Skip(1).Select(l => l.Split('\t'))
            .Select(f => (f[0], int.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture))).ToList();

    /// <summary><c>docid\tterm\tweight</c> rows after the header of a gzip file.</summary>
    public static IEnumerable<(string DocumentId, string Term, double Weight)> ReadDocVectors(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        reader.ReadLine();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var f = line.Split('\t');
            yield return (f[0], f[1], double.Parse(f[2], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Checks a ranked list against a reference: same length; the documents agree rank by rank except inside
    /// groups of exactly tied reference scores, where they must agree as sets (the final group, cut at the depth,
    /// only needs our scores equal to the tie score); <paramref name="scoresEqual"/> decides whether two scores agree.
    /// </summary>
    public static void AssertSameRanking(string qid, IReadOnlyList<RunLine> expected, IReadOnlyList<(string Doc, double Score)> actual,
        Func<double, double, bool> scoresEqual)
    {
        Assert.True(expected.Count == actual.Count, $"query {qid}: {actual.Count} results, reference has {expected.Count}");
        int i = 0;
        while (i < expected.Count)
        {
            int j = i + 1;
            while (j < expected.Count && expected[j].Score == expected[i].Score) j++;
            for (int r = i; r < j; r++)
                Assert.True(scoresEqual(expected[r].Score, actual[r].Score),
                    $"query {qid} rank {r + 1}: score {actual[r].Score:R}, reference {expected[r].ScoreText}");
            bool cut = j == expected.Count;
            if (!cut)
            {
                var want = expected.Skip(i).Take(j - i).Select(e => e.DocumentId).Order().ToList();
                var got = actual.Skip(i).Take(j - i).Select(a => a.Doc).Order().ToList();
                Assert.True(want.SequenceEqual(got), $"query {qid} ranks {i + 1}..{j}: documents {string.Join(",", got)}, reference {string.Join(",", want)}");
            }
            i = j;
        }
    }
}
