using System.Reflection;
using System.Text.RegularExpressions;

namespace LmToLlm.Tests.Packaging;

/// <summary>
/// The quick start shown in README.md and in the package's PACKAGE.md is samples/QuickStart/Program.cs, compiled
/// with the tests; this runs it and checks that the documents show its real code and its real output.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class QuickStartTests
{
    private static string SampleSource => File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "samples", "QuickStart", "Program.cs"));

    [Theory]
    [InlineData("README.md")]
    [InlineData("src/LmToLlm/PACKAGE.md")]
    public void Document_shows_the_compiled_quick_start_and_its_real_output(string document)
    {
        string text = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, document)).ReplaceLineEndings("\n");
        Assert.Equal(SampleSource.ReplaceLineEndings("\n").Trim(), Block(text, "quickstart-code"));
        Assert.Equal(RunSample().Trim(), Block(text, "quickstart-output"));
    }

    private static string RunSample()
    {
        var entry = Assembly.Load("QuickStart").EntryPoint ?? throw new InvalidOperationException("QuickStart has no entry point");
        var original = Console.Out;
        var captured = new StringWriter { NewLine = "\n" };
        Console.SetOut(captured);
        try
        {
            entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
        }
        finally
        {
            Console.SetOut(original);
        }
        return captured.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>The fenced block that follows the HTML comment <c>&lt;!-- name --&gt;</c>.</summary>
    private static string Block(string markdown, string name)
    {
        var match = Regex.Match(markdown, $@"<!-- {name} -->\n```[a-z]*\n(.*?)\n```", RegexOptions.Singleline);
        Assert.True(match.Success, $"no block marked <!-- {name} --> followed by a fenced code block");
        return match.Groups[1].Value.Trim();
    }
}

/// <summary>Tests that redirect the process-wide console run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
