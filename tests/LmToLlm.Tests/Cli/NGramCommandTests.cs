using LmToLlm.Cli;
using LmToLlm.NGrams;
using static LmToLlm.Tests.CliRunner;
using LmToLlm.Tests.NGrams;

namespace LmToLlm.Tests.Cli;

public sealed class NGramCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-ngram-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Count_train_ppl_generate()
    {
        string text = Path.Combine(_dir, "t.txt");
        File.WriteAllLines(text, HandComputedTests.Corpus);
        var count = Run("ngram", "count", "--text", text, "--order", "2");
        Assert.Equal(0, count.Code);
        Assert.Contains("2\tthe cat\t2\n", count.Out);

        string arpa = Path.Combine(_dir, "m.arpa"), binary = Path.Combine(_dir, "m.lmb");
        var train = Run("ngram", "train", "--text", text, "--order", "2", "--smoothing", "kn", "--arpa", arpa, "--binary", binary);
        Assert.Equal(0, train.Code);
        Assert.Contains("Unigram tokens 10 types 9", train.Out);
        Assert.True(File.Exists(arpa) && File.Exists(binary));

        var bad = Run("ngram", "train", "--text", text, "--order", "2", "--arpa", arpa);
        Assert.Equal(CliApp.BadInput, bad.Code);
        Assert.Contains("--discount-fallback", bad.Err);

        var fromArpa = Run("ngram", "ppl", "--lm", arpa, "--text", text, "--sentences");
        var fromBinary = Run("ngram", "ppl", "--lm", binary, "--text", text, "--sentences");
        Assert.Equal(0, fromArpa.Code);
        Assert.Equal(fromArpa.Out, fromBinary.Out);
        Assert.Contains("Tokens:\t13", fromArpa.Out);
        Assert.Contains("OOVs:\t0", fromArpa.Out);

        var stupid = Run("ngram", "ppl", "--train", text, "--order", "2", "--smoothing", "stupid", "--text", text);
        Assert.Equal(CliApp.BadInput, stupid.Code);
        var addk = Run("ngram", "train", "--text", text, "--smoothing", "addk", "--arpa", arpa);
        Assert.Equal(CliApp.Usage, addk.Code);

        var first = Run("ngram", "generate", "--lm", binary, "--prefix", "the", "--seed", "7", "--samples", "3");
        var second = Run("ngram", "generate", "--lm", arpa, "--prefix", "the", "--seed", "7", "--samples", "3");
        Assert.Equal(0, first.Code);
        Assert.Equal(first.Out, second.Out);
        Assert.All(first.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("the", line));
    }

    [Fact]
    public void Generation_is_deterministic_per_seed_and_respects_top_k()
    {
        var model = NGramTrainer.ModifiedKneserNey(NGramCounts.FromLines(HandComputedTests.Corpus, new NGramCountOptions { Order = 2 }), discountFallback: true);
        var a = TextGenerator.Continue(model, "the", new GenerationOptions { Seed = 3 });
        var b = TextGenerator.Continue(model, "the", new GenerationOptions { Seed = 3 });
        Assert.Equal(a, b);
        // Greedy: after "the" the most probable word is "cat" (p = (2 − D2)/3 + …), then "sat"/"ran" tie → the smaller id "sat".
        Assert.Equal(["cat", "sat"], TextGenerator.Continue(model, "the", new GenerationOptions { Temperature = 0 }));
        // top-1 sampling is greedy too, whatever the seed.
        for (ulong seed = 0; seed < 5; seed++)
            Assert.Equal(["cat", "sat"], TextGenerator.Continue(model, "the", new GenerationOptions { Seed = seed, TopK = 1 }));
    }

    [Fact]
    public void Empty_text_and_bad_order()
    {
        var stderr = new StringWriter();
        Assert.Equal(CliApp.Usage, CliApp.Run(["ngram", "count", "--text", Write("t.txt", "a b\n"), "--order", "0"], new StringWriter(), stderr));
        Assert.Contains("--order must be in [1, 15] (got 0)", stderr.ToString());
        stderr = new StringWriter();
        Assert.Equal(CliApp.BadInput, CliApp.Run(["ngram", "train", "--text", Write("e.txt", ""), "--arpa", Path.Combine(_dir, "e.arpa")], new StringWriter(), stderr));
        Assert.Contains("no words", stderr.ToString());
        Assert.False(File.Exists(Path.Combine(_dir, "e.arpa")));
    }
}
