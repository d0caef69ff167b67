using System.Text;
using FsCheck.Xunit;
using LmToLlm.SuffixArrays;

namespace LmToLlm.Tests.SuffixArrays;

public sealed class SuffixArrayIndexTests
{
    /// <summary>Occurrences of <paramref name="query"/> inside the lines, never across two.</summary>
    internal static long BruteCount(IReadOnlyList<string[]> lines, string[] query)
    {
        long count = 0;
        foreach (var line in lines)
            for (int i = 0; i + query.Length <= line.Length; i++)
                if (line.AsSpan(i, query.Length).SequenceEqual(query)) count++;
        return count;
    }

    internal static List<string> RandomLines(Random random, int lines, int vocabulary, int maxLength)
    {
        var result = new List<string>();
        for (int l = 0; l < lines; l++)
        {
            int length = random.Next(6) == 0 ? 0 : random.Next(1, maxLength + 1); // empty documents too
            result.Add(string.Join(' ', Enumerable.Range(0, length).Select(_ => "w" + random.Next(vocabulary))));
        }
        return result;
    }

    [Property(MaxTest = 40)]
    public bool Counts_equal_brute_force_and_shards_change_nothing(int seed)
    {
        var random = new Random(seed);
        using var dir = new TempDir();
        var lines = RandomLines(random, random.Next(1, 40), random.Next(1, 6), 12);
        string text = dir.Write("c.txt", string.Join('\n', lines) + "\n");
        SuffixArrayBuilder.Build(text, dir.File("one.sa"));
        // A budget of 40 token slots forces many shards; 5-byte pointers must read the same.
        var report = SuffixArrayBuilder.Build(text, dir.File("many.sa"), new SuffixArrayBuildOptions { MemoryBudget = 40 * SuffixArrayBuilder.TokenBuildBytes, PointerWidth = 5 });
        using var one = SuffixArrayIndex.Open(dir.File("one.sa"), verify: true);
        using var many = SuffixArrayIndex.Open(dir.File("many.sa"), verify: true);
        var split = lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (one.DocumentCount != lines.Count || many.DocumentCount != lines.Count) return false;
        for (int q = 0; q < 30; q++)
        {
            var query = Enumerable.Range(0, random.Next(1, 5)).Select(_ => "w" + random.Next(7)).ToArray();
            long expected = BruteCount(split, query);
            if (one.Count(query) != expected || many.Count(query) != expected) return false;
            var a = one.Find(string.Join(' ', query), take: 1000).Select(o => (o.Document, o.Offset)).Order().ToList();
            var b = many.Find(string.Join(' ', query), take: 1000).Select(o => (o.Document, o.Offset)).Order().ToList();
            if (a.Count != expected || !a.SequenceEqual(b)) return false;
            foreach (var (doc, offset) in a)
                if (!split[(int)doc].AsSpan((int)offset, query.Length).SequenceEqual(query)) return false;
        }
        return report.Shards >= (lines.Sum(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length + 1) + 1) / 40;
    }

    [Fact]
    public void A_tiny_budget_builds_at_least_eight_shards_with_the_same_answers()
    {
        using var dir = new TempDir();
        var lines = RandomLines(new Random(7), 200, 5, 10);
        string text = dir.Write("c.txt", string.Join('\n', lines));
        SuffixArrayBuilder.Build(text, dir.File("one.sa"));
        var report = SuffixArrayBuilder.Build(text, dir.File("many.sa"), new SuffixArrayBuildOptions { MemoryBudget = 100 * SuffixArrayBuilder.TokenBuildBytes });
        Assert.True(report.Shards >= 8, $"{report.Shards} shards");
        using var one = SuffixArrayIndex.Open(dir.File("one.sa"));
        using var many = SuffixArrayIndex.Open(dir.File("many.sa"), verify: true);
        Assert.Equal(one.StreamLength + report.Shards - 1, many.StreamLength); // each shard closes with its own separator
        var split = lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        foreach (var line in split.Take(50))
            for (int n = 1; n <= Math.Min(6, line.Length); n++)
            {
                var query = line[..n];
                Assert.Equal(BruteCount(split, query), many.Count(query));
                Assert.Equal(one.Count(query), many.Count(query));
            }
    }

