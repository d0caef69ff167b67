using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace LmToLlm.Tests.Packaging;

/// <summary>
/// A package packed from source is versioned VersionPrefix-dev.&lt;UTC time of the newest source file&gt;, so a re-pack
/// after a change never collides with a copy already in the NuGet cache (Directory.Build.targets).
/// </summary>
public sealed partial class LocalVersionTests
{
    [Fact]
    public void A_local_pack_is_a_dev_version_stamped_with_the_newest_source_file()
    {
        string root = SharedData.RepositoryRoot;
        string prefix = XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        string version = PackVersion();
        Assert.Matches(DevVersion(), version);
        Assert.StartsWith(prefix + "-dev.", version);

        // The stamp is the newest write time among the files that go into the packages.
        var inputs = Directory.EnumerateFiles(Path.Combine(root, "src"), "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Concat(Directory.EnumerateFiles(root, "Directory.*"));
        string newest = inputs.Max(f => File.GetLastWriteTimeUtc(f))!.ToString("yyyyMMddHHmmss");
        Assert.Equal($"{prefix}-dev.{newest}", version);
    }

    private static string PackVersion()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = SharedData.RepositoryRoot };
        foreach (string a in new[] { "msbuild", "src/LmToLlm/LmToLlm.csproj", "-t:LmToLlmDevVersion", "-p:_IsPacking=true", "-getProperty:PackageVersion", "-nologo" })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output + error.Result);
        return output;
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+-dev\.\d{14}$")]
    private static partial Regex DevVersion();
}
