using FsCheck.Xunit;
using LmToLlm.NGrams;

namespace LmToLlm.Tests.NGrams;

/// <summary>Every normalized model's p(· | h) sums to 1 over the vocabulary (all words but &lt;s&gt;), for random corpora and contexts.</summary>
public sealed class PropertyTests
{
    internal static string[] RandomCorpus(Random random)
    {
        string[] words = ["a", "b", "c", "d", "e", "f"];
        var lines = new string[random.Next(3, 30)];
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = string.Join(' ', Enumerable.Range(0, random.Next(1, 9)).Select(_ => words[random.Next(random.Next(2, words.Length + 1))]));
        }
        return lines;
    }

    [Property(MaxTest = 60)]
    public void Conditional_distributions_sum_to_one(int seed)
    {
        var random = new Random(seed);
        string[] corpus = RandomCorpus(random);
        int order = random.Next(1, 5);
        var counts = NGramCounts.FromLines(corpus, new NGramCountOptions { Order = order });
        var smoothings = new[] { Smoothing.ModifiedKneserNey, Smoothing.KneserNey, Smoothing.AddK, Smoothing.MaximumLikelihood };
        foreach (var smoothing in smoothings)
        {
            var model = NGramTrainer.Train(counts, new NGramTrainingOptions { Smoothing = smoothing, DiscountFallback = true, K = 0.5 });
            for (int trial = 0; trial < 5; trial++)
            {
                // A context: <s> then up to 3 random words (also <unk> and </s>-free words); sometimes without <s>.
                var context = new List<int>();
                if (random.Next(2) == 0) context.Add(NGramVocabulary.SentenceStart);
                for (int i = random.Next(0, 4); i > 0; i--) context.Add(random.Next(6) == 0 ? NGramVocabulary.Unknown : random.Next(3, model.Vocabulary.Count));
                double sum = 0;
                for (int w = 0; w < model.Vocabulary.Count; w++)
                {
                    if (w == NGramVocabulary.SentenceStart) continue;
                    sum += Math.Pow(10, model.Score(context.ToArray(), w).Log10Prob);
                }
                Assert.True(Math.Abs(sum - 1) < 1e-5, $"{smoothing} order {order} seed {seed}: Σ p = {sum}");
            }
        }
    }

    [Property(MaxTest = 30)]
    public void Arpa_and_binary_round_trips_preserve_every_score(int seed)
    {
        var random = new Random(seed);
        var counts = NGramCounts.FromLines(RandomCorpus(random), new NGramCountOptions { Order = random.Next(1, 5) });
        var model = NGramTrainer.ModifiedKneserNey(counts, discountFallback: true);
        string arpa = Path.GetTempFileName(), binary = Path.GetTempFileName();
        try
        {
            model.WriteArpa(arpa);
            model.Save(binary);
            foreach (var copy in new[] { BackoffModel.ReadArpa(arpa), BackoffModel.Load(binary), BackoffModel.Load(binary) })
            {
                for (int k = 1; k <= model.Order; k++)
                {
                    Assert.Equal(model.NGramCount(k), copy.NGramCount(k));
                    foreach (var (words, prob, backoff) in model.Enumerate(k))
                    {
                        Assert.Equal((prob, backoff), copy.Find(words)!.Value);
                    }
                }
            }
        }
        finally
        {
            File.Delete(arpa);
            File.Delete(binary);
        }
    }
}

public sealed class ParallelCountingTests
{
    [FsCheck.Xunit.Property(MaxTest = 40)]
    public void Counts_do_not_depend_on_the_number_of_threads(int seed)
    {
        var random = new Random(seed);
        string[] corpus = PropertyTests.RandomCorpus(random);
        int order = random.Next(1, 6);
        var single = NGramCounts.FromLines(corpus, new NGramCountOptions { Order = order, MaxDegreeOfParallelism = 1 });
        var parallel = NGramCounts.FromLines(corpus, new NGramCountOptions { Order = order, MaxDegreeOfParallelism = 1 + random.Next(2, 5) });
        for (int k = 1; k <= order; k++)
        {
            var expected = single.Enumerate(k).Select(e => (string.Join(' ', e.Words), e.Count)).OrderBy(e => e.Item1, StringComparer.Ordinal);
            var actual = parallel.Enumerate(k).Select(e => (string.Join(' ', e.Words), e.Count)).OrderBy(e => e.Item1, StringComparer.Ordinal);
            Assert.Equal(expected, actual);
        }
    }
}