    [Fact]
    public void A_vocabulary_beyond_65536_ids_takes_3_byte_ids_with_the_same_answers()
    {
        // 70,000 distinct tokens (each once) among 30,000 draws from 40 common ones, so spans repeat; ids above 65,535 need the third byte.
        var random = new Random(21);
        var tokens = Enumerable.Range(0, 70_000).Select(i => "u" + i).Concat(Enumerable.Range(0, 30_000).Select(_ => "c" + random.Next(40))).ToArray();
        random.Shuffle(tokens);
        var split = tokens.Chunk(40).ToList();
        using var dir = new TempDir();
        string text = dir.Write("c.txt", string.Join('\n', split.Select(l => string.Join(' ', l))) + "\n");
        SuffixArrayBuilder.Build(text, dir.File("3.sa"));
        SuffixArrayBuilder.Build(text, dir.File("4.sa"), new SuffixArrayBuildOptions { IdWidth = 4 });
        using var three = SuffixArrayIndex.Open(dir.File("3.sa"), verify: true);
        using var four = SuffixArrayIndex.Open(dir.File("4.sa"), verify: true);
        Assert.Equal(3, three.IdWidth);
        Assert.Equal(4, four.IdWidth);
        Assert.Equal(70_040, three.VocabularySize);
        Assert.True(new FileInfo(dir.File("3.sa")).Length < new FileInfo(dir.File("4.sa")).Length);
        var queries = new List<string[]>();
        for (int q = 0; q < 300; q++)
        {
            var line = split[random.Next(split.Count)];
            int n = random.Next(1, 5), at = random.Next(line.Length - n + 1);
            queries.Add(line[at..(at + n)]);
        }
        queries.Add(["u69999"]);
        queries.Add(["u69999", "u0"]);
        queries.Add([split[0][^1], split[1][0]]); // across two lines: 0
        var ngram3 = new InfiniGram(three);
        var ngram4 = new InfiniGram(four);
        foreach (var query in queries)
        {
            long expected = BruteCount(split, query);
            Assert.Equal(expected, three.Count(query));
            Assert.Equal(expected, four.Count(query));
            string joined = string.Join(' ', query);
            Assert.Equal(four.Find(joined, take: 50).Select(o => (o.Document, o.Offset, o.Snippet)).Order(), three.Find(joined, take: 50).Select(o => (o.Document, o.Offset, o.Snippet)).Order());
            var next3 = ngram3.NextTokens(query);
            var next4 = ngram4.NextTokens(query);
            Assert.Equal((next4.SuffixLength, next4.SuffixCount), (next3.SuffixLength, next3.SuffixCount));
            Assert.Equal(next4.Continuations, next3.Continuations);
        }
    }

    [Fact]
    public void Pencil_sized_counts_and_finds()
    {
        using var dir = new TempDir();
        string text = dir.Write("c.txt", "a b a b c\n\nb a b\n");
        SuffixArrayBuilder.Build(text, dir.File("i.sa"));
        using var index = SuffixArrayIndex.Open(dir.File("i.sa"));
        Assert.Equal(3, index.DocumentCount);
        Assert.Equal(2, index.IdWidth);
        Assert.Equal(3 + 5 + 3 + 1, index.StreamLength); // a separator before each document and one at the end
        Assert.Equal(3, index.Count("a"));
        Assert.Equal(3, index.Count("a b"));
        Assert.Equal(1, index.Count("b a b c"));
        Assert.Equal(0, index.Count("c b"));          // would cross from document 1 into 3
        Assert.Equal(0, index.Count("a zebra"));      // unknown token: 0, not an error
        Assert.Equal(0, index.Count("a b a b c b a")); // longer than any document
        var found = index.Find("b a", context: 1);
        Assert.Equal([(0L, 1L, "a [b a] b …"), (2L, 0L, "[b a] b")], found.Select(o => (o.Document, o.Offset, o.Snippet)).Order().ToList());
        Assert.Single(index.Find("b a", skip: 1));
        Assert.Empty(index.Find("b a", skip: 2));
    }

