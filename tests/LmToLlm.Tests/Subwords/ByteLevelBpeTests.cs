using System.Text;
using System.Text.RegularExpressions;
using LmToLlm.Subwords;
using Microsoft.ML.Tokenizers;

namespace LmToLlm.Tests.Subwords;

/// <summary>
/// Byte-level BPE as GPT-2: the vocab.json + merges.txt we write load in Microsoft.ML.Tokenizers 3.0's
/// <c>BpeTokenizer</c> (byte-level, GPT-2's pre-tokenizer) and give our ids on every held-out line and edge case,
/// and decode(encode(x)) == x.
/// </summary>
public sealed class ByteLevelBpeTests
{
    private static readonly string[] EdgeCases =
    [
        "", " ", "a", "Hello world", "  leading and trailing  ", "tabs\tand\nnewlines\r\n", new string(' ', 300) + "x" + new string(' ', 57),
        "it's they're we've I'm you'll he'd IT'S 'tis", "1234567890 3.14159 -42 ٣٤ ①②", "emoji 😀👍🏽 family 👨‍👩‍👧 flags 🇰🇷",
        "supplementary 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠀀𠀁 𐍈", "학교에서 학교를 학교가", "한국어와 English가 mixed된 문장입니다.", "é vs é (NFC vs NFD)",
        "\u0000\u0001\u007F control", "zero\u200Bwidth\u00A0nbsp", "!!!???...,,,;;;", "ÿ¡¬®", "\t\t\t", "\n\n\n",
    ];

    private static string[] Text(List<byte[]> lines) => [.. lines.Select(l => Encoding.UTF8.GetString(l))];

    private static Tokenizer MlTokenizer(string vocab, string merges) => BpeTokenizer.Create(new BpeOptions(vocab, merges)
    {
        ByteLevel = true,
        PreTokenizer = new RegexPreTokenizer(new Regex(ByteLevelBpe.PreTokenizerPattern, RegexOptions.CultureInvariant), null),
    });

    private static void AssertSameIdsAndRoundTrip(string[] train, string[] heldOut, int vocabSize)
    {
        var bpe = ByteLevelBpe.Train(train, new ByteLevelBpeTrainerOptions { VocabSize = vocabSize });
        Assert.Equal(vocabSize, bpe.Tokens.Count);
        using var dir = new TempDir();
        string vocab = dir.File("vocab.json"), merges = dir.File("merges.txt");
        bpe.Save(vocab, merges);
        var ml = MlTokenizer(vocab, merges);
        var loaded = ByteLevelBpe.Load(vocab, merges);
        Assert.Equal(bpe.Tokens, loaded.Tokens);
        Assert.Equal(bpe.Merges, loaded.Merges);
        using (MemoryStream vocabStream = new(), mergesStream = new())
        {
            bpe.Save(vocabStream, mergesStream);
            Assert.Equal(File.ReadAllBytes(vocab), vocabStream.ToArray());
            Assert.Equal(File.ReadAllBytes(merges), mergesStream.ToArray());
            vocabStream.Position = mergesStream.Position = 0;
            var fromStreams = ByteLevelBpe.Load(vocabStream, mergesStream);
            Assert.Equal(bpe.Tokens, fromStreams.Tokens);
            Assert.Equal(bpe.Merges, fromStreams.Merges);
        }
        foreach (string line in heldOut.Concat(EdgeCases))
        {
            var ours = bpe.EncodeToIds(line);
            Assert.Equal(ml.EncodeToIds(line), ours);
            Assert.Equal(line, bpe.Decode(ours));
            Assert.Equal(line, ml.Decode(ours));
        }
    }

    [Fact]
    public void Korean_ids_equal_ml_tokenizers_and_round_trip() =>
        AssertSameIdsAndRoundTrip(Text(SubwordReference.KoreanTrain()), Text(SubwordReference.KoreanTest()), 2000);

