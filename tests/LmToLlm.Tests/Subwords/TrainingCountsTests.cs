using LmToLlm.Primitives;
using System.Text;
using LmToLlm.Subwords;

namespace LmToLlm.Tests.Subwords;

/// <summary>The training corpus's counting shortcuts give what the plain ways give.</summary>
public sealed class TrainingCountsTests
{
    [Fact]
    public void Byte_string_counts_equal_a_dictionarys_counts_through_many_resizes()
    {
        var random = new Random(22);
        var counts = new ByteStringTable();
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < 50_000; i++)
        {
            string word = new(Enumerable.Range(0, random.Next(0, 7)).Select(_ => (char)random.Next('a', 'e')).ToArray());
            long count = random.Next(1, 4);
            counts.Add(Encoding.UTF8.GetBytes(word), count);
            expected[word] = expected.GetValueOrDefault(word) + count;
        }
        var merged = new ByteStringTable();
        merged.Add("abc"u8, 5);
        merged.AddAll(counts);
        expected["abc"] = expected.GetValueOrDefault("abc") + 5;
        var actual = merged.ToList().ToDictionary(e => Encoding.UTF8.GetString(e.Key), e => e.Count);
        Assert.Equal(expected.Count, merged.Count);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), actual.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Counted_words_are_the_words_of_the_split(bool allowWhitespaceOnly)
    {
        var random = new Random(7);
        string[] alphabet = ["a", "b", "\u2581", "\u2581", "한", "1", "\u0301"];
        for (int round = 0; round < 300; round++)
        {
            string text = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)]));
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            var counts = new ByteStringTable();
            WordSplitter.ForEach(bytes, whitespaceAsSuffix: false, allowWhitespaceOnly, counts, 1);
            var expected = WordSplitter.Split(bytes, whitespaceAsSuffix: false, allowWhitespaceOnly)
                .GroupBy(w => Encoding.UTF8.GetString(bytes, w.Start, w.Length))
                .ToDictionary(g => g.Key, g => (long)g.Count());
            var actual = counts.ToList().ToDictionary(e => Encoding.UTF8.GetString(e.Key), e => e.Count);
            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), actual.OrderBy(e => e.Key, StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData("cafe\u0301 au  lait", "\u2581caf\u00e9\u2581au\u2581lait")]
    [InlineData("  A\uFF21b  ", "\u2581AAb")]
    [InlineData("x", "\u2581x")]
    [InlineData("e\u0301", "\u2581\u00e9")]
    public void Nfkc_normalisation_of_ascii_letters_before_combining_marks_and_spaces(string input, string expected)
    {
        var options = new SubwordTrainerOptions();
        var normalizer = new SubwordNormalizer(new SubwordNormalizerSpec(TrainerSpecWriter.Normalizer(options)), false, userSymbols: null);
        Assert.Equal(expected, normalizer.Normalize(input));
    }
}
