using LmToLlm.Cli;
using LmToLlm.NGrams;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.NGrams;

/// <summary>
/// Kneser-Ney estimated on disk within a memory budget (<see cref="KneserNeyOnDisk"/>): its ARPA must equal lmplz's
/// byte for byte, hold the same lines as the in-memory estimator's, and leave no temporary file behind.
/// </summary>
public sealed class OnDiskTrainingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (long Number, string Text)[] Numbered(IEnumerable<string> lines) => [.. lines.Select((line, i) => ((long)i + 1, line))];

    private NGramCountOptions Options(int order, int runRecords = 0) => new()
    {
        Order = order,
        MemoryBudget = NGramCountOptions.MinimumMemoryBudget,
        TempDirectory = _dir.Path,
        MaximumRunRecords = runRecords,
    };

    private static byte[] Arpa(KneserNeyOnDisk model)
    {
        var stream = new MemoryStream();
        model.WriteArpa(stream);
        return stream.ToArray();
    }

    private static byte[] InMemoryArpa(string[] corpus, int order, bool modified)
    {
        var counts = NGramCounts.FromLines(corpus, new NGramCountOptions { Order = order, MaxDegreeOfParallelism = 1 });
        var options = new NGramTrainingOptions { Smoothing = modified ? Smoothing.ModifiedKneserNey : Smoothing.KneserNey, DiscountFallback = true };
        var stream = new MemoryStream();
        ((BackoffModel)NGramTrainer.Train(counts, options)).WriteArpa(stream);
        return stream.ToArray();
    }

    [FsCheck.Xunit.Property(MaxTest = 80)]
    public void Random_texts_in_runs_of_a_few_records_give_the_in_memory_model(int seed)
    {
        var random = new Random(seed);
        string[] corpus = PropertyTests.RandomCorpus(random);
        int order = random.Next(1, 6), runRecords = random.Next(1, 12);
        bool modified = random.Next(2) == 0;
        using var model = KneserNeyOnDisk.Train("<text>", Numbered(corpus), Options(order, runRecords), modified, discountFallback: true, null, CancellationToken.None);
        Assert.Equal(InMemoryArpa(corpus, order, modified), Arpa(model));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [SharedTheory("reference/ptb/ptb.train.UNK.txt", "reference/ptb/ptb.o5.arpa.gz")]
    [InlineData(3, 0)]
    [InlineData(5, 0)]
    [InlineData(5, 50_000)]
    public void Ptb_arpa_equals_lmplzs_byte_for_byte(int order, int runRecords)
    {
        using var model = KneserNeyOnDisk.Train(PtbReference.File("ptb.train.UNK.txt"), Options(order, runRecords), modified: true, discountFallback: false);
        byte[] ours = Arpa(model);
        using var reference = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(File.OpenRead(PtbReference.File($"ptb.o{order}.arpa.gz")), System.IO.Compression.CompressionMode.Decompress))
        {
            gz.CopyTo(reference);
        }
        Assert.True(reference.ToArray().AsSpan().SequenceEqual(ours), FirstDifference(reference.ToArray(), ours));
        var statistics = PtbReference.Ours(order).Statistics!;
        Assert.Equal(statistics, model.Statistics);
    }

    private static string FirstDifference(byte[] expected, byte[] actual)
    {
        string[] a = System.Text.Encoding.UTF8.GetString(expected).Split('\n'), b = System.Text.Encoding.UTF8.GetString(actual).Split('\n');
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i]) return $"line {i + 1}: lmplz '{a[i]}', ours '{b[i]}'";
        }
        return $"lmplz has {a.Length} lines, ours {b.Length}";
    }

    [Fact]
    public void Discounts_out_of_range_fail_as_in_memory_unless_the_fallback_is_asked_for()
    {
        string[] corpus = ["a b", "a b", "a b"];
        var inMemory = Assert.Throws<BadDiscountException>(() => NGramTrainer.Train(NGramCounts.FromLines(corpus, new NGramCountOptions { Order = 2 })));
        var onDisk = Assert.Throws<BadDiscountException>(() => KneserNeyOnDisk.Train("<text>", Numbered(corpus), Options(2), modified: true, discountFallback: false, null, CancellationToken.None));
        Assert.Equal(inMemory.Message, onDisk.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void Cancelling_leaves_no_temporary_file()
    {
        string[] corpus = [.. Enumerable.Range(0, 3000).Select(i => $"w{i % 37} w{i % 11} w{i % 5} w{i % 101} end")];
        using var cancel = new CancellationTokenSource();
        int reports = 0;
        var progress = new Progress(p =>
        {
            if (!OperatingSystem.IsWindows()) Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path)); // unlinked at once
            if (++reports == 5) cancel.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => KneserNeyOnDisk.Train("<text>", Numbered(corpus), Options(4, 100), true, true, progress, cancel.Token));
        Assert.Equal(5, reports);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    private sealed class Progress(Action<StageProgress> report) : IProgress<StageProgress>
    {
        public void Report(StageProgress value) => report(value);
    }

    [Fact]
    public void Cli_memory_writes_the_in_memory_arpa_and_statistics_and_names_bad_lines()
    {
        string text = _dir.Write("t.txt", string.Join('\n', HandComputedTests.Corpus) + "\n");
        string plain = _dir.File("plain.arpa"), budget = _dir.File("budget.arpa");
        var inMemory = Run("ngram", "train", "--text", text, "--order", "3", "--discount-fallback", "--arpa", plain);
        Assert.True(inMemory.Code == 0, inMemory.Err);
        string scratch = Directory.CreateDirectory(_dir.File("scratch")).FullName;
        var onDisk = Run("ngram", "train", "--text", text, "--order", "3", "--discount-fallback", "--arpa", budget, "--memory", "16M", "--temp-dir", scratch);
        Assert.True(onDisk.Code == 0, onDisk.Err);
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(budget));
        Assert.Equal(inMemory.Out.Replace(plain, "X"), onDisk.Out.Replace(budget, "X"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));

        string bad = _dir.Write("bad.txt", "a b\nc <s> d\n");
        var refused = Run("ngram", "train", "--text", bad, "--arpa", budget, "--memory", "16M");
        Assert.Equal(CliApp.BadInput, refused.Code);
        Assert.Single(refused.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("bad.txt:2", refused.Err);
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(budget)); // the earlier output is untouched
    }
}
