using LmToLlm.Cli;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary>One CLI style and errors in the user's words: kebab-case options with the reference tools' spellings kept,
/// one default seed, defaults in help as typed, one-line errors that name the flag or the kind of file.</summary>
public sealed class CliStyleTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Help_shows_defaults_as_typed_not_as_round_trip_digits()
    {
        var (code, help, _) = Run("filter", "--help");
        Assert.Equal(0, code);
        Assert.Contains("[default: 33.3333]", help);
        Assert.Contains("[default: 66.6667]", help);
        Assert.DoesNotContain("33.333333333333336", help);
    }

    [Fact]
    public void Ft_takes_kebab_case_and_the_reference_spelling_and_help_shows_both()
    {
        var (_, help, _) = Run("ft", "train", "--help");
        Assert.Contains("-minCount, --min-count", help);
        Assert.Contains("-lrUpdateRate, --lr-update-rate", help);
        Assert.Contains("(also --dim)", help);
        foreach (string spelling in new[] { "-minCount", "--min-count" })
        {
            var (code, _, err) = Run("ft", "train", "-input", "x", "-output", _dir.File("m"), spelling, "-2");
            Assert.Equal(2, code);
            Assert.Equal("lmtollm: --min-count must be ≥ 1 (got -2) (see --help)\n", err);
        }
    }

    [Fact]
    public void Glove_takes_kebab_case_and_the_reference_spelling()
    {
        var (_, help, _) = Run("glove", "train", "--help");
        Assert.Contains("-vector-size, --dim", help);
        foreach (string spelling in new[] { "-window-size", "--window-size" })
        {
            var (code, _, err) = Run("glove", "train", "--text", "x", "--out", _dir.File("g.txt"), spelling, "-2");
            Assert.Equal(2, code);
            Assert.Equal("lmtollm: --window-size must be in [1, 1000] (got -2) (see --help)\n", err);
        }
    }

    [Fact]
    public void Every_command_with_a_seed_defaults_to_the_same_seed()
    {
        var seeds = CliApp.AllOptions(CliApp.BuildRoot()).Where(p => p.Option.Name == "--seed").ToList();
        Assert.True(seeds.Count >= 6, $"{seeds.Count} --seed options");
        foreach (var (command, option) in seeds)
            Assert.True(Convert.ToInt64(option.GetDefaultValue(), System.Globalization.CultureInfo.InvariantCulture) == CliApp.DefaultSeed, $"{command.Name}: {option.GetDefaultValue()}");
    }

    [Fact]
    public void Every_option_is_kebab_case()
    {
        var bad = CliApp.AllOptions(CliApp.BuildRoot())
            .Where(p => !System.Text.RegularExpressions.Regex.IsMatch(p.Option.Name, "^--[a-z0-9]+(-[a-z0-9]+)*$") && p.Option.Name is not ("-?" or "--help" or "--version"))
            .Select(p => $"{p.Command.Name} {p.Option.Name}").ToList();
        Assert.Empty(bad);
    }

    [Fact]
    public void A_folder_where_a_file_is_expected_says_so()
    {
        string queries = _dir.Write("q.jsonl", "{\"_id\":\"q1\",\"text\":\"cat\"}\n");
        var (code, _, err) = Run("search", "--index", _dir.Path, "--queries", queries, "--run", _dir.File("r.run"));
        Assert.Equal(1, code);
        Assert.Equal($"lmtollm: {_dir.Path}: is a folder; give a file\n", err);
    }

    [Fact]
    public void Word_vectors_given_as_a_language_model_are_named_as_not_a_language_model()
    {
        string text = _dir.Write("t.txt", string.Concat(Enumerable.Repeat("the cat sat on the mat\na dog ran\n", 10)));
        string vectors = _dir.File("v.bin");
        Assert.Equal(0, Run("w2v", "train", "--text", text, "--out", vectors, "--size", "8", "--iter", "1", "--min-count", "1", "--threads", "1").Code);
        var (code, _, err) = Run("filter", "--in", text, "--out", _dir.File("o.txt"), "--lm", vectors, "--keep-percentile", "90");
        Assert.Equal(1, code);
        Assert.StartsWith($"lmtollm: {vectors}: not a language model file", err);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
