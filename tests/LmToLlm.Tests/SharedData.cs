using System.Runtime.CompilerServices;

namespace LmToLlm.Tests;

/// <summary>
/// Locates <c>../shared</c> beside the repository root. A test that reads it is marked <see cref="SharedFactAttribute"/>
/// or <see cref="SharedTheoryAttribute"/> naming the files it needs: on a bare clone it is skipped with a reason
/// naming the missing file; on CI (<c>CI=true</c>) or with <c>LMTOLLM_REQUIRE_SHARED=1</c> it runs and fails.
/// </summary>
public static class SharedData
{
    public const string Trait = "SharedData";

    /// <summary>Set to 1 to make a missing shared file a failure outside CI too.</summary>
    public const string RequireVariable = "LMTOLLM_REQUIRE_SHARED";

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

    /// <summary>True when missing shared files must fail rather than skip: on CI or when asked to.</summary>
    public static bool IsRequired(Func<string, string?> environment) =>
        string.Equals(environment("CI"), "true", StringComparison.OrdinalIgnoreCase) || environment(RequireVariable) == "1";

    /// <summary>
    /// Why a test needing <paramref name="paths"/> (relative to <paramref name="root"/>, '/'-separated) is skipped,
    /// or null when it must run: every path exists, or shared data is required.
    /// </summary>
    public static string? SkipReason(IReadOnlyList<string> paths, string root, Func<string, string?> environment)
    {
        if (paths.Count == 0) throw new ArgumentException("name at least one file under ../shared", nameof(paths));
        if (IsRequired(environment)) return null;
        var missing = paths.Where(p => !Exists(Path.Combine(root, p))).ToList();
        if (missing.Count == 0) return null;
        string more = missing.Count > 1 ? $" (and {missing.Count - 1} more)" : "";
        return $"needs ../shared/{missing[0]}{more}, which is missing: reference data comes from ../shared beside the clone " +
               $"(CI=true or {RequireVariable}=1 makes this a failure)";
    }

    /// <summary>The skip reason for this process: the real ../shared and environment.</summary>
    internal static string? SkipReason(IReadOnlyList<string> paths) => SkipReason(paths, Root, Environment.GetEnvironmentVariable);

    private static bool Exists(string path) => System.IO.File.Exists(path) || Directory.Exists(path);

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
