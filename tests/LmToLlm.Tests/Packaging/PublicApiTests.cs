using LmToLlm.Text;
using PublicApiGenerator;

namespace LmToLlm.Tests.Packaging;

/// <summary>
/// The public surface is a decision: it is written to tests/PublicApi.txt and this test fails when the
/// assembly's surface differs. To accept a change, run the tests with LMTOLLM_ACCEPT_API=1 and commit the file.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_file()
    {
        string actual = typeof(Analyzer).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false })
            .ReplaceLineEndings("\n");
        string approvedPath = Path.Combine(SharedData.RepositoryRoot, "tests", "PublicApi.txt");
        if (Environment.GetEnvironmentVariable("LMTOLLM_ACCEPT_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }
        string approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        Assert.True(approved == actual,
            $"The public API changed. Review the difference against {approvedPath}; to accept it, run the tests with LMTOLLM_ACCEPT_API=1 and commit tests/PublicApi.txt.");
    }
}
