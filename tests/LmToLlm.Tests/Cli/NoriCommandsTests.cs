using LmToLlm.Data;
using LmToLlm.NGrams;
using LmToLlm.Nori;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary>
/// <c>--analyzer nori</c> in the commands whose input is words (n-gram counts and models, Word2Vec, fastText) equals
/// running them on the output of <c>lmtollm tokenize --analyzer nori</c>; dedup shingles and the perplexity filter use
/// the nori tokens.
/// </summary>
public sealed class NoriCommandsTests
{
    private const string Korean =
        "학교에서 공부했다\n도서관에서 책을 읽었다\n학교에 가서 친구를 만났다\n시장에서 사과를 샀다\n" +
        "도서관에 책이 많다\n친구와 학교에서 공부했다\n사과는 시장에 많다\n책을 읽고 공부했다\n";

    private static string Tokenized(TempDir dir, string name, string text)
    {
        var (code, output, error) = RunWithInput(text, "tokenize", "--analyzer", "nori");
        Assert.Equal((0, ""), (code, error));
        return dir.Write(name, output);
    }

    [Fact]
    public void Ngram_count_with_nori_equals_counting_the_tokenized_text()
    {
        using var dir = new TempDir();
        string raw = dir.Write("ko.txt", Korean), tokens = Tokenized(dir, "ko.tok", Korean);
        var (code, _, error) = Run("ngram", "count", "--text", raw, "--analyzer", "nori", "-o", "2", "--out", dir.File("a.tsv"));
        Assert.Equal((0, ""), (code, error));
        (code, _, error) = Run("ngram", "count", "--text", tokens, "-o", "2", "--out", dir.File("b.tsv"));
        Assert.Equal((0, ""), (code, error));
        string counted = File.ReadAllText(dir.File("a.tsv"));
        Assert.Equal(File.ReadAllText(dir.File("b.tsv")), counted);
        Assert.Contains("학교", counted);
        Assert.DoesNotContain("학교에서", counted);   // the particle is gone
    }

    [Fact]
    public void Ngram_train_and_ppl_with_nori_equal_the_tokenized_text()
    {
        using var dir = new TempDir();
        string raw = dir.Write("ko.txt", Korean), tokens = Tokenized(dir, "ko.tok", Korean);
        Assert.Equal(0, Run("ngram", "train", "--text", raw, "--analyzer", "nori", "-o", "2", "--discount-fallback", "--arpa", dir.File("a.arpa")).Code);
        Assert.Equal(0, Run("ngram", "train", "--text", tokens, "-o", "2", "--discount-fallback", "--arpa", dir.File("b.arpa")).Code);
        Assert.Equal(File.ReadAllText(dir.File("b.arpa")), File.ReadAllText(dir.File("a.arpa")));
        var viaAnalyzer = Run("ngram", "ppl", "--lm", dir.File("a.arpa"), "--text", raw, "--analyzer", "nori");
        var viaTokens = Run("ngram", "ppl", "--lm", dir.File("a.arpa"), "--text", tokens);
        Assert.Equal((0, ""), (viaAnalyzer.Code, viaAnalyzer.Err));
        Assert.Equal(viaTokens.Out, viaAnalyzer.Out);
        Assert.Contains("OOVs:\t0", viaAnalyzer.Out);
    }

