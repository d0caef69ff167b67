using Xunit.Abstractions;
using Xunit.Sdk;

namespace LmToLlm.Tests.BareClone;

/// <summary>
/// What a bare clone (no ../shared) does with a test that needs shared files: skip it with a reason naming the file,
/// unless CI=true or LMTOLLM_REQUIRE_SHARED=1, where it runs and fails as before.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class SharedDataAttributeTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void A_missing_file_skips_with_a_reason_naming_it_and_where_it_comes_from()
    {
        using var root = new TempDir();
        string? reason = SharedData.SkipReason(["data/cranfield/beir/corpus.jsonl"], root.Path, Env());
        Assert.Equal("needs ../shared/data/cranfield/beir/corpus.jsonl, which is missing: reference data comes from " +
                     "../shared beside the clone (CI=true or LMTOLLM_REQUIRE_SHARED=1 makes this a failure)", reason);
    }

    [Fact]
    public void Several_missing_files_name_the_first_and_count_the_rest()
    {
        using var root = new TempDir();
        root.Write("present.txt", "x");
        string? reason = SharedData.SkipReason(["present.txt", "reference/ptb", "reference/w2v/brown16.bin"], root.Path, Env());
        Assert.StartsWith("needs ../shared/reference/ptb (and 1 more), which is missing", reason);
    }

    [Fact]
    public void Files_and_folders_that_exist_run()
    {
        using var root = new TempDir();
        root.Write("a.txt", "x");
        Directory.CreateDirectory(root.File("reference"));
        Assert.Null(SharedData.SkipReason(["a.txt", "reference"], root.Path, Env()));
    }

    [Theory]
    [InlineData("CI", "true")]
    [InlineData("CI", "True")]
    [InlineData("LMTOLLM_REQUIRE_SHARED", "1")]
    public void On_ci_or_when_required_a_missing_file_runs_and_so_fails(string variable, string value)
    {
        using var root = new TempDir();
        Assert.Null(SharedData.SkipReason(["data/porter/voc.txt"], root.Path, Env((variable, value))));
    }

    [Theory]
    [InlineData("CI", "false")]
    [InlineData("CI", "")]
    [InlineData("LMTOLLM_REQUIRE_SHARED", "0")]
    public void Other_values_do_not_require_shared_data(string variable, string value)
    {
        using var root = new TempDir();
        Assert.NotNull(SharedData.SkipReason(["data/porter/voc.txt"], root.Path, Env((variable, value))));
    }

    [Fact]
    public void Naming_no_file_is_a_mistake()
    {
        Assert.Throws<ArgumentException>(() => SharedData.SkipReason([], "/", Env()));
    }

    [Fact]
    public void Xunit_sees_the_skip_reason_and_the_shared_data_trait_of_a_fact()
    {
        var testCase = new XunitTestCase(new NullMessageSink(), TestMethodDisplay.Method, TestMethodDisplayOptions.None,
            Method(nameof(Examples.NeedsAMissingFile)));
        Assert.Equal(SharedData.SkipReason([Examples.Missing]), testCase.SkipReason);
        Assert.Equal([SharedData.Trait], testCase.Traits["Category"]);
        if (!SharedData.IsRequired(Environment.GetEnvironmentVariable)) Assert.Contains(Examples.Missing, testCase.SkipReason);
    }

    [Fact]
    public void A_skipped_theory_is_one_skipped_case_and_never_reads_its_data()
    {
        var only = Assert.Single(DiscoverTheory(nameof(Examples.TheoryOverAMissingFile)));
        if (SharedData.IsRequired(Environment.GetEnvironmentVariable))
        {
            Assert.Null(only.SkipReason); // CI: the data is read when it runs, and the missing file fails the test
        }
        else
        {
            Assert.Contains(Examples.Missing, only.SkipReason);
            Assert.Equal([SharedData.Trait], only.Traits["Category"]);
        }
    }

    [Fact]
    public void When_required_the_theory_reads_its_data_and_the_missing_file_fails_it()
    {
        string? before = Environment.GetEnvironmentVariable(SharedData.RequireVariable);
        Environment.SetEnvironmentVariable(SharedData.RequireVariable, "1");
        try
        {
            var cases = DiscoverTheory(nameof(Examples.TheoryOverAMissingFile));
            // Data that throws at discovery leaves one case that enumerates it again when run, and fails there.
            var only = Assert.Single(cases);
            Assert.Null(only.SkipReason);
            Assert.IsType<XunitTheoryTestCase>(only);
            var error = Assert.Throws<FileNotFoundException>(Examples.ThrowingData);
            Assert.Contains("shared data missing", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SharedData.RequireVariable, before);
        }
    }

    private static List<IXunitTestCase> DiscoverTheory(string name)
    {
        var method = Method(name);
        var attribute = method.Method.GetCustomAttributes(typeof(TheoryAttribute)).Single();
        var options = new DefaultOptions();
        return new TheoryDiscoverer(new NullMessageSink()).Discover(options, method, attribute).ToList();
    }

    private static TestMethod Method(string name)
    {
        var assembly = new TestAssembly(Reflector.Wrap(typeof(Examples).Assembly));
        var collection = new TestCollection(assembly, null, "examples");
        var testClass = new TestClass(collection, Reflector.Wrap(typeof(Examples)));
        return new TestMethod(testClass, Reflector.Wrap(typeof(Examples).GetMethod(name)!));
    }

    /// <summary>Discovery options left at xunit's defaults.</summary>
    private sealed class DefaultOptions : ITestFrameworkDiscoveryOptions
    {
        private readonly Dictionary<string, object?> _values = [];

        public TValue GetValue<TValue>(string name) => _values.TryGetValue(name, out var v) ? (TValue)v! : default!;

        public void SetValue<TValue>(string name, TValue value) => _values[name] = value;
    }

    /// <summary>Not public, so the runner never discovers these; only the tests above look at them.</summary>
#pragma warning disable xUnit1000 // deliberately hidden from discovery
    private sealed class Examples
    {
        public const string Missing = "no-such-folder/never-there.txt";

        // Throws as SharedData.File does for a missing file (calling it here would mark the caller as a reader).
        public static TheoryData<int> ThrowingData() => throw new FileNotFoundException("shared data missing: " + Missing);

        [SharedFact(Missing)]
        public void NeedsAMissingFile() { }

        [SharedTheory(Missing)]
        [MemberData(nameof(ThrowingData))]
        public void TheoryOverAMissingFile(int value) => Assert.True(value > 0);
    }
#pragma warning restore xUnit1000
}

/// <summary>Tests that change environment variables run one at a time, apart from each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Environment variables";
}
