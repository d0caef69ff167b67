using System.CommandLine;
using LmToLlm.Cli;

namespace LmToLlm.Tests.Cli;

/// <summary>
/// No number crashes the tool: every numeric option of every command, given 0, −1, int.MaxValue, long.MaxValue, NaN and
/// 1e308 on an otherwise working command line, either works (exit 0; a huge k means "all") or is refused with exit 1 or 2
/// and exactly one line on stderr — never an unhandled exception (exit 134) or an allocation of int.MaxValue items.
/// The options are read from the command tree, so a new numeric option is fuzzed (and must declare a range) at once.
/// </summary>
[Trait("Category", "Robustness")]
public sealed class NumericOptionFuzzTests : IDisposable
{
    private static readonly string[] Values = ["0", "-1", "2147483647", "9223372036854775807", "NaN", "1e308"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_numeric_option_declares_its_range()
    {
        var missing = CliApp.AllOptions(CliApp.BuildRoot())
            .Where(p => NumericOptions.IsNumeric(p.Option) && NumericOptions.RangeOf(p.Option) is null)
            .Select(p => $"{p.Command.Name} {p.Option.Name}").ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void No_number_crashes_any_command()
    {
        var bases = BaseCommandLines();
        var failures = new List<string>();
        int cases = 0;
        foreach (var (command, option) in CliApp.AllOptions(CliApp.BuildRoot()))
        {
            if (!NumericOptions.IsNumeric(option)) continue;
            string path = CommandPath(command);
            Assert.True(bases.ContainsKey(path), $"no working command line for '{path}' in the fuzz test; add one");
            foreach (string value in Values)
            {
                string[] args = WithValue(bases[path], option, value);
                var stdout = new StringWriter();
                var stderr = new StringWriter();
                using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                int code;
                try
                {
                    code = CliApp.Run(args, TextReader.Null, stdout, stderr, hang.Token);
                }
                catch (Exception e)
                {
                    failures.Add($"{string.Join(' ', args)}: unhandled {e.GetType().Name}: {e.Message}");
                    continue;
                }
                cases++;
                string[] lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (code is not (0 or 1 or 2)) failures.Add($"{path} {option.Name} {value}: exit {code}: {stderr}");
                else if (code != 0 && lines.Length != 1) failures.Add($"{path} {option.Name} {value}: {lines.Length} lines on stderr: {stderr}");
                else if (code != 0 && !lines[0].StartsWith("lmtollm: ", StringComparison.Ordinal)) failures.Add($"{path} {option.Name} {value}: {lines[0]}");
            }
        }
        Assert.True(cases > 300, $"only {cases} cases ran");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void A_k_of_two_billion_is_all_documents_not_an_out_of_memory_crash()
    {
        var bases = BaseCommandLines();
        string run = _dir.File("k.run");
        var (code, _, err) = CliRunner.Run([.. bases["search"][..^1], run, "--k", "2000000000"]);
        Assert.True(code == 0, err);
        Assert.Equal(4, File.ReadAllLines(run).Length); // every matching document: cat → d1, d3; dog → d2, d3
    }

    [Fact]
    public void A_negative_number_is_reported_with_its_flag_on_one_line()
    {
        var (code, _, err) = CliRunner.Run("ngram", "generate", "--train", "x.txt", "--max-tokens", "-3");
        Assert.Equal(2, code);
        Assert.Equal("lmtollm: --max-tokens must be in [0, 1000000] (got -3) (see --help)\n", err);
        (code, _, err) = CliRunner.Run("search", "--corpus", "c", "--queries", "q", "--run", "r", "--k", "NaN");
        Assert.Equal(2, code);
        Assert.Equal("lmtollm: --k must be a whole number ≥ 1 (got NaN) (see --help)\n", err);
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c && c.Name != "lmtollm"; s = c.Parents.FirstOrDefault()) names.Insert(0, ((Command)s).Name);
        return string.Join(' ', names);
    }

    /// <summary>The command line with <paramref name="option"/> set to <paramref name="value"/> (replacing a value the base gives).</summary>
    private static string[] WithValue(string[] args, Option option, string value)
    {
        var names = option.Aliases.Append(option.Name).ToHashSet();
        var result = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (names.Contains(args[i])) { i++; continue; }
            result.Add(args[i]);
        }
        result.Add(option.Name);
        result.Add(value);
        return [.. result];
    }

    /// <summary>A small working command line for each command that has numeric options (files in a temporary folder).</summary>
    private Dictionary<string, string[]> BaseCommandLines()
    {
        string corpus = _dir.Write("c.jsonl", "{\"_id\":\"d1\",\"text\":\"the cat sat on the mat\"}\n{\"_id\":\"d2\",\"text\":\"a dog ran far away\"}\n{\"_id\":\"d3\",\"text\":\"the cat and the dog\"}\n");
        string queries = _dir.Write("q.jsonl", "{\"_id\":\"q1\",\"text\":\"cat\"}\n{\"_id\":\"q2\",\"text\":\"dog\"}\n");
        string qrels = _dir.Write("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n");
        string run = _dir.Write("a.run", "q1 Q0 d1 1 2.0 a\nq1 Q0 d2 2 1.0 a\nq2 Q0 d2 1 2.0 a\n");
        string text = _dir.Write("t.txt", string.Concat(Enumerable.Repeat("the cat sat on the mat\nthe dog ran far away\na cat and a dog\n", 20)));
        string similarity = _dir.Write("sim.txt", "cat dog 5\nthe a 1\n");
        string vectors = _dir.File("v.txt");
        Assert.Equal(0, CliRunner.Run("w2v", "train", "--text", text, "--out", vectors, "--text-format", "--size", "8", "--iter", "1", "--min-count", "1", "--threads", "1").Code);
        string ftPrefix = _dir.File("ft");
        Assert.Equal(0, CliRunner.Run("ft", "train", "-input", text, "-output", ftPrefix, "-dim", "8", "-epoch", "1", "-minCount", "1", "-bucket", "1000", "-thread", "1").Code);
        string suffixArray = _dir.File("t.sa");
        string spmModel = _dir.File("u.model");
        File.WriteAllBytes(spmModel, Subwords.SubwordReference.Bytes("ko-unigram-nmt_nfkc-4000.model"));
        Assert.Equal(0, CliRunner.Run("sa", "build", "--text", text, "--out", suffixArray).Code);
        string Out(string name) => _dir.File(name);
        return new()
        {
            ["sa build"] = ["sa", "build", "--text", text, "--out", Out("fuzz.sa")],
            ["sa find"] = ["sa", "find", "--index", suffixArray, "--query", "the cat"],
            ["sa next"] = ["sa", "next", "--index", suffixArray, "--context", "the cat"],
            ["sa contamination"] = ["sa", "contamination", "--index", suffixArray, "--eval", text],
            ["spm train"] = ["spm", "train", "--input", text, "--model-prefix", Out("spm"), "--vocab-size", "30", "--model-type", "bpe"],
            ["bpe train"] = ["bpe", "train", "--input", text, "--vocab", Out("vocab.json"), "--merges", Out("merges.txt"), "--vocab-size", "300"],
            ["spm encode"] = ["spm", "encode", "--model", spmModel, "--output-format", "sample_id", text],
            ["search"] = ["search", "--corpus", corpus, "--queries", queries, "--run", Out("s.run")],
            ["eval"] = ["eval", "--qrels", qrels, "--run", run, "--run", run, "--permutations", "100"],
            ["compare"] = ["compare", "--corpus", corpus, "--queries", queries, "--qrels", qrels],
            ["dedup"] = ["dedup", "--in", text, "--out", Out("dedup.txt")],
            ["filter"] = ["filter", "--in", text, "--out", Out("filter.txt"), "--keep-percentile", "90"],
            ["ngram count"] = ["ngram", "count", "--text", text, "--out", Out("counts.tsv")],
            ["ngram train"] = ["ngram", "train", "--text", text, "--arpa", Out("m.arpa")],
            ["ngram ppl"] = ["ngram", "ppl", "--train", text, "--text", text],
            ["ngram generate"] = ["ngram", "generate", "--train", text],
            ["w2v train"] = ["w2v", "train", "--text", text, "--out", Out("w.bin"), "--size", "8", "--iter", "1", "--min-count", "1", "--threads", "1"],
            ["w2v eval"] = ["w2v", "eval", "--vectors", vectors, "--similarity", similarity],
            ["w2v similar"] = ["w2v", "similar", "--vectors", vectors, "cat"],
            ["w2v analogy"] = ["w2v", "analogy", "--vectors", vectors, "the", "cat", "dog"],
            ["glove train"] = ["glove", "train", "--text", text, "--out", Out("g.txt"), "--vector-size", "8", "--iter", "1", "--min-count", "1", "--threads", "1"],
            ["ft train"] = ["ft", "train", "-input", text, "-output", Out("ft2"), "-dim", "8", "-epoch", "1", "-minCount", "1", "-bucket", "1000", "-thread", "1"],
            ["ft nn"] = ["ft", "nn", ftPrefix + ".bin", "cat"],
        };
    }
}
