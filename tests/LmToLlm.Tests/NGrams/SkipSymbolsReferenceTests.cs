using LmToLlm.NGrams;
using Xunit.Abstractions;

namespace LmToLlm.Tests.NGrams;

/// <summary>
/// lmplz --skip_symbols on the original PTB text (literal &lt;unk&gt;). The original text is the UNK file with UNK mapped
/// back to &lt;unk&gt; (the README's mapping is reversible).
/// </summary>
public sealed class SkipSymbolsReferenceTests(ITestOutputHelper output)
{
    private static IEnumerable<string> Original(string name) =>
        File.ReadLines(PtbReference.File(name)).Select(line => string.Join(' ', line.Split(' ').Select(w => w == "UNK" ? "<unk>" : w)));

    private static readonly Lazy<BackoffModel> Model5 = new(() =>
        NGramTrainer.ModifiedKneserNey(NGramCounts.FromLines(Original("ptb.train.UNK.txt"), new NGramCountOptions { Order = 5, SkipSymbols = true })));

    [SharedFact("reference/ptb")]
    public void Literal_unk_in_training_is_an_error_naming_the_line()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => NGramCounts.FromLines(Original("ptb.train.UNK.txt"), new NGramCountOptions { Order = 3 }, "ptb.train.txt"));
        // The first <unk> of the text is on line 2 ("pierre <unk> N years old ...").
        Assert.StartsWith("ptb.train.txt:2: the word '<unk>' is reserved", e.Message);
    }

    [SharedFact("reference/ptb")]
    public void Discounts_equal_lmplz_skip_symbols()
    {
        var stats = Model5.Value.Statistics!;
        Assert.Equal(10001, Model5.Value.NGramCount(1));
        foreach (var r in PtbReference.Tsv("discounts.skip_symbols.tsv").Where(r => r[0] == "5"))
        {
            var s = stats[int.Parse(r[1]) - 1];
            Assert.Equal(new CountsOfCounts(long.Parse(r[5]), long.Parse(r[6]), long.Parse(r[7]), long.Parse(r[8])), s.Counts);
            Assert.Equal(new Discount(PtbReference.F(r[9]), PtbReference.F(r[10]), PtbReference.F(r[11])), s.Discount);
        }
    }

    [SharedTheory("reference/ptb")]
    [InlineData("ptb.valid.UNK.txt", "ptb.valid.txt")]
    [InlineData("ptb.test.UNK.txt", "ptb.test.txt")]
    public void Perplexity_with_oovs_equals_query(string unkFile, string originalName)
    {
        var row = PtbReference.Tsv("ppl.tsv").Single(r => r[0] == "ptb.skip_symbols.o5" && r[1] == originalName);
        var ppl = Model5.Value.Perplexity(Original(unkFile));
        output.WriteLine($"{originalName}: incl {ppl.PerplexityIncludingOov:R} excl {ppl.PerplexityExcludingOov:R} (query {row[2]} {row[3]})");
        Assert.Equal(Math.Round(PtbReference.D(row[2]), 2), Math.Round(ppl.PerplexityIncludingOov, 2));
        Assert.Equal(Math.Round(PtbReference.D(row[3]), 2), Math.Round(ppl.PerplexityExcludingOov, 2));
        Assert.Equal(long.Parse(row[4]), ppl.Oovs);
        Assert.Equal(long.Parse(row[5]), ppl.Tokens);
    }
}
