using LmToLlm.Embeddings;
using LmToLlm.Retrieval.Dense;

namespace LmToLlm.Tests.Retrieval.Dense;

/// <summary>Pooling on a 2-dimensional toy vocabulary: a = (1, 0), b = (0, 1), c = (1, 1).</summary>
public sealed class DenseEncoderTests
{
    private static readonly WordVectors Toy = WordVectors.Create(["a", "b", "c"], [1, 0, 0, 1, 1, 1]);
    private static readonly string[] Texts = ["a a b", "c"];

    [Fact]
    public void Mean_averages_known_words_and_ignores_unknown_ones()
    {
        var encoder = DenseEncoder.Fit(Toy, Texts, new DenseEncoderOptions { Pooling = Pooling.Mean });
        // (a + a + b)/3 = (2/3, 1/3); "zzz" has no vector
        Assert.Equal([2f / 3, 1f / 3], encoder.Encode("a zzz a b"));
        Assert.Equal([0f, 0f], encoder.Encode("zzz"));
    }

    [Fact]
    public void TfIdf_weights_by_smooth_idf()
    {
        var encoder = DenseEncoder.Fit(Toy, Texts, new DenseEncoderOptions { Pooling = Pooling.TfIdf });
        // N = 2, df(a) = df(b) = df(c) = 1: idf = ln(3/2) + 1 for all → plain mean of the occurrences
        double idf = Math.Log(1.5) + 1;
        Assert.Equal(idf, encoder.Weight(0), 12);
        var v = encoder.Encode("a b b");
        Assert.Equal(1f / 3, v[0], 6);
        Assert.Equal(2f / 3, v[1], 6);
    }

    [Fact]
    public void Sif_matches_the_hand_computed_example()
    {
        // Tokens: a a b | c → p(a) = 2/4, p(b) = p(c) = 1/4; with a = 1: weights 1/1.5 = 2/3, 1/1.25 = 0.8, 0.8.
        // v("a a b") = (2/3·(1,0)·2 + 0.8·(0,1))/3 = (4/9, 4/15); v("c") = 0.8·(1,1) = (0.8, 0.8).
        // XᵀX = [[0.8375309, 0.7585185], [0.7585185, 0.7111111]]; its top eigenvector (= first right singular vector
        // of X) is u = (0.7358823, 0.6771095) (2×2 closed form: (q, λ − p) normalised, λ = 1.5354687).
        // v − u uᵀv: (4/9, 4/15) → (0.0708949, −0.0770485); (0.8, 0.8) → (−0.0318365, 0.0345999).
        var encoder = DenseEncoder.Fit(Toy, Texts, new DenseEncoderOptions { Pooling = Pooling.Sif, SifA = 1.0 });
        Assert.Equal(2.0 / 3, encoder.Weight(0), 12);
        Assert.Equal(0.8, encoder.Weight(1), 12);
        Assert.Equal(0.7358823f, encoder.RemovedComponent[0], 5);
        Assert.Equal(0.6771095f, encoder.RemovedComponent[1], 5);
        var first = encoder.Encode("a a b");
        Assert.Equal(0.0708949f, first[0], 5);
        Assert.Equal(-0.0770485f, first[1], 5);
        var second = encoder.Encode("c");
        Assert.Equal(-0.0318365f, second[0], 5);
        Assert.Equal(0.0345999f, second[1], 5);
    }

    [Fact]
    public void Encode_many_equals_encode_one_by_one()
    {
        var encoder = DenseEncoder.Fit(Toy, Texts, new DenseEncoderOptions { Pooling = Pooling.Sif });
        string[] texts = ["a", "b c", "c c a", "", "zzz b"];
        var many = encoder.EncodeMany(texts);
        for (int i = 0; i < texts.Length; i++) Assert.Equal(encoder.Encode(texts[i]), many.AsSpan(i * 2, 2).ToArray());
    }

    [Theory]
    [InlineData(Pooling.Mean)]
    [InlineData(Pooling.TfIdf)]
    [InlineData(Pooling.Sif)]
    public void Save_and_load_give_bit_identical_vectors(Pooling pooling)
    {
        var encoder = DenseEncoder.Fit(Toy, Texts, new DenseEncoderOptions { Pooling = pooling });
        using var stream = new MemoryStream();
        encoder.Save(stream);
        stream.Position = 0;
        var loaded = DenseEncoder.Load(stream);
        Assert.Equal(encoder.Dimensions, loaded.Dimensions);
        foreach (string text in new[] { "a a b", "c b", "zzz", "a c zzz" })
            Assert.Equal(encoder.Encode(text).Select(BitConverter.SingleToInt32Bits), loaded.Encode(text).Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Load_names_a_corrupt_or_foreign_stream()
    {
        var encoder = DenseEncoder.Fit(Toy, Texts);
        using var stream = new MemoryStream();
        encoder.Save(stream);
        byte[] bytes = stream.ToArray();
        bytes[20] ^= 1;
        Assert.Contains("checksum", Assert.Throws<LmToLlmFormatException>(() => DenseEncoder.Load(new MemoryStream(bytes))).Message);
        var index = DenseIndex.Create([1f, 0f], 2);
        using var other = new MemoryStream();
        index.Save(other);
        other.Position = 0;
        Assert.Throws<LmToLlmFormatException>(() => DenseEncoder.Load(other));
    }
}
