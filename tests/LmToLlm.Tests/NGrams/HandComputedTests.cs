using LmToLlm.NGrams;

namespace LmToLlm.Tests.NGrams;

/// <summary>
/// A 10-word corpus small enough to check every number with a pencil:
/// <code>
/// the cat sat
/// the dog sat
/// the cat ran away
/// </code>
/// Tokens T = 10 words + 3 &lt;/s&gt; = 13. Unigram counts: the 3, cat 2, sat 2, dog 1, ran 1, away 1, &lt;/s&gt; 3.
/// Predictable vocabulary |V| = 8: &lt;unk&gt; &lt;/s&gt; the cat sat dog ran away (not &lt;s&gt;).
/// Bigrams: &lt;s&gt; the 3, the cat 2, the dog 1, cat sat 1, cat ran 1, sat &lt;/s&gt; 2, dog sat 1, ran away 1, away &lt;/s&gt; 1.
/// </summary>
public sealed class HandComputedTests
{
    internal static readonly string[] Corpus = ["the cat sat", "the dog sat", "the cat ran away"];

    private static NGramCounts Counts(int order) => NGramCounts.FromLines(Corpus, new NGramCountOptions { Order = order });

    private static double P(LanguageModel model, string context, string word)
    {
        int[] ids = [NGramVocabulary.SentenceStart, .. context.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => model.Vocabulary.Find(w))];
        if (context == "") ids = [];
        return Math.Pow(10, model.Score(ids, model.Vocabulary.Find(word)).Log10Prob);
    }

    private static double Pc(LanguageModel model, string context, string word) =>
        Math.Pow(10, model.Score(context.Split(' ').Select(w => w == "<s>" ? NGramVocabulary.SentenceStart : model.Vocabulary.Find(w)).ToArray(), model.Vocabulary.Find(word)).Log10Prob);

    [Fact]
    public void Counts_are_the_ones_listed_above()
    {
        var counts = Counts(2);
        Assert.Equal(10, counts.WordCount);
        Assert.Equal(3, counts.SentenceCount);
        Assert.Equal(9, counts.Vocabulary.Count);
        Assert.Equal(3, counts.Count("the"));
        Assert.Equal(3, counts.Count("</s>"));
        Assert.Equal(3, counts.Count("<s>", "the"));
        Assert.Equal(2, counts.Count("the", "cat"));
        Assert.Equal(2, counts.Count("sat", "</s>"));
        Assert.Equal(0, counts.Count("cat", "dog"));
        Assert.Equal(9, counts.Enumerate(2).Count());
        var table = new StringWriter();
        counts.WriteTable(table);
        Assert.Contains("2\t<s> the\t3\n", table.ToString());
    }

    [Fact]
    public void Maximum_likelihood()
    {
        var model = NGramTrainer.Train(Counts(2), new NGramTrainingOptions { Smoothing = Smoothing.MaximumLikelihood });
        Assert.Equal(2.0 / 3, Pc(model, "the", "cat"), 6);     // c(the cat) / c(the ·) = 2/3
        Assert.Equal(1.0, Pc(model, "<s>", "the"), 6);        // 3/3
        Assert.Equal(0.5, Pc(model, "cat", "sat"), 6);        // 1/2
        Assert.Equal(0.0, Pc(model, "cat", "dog"), 6);        // unseen: 0
        var unigram = NGramTrainer.Train(Counts(1), new NGramTrainingOptions { Smoothing = Smoothing.MaximumLikelihood });
        Assert.Equal(3.0 / 13, Pc(unigram, "<s>", "the"), 6); // c(the) / T
    }

    [Fact]
    public void Laplace_add_one()
    {
        var model = NGramTrainer.Train(Counts(2), new NGramTrainingOptions { Smoothing = Smoothing.AddK, K = 1 });
        Assert.Equal(3.0 / 11, Pc(model, "the", "cat"), 6);   // (2+1)/(3+8)
        Assert.Equal(2.0 / 10, Pc(model, "cat", "sat"), 6);   // (1+1)/(2+8)
        Assert.Equal(1.0 / 10, Pc(model, "cat", "dog"), 6);   // (0+1)/(2+8)
        Assert.Equal(1.0 / 8, Pc(model, "<unk>", "the"), 6);  // unseen context: uniform 1/|V|
        var half = NGramTrainer.Train(Counts(2), new NGramTrainingOptions { Smoothing = Smoothing.AddK, K = 0.5 });
        Assert.Equal(2.5 / 7, Pc(half, "the", "cat"), 6);     // (2+.5)/(3+.5·8)
    }

    [Fact]
    public void Stupid_backoff_and_its_refused_perplexity()
    {
        var model = NGramTrainer.Train(Counts(2), new NGramTrainingOptions { Smoothing = Smoothing.StupidBackoff });
        Assert.Equal(2.0 / 3, Pc(model, "the", "cat"), 6);    // seen: c(the cat)/c(the)
        Assert.Equal(0.4 * 1 / 13, Pc(model, "cat", "dog"), 6); // unseen: 0.4 · c(dog)/T
        var e = Assert.Throws<LmToLlmException>(() => model.Perplexity(["the cat sat"]));
        Assert.Contains("not probabilities", e.Message);
    }

    [Fact]
    public void Kneser_ney_single_discount()
    {
        // Adjusted unigram counts (distinct left words): the 1, cat 1, sat 2, dog 1, ran 1, away 1, </s> 2 → Σ = 9,
        // n1 = 5, n2 = 2 → D = 5/9. Bigrams (raw): n1 = 6 (the dog, cat sat, cat ran, dog sat, ran away, away </s>), n2 = 2 → D = 6/10.
        var model = (BackoffModel)NGramTrainer.Train(Counts(2), new NGramTrainingOptions { Smoothing = Smoothing.KneserNey });
        Assert.Equal(5f / 9f, model.Statistics![0].Discount.D1, 6);
        Assert.Equal(0.6f, model.Statistics![1].Discount.D1, 6);
        // γ = D·7/9 = 35/81; p(the) = (1 − 5/9)/9 + γ/8 = 67/648; p(sat) = (2 − 5/9)/9 + γ/8 = 139/648; p(<unk>) = γ/8 = 35/648.
        Assert.Equal(67.0 / 648, P(model, "", "the"), 6);
        Assert.Equal(139.0 / 648, P(model, "", "sat"), 6);
        Assert.Equal(35.0 / 648, P(model, "", "<unk>"), 6);
        // γ(cat) = 0.6·2/2 = 0.6; p(sat | cat) = (1 − 0.6)/2 + 0.6·p(sat) = 213/648; p(dog | cat) = bo(cat)·p(dog) = 0.6·67/648 = 201/3240.
        Assert.Equal(213.0 / 648, Pc(model, "cat", "sat"), 6);
        Assert.Equal(201.0 / 3240, Pc(model, "cat", "dog"), 6);
    }

    [Fact]
    public void Modified_kneser_ney_fails_like_lmplz_then_falls_back()
    {
        // Unigram adjusted counts have no 3s: lmplz refuses (n3 = 0).
        var e = Assert.Throws<BadDiscountException>(() => NGramTrainer.ModifiedKneserNey(Counts(2)));
        Assert.Equal(1, e.Order);
        Assert.Contains("--discount-fallback", e.Message);

        var model = NGramTrainer.ModifiedKneserNey(Counts(2), discountFallback: true);
        Assert.True(model.Statistics![0].IsFallback);
        Assert.Equal(new Discount(0.5f, 1f, 1.5f), model.Statistics[0].Discount);
        // Bigram n1..n4 = 6 2 1 0: Y = 6/10, D1 = 1 − 2Y·2/6 = 0.6, D2 = 2 − 3Y·1/2 = 1.1, D3+ = 3 − 4Y·0/1 = 3.
        Assert.Equal(new CountsOfCounts(6, 2, 1, 0), model.Statistics[1].Counts);
        Assert.Equal(0.6, model.Statistics[1].Discount.D1, 6);
        Assert.Equal(1.1, model.Statistics[1].Discount.D2, 6);
        Assert.Equal(3.0, model.Statistics[1].Discount.D3Plus, 6);
        // Unigrams with D = 0.5, 1, 1.5: γ = (0.5·5 + 1·2)/9 = 1/2; p(the) = 0.5/9 + 1/16 = 17/144; p(sat) = 1/9 + 1/16 = 25/144.
        Assert.Equal(17.0 / 144, P(model, "", "the"), 6);
        Assert.Equal(25.0 / 144, P(model, "", "sat"), 6);
        // γ(cat) = 0.6·2/2; p(sat | cat) = (1 − 0.6)/2 + 0.6·(25/144) = 73/240; p(the | <s>) = (3 − 3)/3 + γ(<s>)·p(the), γ(<s>) = 3·1/3 = 1.
        Assert.Equal(73.0 / 240, Pc(model, "cat", "sat"), 6);
        Assert.Equal(17.0 / 144, Pc(model, "<s>", "the"), 6);
        Assert.Equal(0f, model.Find("<s>")!.Value.Log10Backoff, 6); // bo(<s>) = log10 γ(<s>) = log10 1
    }

    [Fact]
    public void Sentence_score_counts_end_but_not_start()
    {
        var model = NGramTrainer.ModifiedKneserNey(Counts(2), discountFallback: true);
        var s = model.ScoreSentence("the zebra");
        Assert.Equal(3, s.Tokens); // the, zebra, </s>
        Assert.Equal(1, s.Oovs);
        var ppl = model.Perplexity(["the zebra"]);
        Assert.Equal(Math.Pow(10, -(double)s.Log10Prob / 3), ppl.PerplexityIncludingOov, 9);
    }
}
