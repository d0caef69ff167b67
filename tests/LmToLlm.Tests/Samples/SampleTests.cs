using System.Diagnostics;
using System.Reflection;
using LmToLlm.Samples.Synthetic;

namespace LmToLlm.Tests.Samples;

/// <summary>
/// Every sample runs on a bare clone: by default it uses data it ships or generates and says so; ../shared is only
/// read when asked for (--shared). The slow ones (a minute or more) are checked to start and exit 0 with --help.
/// </summary>
public sealed class SampleTests
{
    private static readonly string Configuration =
        typeof(SampleTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    [Fact]
    public void DataCleaning_generates_its_text_by_default_and_cleans_it()
    {
        var (code, output, error) = RunSample("DataCleaning");
        Assert.True(code == 0, error);
        Assert.StartsWith("text: generated here (no download)", output);
        Assert.Contains("corpus: 7,600 documents = 6,000 real + 600 exact duplicates + 600 near duplicates + 400 junk", output);
        Assert.Contains("\nkept ", output);
    }

    [Fact]
    public void DataCleaning_reads_a_given_corpus_and_refuses_a_missing_one_in_one_line()
    {
        using var dir = new TempDir();
        var (code, output, error) = RunSample("DataCleaning", [dir.File("missing.txt")]);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"DataCleaning: {dir.File("missing.txt")}: no such file\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void WordAnalogies_says_by_default_that_it_trains_on_text_generated_here()
    {
        // The full default run trains for about half a minute; its first lines say what it trains on.
        var lines = FirstLines("WordAnalogies", 3);
        Assert.StartsWith("Training text: generated here (no download)", lines[0]);
        Assert.Contains("--shared trains on real books", lines[2]);
    }

    [Fact]
    public void WordAnalogies_trains_on_a_given_text_and_answers()
    {
        using var dir = new TempDir();
        string text = dir.File("text.txt");
        BuiltInCollections.WriteTrainingText("en", text, tokens: 60_000);
        var (code, output, error) = RunSample("WordAnalogies", [text]);
        Assert.True(code == 0, error);
        Assert.StartsWith($"Training text: {text}", output);
        Assert.Contains("words × 100 dimensions", output);
        Assert.Contains("Nearest neighbours (cosine):", output);
    }

    [Fact]
    public void Subwords_measures_the_committed_parallel_help_and_concludes_from_its_numbers()
    {
        using var dir = new TempDir();
        string output = dir.File("out");
        string input = Path.Combine(SharedData.RepositoryRoot, "corpora", "real", "en-ko-parallel", "help-paragraphs.tsv.gz");
        var (code, stdout, error) = Run(StartInfo("Subwords", [input, output], dir.Path), TimeSpan.FromMinutes(3));
        Assert.True(code == 0, error);
        Assert.Contains("25,416 training and 2,343 held-out paragraph pairs", stdout);
        var rows = File.ReadAllLines(Path.Combine(output, "fertility.csv"));
        Assert.Equal(1 + 2 * 2 * 3, rows.Length);
        // Every row: more vocabulary, fewer pieces per word, for each language and algorithm.
        foreach (var group in rows.Skip(1).Select(r => r.Split(',')).GroupBy(f => (f[0], f[1])))
        {
            var perWord = group.Select(f => double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.True(perWord.SequenceEqual(perWord.OrderDescending()), $"{group.Key}: {string.Join(", ", perWord)}");
        }
        Assert.Contains("What it shows:", stdout);
        Assert.True(new FileInfo(Path.Combine(output, "fertility.png")).Length > 10_000);
    }

    [Fact]
    public void Subwords_refuses_a_malformed_table_in_one_line()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.tsv"), "page\tenglish\tkorean\np1\tonly two\n");
        var (code, output, error) = Run(StartInfo("Subwords", [dir.File("bad.tsv"), dir.File("out")], dir.Path), TimeSpan.FromMinutes(1));
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"Subwords: {dir.File("bad.tsv")}:2: 2 columns, the header has 3\n", error.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("TokenizerTour", "text: ")]
    [InlineData("NGramPlayground", "Built-in corpus: ")]
    public void Quick_samples_run_on_built_in_data(string sample, string firstLine)
    {
        var (code, output, error) = RunSample(sample);
        Assert.True(code == 0, error);
        Assert.StartsWith(firstLine, output);
    }

    [Theory]
    [InlineData("LexicalVsSemantic", "nothing is downloaded")]
    [InlineData("TopicClassification", "nothing is downloaded")]
    [InlineData("WordAnalogies", "usage: WordAnalogies [--shared | text.txt[.gz]]")]
    [InlineData("DataCleaning", "usage: DataCleaning [--shared | corpus.txt[.gz]]")]
    public void Slow_samples_start_and_exit_0(string sample, string expected)
    {
        var (code, output, error) = RunSample(sample, ["--help"]);
        Assert.True(code == 0, error);
        Assert.Contains(expected, output);
    }

    internal static ProcessStartInfo StartInfo(string sample, string[] args, string workingDirectory)
    {
        string dll = Path.Combine(SharedData.RepositoryRoot, "samples", sample, "bin", Configuration, "net10.0", sample + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the tests (they build the samples)");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(dll);
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        info.Environment["TMPDIR"] = workingDirectory; // a killed run's temporary files go with the test's folder
        return info;
    }

    private static (int Code, string Out, string Err) RunSample(string sample, string[]? args = null)
    {
        using var dir = new TempDir();
        return Run(StartInfo(sample, args ?? [], dir.Path), TimeSpan.FromMinutes(2));
    }

    internal static (int Code, string Out, string Err) Run(ProcessStartInfo info, TimeSpan timeout)
    {
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout)) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return (process.ExitCode, stdout.Result.ReplaceLineEndings("\n"), stderr.Result);
    }

    private static List<string> FirstLines(string sample, int count)
    {
        using var dir = new TempDir();
        using var process = Process.Start(StartInfo(sample, [], dir.Path))!;
        _ = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        try
        {
            while (lines.Count < count && process.StandardOutput.ReadLine() is { } line) lines.Add(line);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        return lines;
    }
}
