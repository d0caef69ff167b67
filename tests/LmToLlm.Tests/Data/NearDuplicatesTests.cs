using LmToLlm.Corpora;
using LmToLlm.Data;

namespace LmToLlm.Tests.Data;

public class NearDuplicatesTests
{
    /// <summary>
    /// Pairs of documents of distinct tokens with exact Jaccard c/200: both have 100 + c/2 tokens, c shared.
    /// Unrelated documents share no token (J = 0).
    /// </summary>
    internal static (List<string> Docs, List<(int A, int B, double J)> Pairs) PlantedPairs(double[] levels, int pairsPerLevel, int seed)
    {
        var random = new Random(seed);
        var docs = new List<string>();
        var pairs = new List<(int, int, double)>();
        int next = 0;
        string Word() => "t" + (next++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (double level in levels)
        {
            int shared = (int)Math.Round(200 * level);
            int own = (200 - shared) / 2;
            for (int p = 0; p < pairsPerLevel; p++)
            {
                var common = Enumerable.Range(0, shared).Select(_ => Word()).ToList();
                var a = common.Concat(Enumerable.Range(0, own).Select(_ => Word())).OrderBy(_ => random.Next()).ToList();
                var b = common.Concat(Enumerable.Range(0, own).Select(_ => Word())).OrderBy(_ => random.Next()).ToList();
                pairs.Add((docs.Count, docs.Count + 1, shared / (double)(shared + 2 * own)));
                docs.Add(string.Join(' ', a));
                docs.Add(string.Join(' ', b));
            }
        }
        return (docs, pairs);
    }

    [Fact]
    public void Candidate_probability_follows_the_S_curve()
    {
        double[] levels = [0.2, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0];
        const int perLevel = 400;
        var (docs, pairs) = PlantedPairs(levels, perLevel, seed: 11);
        // Verification off: a pair lands in one cluster exactly when LSH makes it a candidate.
        var options = new NearDuplicateOptions { Threshold = 0.8, NumPerm = 128, Shingles = new ShingleOptions { Kind = ShingleKind.Word, Size = 1 }, Verification = Verification.None };
        var result = NearDuplicates.Find(docs, options);
        var banding = result.Banding;
        foreach (var group in pairs.GroupBy(p => p.J))
        {
            double observed = group.Count(p => result.ClusterOf(p.A) == result.ClusterOf(p.B)) / (double)perLevel;
            double expected = banding.CandidateProbability(group.Key);
            double standardError = Math.Sqrt(expected * (1 - expected) / perLevel);
            Assert.True(Math.Abs(observed - expected) <= 4 * standardError + 1.0 / perLevel,
                $"s = {group.Key}: observed {observed:F3}, S-curve {expected:F3} (b = {banding.Bands}, r = {banding.Rows})");
        }
        // Unrelated documents never join: every cluster is one planted pair.
        Assert.Equal(docs.Count - result.Clusters, result.Kept);
    }

    [Fact]
    public void Identical_shingle_sets_are_always_joined_and_the_first_is_kept()
    {
        string[] docs = ["The cat sat on the mat today.", "Dogs bark at night in the town.", "the CAT sat, on the mat today", "Dogs bark at night in the town!"];
        var result = NearDuplicates.Find(docs, new NearDuplicateOptions { Shingles = ShingleOptions.Parse("word:2") });
        Assert.Equal([0, 1, 0, 1], Enumerable.Range(0, 4).Select(result.ClusterOf));
        Assert.Equal(2, result.Kept);
        Assert.Equal(2, result.Removed);
        Assert.Equal(2, result.Clusters);
    }

    [Fact]
    public void Exact_verification_rejects_a_pair_just_below_the_threshold()
    {
        // Word 1-shingles. A = {a..j} (10), B = A − {j} + {k}: |A∩B| = 9, |A∪B| = 11, J = 9/11 = 0.818.
        // C = A − {i, j} + {k, l}: J(A, C) = 8/12 = 0.667, J(B, C) = 9/11 = 0.818.
        string a = "a b c d e f g h i j", b = "a b c d e f g h i k", c = "a b c d e f g h k l";
        // b = 128 bands of 1 row: a pair at J ≥ 0.6 is a candidate with probability 1 − 0.4^128 ≈ 1.
        var options = new NearDuplicateOptions { Threshold = 0.8, Shingles = ShingleOptions.Parse("word:1"), Verification = Verification.Exact, Banding = new LshBanding(128, 1) };
        var result = NearDuplicates.Find([a, b, c], options);
        Assert.Equal([0, 0, 0], Enumerable.Range(0, 3).Select(result.ClusterOf));   // a–b and b–c join; a–c (0.667) only through b
        Assert.Equal(2, result.VerifiedPairs);
        var strict = NearDuplicates.Find([a, b, c], options with { Threshold = 0.85 });
        Assert.Equal([0, 1, 2], Enumerable.Range(0, 3).Select(strict.ClusterOf));
    }

    [Fact]
    public void Documents_without_shingles_are_never_near_duplicates()
    {
        var result = NearDuplicates.Find(["", "...", "word", ""]);
        Assert.Equal(4, result.Kept);
        Assert.Equal(3, result.EmptyDocuments);
    }

    [Fact]
    public void Results_do_not_depend_on_the_number_of_threads()
    {
        var (docs, _) = PlantedPairs([0.7, 0.8, 0.9], 100, seed: 5);
        var shingles = ShingleOptions.Parse("word:1");
        var one = NearDuplicates.Find(docs, new NearDuplicateOptions { Shingles = shingles, MaxDegreeOfParallelism = 1 });
        var all = NearDuplicates.Find(docs, new NearDuplicateOptions { Shingles = shingles, MaxDegreeOfParallelism = -1 });
        Assert.Equal(Enumerable.Range(0, docs.Count).Select(one.ClusterOf), Enumerable.Range(0, docs.Count).Select(all.ClusterOf));
        Assert.Equal(one.CandidatePairs, all.CandidatePairs);
    }

    [Fact]
    public void Empty_corpus_gives_an_empty_result()
    {
        var result = NearDuplicates.Find([]);
        Assert.Equal(0, result.Count);
    }

    /// <summary>
    /// 3,500 paragraphs of the w2v corpus (cut to at most 120 words) plus 1,500 edited copies (0–6 words replaced,
    /// deleted or inserted): 5,000 documents whose brute-force exact Jaccard clustering at t = 0.8 is the truth.
    /// </summary>
    internal static List<string> PlantedW2vSubset(int originals, int copies, int seed)
    {
        var docs = new List<string>();
        foreach (var (_, line) in TextLines.Read(SharedData.File("data", "w2v-corpus", "corpus.txt.gz")))
        {
            var words = line.Split(' ');
            if (words.Length < 30) continue;
            docs.Add(string.Join(' ', words.Take(120)));
            if (docs.Count == originals) break;
        }
        var random = new Random(seed);
        var vocabulary = docs.SelectMany(d => d.Split(' ')).Distinct().ToArray();
        for (int c = 0; c < copies; c++)
        {
            var words = docs[random.Next(originals)].Split(' ').ToList();
            int edits = random.Next(0, 7);
            for (int e = 0; e < edits; e++)
            {
                int at = random.Next(words.Count);
                switch (random.Next(3))
                {
                    case 0: words[at] = vocabulary[random.Next(vocabulary.Length)]; break;
                    case 1: if (words.Count > 10) words.RemoveAt(at); break;
                    default: words.Insert(at, vocabulary[random.Next(vocabulary.Length)]); break;
                }
            }
            docs.Insert(random.Next(docs.Count + 1), string.Join(' ', words));
        }
        return docs;
    }

    /// <summary>
    /// On this corpus the planted copies spread evenly over J = 0.6 … 1 (about 30 % of the true pairs lie within two
    /// standard errors, 2·√(0.16/128) = 0.07, of the threshold), the hard case for a MinHash estimate.
    /// Measured (Release, seed 2024): exact verification precision 1.0000, recall 0.9965; estimated verification
    /// precision 0.9423, recall 0.9602 — the estimate's noise near 0.8 costs precision, which exact verification removes.
    /// </summary>
    [SharedFact("data/w2v-corpus/corpus.txt.gz")]
    public void Precision_and_recall_against_brute_force_exact_jaccard()
    {
        var docs = PlantedW2vSubset(3500, 1500, seed: 2024);
        Assert.Equal(5000, docs.Count);
        var truth = BruteForceJaccard.Clusters(docs.Count, BruteForceJaccard.Pairs(BruteForceJaccard.ShingleSets(docs, new ShingleOptions()), 0.8));

        var (precision, recall, predictedPairs, truePairs) = Agreement(Verification.Exact);
        Assert.True(truePairs > 400, $"only {truePairs} true pairs: the planted corpus is too easy");
        Assert.True(precision >= 0.95 && recall >= 0.95, $"exact: precision {precision:F4} recall {recall:F4} ({predictedPairs} predicted pairs, {truePairs} true pairs)");

        // Estimated verification meets the recall goal; its precision (0.942 measured) falls short of 0.95 here, and is
        // held at the measured level to catch regressions, not claimed to reach 0.95.
        (precision, recall, predictedPairs, truePairs) = Agreement(Verification.Estimated);
        Assert.True(recall >= 0.95 && precision >= 0.94, $"estimated: precision {precision:F4} recall {recall:F4} ({predictedPairs} predicted pairs, {truePairs} true pairs)");

        (double, double, long, long) Agreement(Verification verification)
        {
            var result = NearDuplicates.Find(docs, new NearDuplicateOptions { Threshold = 0.8, Verification = verification });
            return BruteForceJaccard.PairAgreement(Enumerable.Range(0, docs.Count).Select(result.ClusterOf).ToArray(), truth);
        }
    }
}
