using LmToLlm.Cli;
using LmToLlm.Cli.Commands;
using LmToLlm.Experiments;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary><c>compare</c> runs the contextual models when LmToLlm.Contextual is present (as in this test process) and says how to get them when it is not.</summary>
public sealed class ContextualCompareTests
{
    [Fact]
    public void Compare_runs_the_contextual_model_when_the_package_is_present()
    {
        using var dir = new TempDir();
        string corpus = dir.Write("corpus.jsonl",
            "{\"_id\":\"d1\",\"text\":\"The cat sat on the mat and purred.\"}\n{\"_id\":\"d2\",\"text\":\"Stock prices fell sharply on Monday.\"}\n{\"_id\":\"d3\",\"text\":\"A recipe for baking bread at home.\"}\n");
        string queries = dir.Write("queries.jsonl", "{\"_id\":\"q1\",\"text\":\"a kitten resting on a rug\"}\n{\"_id\":\"q2\",\"text\":\"shares dropped\"}\n");
        string qrels = dir.Write("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n");
        var (code, output, _) = Run("compare", "--corpus", corpus, "--queries", queries, "--qrels", qrels, "--models", "bm25,contextual", "--out", dir.File("out"));
        Assert.Equal(0, code);
        Assert.Contains("contextual", output);
        // No shared word: BM25 finds nothing; the sentence model ranks each relevant document first.
        var run = File.ReadAllLines(dir.File("out/contextual.run")).Select(l => l.Split(' ')).Where(f => f[3] == "1").ToDictionary(f => f[0], f => f[2]);
        Assert.Equal("d1", run["q1"]);
        Assert.Equal("d2", run["q2"]);
        Assert.True(File.Exists(dir.File("out/contextual.emb")));
    }

    [Fact]
    public void Without_the_package_the_contextual_model_is_a_usage_error_saying_how_to_get_it()
    {
        var e = Assert.Throws<UsageException>(() => ContextualPlugin.RegisterIfWanted(new ModelCatalog(), ["bm25", "hybrid-contextual"], null, "LmToLlm.Absent.ContextualModels, LmToLlm.Absent"));
        Assert.Contains("'hybrid-contextual' needs the LmToLlm.Contextual package", e.Message);
        Assert.Contains("-p:WithContextual=true", e.Message);
        Assert.False(ContextualPlugin.IsAvailable("LmToLlm.Absent.ContextualModels, LmToLlm.Absent"));
    }
}
