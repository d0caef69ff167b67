using System.Runtime.CompilerServices;

namespace LmToLlm.Tests;

/// <summary>
/// Locates <c>../shared</c> beside the repository root. Tests that use it carry <c>[Trait("Category", "SharedData")]</c>
/// and fail (never skip) when a file is missing.
/// </summary>
public static class SharedData
{
    public const string Trait = "SharedData";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Root => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    /// <summary>The path of a file under ../shared; throws (failing the test) when it does not exist.</summary>
    public static string File(params string[] parts)
    {
        string path = Path.Combine([Root, .. parts]);
        if (!System.IO.File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"shared data missing: {path} (../shared must sit beside the repository)", path);
        return path;
    }

    private static string FindRoot([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "LmToLlm.sln"))) return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("cannot find the repository root (LmToLlm.sln) above the test binaries");
    }
}
