using LmToLlm.NGrams;
using Xunit.Abstractions;

namespace LmToLlm.Tests.NGrams;

/// <summary>Differential tests against KenLM lmplz/query outputs on Penn Treebank (../shared/reference/ptb).</summary>
public sealed class KenLmReferenceTests(ITestOutputHelper output)
{
    [SharedTheory("reference/ptb")]
    [InlineData(3)]
    [InlineData(5)]
    public void Discounts_and_counts_of_counts_equal_lmplz(int order)
    {
        var stats = PtbReference.Ours(order).Statistics!;
        var rows = PtbReference.Tsv("discounts.tsv").Where(r => r[0] == order.ToString()).ToList();
        Assert.Equal(order, rows.Count);
        foreach (var r in rows)
        {
            var s = stats[int.Parse(r[1]) - 1];
            Assert.Equal(new CountsOfCounts(long.Parse(r[5]), long.Parse(r[6]), long.Parse(r[7]), long.Parse(r[8])), s.Counts);
            // Bit-for-bit float32 equality with lmplz's discounts.
            Assert.Equal(PtbReference.F(r[9]), s.Discount.D1);
            Assert.Equal(PtbReference.F(r[10]), s.Discount.D2);
            Assert.Equal(PtbReference.F(r[11]), s.Discount.D3Plus);
            // And as lmplz prints them (6 significant digits).
            Assert.Equal(r[2], s.Discount.D1.ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(r[4], s.Discount.D3Plus.ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [SharedTheory("reference/ptb")]
    [InlineData(3)]
    [InlineData(5)]
    public void Written_arpa_has_the_ngrams_and_values_of_lmplz(int order)
    {
        string path = Path.Combine(Path.GetTempPath(), $"lmtollm-ptb-o{order}-{Guid.NewGuid():N}.arpa");
        try
        {
            PtbReference.Ours(order).WriteArpa(path);
            var ours = BackoffModel.ReadArpa(path);
            var kenlm = PtbReference.KenLm(order);
            double maxProb = 0, maxBackoff = 0;
            for (int k = 1; k <= order; k++)
            {
                Assert.Equal(kenlm.NGramCount(k), ours.NGramCount(k));
                foreach (var (words, prob, backoff) in kenlm.Enumerate(k))
                {
                    var found = ours.Find(words);
                    Assert.True(found.HasValue, $"missing {k}-gram '{string.Join(' ', words)}'");
                    maxProb = Math.Max(maxProb, Math.Abs(found.Value.Log10Prob - prob));
                    maxBackoff = Math.Max(maxBackoff, Math.Abs(found.Value.Log10Backoff - backoff));
                }
            }
            output.WriteLine($"order {order}: max |Δ log10 prob| = {maxProb:G3}, max |Δ log10 backoff| = {maxBackoff:G3}");
            Assert.True(maxProb <= 1e-4, $"max prob diff {maxProb}");
            Assert.True(maxBackoff <= 1e-4, $"max backoff diff {maxBackoff}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SharedTheory("reference/ptb")]
    [InlineData(3)]
    [InlineData(5)]
    public void Written_arpa_equals_lmplzs_byte_for_byte(int order)
    {
        // Stronger than the 1e-4 check: same float32 arithmetic (log10 in float32, as glibc's log10f that lmplz calls),
        // the same shortest number printing and the same order of lines (lmplz's suffix order) give the same file.
        var ours = new MemoryStream();
        PtbReference.Ours(order).WriteArpa(ours);
        var theirs = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(File.OpenRead(PtbReference.File($"ptb.o{order}.arpa.gz")), System.IO.Compression.CompressionMode.Decompress))
        {
            gz.CopyTo(theirs);
        }
        output.WriteLine($"order {order}: {ours.Length:N0} bytes against lmplz's {theirs.Length:N0}");
        Assert.True(theirs.ToArray().AsSpan().SequenceEqual(ours.ToArray()), "the ARPA differs from lmplz's");
    }

    [SharedTheory("reference/ptb")]
    [InlineData(3, "ptb.valid.UNK.txt")]
    [InlineData(3, "ptb.test.UNK.txt")]
    [InlineData(5, "ptb.valid.UNK.txt")]
    [InlineData(5, "ptb.test.UNK.txt")]
    public void Perplexity_equals_query_for_our_model_and_for_kenlms_arpa(int order, string text)
    {
        var row = PtbReference.Tsv("ppl.tsv").Single(r => r[0] == $"ptb.o{order}" && r[1] == text);
        foreach (var model in new LanguageModel[] { PtbReference.Ours(order), PtbReference.KenLm(order) })
        {
            var ppl = model.PerplexityOfFile(PtbReference.File(text));
            output.WriteLine($"{model.Name} o{order} {text}: {ppl.PerplexityIncludingOov:R} (query {row[2]})");
            Assert.Equal(Math.Round(PtbReference.D(row[2]), 2), Math.Round(ppl.PerplexityIncludingOov, 2));
            Assert.Equal(Math.Round(PtbReference.D(row[3]), 2), Math.Round(ppl.PerplexityExcludingOov, 2));
            Assert.Equal(long.Parse(row[4]), ppl.Oovs);
            Assert.Equal(long.Parse(row[5]), ppl.Tokens);
        }
    }

    [SharedTheory("reference/ptb")]
    [InlineData(3)]
    [InlineData(5)]
    public void Sentence_log10_probabilities_equal_query(int order)
    {
        string[] lines = File.ReadAllLines(PtbReference.File("ptb.test.UNK.txt"));
        var rows = PtbReference.Tsv($"ptb.o{order}.test-sentences.tsv").ToList();
        Assert.Equal(lines.Length, rows.Count);
        foreach (var model in new LanguageModel[] { PtbReference.Ours(order), PtbReference.KenLm(order) })
        {
            double max = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                var s = model.ScoreSentence(lines[i]);
                Assert.Equal(int.Parse(rows[i][3]), s.Tokens);
                Assert.Equal(int.Parse(rows[i][2]), s.Oovs);
                max = Math.Max(max, Math.Abs(s.Log10Prob - PtbReference.F(rows[i][1])));
            }
            output.WriteLine($"{model.Name} o{order}: max |Δ sentence log10 prob| = {max:G3}");
            Assert.True(max <= 1e-4, $"max sentence diff {max}");
        }
    }

    [SharedFact("reference/ptb")]
    public void Word_scores_and_ngram_lengths_equal_query()
    {
        string[] lines = File.ReadAllLines(PtbReference.File("ptb.test.UNK.txt"));
        var rows = PtbReference.Tsv("ptb.o3.test-words.tsv").ToList();
        var model = PtbReference.Ours(3);
        int r = 0;
        double max = 0;
        for (int i = 0; i < 200; i++)
        {
            var words = new List<(string Word, int Id, WordProbability Score)>();
            model.ScoreSentence(lines[i], words);
            foreach (var (word, _, score) in words)
            {
                var row = rows[r++];
                Assert.Equal(row[2], word);
                Assert.Equal(int.Parse(row[4]), score.NGramLength);
                max = Math.Max(max, Math.Abs(score.Log10Prob - PtbReference.F(row[5])));
            }
        }
        Assert.Equal(rows.Count, r);
        output.WriteLine($"max |Δ word log10 prob| = {max:G3}");
        Assert.True(max <= 1e-4);
    }
}