    [Fact]
    public void W2v_train_with_nori_equals_training_on_the_tokenized_text()
    {
        using var dir = new TempDir();
        string raw = dir.Write("ko.txt", Korean), tokens = Tokenized(dir, "ko.tok", Korean);
        string[] common = ["--size", "8", "--min-count", "1", "--iter", "2", "--threads", "1", "--seed", "7", "--text-format"];
        Assert.Equal(0, Run(["w2v", "train", "--text", raw, "--analyzer", "nori", "--out", dir.File("a.vec"), .. common]).Code);   // progress on stderr
        Assert.Equal(0, Run(["w2v", "train", "--text", tokens, "--out", dir.File("b.vec"), .. common]).Code);
        Assert.Equal(File.ReadAllBytes(dir.File("b.vec")), File.ReadAllBytes(dir.File("a.vec")));
        Assert.Contains(File.ReadLines(dir.File("a.vec")), l => l.StartsWith("학교 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Ft_train_with_nori_equals_training_on_the_tokenized_text()
    {
        using var dir = new TempDir();
        string raw = dir.Write("ko.txt", Korean), tokens = Tokenized(dir, "ko.tok", Korean);
        string[] common = ["-dim", "8", "-minCount", "1", "-epoch", "2", "-thread", "1", "-bucket", "1000", "-minn", "1", "-maxn", "2"];
        Assert.Equal(0, Run(["ft", "train", "-input", raw, "--analyzer", "nori", "-output", dir.File("a"), .. common]).Code);   // progress on stderr
        Assert.Equal(0, Run(["ft", "train", "-input", tokens, "-output", dir.File("b"), .. common]).Code);
        Assert.Equal(File.ReadAllBytes(dir.File("b.vec")), File.ReadAllBytes(dir.File("a.vec")));
        Assert.Equal(File.ReadAllBytes(dir.File("b.bin")), File.ReadAllBytes(dir.File("a.bin")));
    }

    [Fact]
    public void Dedup_word_shingles_of_nori_see_past_particles_and_endings()
    {
        using var dir = new TempDir();
        // Same nouns, different particles: the same nori tokens (학교 공부 친구 …), different simple tokens.
        string corpus = dir.Write("c.txt", "학교에서 친구와 도서관 책 공부했다\n학교에 친구랑 도서관 책을 공부한다\n시장에서 사과를 샀다\n");
        var (code, _, error) = Run("dedup", "--in", corpus, "--out", dir.File("nori.txt"), "--shingle", "word:2", "--analyzer", "nori", "--threshold", "0.9", "--verify", "exact");
        Assert.Equal((0, ""), (code, error));
        Assert.Equal(2, File.ReadAllLines(dir.File("nori.txt")).Length);
        Assert.Equal(0, Run("dedup", "--in", corpus, "--out", dir.File("simple.txt"), "--shingle", "word:2", "--threshold", "0.9", "--verify", "exact").Code);
        Assert.Equal(3, File.ReadAllLines(dir.File("simple.txt")).Length);
    }

    [Fact]
    public void Filter_with_nori_scores_nori_tokens()
    {
        using var dir = new TempDir();
        string corpus = dir.Write("c.txt", Korean);
        var (code, _, error) = Run("filter", "--in", corpus, "--out", dir.File("kept.txt"), "--keep-percentile", "100", "--order", "2", "--analyzer", "nori", "--report", dir.File("r.tsv"));
        Assert.Equal((0, ""), (code, error));
        var nori = NoriAnalyzer.Create();
        var model = PerplexityFilter.Train(Korean.TrimEnd('\n').Split('\n'), order: 2, analyzer: nori);
        var expected = Korean.TrimEnd('\n').Split('\n').Select(l => PerplexityFilter.DocumentPerplexity(model, l, nori)).ToArray();
        var reported = File.ReadLines(dir.File("r.tsv")).Skip(1).Select(l => double.Parse(l.Split('\t')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected.Length, reported.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], reported[i], 5);   // the report prints 6 significant digits
    }

    [Fact]
    public void An_unknown_analyzer_is_a_usage_error_that_names_the_flag_and_nori()
    {
        using var dir = new TempDir();
        string raw = dir.Write("ko.txt", Korean);
        var (code, _, error) = Run("ngram", "count", "--text", raw, "--analyzer", "mecab");
        Assert.Equal(2, code);
        Assert.Contains("--analyzer: unknown analyzer 'mecab'", error);
        Assert.Contains("nori", error);
    }

    [Fact]
    public void Shingles_take_an_analyzer_instance()
    {
        var nori = new Shingler(new ShingleOptions { Kind = ShingleKind.Word, Size = 1, Analyzer = NoriAnalyzer.Create() });
        int noriCount = nori.Hash("학교에서 공부했다").Length;
        var simple = new Shingler(new ShingleOptions { Kind = ShingleKind.Word, Size = 1 });
        Assert.Equal(2, noriCount);   // 학교, 공부
        Assert.Equal(2, simple.Hash("학교에서 공부했다").Length);   // 학교에서, 공부했다
        Assert.Equal(nori.Hash("학교에 공부한다").ToArray().Order(), new Shingler(new ShingleOptions { Kind = ShingleKind.Word, Size = 1, Analyzer = NoriAnalyzer.Create() }).Hash("학교에서 공부했다").ToArray().Order());
    }
}
