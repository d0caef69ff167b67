using LmToLlm.Data;

namespace LmToLlm.Tests.Data;

public class ExactDeduplicatorTests
{
    [Theory]
    [InlineData("  Hello,\tWORLD! ", false, "hello, world!")]
    [InlineData("  Hello,\tWORLD! ", true, "hello world")]
    [InlineData("a\u00A0\u2003 b\r\nc", false, "a b c")]          // no-break and em spaces are white space
    [InlineData("ÉCOLE «Straße»", true, "école straße")]            // guillemets are punctuation
    [InlineData("", false, "")]
    public void Normalization_follows_the_documented_rules(string text, bool removePunctuation, string expected) =>
        Assert.Equal(expected, new TextNormalization { RemovePunctuation = removePunctuation }.Apply(text));

    [Fact]
    public void Every_rule_can_be_turned_off()
    {
        var none = new TextNormalization { Nfc = false, CaseFold = false, CollapseWhitespace = false, RemovePunctuation = false };
        Assert.Equal(" A  b.", none.Apply(" A  b."));
    }

    [Fact]
    public void Keeps_the_first_occurrence_and_names_it_for_each_duplicate()
    {
        var dedup = ExactDeduplicator.Create();
        string[] docs = ["The cat sat.", "the  CAT sat.", "A dog.", "The cat sat", " the cat sat. ", "a dog."];
        var kept = new List<int>();
        var firstOf = new List<long>();
        for (int i = 0; i < docs.Length; i++)
        {
            bool isNew = dedup.Add(docs[i], out long first);
            if (isNew) kept.Add(i);
            firstOf.Add(first);
        }
        Assert.Equal([0, 2, 3], kept);                 // "The cat sat" differs from "The cat sat." by its full stop
        Assert.Equal([0L, 0, 2, 3, 0, 2], firstOf);
        Assert.Equal(6, dedup.Seen);
        Assert.Equal(3, dedup.Distinct);
    }

    [Fact]
    public void Punctuation_removal_merges_texts_that_differ_only_in_punctuation()
    {
        var dedup = ExactDeduplicator.Create(new TextNormalization { RemovePunctuation = true });
        Assert.True(dedup.Add("The cat sat.", out _));
        Assert.False(dedup.Add("the cat, sat", out long first));
        Assert.Equal(0, first);
    }

    [Fact]
    public void Nfc_composes_when_the_runtime_can()
    {
        // Under InvariantGlobalization .NET cannot compose; the flag says so and the text is left as is.
        string decomposed = "cafe\u0301";
        string expected = TextNormalization.NfcAvailable ? "caf\u00E9" : decomposed;
        Assert.Equal(expected, TextNormalization.Default.Apply(decomposed));
    }
}

/// <summary>Regression: NFC was a silent no-op while the project ran in globalization-invariant mode.</summary>
public sealed class NfcNormalizationTests
{
    [Fact]
    public void Precomposed_and_decomposed_spellings_normalize_to_the_same_text()
    {
        Assert.True(LmToLlm.Data.TextNormalization.NfcAvailable, "NFC needs ICU: the test host must not run in invariant-globalization mode");
        var normalization = LmToLlm.Data.TextNormalization.Default;
        Assert.Equal(normalization.Apply("Caf\u00E9 noir"), normalization.Apply("CAFE\u0301  noir"));
        Assert.Equal(normalization.Fingerprint("caf\u00E9"), normalization.Fingerprint("cafe\u0301"));
    }
}
