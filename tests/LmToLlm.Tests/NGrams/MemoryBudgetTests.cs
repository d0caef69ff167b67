using LmToLlm.Cli;
using LmToLlm.NGrams;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.NGrams;

/// <summary>
/// Counting within a memory budget (<c>ngram train --memory</c>): the token stream goes to a temporary file and is counted
/// in chunks; the counts, their ids and so the ARPA file must be byte-identical to counting in memory, and no temporary
/// file may outlive the call, cancelled or not.
/// </summary>
public sealed class MemoryBudgetTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Arpa(NGramCounts counts)
    {
        var stream = new MemoryStream();
        NGramTrainer.ModifiedKneserNey(counts, discountFallback: true).WriteArpa(stream);
        return stream.ToArray();
    }

    private sealed class Recorder(Action<StageProgress>? onReport = null) : IProgress<StageProgress>
    {
        public int Chunks;

        public void Report(StageProgress value)
        {
            if (value.Stage == "counting") Chunks++;
            onReport?.Invoke(value);
        }
    }

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public void Chunked_counts_have_the_ids_and_arpa_of_counting_in_memory(int seed)
    {
        var random = new Random(seed);
        string[] corpus = PropertyTests.RandomCorpus(random);
        int order = random.Next(1, 6), threads = random.Next(1, 5);
        // Chunks of 1 token are shorter than every sentence: the reader must grow them to whole sentences.
        int chunk = random.Next(1, 40);
        var inMemory = NGramCounts.FromLines(corpus, new NGramCountOptions { Order = order, MaxDegreeOfParallelism = threads });
        var recorder = new Recorder();
        var options = new NGramCountOptions { Order = order, MaxDegreeOfParallelism = threads, MemoryBudget = NGramCountOptions.MinimumMemoryBudget, TempDirectory = _dir.Path, MaximumChunkTokens = chunk };
        var chunked = NGramCounts.FromLines(corpus, options, progress: recorder);
        for (int k = 1; k <= order; k++)
            Assert.Equal(inMemory.Enumerate(k).Select(e => (string.Join(' ', e.Words), e.Count)), chunked.Enumerate(k).Select(e => (string.Join(' ', e.Words), e.Count)));
        if (order > 1) Assert.Equal(Arpa(inMemory), Arpa(chunked));
        Assert.True(recorder.Chunks >= 1);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [SharedFact("reference/ptb/ptb.train.UNK.txt", "reference/ptb/ptb.o5.arpa.gz")]
    public void Ptb_in_16M_spills_many_chunks_and_writes_the_in_memory_arpa_byte_for_byte_and_lmplzs_lines()
    {
        var recorder = new Recorder();
        var options = new NGramCountOptions { Order = 5, MemoryBudget = NGramCountOptions.MinimumMemoryBudget, TempDirectory = _dir.Path };
        var counts = NGramCounts.FromFile(PtbReference.File("ptb.train.UNK.txt"), options, recorder);
        Assert.True(recorder.Chunks >= 5, $"{recorder.Chunks} chunks");
        var spilled = new MemoryStream();
        NGramTrainer.ModifiedKneserNey(counts).WriteArpa(spilled);
        var inMemory = new MemoryStream();
        PtbReference.Ours(5).WriteArpa(inMemory);
        Assert.True(inMemory.ToArray().AsSpan().SequenceEqual(spilled.ToArray()), "the ARPA of the chunked count differs from the in-memory one");

        // And the same lines as lmplz -o 5 (lmplz orders lines within a section differently).
        string[] ours = System.Text.Encoding.UTF8.GetString(spilled.ToArray()).Split('\n');
        var theirs = new List<string>();
        using (var reader = LmToLlm.Corpora.TextLines.OpenText(PtbReference.File("ptb.o5.arpa.gz")))
        {
            for (string? line; (line = reader.ReadLine()) is not null;) theirs.Add(line);
        }
        theirs.Add("");
        Array.Sort(ours, StringComparer.Ordinal);
        theirs.Sort(StringComparer.Ordinal);
        Assert.Equal(theirs, ours);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void The_temporary_file_is_gone_while_counting_and_after_cancellation()
    {
        string[] corpus = [.. Enumerable.Range(0, 400).Select(i => $"w{i % 37} w{i % 11} w{i % 5} end")];
        using var cancel = new CancellationTokenSource();
        int seen = 0;
        var recorder = new Recorder(p =>
        {
            if (p.Stage != "counting") return;
            seen++;
            // Unix: the file is unlinked as soon as it is created; Windows deletes it on close.
            if (!OperatingSystem.IsWindows()) Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
            if (seen == 2) cancel.Cancel();
        });
        var options = new NGramCountOptions { Order = 3, MemoryBudget = NGramCountOptions.MinimumMemoryBudget, TempDirectory = _dir.Path, MaximumChunkTokens = 50 };
        Assert.ThrowsAny<OperationCanceledException>(() => NGramCounts.FromLines(corpus, options, progress: recorder, cancellationToken: cancel.Token));
        Assert.Equal(2, seen);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void A_budget_below_the_minimum_is_refused()
    {
        var options = new NGramCountOptions { Order = 3, MemoryBudget = 1 << 20 };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NGramCounts.FromLines(["a b"], options));
        Assert.Contains("MemoryBudget", e.Message);
    }

    [Fact]
    public void Cli_memory_gives_the_same_arpa_and_refuses_bad_sizes_on_one_line()
    {
        string text = _dir.Write("t.txt", string.Join('\n', HandComputedTests.Corpus) + "\n");
        string plain = _dir.File("plain.arpa"), budget = _dir.File("budget.arpa");
        Assert.Equal(0, Run("ngram", "train", "--text", text, "--order", "2", "--smoothing", "kn", "--arpa", plain).Code);
        var spilled = Run("ngram", "train", "--text", text, "--order", "2", "--smoothing", "kn", "--arpa", budget, "--memory", "16M", "--temp-dir", _dir.Path);
        Assert.True(spilled.Code == 0, spilled.Err);
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(budget));

        var small = Run("ngram", "train", "--text", text, "--arpa", budget, "--memory", "1M");
        Assert.Equal(CliApp.Usage, small.Code);
        Assert.Equal("lmtollm: --memory must be at least 16M (got 1M)", small.Err.Trim());
        foreach (string value in new[] { "0", "-1", "NaN", "1e308", "lots", "1Q", "" })
        {
            var bad = Run("ngram", "train", "--text", text, "--arpa", budget, "--memory", value);
            Assert.True(bad.Code is 1 or 2, $"--memory '{value}': exit {bad.Code}");
            Assert.Single(bad.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("--memory", bad.Err);
        }
        var missingFolder = Run("ngram", "train", "--text", text, "--arpa", budget, "--memory", "1G", "--temp-dir", _dir.File("nope"));
        Assert.Equal(CliApp.Usage, missingFolder.Code);
        Assert.Contains("--temp-dir", missingFolder.Err);
    }
}
