using System.Reflection;
using LmToLlm.ML;
using LmToLlm.Text;
using PublicApiGenerator;

namespace LmToLlm.Tests.Packaging;

/// <summary>
/// The public surface is a decision: each package's surface is written to a file under tests/ and this test fails
/// when the assembly's surface differs. To accept a change, run the tests with LMTOLLM_ACCEPT_API=1 and commit the file.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_file() => Check(typeof(Analyzer).Assembly, "PublicApi.txt");

    [Fact]
    public void Ml_package_public_api_matches_the_approved_file() => Check(typeof(LmToLlmCatalog).Assembly, "PublicApi.ML.txt");

    [Fact]
    public void Contextual_package_public_api_matches_the_approved_file() => Check(typeof(LmToLlm.Contextual.ContextualRanker).Assembly, "PublicApi.Contextual.txt");

    [Fact]
    public void Nori_package_public_api_matches_the_approved_file() => Check(typeof(LmToLlm.Nori.NoriAnalyzer).Assembly, "PublicApi.Nori.txt");

    private static void Check(Assembly assembly, string file)
    {
        string actual = assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false })
            .ReplaceLineEndings("\n");
        string approvedPath = Path.Combine(SharedData.RepositoryRoot, "tests", file);
        if (Environment.GetEnvironmentVariable("LMTOLLM_ACCEPT_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }
        string approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        Assert.True(approved == actual,
            $"The public API changed. Review the difference against {approvedPath}; to accept it, run the tests with LMTOLLM_ACCEPT_API=1 and commit tests/{file}.");
    }
}
