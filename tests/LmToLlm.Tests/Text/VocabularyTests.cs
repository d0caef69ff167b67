using LmToLlm.Text;

namespace LmToLlm.Tests.Text;

public sealed class VocabularyTests
{
    [Fact]
    public void Interns_in_first_seen_order_and_counts()
    {
        var vocabulary = new Vocabulary();
        Analyzer.Simple.Analyze("the cat saw the dog; the end", vocabulary);
        Assert.Equal(["the", "cat", "saw", "dog", "end"], vocabulary.Tokens);
        Assert.Equal([3L, 1, 1, 1, 1], vocabulary.Counts.ToArray());
        Assert.Equal(7, vocabulary.TotalCount);
        Assert.Equal(0, vocabulary.IdOf("the".AsSpan()));
        Assert.Equal(Vocabulary.NotFound, vocabulary.IdOf("bird"));
        Assert.True(vocabulary.TryGetId("dog xx".AsSpan(0, 3), out int dog));
        Assert.Equal(3, dog);
        Assert.Equal("dog", vocabulary[dog]);
    }

    [Fact]
    public void GetOrAdd_interns_without_counting()
    {
        var vocabulary = new Vocabulary();
        Assert.Equal(0, vocabulary.GetOrAdd("a"));
        Assert.Equal(0, vocabulary.GetOrAdd("a"));
        Assert.Equal(1, vocabulary.GetOrAdd("b"));
        Assert.Equal(0, vocabulary.GetCount(0));
        Assert.Equal(0, vocabulary.TotalCount);
    }

    [Fact]
    public void Span_lookup_does_not_allocate()
    {
        var vocabulary = new Vocabulary();
        vocabulary.Add("hello");
        char[] buffer = "say hello".ToCharArray();
        vocabulary.IdOf(buffer.AsSpan(4)); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        int id = 0;
        for (int i = 0; i < 1000; i++) id += vocabulary.IdOf(buffer.AsSpan(4));
        for (int i = 0; i < 1000; i++) vocabulary.Add(buffer.AsSpan(4));
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, id);
        Assert.Equal(0, after - before);
    }

    [Fact]
    public void ByFrequency_orders_by_count_then_ordinal_and_prunes()
    {
        var vocabulary = Vocabulary.FromCounts([new("b", 2), new("a", 2), new("c", 5), new("d", 1)]);
        var sorted = vocabulary.ByFrequency(2, out int[] map);
        Assert.Equal(["c", "a", "b"], sorted.Tokens);
        Assert.Equal([5L, 2, 2], sorted.Counts.ToArray());
        Assert.Equal([2, 1, 0, Vocabulary.NotFound], map);
        Assert.Equal(9, sorted.TotalCount);

        var pruned = vocabulary.Pruned(2, out int[] keptMap);
        Assert.Equal(["b", "a", "c"], pruned.Tokens);
        Assert.Equal([0, 1, 2, Vocabulary.NotFound], keptMap);
    }

    [Fact]
    public void FromCounts_rejects_duplicates() =>
        Assert.Throws<ArgumentException>(() => Vocabulary.FromCounts([new("a", 1), new("a", 2)]));

    [Fact]
    public void Save_and_load_round_trip_including_escaped_tokens()
    {
        using var dir = new TempDir();
        var vocabulary = Vocabulary.FromCounts([new("plain", 3), new("tab\there", 1), new("back\\slash\nnl\r", 2), new("학교", 7), new("", 0)]);
        string path = dir.File("v.tsv");
        vocabulary.Save(path);
        var loaded = Vocabulary.Load(path);
        Assert.Equal(vocabulary.Tokens, loaded.Tokens);
        Assert.Equal(vocabulary.Counts.ToArray(), loaded.Counts.ToArray());
        Assert.StartsWith("#lmtollm-vocabulary 1 5\nplain\t3\ntab\\there\t1\n", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("", 1, "empty file")]
    [InlineData("word\t3\n", 1, "not a vocabulary file")]
    [InlineData("#lmtollm-vocabulary 2 1\na\t1\n", 1, "unsupported vocabulary format version '2'")]
    [InlineData("#lmtollm-vocabulary 1 x\n", 1, "bad size")]
    [InlineData("#lmtollm-vocabulary 1 2\na\t1\nb 2\n", 3, "expected 'token<TAB>count'")]
    [InlineData("#lmtollm-vocabulary 1 2\na\t1\nb\t-2\n", 3, "count '-2' is not a non-negative integer")]
    [InlineData("#lmtollm-vocabulary 1 2\na\t1\na\t2\n", 3, "duplicate token 'a'")]
    [InlineData("#lmtollm-vocabulary 1 3\na\t1\nb\t2\n", 3, "the header announces 3 tokens but the file has 2")]
    [InlineData("#lmtollm-vocabulary 1 1\na\t1\nb\t2\n", 3, "more tokens than the 1")]
    [InlineData("#lmtollm-vocabulary 1 1\na\\x\t1\n", 2, "bad escape")]
    public void Load_rejects_malformed_files_with_file_and_line(string content, long line, string problem)
    {
        using var dir = new TempDir();
        string path = dir.File("bad.vocab");
        File.WriteAllText(path, content);
        var e = Assert.Throws<LmToLlmFormatException>(() => Vocabulary.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void A_failed_save_leaves_the_old_file()
    {
        using var dir = new TempDir();
        string path = dir.File("v.tsv");
        File.WriteAllText(path, "old");
        Assert.ThrowsAny<Exception>(() => AtomicFile.WriteText(path, w => { w.Write("half"); throw new InvalidOperationException("boom"); }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
