namespace LmToLlm.Data;

/// <summary>
/// The ground truth near-duplicate detection is measured against: the exact Jaccard similarity of every pair of
/// shingle sets, found through an inverted index over shingles (pairs sharing no shingle have J = 0), then clusters
/// by union–find over the pairs with J ≥ t. Input: documents. Output: the pairs with J ≥ t and the clusters.
/// Memory and time grow with the postings, so this is for evaluation subsets (thousands of documents).
/// </summary>
internal static class BruteForceJaccard
{
    /// <summary>The sorted distinct shingle sets of <paramref name="documents"/>.</summary>
    internal static ulong[][] ShingleSets(IReadOnlyList<string> documents, ShingleOptions shingles)
    {
        var shingler = new Shingler(shingles);
        var sets = new ulong[documents.Count][];
        for (int i = 0; i < sets.Length; i++) sets[i] = shingler.Set(documents[i]).ToArray();
        return sets;
    }

    /// <summary>Every pair (i &lt; j) with exact Jaccard ≥ <paramref name="threshold"/>, with its similarity.</summary>
    internal static List<(int First, int Second, double Jaccard)> Pairs(ulong[][] sets, double threshold)
    {
        var postings = new Dictionary<ulong, List<int>>();
        for (int d = 0; d < sets.Length; d++)
            foreach (ulong s in sets[d])
            {
                if (!postings.TryGetValue(s, out var list)) postings[s] = list = [];
                list.Add(d);
            }
        var pairs = new List<(int, int, double)>();
        var common = new int[sets.Length];
        var touched = new List<int>();
        for (int d = 0; d < sets.Length; d++)
        {
            touched.Clear();
            foreach (ulong s in sets[d])
                foreach (int other in postings[s])
                {
                    if (other <= d) continue;
                    if (common[other]++ == 0) touched.Add(other);
                }
            foreach (int other in touched)
            {
                double j = (double)common[other] / (sets[d].Length + sets[other].Length - common[other]);
                if (j >= threshold - 1e-12) pairs.Add((d, other, j));
                common[other] = 0;
            }
        }
        return pairs;
    }

    /// <summary>The cluster root (smallest index) of each document under union–find over <paramref name="pairs"/>.</summary>
    internal static int[] Clusters(int count, IEnumerable<(int First, int Second, double Jaccard)> pairs)
    {
        var parent = new int[count];
        for (int i = 0; i < count; i++) parent[i] = i;
        foreach (var (a, b, _) in pairs) NearDuplicates.Union(parent, a, b);
        for (int i = 0; i < count; i++) parent[i] = NearDuplicates.Find(parent, i);
        return parent;
    }

    /// <summary>
    /// Pair-level agreement of two clusterings: precision = |same-cluster pairs in both| / |same-cluster pairs predicted|,
    /// recall = that / |same-cluster pairs in the truth| (1 when the denominator is 0).
    /// </summary>
    internal static (double Precision, double Recall, long PredictedPairs, long TruePairs) PairAgreement(int[] predicted, int[] truth)
    {
        static long Pairs(IEnumerable<int> sizes) => sizes.Sum(s => (long)s * (s - 1) / 2);
        long predictedPairs = Pairs(predicted.GroupBy(r => r).Select(g => g.Count()));
        long truePairs = Pairs(truth.GroupBy(r => r).Select(g => g.Count()));
        long both = Pairs(Enumerable.Range(0, predicted.Length).GroupBy(i => ((long)predicted[i] << 32) | (uint)truth[i]).Select(g => g.Count()));
        return (predictedPairs == 0 ? 1 : (double)both / predictedPairs, truePairs == 0 ? 1 : (double)both / truePairs, predictedPairs, truePairs);
    }
}
