using FsCheck.Xunit;
using LmToLlm.Retrieval;

namespace LmToLlm.Tests.Retrieval;

/// <summary>
/// The posting block codec and store: whatever goes in comes out (documents, frequencies, skip data), at every
/// list length around the block size and every bit width up to 31; plus a small block checked by hand.
/// </summary>
public sealed class PostingBlocksTests
{
    [Fact]
    public void Hand_computed_block()
    {
        // docs 2, 3, 7 → gaps (doc − previous − 1) from −1: 2, 0, 3 → width 2; tf 1, 4, 2 → tf − 1: 0, 3, 1 → width 2.
        var bytes = new byte[PostingBlocks.MaxEncodedLength(3) + PostingBlocks.Padding];
        int length = PostingBlocks.Encode([2, 3, 7], [1, 4, 2], -1, bytes);
        // gaps packed low bits first: 10 | 00 | 11 → 0b11_00_10 = 0x32; tf − 1: 00 | 11 | 01 → 0b01_11_00 = 0x1C.
        Assert.Equal(new byte[] { 2, 2, 0x32, 0x1C }, bytes[..length]);
        Assert.Equal(4, PostingBlocks.EncodedLength(bytes, 3));
        var docs = new int[3];
        var freqs = new int[3];
        PostingBlocks.DecodeDocuments(bytes, 3, -1, docs);
        PostingBlocks.DecodeFrequencies(bytes, 3, freqs);
        Assert.Equal([2, 3, 7], docs);
        Assert.Equal([1, 4, 2], freqs);
    }

    /// <summary>Regression: encoding cleared the whole rest of the buffer, which made building quadratic (minutes on GCIDE).</summary>
    [Fact]
    public void Encoding_touches_only_the_bytes_of_its_block()
    {
        var buffer = new byte[4096];
        Array.Fill(buffer, (byte)0xFF);
        int reach = PostingBlocks.MaxEncodedLength(3) + PostingBlocks.Padding;
        PostingBlocks.Encode([2, 3, 7], [1, 4, 2], -1, buffer);
        Assert.All(buffer[reach..], b => Assert.Equal(0xFF, b));
    }

    [Property(MaxTest = 300)]
    public bool Store_round_trips_random_postings(int seed)
    {
        var random = new Random(seed);
        var (termStart, docs, freqs, documentCount) = RandomPostings(random);
        var store = PostingStore.Build(termStart, docs, freqs);
        var maxFreq = new int[termStart.Length - 1];
        var loaded = PostingStore.FromFile(termStart, store.Data, documentCount, maxFreq, out long total, out string problem);
        if (loaded is null) throw new Xunit.Sdk.XunitException(problem);
        if (total != freqs.Sum(f => (long)f)) return false;
        foreach (var s in new[] { store, loaded })
        {
            for (int t = 0; t + 1 < termStart.Length; t++)
            {
                int df = termStart[t + 1] - termStart[t];
                var d = new int[df];
                var f = new int[df];
                s.Decode(t, d, f);
                if (!d.AsSpan().SequenceEqual(docs.AsSpan(termStart[t], df)) || !f.AsSpan().SequenceEqual(freqs.AsSpan(termStart[t], df))) return false;
                if (maxFreq[t] != f.Max()) return false;
                // Skip data: every block's last document.
                for (int b = s.FirstBlock(t), i = 0; b < s.EndBlock(t); b++, i++)
                    if (s.BlockLastDocuments[b] != d[Math.Min(df, (i + 1) * PostingBlocks.Size) - 1]) return false;
            }
        }
        return true;
    }

    [Fact]
    public void Widths_up_to_31_bits_round_trip()
    {
        foreach (int width in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 24, 30, 31 })
        {
            int big = width == 0 ? 0 : (int)((1L << width) - 1);
            int n = 129;
            var docs = new int[n];
            var freqs = new int[n];
            long doc = -1;
            for (int i = 0; i < n; i++)
            {
                long gap = i % 3 == 0 ? big : i % 7;
                if (doc + gap + 1 >= int.MaxValue) gap = 0;
                doc += gap + 1;
                docs[i] = (int)doc;
                freqs[i] = i % 2 == 0 ? big + (big == int.MaxValue ? 0 : 1) : 1 + i;
            }
            var store = PostingStore.Build([0, n], docs, freqs);
            var d = new int[n];
            var f = new int[n];
            store.Decode(0, d, f);
            Assert.Equal(docs, d);
            Assert.Equal(freqs, f);
        }
    }

    [Fact]
    public void Malformed_blocks_are_refused()
    {
        var store = PostingStore.Build([0, 3], [2, 3, 7], [1, 4, 2]);
        var maxFreq = new int[1];
        var data = store.Data.ToArray();
        Assert.Null(PostingStore.FromFile([0, 3], data, 7, maxFreq, out _, out string problem));   // doc 7 ≥ 7 documents
        Assert.Contains("malformed", problem);
        data[0] = 40;
        Assert.Null(PostingStore.FromFile([0, 3], data, 100, maxFreq, out _, out problem));
        Assert.Contains("bit width", problem);
        Assert.Null(PostingStore.FromFile([0, 3], store.Data[..3].ToArray(), 100, maxFreq, out _, out problem));
        Assert.Contains("shorter", problem);
        Assert.Null(PostingStore.FromFile([0, 3], [.. store.Data, 0], 100, maxFreq, out _, out problem));
        Assert.Contains("after its last block", problem);
        Assert.Null(PostingStore.FromFile([0, 300], store.Data.ToArray(), 100, maxFreq, out _, out problem));
        Assert.Contains("more postings than there are documents", problem);
    }

    /// <summary>Random terms with lists of lengths around the block size, gaps and frequencies of random widths.</summary>
    internal static (int[] TermStart, int[] Docs, int[] Freqs, int DocumentCount) RandomPostings(Random random)
    {
        int[] lengths = [1, 2, 127, 128, 129, 255, 256, 257, 300];
        int terms = random.Next(1, 6);
        var termStart = new int[terms + 1];
        var docs = new List<int>();
        var freqs = new List<int>();
        int documentCount = 1;
        for (int t = 0; t < terms; t++)
        {
            int df = random.Next(3) == 0 ? random.Next(1, 400) : lengths[random.Next(lengths.Length)];
            int gapWidth = random.Next(0, 23), freqWidth = random.Next(0, 32);
            long doc = -1;
            for (int i = 0; i < df; i++)
            {
                doc += 1 + (gapWidth == 0 ? 0 : random.NextInt64(1L << gapWidth));
                docs.Add((int)doc);
                freqs.Add(1 + (freqWidth == 0 ? 0 : (int)random.NextInt64((1L << freqWidth) - 1)));
            }
            documentCount = Math.Max(documentCount, (int)doc + 1);
            termStart[t + 1] = docs.Count;
        }
        return (termStart, docs.ToArray(), freqs.ToArray(), documentCount);
    }
}
