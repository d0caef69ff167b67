using System.Diagnostics;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary>
/// Only a regular file is replaced atomically: <c>-</c> and <c>/dev/stdout</c> are standard output, a character device
/// or a FIFO is written in place and stays what it was, a symbolic link stays a link and its target gets the new
/// content, a folder is refused. Run as root (as CI and containers do) these matter most: root may rename over
/// <c>/dev/stdout</c>. Each output option goes through <see cref="AtomicFile"/>, so one command stands for all.
/// </summary>
[Trait("Category", "Robustness")]
public sealed class OutputKindTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] Search(string run)
    {
        string corpus = _dir.Write("c.jsonl", "{\"_id\":\"d1\",\"text\":\"the cat sat\"}\n{\"_id\":\"d2\",\"text\":\"a dog ran\"}\n");
        string queries = _dir.Write("q.jsonl", "{\"_id\":\"q1\",\"text\":\"cat\"}\n");
        return ["search", "--corpus", corpus, "--queries", queries, "--run", run];
    }

    private const string RunLine = "q1 Q0 d1 1 0.6099695 lmtollm-bm25-lucene\n";

    [Fact]
    public void Regular_file_is_replaced_atomically()
    {
        string path = _dir.Write("out.run", "previous\n");
        var (code, _, err) = Run(Search(path));
        Assert.True(code == 0, err);
        Assert.Equal(RunLine, File.ReadAllText(path));
        Assert.DoesNotContain(Directory.GetFiles(_dir.Path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-")]
    [InlineData("/dev/stdout")]
    public void Dash_and_dev_stdout_are_standard_output_and_no_file_is_made(string name)
    {
        string before = OperatingSystem.IsWindows() ? "" : new FileInfo("/dev/stdout").LinkTarget ?? "";
        string cwd = Directory.GetCurrentDirectory();
        var (code, stdout, stderr) = Run(Search(name));
        Assert.True(code == 0, stderr);
        Assert.Equal(RunLine, stdout);                  // the run alone: the summary line moved to stderr
        Assert.Contains("1 queries", stderr);
        Assert.False(File.Exists(Path.Combine(cwd, "-")));
        if (!OperatingSystem.IsWindows()) Assert.Equal(before, new FileInfo("/dev/stdout").LinkTarget);
    }

    [Fact]
    public void Character_device_is_written_in_place_and_stays_a_device()
    {
        if (OperatingSystem.IsWindows()) return;
        var (code, _, err) = Run(Search("/dev/null"));
        Assert.True(code == 0, err);
        Assert.Equal(0, new FileInfo("/dev/null").Length);
        Assert.Null(new FileInfo("/dev/null").LinkTarget);
        Assert.True(IsCharacterDevice("/dev/null"));
    }

    [Fact]
    public async Task Fifo_is_written_in_place_and_stays_a_fifo()
    {
        if (OperatingSystem.IsWindows()) return;
        string fifo = _dir.File("pipe");
        Process.Start("mkfifo", fifo).WaitForExit();
        var reader = Task.Run(() => File.ReadAllText(fifo)); // opening blocks until the writer opens
        var (code, _, err) = Run(Search(fifo));
        Assert.True(code == 0, err);
        Assert.Equal(RunLine, await reader.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(IsFifo(fifo));
    }

    [Fact]
    public void Symbolic_link_stays_a_link_and_its_target_gets_the_content()
    {
        string target = _dir.Write("real.run", "previous\n");
        string link = _dir.File("link.run");
        File.CreateSymbolicLink(link, "real.run");
        var (code, _, err) = Run(Search(link));
        Assert.True(code == 0, err);
        Assert.Equal("real.run", new FileInfo(link).LinkTarget);
        Assert.Equal(RunLine, File.ReadAllText(target));
        Assert.DoesNotContain(Directory.GetFiles(_dir.Path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Dangling_symbolic_link_creates_its_target()
    {
        string link = _dir.File("link.run");
        File.CreateSymbolicLink(link, "new.run");
        var (code, _, err) = Run(Search(link));
        Assert.True(code == 0, err);
        Assert.Equal("new.run", new FileInfo(link).LinkTarget);
        Assert.Equal(RunLine, File.ReadAllText(_dir.File("new.run")));
    }

    [Fact]
    public void Folder_is_refused_with_its_own_message()
    {
        var (code, _, err) = Run(Search(_dir.Path));
        Assert.Equal(1, code);
        // The one error line follows the redirected stage lines of the index build.
        Assert.Equal([$"lmtollm: {_dir.Path}: is a folder; give a file name"], err.Split('\n').Where(l => l.StartsWith("lmtollm:", StringComparison.Ordinal)));
    }

    private static bool IsCharacterDevice(string path) => FileType(path) == "character special file";

    private static bool IsFifo(string path) => FileType(path) == "fifo";

    /// <summary>The file type as stat(1) names it (%F), independent of the code under test.</summary>
    private static string FileType(string path)
    {
        var info = new ProcessStartInfo("stat", ["-c", "%F", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        string type = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return type;
    }
}
