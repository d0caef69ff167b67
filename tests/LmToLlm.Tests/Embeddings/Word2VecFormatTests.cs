using System.Globalization;
using LmToLlm.Embeddings;

namespace LmToLlm.Tests.Embeddings;

/// <summary>Interop with word2vec.c's own files (../shared/reference/w2v/brown16.*, written by word2vec.c).</summary>
public sealed class Word2VecFormatReferenceTests
{
    private static string BinPath => SharedData.File("reference", "w2v", "brown16.bin");
    private static string TextPath => SharedData.File("reference", "w2v", "brown16.txt");
    private static readonly Lazy<WordVectors> Bin = new(() => WordVectors.Load(BinPath, WordVectorFileFormat.Binary));
    private static readonly Lazy<WordVectors> Text = new(() => WordVectors.Load(TextPath, WordVectorFileFormat.Text));

    [SharedFact("reference/w2v/brown16.bin", "reference/w2v/brown16.txt")]
    public void Binary_and_text_hold_the_same_vectors_to_six_decimals()
    {
        WordVectors bin = Bin.Value, text = Text.Value;
        Assert.Equal(14207, bin.Count);
        Assert.Equal(16, bin.Dimensions);
        Assert.Equal("</s>", bin.Word(0));
        Assert.Equal("the", bin.Word(1));
        Assert.Equal(bin.Count, text.Count);
        Assert.Equal(bin.Dimensions, text.Dimensions);
        for (int i = 0; i < bin.Count; i++)
        {
            Assert.Equal(bin.Word(i), text.Word(i));
            ReadOnlySpan<float> b = bin.Vector(i), t = text.Vector(i);
            for (int d = 0; d < bin.Dimensions; d++)
            {
                // word2vec.c prints "%lf": the text value is the binary float rounded to 6 decimals.
                string expected = ((double)b[d]).ToString("F6", CultureInfo.InvariantCulture);
                string actual = ((double)t[d]).ToString("F6", CultureInfo.InvariantCulture);
                if (expected != actual) Assert.Fail($"{bin.Word(i)}[{d}]: binary {expected}, text {actual}");
            }
        }
    }

    [SharedFact("reference/w2v/brown16.bin", "reference/w2v/brown16.txt")]
    public void Load_detects_the_format()
    {
        var bin = WordVectors.Load(BinPath);
        var text = WordVectors.Load(TextPath);
        Assert.Equal(Bin.Value.Matrix.ToArray(), bin.Matrix.ToArray());
        Assert.Equal(Text.Value.Matrix.ToArray(), text.Matrix.ToArray());
    }

    [SharedFact("reference/w2v/brown16.bin", "reference/w2v/brown16.txt")]
    public void Writer_reproduces_the_binary_file_byte_for_byte() =>
        Assert.Equal(File.ReadAllBytes(BinPath), Write(Bin.Value, WordVectorFileFormat.Binary));

    [SharedFact("reference/w2v/brown16.bin", "reference/w2v/brown16.txt")]
    public void Writer_reproduces_the_text_file_from_the_binary_vectors() =>
        Assert.Equal(File.ReadAllBytes(TextPath), Write(Bin.Value, WordVectorFileFormat.Text));

    [SharedFact("reference/w2v/brown16.bin", "reference/w2v/brown16.txt")]
    public void Writer_reproduces_the_text_file_from_the_text_vectors() =>
        Assert.Equal(File.ReadAllBytes(TextPath), Write(Text.Value, WordVectorFileFormat.Text));

    [SharedFact("reference/w2v/brown16.bin", "reference/w2v/brown16.txt")]
    public void Save_writes_the_same_bytes_to_a_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"lmtollm-{Guid.NewGuid():N}.bin");
        try
        {
            Bin.Value.Save(path, WordVectorFileFormat.Binary);
            Assert.Equal(File.ReadAllBytes(BinPath), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SharedFact("reference/w2v/brown16.bin", "reference/w2v/brown16.check.tsv")]
    public void Nearest_neighbours_match_the_reference_list()
    {
        var expected = File.ReadLines(SharedData.File("reference", "w2v", "brown16.check.tsv")).Skip(1)
            .Select(line => line.Split('\t'))
            .GroupBy(f => f[0]);
        int checkedWords = 0;
        foreach (var group in expected)
        {
            var rows = group.OrderBy(f => int.Parse(f[1], CultureInfo.InvariantCulture)).ToList();
            var actual = Bin.Value.MostSimilar(group.Key, rows.Count);
            Assert.Equal(rows.Select(f => f[2]), actual.Select(a => a.Word));
            for (int i = 0; i < rows.Count; i++)
                Assert.InRange(actual[i].Score - double.Parse(rows[i][3], CultureInfo.InvariantCulture), -1e-5, 1e-5);
            checkedWords++;
        }
        Assert.Equal(20, checkedWords);
    }

    private static byte[] Write(WordVectors vectors, WordVectorFileFormat format)
    {
        using var memory = new MemoryStream();
        vectors.Save(memory, format);
        return memory.ToArray();
    }
}

