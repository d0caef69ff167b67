using System.Text;
using LmToLlm.Embeddings.FastText;

namespace LmToLlm.Tests.Embeddings.FastText;

/// <summary>Character n-grams, hash ids and subword vectors on cases small enough to check with a pencil.</summary>
public sealed class FastTextSubwordTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-ft-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Ngrams_of_the_are_those_of_the_wrapped_word_by_start_then_length() =>
        // "<the>": from '<': <th <the <the>; from 't': the the>; from 'h': he>; "e>" is too short.
        Assert.Equal(["<th", "<the", "<the>", "the", "the>", "he>"], FastTextSubwords.CharacterNGrams("the", 3, 6));

    [Fact]
    public void Ngrams_count_characters_not_bytes() =>
        // "<학교>" is 4 characters (8 bytes): 3-grams <학교 and 학교>, the 4-gram <학교>.
        Assert.Equal(["<학교", "<학교>", "학교>"], FastTextSubwords.CharacterNGrams("학교", 3, 6));

    [Fact]
    public void One_character_ngrams_never_are_the_brackets_alone() =>
        Assert.Equal(["é"], FastTextSubwords.CharacterNGrams("é", 1, 1));

    [Fact]
    public void Maxn_zero_gives_no_ngrams() => Assert.Empty(FastTextSubwords.CharacterNGrams("word", 0, 0));

    [Fact]
    public void Hash_is_fnv1a_for_ascii()
    {
        // h = (2166136261 ^ 0x61) * 16777619 mod 2^32 = 0xE40C292C, the published FNV-1a value of "a".
        Assert.Equal(0xE40C292Cu, FastTextSubwords.Hash("a"u8));
        Assert.Equal(0x6082492Fu, FastTextSubwords.Hash("<th"u8));
    }

    [Fact]
    public void Hash_sign_extends_bytes_above_0x7F()
    {
        // "é" = C3 A9. Sign-extended: h = ((2166136261 ^ 0xFFFFFFC3) * 16777619 ^ 0xFFFFFFA9) * 16777619 mod 2^32 = 0x3CFA68C1;
        // plain FNV-1a (zero-extended bytes) would give 513665217 = 0x1E9DF5C1.
        Assert.Equal(0x3CFA68C1u, FastTextSubwords.Hash("é"u8));
        Assert.NotEqual(513665217u, FastTextSubwords.Hash("é"u8));
    }

    [Fact]
    public void Ngram_rows_are_words_plus_hash_mod_bucket()
    {
        // "<é>" is the only n-gram of "é" (3 characters); hash 0x3BC59BD7 = 1002806231; mod 20000 = 6231.
        Assert.Equal([10 + 6231], FastTextSubwords.NGramRows("é", 10, 20000, 3, 6));
        // "<th" hashes to 1619151151; mod 20000 = 11151.
        Assert.Equal(100 + 11151, FastTextSubwords.NGramRows("the", 100, 20000, 3, 6)[0]);
    }

    internal static FastTextModel Tiny()
    {
        // 2 words, bucket 3, 3-grams only, dim 2: input rows 0..1 words, 2..4 buckets.
        var options = new FastTextOptions { Dimensions = 2, Bucket = 3, MinN = 3, MaxN = 3 };
        float[] input = [1, 2, 3, 4, 10, 20, 30, 40, 50, 60];
        float[] output = [0.5f, -0.5f, 0.25f, 0];
        return new FastTextModel(options, ["ab", "</s>"], [3, 2], [0, 0], 5, input, output, 2);
    }

    [Fact]
    public void A_word_vector_is_the_mean_of_its_own_row_and_its_ngram_rows()
    {
        var m = Tiny();
        // "<ab>": 3-grams "<ab" and "ab>"; rows 2 + hash mod 3.
        int r1 = 2 + (int)(FastTextSubwords.Hash("<ab"u8) % 3), r2 = 2 + (int)(FastTextSubwords.Hash("ab>"u8) % 3);
        Assert.Equal([0, r1, r2], m.SubwordRows("ab"));
        float[] input = m.InputMatrix.ToArray();
        float[] expected = [(input[0] + input[2 * r1] + input[2 * r2]) / 3, (input[1] + input[2 * r1 + 1] + input[2 * r2 + 1]) / 3];
        Assert.Equal(expected, m.WordVector("ab"));
        Assert.Equal([3f, 4f], m.WordVector("</s>")); // the sentence end has no n-grams
    }

    [Fact]
    public void An_unknown_word_gets_the_mean_of_its_ngram_rows_or_zeros()
    {
        var m = Tiny();
        int r1 = 2 + (int)(FastTextSubwords.Hash("<xy"u8) % 3), r2 = 2 + (int)(FastTextSubwords.Hash("xy>"u8) % 3);
        float[] input = m.InputMatrix.ToArray();
        Assert.Equal([(input[2 * r1] + input[2 * r2]) / 2, (input[2 * r1 + 1] + input[2 * r2 + 1]) / 2], m.WordVector("xy"));
        int r3 = 2 + (int)(FastTextSubwords.Hash("<z>"u8) % 3); // "<z>" is the only 3-gram of "z": its vector is that row
        Assert.Equal([input[2 * r3], input[2 * r3 + 1]], m.WordVector("z"));
        var noSubwords = new FastTextModel(m.Options with { MaxN = 0 }, ["ab", "</s>"], [3, 2], [0, 0], 5, input, [0.5f, -0.5f, 0.25f, 0], 2);
        Assert.Equal([0f, 0f], noSubwords.WordVector("xy"));
    }

    [Fact]
    public void Save_and_load_round_trip()
    {
        var m = Tiny();
        string path = Path.Combine(_dir, "m.bin");
        m.Save(path);
        Assert.True(FastTextModel.IsModelFile(path));
        var back = FastTextModel.Load(path);
        Assert.Equal(m.Words, back.Words);
        Assert.Equal(m.InputMatrix.ToArray(), back.InputMatrix.ToArray());
        Assert.Equal(m.OutputMatrix.ToArray(), back.OutputMatrix.ToArray());
        Assert.Equal(m.Options with { }, back.Options);
    }

    [Fact]
    public void Vec_values_print_as_cpp_setprecision_5()
    {
        byte[] b = new byte[32];
        string F(float v) => Encoding.ASCII.GetString(b, 0, FastTextVecFormat.FormatG5(v, b));
        Assert.Equal("0.01498", F(0.0149799595f));
        Assert.Equal("-1.0252", F(-1.02521217f));
        Assert.Equal("1.2346e-05", F(1.23456e-5f));
        Assert.Equal("1.2346e+05", F(123456f)); // exponent 5 ≥ precision 5: exponent form, as printf
        Assert.Equal("12346", F(12345.6f));
        Assert.Equal("1.2346e+06", F(1234567f));
        Assert.Equal("0", F(0f));
        Assert.Equal("-0", F(-0f));
    }

    [Fact]
    public void Truncated_bin_names_the_file()
    {
        string path = Path.Combine(_dir, "t.bin");
        Tiny().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        var e = Assert.Throws<LmToLlmFormatException>(() => FastTextModel.Load(path));
        Assert.Contains("t.bin", e.Message);
    }

    [Fact]
    public void Bin_declaring_a_huge_matrix_is_rejected_before_allocating()
    {
        string path = Path.Combine(_dir, "h.bin");
        Tiny().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        // The output matrix header (int64 rows, int64 cols) sits before the last 4 floats.
        int rowsAt = bytes.Length - 4 * sizeof(float) - 16;
        BitConverter.GetBytes(long.MaxValue / 4).CopyTo(bytes, rowsAt);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<LmToLlmFormatException>(() => FastTextModel.Load(path));
        Assert.Contains("h.bin", e.Message);
    }

    [Fact]
    public void Wrong_magic_says_what_the_file_is_not()
    {
        string path = Path.Combine(_dir, "w.bin");
        File.WriteAllText(path, "3 2\nab 1 2\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => FastTextModel.Load(path));
        Assert.Contains("not a fastText model", e.Message);
        Assert.False(FastTextModel.IsModelFile(path));
    }

    [Fact]
    public void Vec_with_fewer_rows_than_its_header_names_the_file()
    {
        string path = Path.Combine(_dir, "v.vec");
        File.WriteAllText(path, "3 2\nab 1 2 \ncd 3 4 \n");
        var e = Assert.Throws<LmToLlmFormatException>(() => FastTextVecFormat.Load(path));
        Assert.Contains("v.vec", e.Message);
    }

    [Fact]
    public void Vec_round_trips_through_gzip()
    {
        string path = Path.Combine(_dir, "v.vec.gz");
        var vectors = Tiny().ToWordVectors();
        FastTextVecFormat.Save(vectors, path);
        var back = FastTextVecFormat.Load(path);
        Assert.Equal(vectors.Words, back.Words);
        Assert.Equal([20.333f, 27.333f, 3f, 4f], back.Matrix.ToArray()); // 5 significant digits
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        FastTextVecFormat.Write(vectors, first);
        FastTextVecFormat.Write(back, second);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void WordVectors_Load_recognises_a_fastText_bin_and_a_gzipped_vec()
    {
        var m = Tiny();
        string bin = Path.Combine(_dir, "auto.bin"), vec = Path.Combine(_dir, "auto.vec.gz");
        m.Save(bin);
        m.SaveVectors(vec);
        var fromBin = LmToLlm.Embeddings.WordVectors.Load(bin);
        Assert.Equal(m.Words, fromBin.Words);
        Assert.Equal(m.ToWordVectors().Matrix.ToArray(), fromBin.Matrix.ToArray());
        Assert.Equal(m.Words, LmToLlm.Embeddings.WordVectors.Load(vec).Words);
    }

    [Fact]
    public void Collection_words_outside_the_dictionary_are_appended_with_ngram_vectors()
    {
        var m = Tiny();
        var table = m.ToWordVectors(["ab", "xy", "xy", "bad word", "z"]);
        Assert.Equal(["ab", "</s>", "xy", "z"], table.Words);
        Assert.Equal(m.WordVector("xy"), table.Vector("xy").ToArray());
    }
}
