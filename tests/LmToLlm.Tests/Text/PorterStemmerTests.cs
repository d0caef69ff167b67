using LmToLlm.Text;

namespace LmToLlm.Tests.Text;

public sealed class PorterStemmerTests
{
    /// <summary>Every pair of Martin Porter's published vocabulary (../shared/data/porter).</summary>
    [SharedFact("data/porter/voc.txt", "data/porter/output.txt")]
    public void Reproduces_every_published_pair()
    {
        string[] words = File.ReadAllLines(SharedData.File("data", "porter", "voc.txt"));
        string[] stems = File.ReadAllLines(SharedData.File("data", "porter", "output.txt"));
        Assert.Equal(23_531, words.Length);
        Assert.Equal(words.Length, stems.Length);
        var buffer = new char[64];
        var mismatches = new List<string>();
        for (int i = 0; i < words.Length; i++)
        {
            words[i].CopyTo(buffer);
            int length = PorterStemmer.Stem(buffer.AsSpan(0, words[i].Length));
            if (!buffer.AsSpan(0, length).SequenceEqual(stems[i])) mismatches.Add($"{words[i]} → {new string(buffer, 0, length)} (expected {stems[i]})");
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, first: {string.Join("; ", mismatches.Take(20))}");
    }

    // Examples from Porter's 1980 paper, checkable by hand against its rules, plus his departures.
    [Theory]
    [InlineData("caresses", "caress")] // 1a sses → ss
    [InlineData("ponies", "poni")] // 1a ies → i
    [InlineData("caress", "caress")] // 1a ss → ss
    [InlineData("cats", "cat")] // 1a s →
    [InlineData("feed", "feed")] // 1b (m>0) eed → ee: m("f") = 0
    [InlineData("agreed", "agre")] // 1b eed → ee, then 5 removes e (m=1, not *o)
    [InlineData("plastered", "plaster")] // 1b (*v*) ed →
    [InlineData("bled", "bled")] // no vowel in "bl"
    [InlineData("motoring", "motor")]
    [InlineData("sing", "sing")]
    [InlineData("conflated", "conflat")] // at → ate, then step 5 removes e (m=2)
    [InlineData("hopping", "hop")] // double consonant → single
    [InlineData("falling", "fall")] // ...except l, s, z
    [InlineData("filing", "file")] // (m=1 and *o) → e
    [InlineData("happy", "happi")] // 1c
    [InlineData("relational", "relat")] // 2 ational → ate, 4 ate removed (m=2)
    [InlineData("generalization", "gener")]
    [InlineData("abbey", "abbei")] // Porter's output.txt
    [InlineData("as", "as")] // words of ≤ 2 letters are left alone
    [InlineData("apology", "apolog")] // departure: logi → log
    [InlineData("possibly", "possibl")] // departure: bli → ble
    [InlineData("adoption", "adopt")] // 4 (*s or *t) ion
    [InlineData("controll", "control")] // 5b
    [InlineData("a", "a")]
    [InlineData("", "")]
    public void Stems_paper_examples(string word, string stem) => Assert.Equal(stem, PorterStemmer.Stem(word));

    [Fact]
    public void Stemming_a_span_does_not_allocate()
    {
        char[] buffer = "generalizations".ToCharArray();
        PorterStemmer.Stem(buffer.AsSpan());
        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int i = 0; i < 100; i++)
        {
            "generalizations".CopyTo(buffer);
            total += PorterStemmer.Stem(buffer.AsSpan());
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(500, total); // "gener"
    }
}
