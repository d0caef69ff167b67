using System.Globalization;
using System.IO.Compression;
using LmToLlm.Embeddings.FastText;

namespace LmToLlm.Tests.Embeddings.FastText;

/// <summary>The model in ../shared/reference/fasttext, written by the reference fastText tool, read and queried by us.</summary>
public sealed class FastTextReferenceTests
{
    private static string BinPath => SharedData.File("reference", "fasttext", "brown16ft.bin");
    private static readonly Lazy<FastTextModel> Model = new(() => FastTextModel.Load(BinPath));
    private static readonly Lazy<byte[]> VecBytes = new(() =>
    {
        using var gzip = new GZipStream(File.OpenRead(SharedData.File("reference", "fasttext", "brown16ft.vec.gz")), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    });

    private static IEnumerable<(string Word, double[] Values, string[] Printed)> Printed(string file) =>
        File.ReadLines(SharedData.File("reference", "fasttext", file)).Select(line =>
        {
            string[] parts = line.TrimEnd(' ').Split(' ');
            return (parts[0], parts[1..].Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray(), parts[1..]);
        });

    [SharedFact("reference/fasttext")]
    public void Header_and_dictionary_are_read()
    {
        var m = Model.Value;
        Assert.Equal(16, m.Dimensions);
        Assert.Equal(14207, m.Count);
        Assert.Equal("the", m.Words[0]); // by descending count; </s> (one per line) is just another entry
        Assert.True(m.Contains("</s>"));
        Assert.Empty(m.SubwordRows("</s>").Skip(1)); // the sentence end has no n-grams
        Assert.Equal(FastTextArchitecture.SkipGram, m.Options.Architecture);
        Assert.Equal(FastTextLoss.NegativeSampling, m.Options.Loss);
        Assert.Equal((20000, 3, 6, 5, 5, 5, 5, 100, 1e-4), (m.Options.Bucket, m.Options.MinN, m.Options.MaxN, m.Options.Window, m.Options.Epochs, m.Options.MinCount, m.Options.Negative, m.Options.LearningRateUpdateRate, m.Options.Sample));
        Assert.Equal(14207 + 20000, m.InputRows);
        Assert.True(m.Counts[0] >= m.Counts[1]);
    }

    [SharedFact("reference/fasttext")]
    public void Every_word_vector_equals_print_word_vectors_with_nine_digits()
    {
        var m = Model.Value;
        int words = 0, oov = 0;
        foreach (var (word, values, _) in Printed("print-word-vectors.p9.txt"))
        {
            float[] ours = m.WordVector(word);
            Assert.Equal(values.Length, ours.Length);
            for (int d = 0; d < ours.Length; d++)
                if (Math.Abs(ours[d] - values[d]) > 1e-5) Assert.Fail($"{word}[{d}]: ours {ours[d]:R}, reference {values[d]:R}");
            words++;
            if (!m.Contains(word)) oov++;
        }
        Assert.Equal(218, words);
        Assert.Equal(17, oov); // 18 unseen words, `don't` among them is in the dictionary
    }

    [SharedFact("reference/fasttext")]
    public void Every_word_vector_equals_print_word_vectors_at_its_printed_precision()
    {
        var m = Model.Value;
        foreach (var (word, values, printed) in Printed("print-word-vectors.txt"))
        {
            float[] ours = m.WordVector(word);
            for (int d = 0; d < ours.Length; d++)
            {
                // 5 significant digits: the printed value is within half a unit of the 5th digit of the true one.
                double unit = values[d] == 0 ? 1e-45 : Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(values[d]))) - 4);
                if (Math.Abs(ours[d] - values[d]) > 0.5 * unit * 1.001) Assert.Fail($"{word}[{d}]: ours {ours[d]:R}, printed {printed[d]}");
            }
        }
    }

    [SharedFact("reference/fasttext")]
    public void Out_of_vocabulary_words_use_their_ngrams_only()
    {
        var m = Model.Value;
        Assert.False(m.Contains("학교에서"));
        var rows = m.SubwordRows("학교에서");
        Assert.All(rows, r => Assert.InRange(r, m.Count, m.InputRows - 1));
        // <학교에서> has 6 characters: n-grams of 3..6 characters = 4 + 3 + 2 + 1.
        Assert.Equal(10, rows.Count);
        var own = m.SubwordRows("the");
        Assert.Equal(m.IndexOf("the"), own[0]);
        Assert.Equal(1 + 6, own.Count); // the word's row, then <th <the <the> the the> he>
    }

    [SharedFact("reference/fasttext")]
    public void Nearest_neighbours_equal_the_reference_nn()
    {
        var m = Model.Value;
        var groups = File.ReadLines(SharedData.File("reference", "fasttext", "nn.tsv")).Skip(1).Select(l => l.Split('\t')).GroupBy(f => f[0]).ToList();
        Assert.Equal(10, groups.Count);
        foreach (var group in groups)
        {
            var expected = group.OrderBy(f => int.Parse(f[1], CultureInfo.InvariantCulture)).ToList();
            var actual = m.MostSimilar(group.Key, expected.Count);
            Assert.Equal(expected.Select(f => f[2]), actual.Select(a => a.Word));
            for (int i = 0; i < expected.Count; i++)
                Assert.InRange(actual[i].Score - double.Parse(expected[i][3], CultureInfo.InvariantCulture), -1e-5, 1e-5);
        }
    }

    [SharedFact("reference/fasttext")]
    public void Vec_file_round_trips_byte_for_byte()
    {
        string path = SharedData.File("reference", "fasttext", "brown16ft.vec.gz");
        var vectors = FastTextVecFormat.Load(path);
        Assert.Equal(14207, vectors.Count);
        using var memory = new MemoryStream();
        FastTextVecFormat.Write(vectors, memory);
        Assert.Equal(VecBytes.Value, memory.ToArray());
    }

    [SharedFact("reference/fasttext")]
    public void Vectors_composed_from_the_bin_print_as_the_reference_vec()
    {
        using var memory = new MemoryStream();
        FastTextVecFormat.Write(Model.Value.ToWordVectors(), memory);
        string[] ours = System.Text.Encoding.UTF8.GetString(memory.ToArray()).Split('\n');
        string[] reference = System.Text.Encoding.UTF8.GetString(VecBytes.Value).Split('\n');
        Assert.Equal(reference.Length, ours.Length);
        var differing = Enumerable.Range(0, ours.Length).Where(i => ours[i] != reference[i]).ToList();
        // Summation order may move a value across a rounding boundary of the 5th digit; none does in this model.
        Assert.True(differing.Count == 0, $"{differing.Count} lines differ, first: {(differing.Count > 0 ? ours[differing[0]] + " vs " + reference[differing[0]] : "")}");
    }

    [SharedFact("reference/fasttext")]
    public void Save_writes_the_reference_bin_byte_for_byte()
    {
        using var memory = new MemoryStream();
        FastTextBinaryFormat.Write(Model.Value, memory);
        Assert.Equal(File.ReadAllBytes(BinPath), memory.ToArray());
    }
}