    [Fact]
    public void Byte_mode_indexes_the_file_as_it_is()
    {
        using var dir = new TempDir();
        string text = dir.Write("c.txt", "banana\nbandana\nnab");
        var report = SuffixArrayBuilder.Build(text, dir.File("b.sa"), new SuffixArrayBuildOptions { Mode = SuffixArrayMode.Bytes });
        Assert.Equal(3, report.Documents);
        using var index = SuffixArrayIndex.Open(dir.File("b.sa"), verify: true);
        Assert.Equal(1, index.IdWidth);
        Assert.Equal(4, index.Count("an"));
        Assert.Equal(0, index.Count("a\nb")); // a newline never matches: documents are lines
        Assert.Equal(3, index.Count("ana"));
        var shard = index.Shards[0];
        var bytes = File.ReadAllBytes(text);
        var sa = Enumerable.Range(0, bytes.Length).Select(r => (int)shard.Suffix(r)).ToArray();
        Assert.Equal(SuffixSorterTests.NaiveSort([.. bytes.Select(b => (int)b)]), sa);
        Assert.Equal([(2L, 0L, "[nab]")], index.Find("nab").Select(o => (o.Document, o.Offset, o.Snippet)).ToList());
    }

    [Fact]
    public void An_empty_corpus_is_refused_with_the_file_named()
    {
        using var dir = new TempDir();
        string text = dir.Write("empty.txt", "");
        var e = Assert.Throws<LmToLlmFormatException>(() => SuffixArrayBuilder.Build(text, dir.File("i.sa")));
        Assert.Contains("empty.txt", e.Message);
        Assert.False(File.Exists(dir.File("i.sa")));
    }

    [Fact]
    public void A_budget_smaller_than_one_document_says_the_minimum()
    {
        using var dir = new TempDir();
        string text = dir.Write("c.txt", "a b\n" + string.Join(' ', Enumerable.Repeat("x", 50)) + "\n");
        var e = Assert.Throws<LmToLlmException>(() => SuffixArrayBuilder.Build(text, dir.File("i.sa"), new SuffixArrayBuildOptions { MemoryBudget = 20 * SuffixArrayBuilder.TokenBuildBytes }));
        Assert.Contains("c.txt:2", e.Message);
        Assert.Contains($"at least {52 * SuffixArrayBuilder.TokenBuildBytes}", e.Message);
    }

    [Fact]
    public void One_token_corpus_and_a_document_longer_than_the_rest()
    {
        using var dir = new TempDir();
        string text = dir.Write("c.txt", "z\n");
        SuffixArrayBuilder.Build(text, dir.File("i.sa"));
        using (var index = SuffixArrayIndex.Open(dir.File("i.sa"), verify: true))
        {
            Assert.Equal(1, index.Count("z"));
            Assert.Equal(0, index.Count("z z"));
        }
        string longer = dir.Write("l.txt", "a\n" + string.Join(' ', Enumerable.Repeat("a b", 500)) + "\nb\n");
        SuffixArrayBuilder.Build(longer, dir.File("l.sa"));
        using var big = SuffixArrayIndex.Open(dir.File("l.sa"), verify: true);
        Assert.Equal(501, big.Count("a"));
        Assert.Equal(499, big.Count("b a"));
    }