/// <summary>Round trips and malformed files, on small hand-made tables.</summary>
public sealed class Word2VecFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-w2v-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static WordVectors Small() => WordVectors.Create(["</s>", "größe", "b"], [0.5f, -1.25f, 1e-7f, -1e-7f, 3.0f, 0.1f]);

    [Theory]
    [InlineData(WordVectorFileFormat.Binary)]
    [InlineData(WordVectorFileFormat.Text)]
    public void Round_trips(WordVectorFileFormat format)
    {
        string path = Path.Combine(_dir, "v");
        Small().Save(path, format);
        var back = WordVectors.Load(path);
        Assert.Equal(["</s>", "größe", "b"], back.Words);
        Assert.Equal(2, back.Dimensions);
        float[] expected = format == WordVectorFileFormat.Binary ? [0.5f, -1.25f, 1e-7f, -1e-7f, 3.0f, 0.1f] : [0.5f, -1.25f, 0f, -0f, 3.0f, 0.1f];
        Assert.Equal(expected, back.Matrix.ToArray());
    }

    [Fact]
    public void Text_format_is_word2vec_c_printf()
    {
        using var memory = new MemoryStream();
        Small().Save(memory, WordVectorFileFormat.Text);
        string text = System.Text.Encoding.UTF8.GetString(memory.ToArray());
        Assert.Equal("3 2\n</s> 0.500000 -1.250000 \ngröße 0.000000 -0.000000 \nb 3.000000 0.100000 \n", text);
    }

    [Fact]
    public void Reads_gensim_binary_without_newlines_and_text_without_trailing_spaces()
    {
        string bin = Path.Combine(_dir, "g.bin");
        var bytes = new List<byte>(System.Text.Encoding.ASCII.GetBytes("2 2\n"));
        foreach (var (w, x, y) in new[] { ("a", 1f, 2f), ("b", 3f, 4f) })
        {
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(w + " "));
            bytes.AddRange(BitConverter.GetBytes(x));
            bytes.AddRange(BitConverter.GetBytes(y));
        }
        File.WriteAllBytes(bin, [.. bytes]);
        var v = WordVectors.Load(bin);
        Assert.Equal(["a", "b"], v.Words);
        Assert.Equal([1f, 2f, 3f, 4f], v.Matrix.ToArray());

        string txt = Path.Combine(_dir, "g.txt");
        File.WriteAllText(txt, "2 2\na 1.5 2\nb 3 -4e-1\n");
        var t = WordVectors.Load(txt);
        Assert.Equal([1.5f, 2f, 3f, -0.4f], t.Matrix.ToArray());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("hello world\n", "bad header")]
    [InlineData("2\n", "bad header")]
    [InlineData("2 0\n", "bad header")]
    [InlineData("2 -3\n", "bad header")]
    public void Bad_header_is_a_clear_error(string content, string expected)
    {
        string path = Path.Combine(_dir, "bad");
        File.WriteAllText(path, content);
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void Truncated_binary_is_a_clear_error()
    {
        string path = Path.Combine(_dir, "t.bin");
        Small().Save(path, WordVectorFileFormat.Binary);
        byte[] all = File.ReadAllBytes(path);
        File.WriteAllBytes(path, all[..^6]);
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(path, WordVectorFileFormat.Binary));
        Assert.Contains("ends inside vector 3 of 3", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Text_with_a_dimension_mismatch_names_the_line()
    {
        string path = Path.Combine(_dir, "d.txt");
        File.WriteAllText(path, "2 3\na 1 2 3\nb 1 2\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(path, WordVectorFileFormat.Text));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("2 values for 'b', but the header says 3 dimensions", e.Message);
    }

    [Fact]
    public void Detected_text_with_a_short_first_row_reports_the_dimensions()
    {
        string path = Path.Combine(_dir, "d1.txt");
        File.WriteAllText(path, "2 3\na 1 2\nb 1 2 3\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(path));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("2 values for 'a', but the header says 3 dimensions", e.Message);
    }

    [Fact]
    public void Text_with_fewer_rows_than_the_header_is_an_error()
    {
        string path = Path.Combine(_dir, "f.txt");
        File.WriteAllText(path, "3 2\na 1.5 2.5\nb 1.5 2.5\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(path, WordVectorFileFormat.Text));
        Assert.Contains("f.txt:4: the file ends after 2 vectors, but the header announces 3", e.Message);
    }

    [Fact]
    public void Text_with_a_non_number_names_the_line()
    {
        string path = Path.Combine(_dir, "n.txt");
        File.WriteAllText(path, "1 2\na 1 x2\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(path, WordVectorFileFormat.Text));
        Assert.Equal(2, e.LineNumber);
    }

    [Fact]
    public void Create_rejects_a_matrix_of_the_wrong_size()
    {
        Assert.Throws<ArgumentException>(() => WordVectors.Create(["a", "b"], new float[5], 2));
        Assert.Throws<ArgumentException>(() => WordVectors.Create(["a b"], new float[2]));
    }
}
