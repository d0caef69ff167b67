using LmToLlm.Corpora;
using LmToLlm.Embeddings;
using LmToLlm.NGrams;

namespace LmToLlm.Tests.Robustness;

/// <summary>The documented input limits are enforced with messages that state the limit and how to raise it.</summary>
[Trait("Category", "Robustness")]
public sealed class LimitsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string LongLineMessage(string path, int line, long limit) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{path}:{line}: the line is longer than {limit:N0} bytes, the maximum line length; split it, or raise the limit with the environment variable LMTOLLM_MAX_LINE_BYTES=<bytes>");

    private static T WithMaxLine<T>(long limit, Func<T> read)
    {
        TextLines.MaxLineBytesOverride.Value = limit;
        try { return read(); }
        finally { TextLines.MaxLineBytesOverride.Value = null; }
    }

    [Theory]
    [InlineData("plain.txt")]
    [InlineData("plain.txt.gz")]
    [InlineData("docs.csv")]
    [InlineData("corpus.jsonl")]
    public void A_line_longer_than_the_limit_is_a_format_error_naming_the_line_and_the_limit(string name)
    {
        string path = _dir.File(name);
        var docs = new List<Document> { new("d1", "t", "short"), new("d2", "t", new string('x', 5000)), new("d3", "t", "short") };
        Action<string> write = name.StartsWith("plain", StringComparison.Ordinal) ? p => PlainTextCorpus.Write(p, docs.Select(d => d.Text))
            : name.EndsWith(".csv", StringComparison.Ordinal) ? p => DelimitedCorpus.Write(p, docs) : p => BeirJsonl.WriteCorpus(p, docs);
        write(path);
        Func<int> read = name.StartsWith("plain", StringComparison.Ordinal) ? () => PlainTextCorpus.Read(path).Count()
            : name.EndsWith(".csv", StringComparison.Ordinal) ? () => DelimitedCorpus.Read(path).Count() : () => BeirJsonl.ReadCorpus(path).Count();
        int line = name.EndsWith(".csv", StringComparison.Ordinal) ? 3 : 2; // the CSV file has a header line
        var e = Assert.Throws<LmToLlmFormatException>(() => WithMaxLine(1000, read));
        Assert.Equal(LongLineMessage(path, line, 1000), e.Message);
        Assert.Equal(3, WithMaxLine(10_000, read)); // raised: the same file loads
    }

    [Fact]
    public void A_word2vec_text_line_longer_than_the_limit_names_its_line()
    {
        string path = _dir.Write("v.txt", "2 2\na 0.5 0.25\nb " + new string('1', 3000) + " 2\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => WithMaxLine(1000, () => WordVectors.Load(path, WordVectorFileFormat.Text)));
        Assert.Equal(LongLineMessage(path, 3, 1000), e.Message);
    }

    [Fact]
    public void The_environment_variable_sets_the_maximum_line_length()
    {
        Assert.Equal(TextLines.DefaultMaxLineBytes, 1L << 28);
        string? before = Environment.GetEnvironmentVariable(TextLines.MaxLineBytesVariable);
        try
        {
            Environment.SetEnvironmentVariable(TextLines.MaxLineBytesVariable, "536870912"); // larger than the default: no other test is affected
            Assert.Equal(536_870_912, TextLines.MaxLineBytes);
            Environment.SetEnvironmentVariable(TextLines.MaxLineBytesVariable, "not a number");
            Assert.Equal(TextLines.DefaultMaxLineBytes, TextLines.MaxLineBytes);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TextLines.MaxLineBytesVariable, before);
        }
    }

    [Fact]
    public void An_ngram_order_above_the_maximum_names_the_limit()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NGramCounts.FromLines(["a b"], new NGramCountOptions { Order = 16 }));
        Assert.StartsWith("order 16 is above the supported maximum 15 (a compile-time limit, NGramCounts.MaxOrder; KenLM's default build stops at 6)", e.Message, StringComparison.Ordinal);
        Assert.Equal(15, NGramCounts.MaxOrder);
    }

    [Fact]
    public void A_vector_dimension_above_the_maximum_names_the_limit()
    {
        string path = _dir.Write("wide.txt", "1 70000\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(path, WordVectorFileFormat.Text));
        Assert.Equal($"{path}:1: header says 70000 dimensions, above the supported maximum 65536 (WordVectors.MaxDimensions, a compile-time limit); is this a word2vec file?", e.Message);
        var options = Assert.Throws<ArgumentOutOfRangeException>(() => new Word2VecOptions { Dimensions = 70_000 }.Validate());
        Assert.StartsWith("--size 70000 is above the supported maximum 65536", options.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vocabulary_larger_than_one_array_names_the_limit()
    {
        string path = _dir.Write("huge.txt", "2000000000 2\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(path, WordVectorFileFormat.Text));
        Assert.Equal($"{path}:1: header says 2000000000 words × 2 dimensions, more than the 2,147,483,591 values one array can hold (the vocabulary-size limit at this dimension); keep fewer words (a higher --min-count) or fewer dimensions", e.Message);
    }
}