    [Fact]
    public void Truncated_or_corrupted_index_names_the_file()
    {
        using var dir = new TempDir();
        string text = dir.Write("c.txt", "a b a b c\nb a b\n");
        string path = dir.File("i.sa");
        SuffixArrayBuilder.Build(text, path);
        byte[] good = File.ReadAllBytes(path);
        File.WriteAllBytes(path, good[..^9]);
        Assert.Contains("i.sa", Assert.Throws<LmToLlmFormatException>(() => SuffixArrayIndex.Open(path)).Message);
        var flipped = (byte[])good.Clone();
        flipped[^20] ^= 0x10;
        File.WriteAllBytes(path, flipped);
        var e = Assert.Throws<LmToLlmFormatException>(() => SuffixArrayIndex.Open(path, verify: true));
        Assert.Contains("i.sa", e.Message);
        Assert.Contains("checksum", e.Message);
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("hello world, not an index"));
        Assert.Contains("not an LmToLlm suffix-array index", Assert.Throws<LmToLlmFormatException>(() => SuffixArrayIndex.Open(path)).Message);
    }

    [Theory]
    [InlineData(SuffixArrayMode.Tokens)]
    [InlineData(SuffixArrayMode.Bytes)]
    public void Every_pointer_width_gives_the_same_counts_occurrences_and_next_tokens(SuffixArrayMode mode)
    {
        using var dir = new TempDir();
        var random = new Random(33);
        var lines = RandomLines(random, 120, 9, 6);
        string text = dir.Write("c.txt", string.Join('\n', lines) + "\n");
        long budget = 150 * (mode == SuffixArrayMode.Bytes ? SuffixArrayBuilder.ByteBuildBytes : SuffixArrayBuilder.TokenBuildBytes);
        var indexes = new List<SuffixArrayIndex>();
        try
        {
            foreach (int width in new[] { 3, 4, 5 })
                foreach (long memory in new[] { 0L, budget })
                {
                    string path = dir.File($"w{width}-{memory}.sa");
                    var report = SuffixArrayBuilder.Build(text, path, new SuffixArrayBuildOptions { Mode = mode, MemoryBudget = memory, PointerWidth = width });
                    Assert.True(memory == 0 || report.Shards > 2, $"{report.Shards} shards");
                    var index = SuffixArrayIndex.Open(path, verify: true);
                    indexes.Add(index);
                    Assert.Equal(width, index.PointerWidth);
                }
            var split = lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            var first = indexes[0];
            for (int q = 0; q < 200; q++)
            {
                var line = split[random.Next(split.Count)];
                if (line.Length == 0) continue;
                int from = random.Next(line.Length), length = random.Next(1, Math.Min(5, line.Length - from) + 1);
                string query = string.Join(' ', line[from..(from + length)]);
                long count = first.Count(query);
                if (mode == SuffixArrayMode.Tokens) Assert.Equal(BruteCount(split, line[from..(from + length)]), count);
                var found = Occurrences(first, query);
                Assert.Equal(count, found.Count);
                var next = mode == SuffixArrayMode.Tokens ? new InfiniGram(first).NextTokens(first.Tokenize(query)) : null; // the ∞-gram is over tokens
                foreach (var other in indexes.Skip(1))
                {
                    Assert.Equal(count, other.Count(query));
                    Assert.Equal(found, Occurrences(other, query));
                    if (next is null) continue;
                    var otherNext = new InfiniGram(other).NextTokens(other.Tokenize(query));
                    Assert.Equal((next.SuffixLength, next.SuffixCount), (otherNext.SuffixLength, otherNext.SuffixCount));
                    Assert.Equal(next.Continuations, otherNext.Continuations);
                }
            }
        }
        finally
        {
            foreach (var index in indexes) index.Dispose();
        }

        static List<(long, long)> Occurrences(SuffixArrayIndex index, string query) =>
            [.. index.Find(query, take: 100_000).Select(o => (o.Document, o.Offset)).Order()];
    }

    [Fact]
    public void Pointer_width_follows_the_shard_length_and_a_version_2_index_is_refused_as_older()
    {
        using var dir = new TempDir();
        string text = dir.Write("c.txt", "a b a b c\nb a b\n");
        string path = dir.File("i.sa");
        SuffixArrayBuilder.Build(text, path);
        using (var index = SuffixArrayIndex.Open(path, verify: true)) Assert.Equal(3, index.PointerWidth);
        Assert.Equal(3, SuffixArrayFile.PointerWidthFor((1L << 24) - 1));
        Assert.Equal(4, SuffixArrayFile.PointerWidthFor(1L << 24));
        Assert.Equal(4, SuffixArrayFile.PointerWidthFor(uint.MaxValue));
        Assert.Equal(5, SuffixArrayFile.PointerWidthFor(1L << 32));
        byte[] bytes = File.ReadAllBytes(path);
        bytes[8] = 2; // the format version
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<LmToLlmFormatException>(() => SuffixArrayIndex.Open(path));
        Assert.Contains("i.sa", e.Message);
        Assert.Contains("older version", e.Message);
    }
}
