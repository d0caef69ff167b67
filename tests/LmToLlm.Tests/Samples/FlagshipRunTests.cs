namespace LmToLlm.Tests.Samples;

/// <summary>
/// The flagship end to end on a small BEIR folder cut from the shipped reverse-dictionary collection. It trains word
/// vectors and runs MiniLM on every core, so it runs alone, after the parallel tests (a collection without
/// parallelization), and cannot starve the time-bounded ones.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class FlagshipRunTests
{
    [Fact]
    public void LexicalVsSemantic_runs_on_a_small_BEIR_folder_and_redirected_output_has_no_ANSI_codes()
    {
        // 120 documents of the shipped reverse-dictionary collection and the test queries judged inside them.
        using var dir = new TempDir();
        string source = Path.Combine(SharedData.RepositoryRoot, "corpora", "real", "en-revdict");
        string folder = Path.Combine(dir.Path, "small");
        Directory.CreateDirectory(Path.Combine(folder, "qrels"));
        var docs = ReadGz(Path.Combine(source, "corpus.jsonl.gz")).Take(120).ToList();
        var ids = docs.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("_id").GetString()!).ToHashSet();
        var qrels = File.ReadLines(Path.Combine(source, "qrels", "test.tsv")).ToList();
        var kept = qrels.Skip(1).Where(l => ids.Contains(l.Split('\t')[1])).ToList();
        var queryIds = kept.Select(l => l.Split('\t')[0]).ToHashSet();
        File.WriteAllLines(Path.Combine(folder, "corpus.jsonl"), docs);
        File.WriteAllLines(Path.Combine(folder, "qrels", "test.tsv"), [qrels[0], .. kept]);
        File.WriteAllLines(Path.Combine(folder, "queries.jsonl"), ReadGz(Path.Combine(source, "queries.jsonl.gz"))
            .Where(l => queryIds.Contains(System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("_id").GetString()!)));
        Assert.True(queryIds.Count >= 5, $"{queryIds.Count} queries");

        var info = SampleTests.StartInfo("LexicalVsSemantic", ["--collection", folder, "--out", Path.Combine(dir.Path, "out")], dir.Path);
        info.Environment.Remove("NO_COLOR");   // redirected output alone must be plain
        var (code, stdout, stderr) = SampleTests.Run(info, TimeSpan.FromMinutes(5));
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain('\u001b', stdout);
        Assert.DoesNotContain('\u001b', stderr);
        Assert.Contains($"small, all ({queryIds.Count} queries):", stdout);   // the computed conclusion
        Assert.True(File.Exists(Path.Combine(dir.Path, "out", "metrics.csv")));
    }

    private static IEnumerable<string> ReadGz(string path)
    {
        using var reader = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress));
        while (reader.ReadLine() is { } line) yield return line;
    }
}
