using LmToLlm.Subwords;

namespace LmToLlm.Tests.Subwords;

/// <summary>
/// n-best segmentation and sampling equal spm_encode's: the same n-best lists in the same order, and with the same
/// --random_seed the same samples line for line (mt19937 and libstdc++'s discrete_distribution are reproduced).
/// </summary>
public sealed class SubwordRegularizationTests
{
    private static List<string> NBestLines(SubwordTokenizer tokenizer, List<byte[]> lines, int n) =>
        lines.SelectMany(line => tokenizer.EncodeNBest(line, n, withPieces: false)).Select(r => string.Join(' ', r.Ids)).ToList();

    private static List<string> SampleLines(SubwordTokenizer tokenizer, List<byte[]> lines, int n, float alpha, uint seed)
    {
        var random = new StdRandom(seed);
        var ids = new List<int>();
        return lines.Select(line =>
        {
            tokenizer.SampleEncode(line, n, alpha, random, ids, null);
            return string.Join(' ', ids);
        }).ToList();
    }

    private static void AssertSameLines(string name, List<string> actual)
    {
        var expected = SubwordReference.Text(name).TrimEnd('\n').Split('\n');
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++) Assert.True(expected[i] == actual[i], $"{name} line {i + 1}: ours '{actual[i]}' vs spm_encode '{expected[i]}'");
    }

    [Fact]
    public void Korean_nbest_equals_spm_encode()
    {
        const string model = "ko-unigram-nmt_nfkc-4000";
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model(model));
        AssertSameLines(model + ".test.nbest5.ids", NBestLines(tokenizer, SubwordReference.KoreanTest(), 5));
    }

    [SharedFact("data/w2v-corpus/corpus.txt.gz")]
    public void English_nbest_with_user_symbols_equals_spm_encode()
    {
        const string model = "en-unigram-identity-1000-uds";
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model(model));
        AssertSameLines(model + ".test.nbest5.ids", NBestLines(tokenizer, SubwordReference.HeldOut(model), 5));
    }

    [Fact]
    public void Sampling_from_all_segmentations_equals_spm_encode_with_the_same_seed()
    {
        const string model = "ko-unigram-nmt_nfkc-4000";
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model(model));
        AssertSameLines(model + ".test.sample-all-0.1-seed7.ids", SampleLines(tokenizer, SubwordReference.KoreanTest(), -1, 0.1f, 7));
    }

    [Fact]
    public void Sampling_from_the_nbest_equals_spm_encode_with_the_same_seed()
    {
        const string model = "ko-unigram-nmt_nfkc-4000";
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model(model));
        AssertSameLines(model + ".test.sample-8-0.5-seed3.ids", SampleLines(tokenizer, SubwordReference.KoreanTest(), 8, 0.5f, 3));
    }

    // The frequencies of sampled segmentations follow P(x)^alpha / Z, Z summed over every segmentation (the n-best
    // list with n = 1024 holds all of a short word's): each of the five likeliest within 4.5 standard deviations.
    [Fact]
    public void Sampled_segmentations_follow_their_probabilities()
    {
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model("ko-unigram-nmt_nfkc-4000"));
        byte[] word = "데이터베이스에서"u8.ToArray();
        var all = tokenizer.EncodeNBest(word, 1024, withPieces: false);
        Assert.True(all.Count is > 5 and < 1024, $"{all.Count} segmentations");
        const float alpha = 0.5f;
        double z = all.Sum(p => Math.Exp(alpha * p.Score));
        var random = new StdRandom(12345);
        var counts = new Dictionary<string, int>();
        var ids = new List<int>();
        const int draws = 20000;
        for (int i = 0; i < draws; i++)
        {
            tokenizer.SampleEncode(word, -1, alpha, random, ids, null);
            string key = string.Join(' ', ids);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        foreach (var (pathIds, _, score) in all.Take(5))
        {
            double p = Math.Exp(alpha * score) / z;
            double sd = Math.Sqrt(draws * p * (1 - p));
            int seen = counts.GetValueOrDefault(string.Join(' ', pathIds));
            Assert.True(Math.Abs(seen - draws * p) <= 4.5 * sd, $"path {string.Join(' ', pathIds)}: seen {seen}, expected {draws * p:F1} ± {sd:F1}");
        }
    }

    // mt19937 with the default seed 5489: the 10,000th output is 4123659995 (C++11 standard, [rand.predef]).
    [Fact]
    public void Mersenne_twister_gives_the_standard_10000th_value()
    {
        var random = new StdRandom(5489);
        uint value = 0;
        for (int i = 0; i < 10000; i++) value = random.NextUInt32();
        Assert.Equal(4123659995u, value);
    }

    [Fact]
    public void Bpe_models_refuse_nbest()
    {
        var tokenizer = SubwordTokenizer.Create(SubwordReference.Model("ko-bpe-identity-8000"));
        var e = Assert.Throws<LmToLlmException>(() => tokenizer.EncodeNBest("abc"u8, 5, false));
        Assert.Contains("needs a unigram model", e.Message);
    }
}
