using LmToLlm.NGrams;

namespace LmToLlm.Tests.NGrams;

/// <summary>The counting table stores its columns in blocks: ids, counts and prefixes must not notice the block edges.</summary>
public sealed class CountingTableTests
{
    [Theory]
    [InlineData(1, 3 * CountingTable.BlockSize + 17)]
    [InlineData(1 << 20, 2 * CountingTable.BlockSize)] // an index sized for far more than arrives
    public void Ids_counts_and_prefixes_equal_a_dictionarys_across_block_edges(int expected, int distinct)
    {
        var random = new Random(7);
        var table = new CountingTable(expected);
        var ids = new Dictionary<ulong, int>();
        var counts = new List<int>();
        var prefixes = new List<int>();
        for (int i = 0; i < distinct * 3; i++)
        {
            ulong key = NGramTable.Key(random.Next(distinct / 4 + 1), random.Next(8));
            int prefix = random.Next();
            int id = table.Add(key, prefix);
            if (!ids.TryGetValue(key, out int known))
            {
                known = ids[key] = ids.Count;
                counts.Add(0);
                prefixes.Add(prefix);
            }
            counts[known]++;
            Assert.Equal(known, id);
        }
        Assert.Equal(ids.Count, table.Count);
        Assert.True(table.Count > CountingTable.BlockSize, "the test must cross a block edge");
        var keys = new ulong[table.Count];
        var gotCounts = new int[table.Count];
        var gotPrefixes = new int[table.Count];
        table.ReleaseIndex();
        table.MoveKeys((first, block) => block.CopyTo(keys.AsSpan(first)));
        table.MoveCounts((first, block) => block.CopyTo(gotCounts.AsSpan(first)));
        table.MovePrefixes((first, block) => block.CopyTo(gotPrefixes.AsSpan(first)));
        foreach (var (key, id) in ids) Assert.Equal(key, keys[id]);
        Assert.Equal(counts, gotCounts);
        Assert.Equal(prefixes, gotPrefixes);
    }
}