    [SharedFact("data/w2v-corpus/corpus.txt.gz")]
    public void English_ids_equal_ml_tokenizers_and_round_trip()
    {
        var (train, test) = SubwordReference.English();
        AssertSameIdsAndRoundTrip(Text(train), Text(test), 3000);
    }

    [Fact]
    public void Alphabet_is_gpt2s_bytes_to_unicode()
    {
        var bpe = ByteLevelBpe.Train(["x"], new ByteLevelBpeTrainerOptions { VocabSize = 256 });
        Assert.Equal("!", bpe.Tokens[0]);
        Assert.Equal("~", bpe.Tokens[93]);
        Assert.Equal("¡", bpe.Tokens[94]);
        Assert.Equal("ÿ", bpe.Tokens[187]);
        Assert.Equal("Ā", bpe.Tokens[188]); // byte 0x00
        Assert.Equal("Ġ", bpe.Tokens[188 + 32]); // the space, byte 0x20, is the 33rd non-printable byte
        Assert.Equal(" ", bpe.Decode([188 + 32]));
    }

    [Fact]
    public void Merges_the_most_frequent_pair_and_breaks_ties_by_older_ids()
    {
        // Pre-tokens "ab", " ab" x2, " cd" x3; pairs a-b: 3, Ġ-a: 2, c-d: 3, Ġ-c: 3. Ties at 3 go to the smaller
        // left id (a = 64 < c = 66 < Ġ = 220): first "ab"; then c-d: 3 and Ġ-c: 3 tie again and "cd" wins.
        var bpe = ByteLevelBpe.Train(["ab ab ab cd cd cd"], new ByteLevelBpeTrainerOptions { VocabSize = 258 });
        Assert.Equal(["ab", "cd"], bpe.Tokens.Skip(256));
    }

    [Fact]
    public void Training_stops_below_min_frequency()
    {
        var bpe = ByteLevelBpe.Train(["abc"], new ByteLevelBpeTrainerOptions { VocabSize = 300 });
        Assert.Equal(256, bpe.Tokens.Count);
    }

    [Theory]
    [InlineData("vocab", "{\"!\": 0,\n\"!\": 1}", 2, "listed twice")]
    [InlineData("vocab", "{\n\"!\": 0,\n\"x\": \"one\"}", 3, "must be an integer")]
    [InlineData("vocab", "{\n\"!\": 0,\n\"\u4e00\": 1}", 3, "not in GPT-2's byte alphabet")]
    [InlineData("vocab", "{\n\"!\": 0,\n", 3, "not valid JSON")]
    [InlineData("vocab", "{\n\"!\": 0\n}\n", 3, "ends without byte 0x00")]
    [InlineData("vocab", "{\n\"!\": 0,\n\"a\": 5\n}", 3, "ids must run from 0 to 1")]
    [InlineData("vocab", "{\n\"!\": 0,\n\"a\": 0\n}", 3, "id 0 is given to both")]
    [InlineData("merges", "#version: 0.2\na b\nab\n", 3, "not a merge")]
    [InlineData("merges", "#version: 0.2\na b\nq \u4e00\n", 3, "has no id")]
    [InlineData("merges", "#version: 0.2\na b\na b\n", 3, "listed twice")]
    [InlineData("merges", "#version: 0.2\na b\nb a\n", 3, "has no id in vocab.json")]
    public void Malformed_files_name_file_and_line(string which, string content, int line, string problem)
    {
        var bpe = ByteLevelBpe.Train(["ab ab ab"], new ByteLevelBpeTrainerOptions { VocabSize = 257 });
        using var dir = new TempDir();
        string vocab = dir.File("vocab.json"), merges = dir.File("merges.txt");
        bpe.Save(vocab, merges);
        File.WriteAllText(which == "vocab" ? vocab : merges, content);
        var e = Assert.Throws<LmToLlmFormatException>(() => ByteLevelBpe.Load(vocab, merges));
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(problem, e.Problem);
    }
}
