using LmToLlm.NGrams;

namespace LmToLlm.Tests.NGrams;

/// <summary>Bad input fails with a clear message naming file and line; nothing half-written.</summary>
public sealed class MalformedInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-ngram-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Good = "\\data\\\nngram 1=4\nngram 2=2\n\n\\1-grams:\n-1\t<unk>\t0\n0\t<s>\t-0.5\n-0.5\t</s>\t0\n-0.6\ta\t-0.2\n\n\\2-grams:\n-0.3\t<s> a\n-0.2\ta </s>\n\n\\end\\\n";

    [Fact]
    public void A_good_file_reads()
    {
        var model = BackoffModel.ReadArpa(Write("good.arpa", Good));
        Assert.Equal(2, model.Order);
        Assert.Equal((-0.3f, 0f), model.Find("<s>", "a")!.Value);
        // p(a | </s>) backs off: bo(</s>) + p(a) = 0 + −0.6; p(</s> | a) is stored.
        Assert.Equal(-0.6f, model.Score([NGramVocabulary.SentenceEnd], model.Vocabulary.Find("a")).Log10Prob);
        Assert.Equal(new WordProbability(-0.2f, 2), model.Score([model.Vocabulary.Find("a")], NGramVocabulary.SentenceEnd));
    }

    [Fact]
    public void Missing_section()
    {
        string path = Write("missing.arpa", Good.Replace("\\2-grams:\n-0.3\t<s> a\n-0.2\ta </s>\n\n", ""));
        var e = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.ReadArpa(path));
        Assert.Equal(11, e.LineNumber);
        Assert.Contains("missing section \\2-grams:", e.Message);
        Assert.StartsWith($"{path}:11:", e.Message);
    }

    [Fact]
    public void Missing_data_header()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.ReadArpa(Write("nodata.arpa", "hello\n")));
        Assert.Contains("missing \\data\\", e.Message);
    }

    [Fact]
    public void Count_mismatch_fewer_and_more()
    {
        var fewer = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.ReadArpa(Write("fewer.arpa", Good.Replace("ngram 2=2", "ngram 2=3"))));
        Assert.Equal(14, fewer.LineNumber); // the blank line that ends the section early
        Assert.Contains("has 2 entries but \\data\\ declares 3", fewer.Message);
        var more = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.ReadArpa(Write("more.arpa", Good.Replace("ngram 1=4", "ngram 1=3"))));
        Assert.Equal(9, more.LineNumber);
        Assert.Contains("more entries than the 3", more.Message);
    }

    [Fact]
    public void Non_numeric_field()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.ReadArpa(Write("nan.arpa", Good.Replace("-0.2\ta </s>", "x0.2\ta </s>"))));
        Assert.Equal(13, e.LineNumber);
        Assert.Contains("'x0.2' is not a number", e.Message);
        var bo = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.ReadArpa(Write("bo.arpa", Good.Replace("-0.6\ta\t-0.2", "-0.6\ta\tbackoff"))));
        Assert.Equal(9, bo.LineNumber);
    }

    [Fact]
    public void Unknown_word_and_missing_end()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.ReadArpa(Write("word.arpa", Good.Replace("-0.3\t<s> a", "-0.3\t<s> b"))));
        Assert.Contains("'b'", e.Message);
        var end = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.ReadArpa(Write("end.arpa", Good.Replace("\\end\\\n", ""))));
        Assert.Contains("missing \\end\\", end.Message);
    }

    [Fact]
    public void Corrupt_binary_is_refused()
    {
        var model = BackoffModel.ReadArpa(Write("good.arpa", Good));
        string path = Path.Combine(_dir, "m.lmb");
        model.Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.Load(path));
        Assert.Contains("checksum", e.Message);
        // A path may hold either format, so text that is not a model is diagnosed as ARPA; the binary reader's own
        // diagnosis is the stream overload's, which reads the binary format only.
        string text = Write("x.lmb", new string('x', 64));
        var notArpa = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.Load(text));
        Assert.Equal((text, 1L), (notArpa.FilePath, notArpa.LineNumber));
        using var stream = File.OpenRead(text);
        var notModel = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.Load(stream));
        Assert.Contains("not an LmToLlm binary n-gram model (the file does not start with 'LMTLNLM1')", notModel.Message);
    }

    [Fact]
    public void Empty_text_and_bad_order()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => NGramCounts.FromFile(Write("empty.txt", "\n  \n"), new NGramCountOptions { Order = 3 }));
        Assert.Contains("no words", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => NGramCounts.FromLines(["a b"], new NGramCountOptions { Order = 0 }));
    }

    [Fact]
    public void Reserved_word_in_training_text_names_the_line()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => NGramCounts.FromFile(Write("r.txt", "a b\nc </s> d\n"), new NGramCountOptions { Order = 2 }));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("--skip-symbols", e.Message);
        var skipped = NGramCounts.FromFile(Write("r2.txt", "a b\nc </s> d\n"), new NGramCountOptions { Order = 2, SkipSymbols = true });
        Assert.Equal(1, skipped.Count("c", "d")); // deleting the token joins its neighbours
    }
}
