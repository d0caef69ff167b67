using LmToLlm.Retrieval.Dense;

namespace LmToLlm.Tests.Retrieval.Dense;

public sealed class DenseIndexTests
{
    private static float[] RandomRows(Random random, int count, int dimensions, bool withTies)
    {
        var rows = new float[count * dimensions];
        for (int i = 0; i < rows.Length; i++) rows[i] = withTies ? random.Next(-2, 3) : (float)(random.NextDouble() * 2 - 1);
        return rows;
    }

    [Fact]
    public void Top_k_equals_brute_force_on_seeded_random_indexes()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            int dimensions = 1 + random.Next(16), count = 1 + random.Next(700), k = 1 + random.Next(40);
            var index = DenseIndex.Create(RandomRows(random, count, dimensions, withTies: seed % 2 == 0), dimensions);
            var query = RandomRows(random, 1, dimensions, withTies: false);
            Assert.Equal(index.SearchExhaustive(query, k), index.Search(query, k));
        }
    }

    [Fact]
    public void Search_many_is_the_same_single_threaded_and_parallel()
    {
        var random = new Random(5);
        var index = DenseIndex.Create(RandomRows(random, 900, 8, false), 8);
        var queries = Enumerable.Range(0, 30).Select(_ => RandomRows(random, 1, 8, false)).ToArray();
        var one = index.SearchMany(queries, 10, maxDegreeOfParallelism: 1);
        var all = index.SearchMany(queries, 10);
        for (int q = 0; q < queries.Length; q++) Assert.Equal(one[q], all[q]);
    }

    [Fact]
    public void Cosine_by_hand()
    {
        // documents (1,0), (1,1), (0,-1); query (2,0): cosines 1, 1/√2, 0
        var index = DenseIndex.Create([1, 0, 1, 1, 0, -1], 2);
        var hits = index.Search([2, 0], 3);
        Assert.Equal([0, 1, 2], hits.Select(h => h.Document));
        Assert.Equal(1.0, hits[0].Score, 6);
        Assert.Equal(1 / Math.Sqrt(2), hits[1].Score, 6);
        Assert.Equal(0.0, hits[2].Score, 6);
    }

    [Fact]
    public void Query_of_the_wrong_dimension_is_a_clear_error()
    {
        var index = DenseIndex.Create([1, 0, 1, 1], 2);
        var e = Assert.Throws<ArgumentException>(() => index.Search([1, 2, 3], 1));
        Assert.Contains("3 dimensions", e.Message);
        Assert.Contains("2-dimensional", e.Message);
        Assert.Throws<ArgumentException>(() => DenseIndex.Create([1, 2, 3], 2));
    }

    [Fact]
    public void Save_and_load_round_trip_and_reject_corruption()
    {
        string dir = Directory.CreateTempSubdirectory("lmtollm-dense-").FullName;
        try
        {
            var random = new Random(3);
            var index = DenseIndex.Create(RandomRows(random, 50, 7, false), 7);
            string path = Path.Combine(dir, "docs.dense");
            index.Save(path);
            var loaded = DenseIndex.Load(path);
            Assert.Equal(index.Count, loaded.Count);
            var query = RandomRows(random, 1, 7, false);
            Assert.Equal(index.Search(query, 10), loaded.Search(query, 10));

            var bytes = File.ReadAllBytes(path);
            bytes[40] ^= 0x55;
            File.WriteAllBytes(path, bytes);
            var corrupt = Assert.Throws<LmToLlmFormatException>(() => DenseIndex.Load(path));
            Assert.Contains("checksum", corrupt.Message);

            File.WriteAllBytes(path, bytes[..100]);
            Assert.Contains("truncated", Assert.Throws<LmToLlmFormatException>(() => DenseIndex.Load(path)).Message);
            File.WriteAllText(path, "not an index at all, just text");
            Assert.Contains("not an LmToLlm dense index (the file does not start with 'LMTLDENS')", Assert.Throws<LmToLlmFormatException>(() => DenseIndex.Load(path)).Message);
            File.WriteAllBytes(path, [.. "LDEN"u8, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 0, 0, 0, 0, 0]); // a version 1 file
            Assert.Equal($"{path}: an LmToLlm dense index written by an older version of LmToLlm (an earlier layout; this build reads format version 2); rebuild it and save it with DenseIndex.Save",
                Assert.Throws<LmToLlmFormatException>(() => DenseIndex.Load(path)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
