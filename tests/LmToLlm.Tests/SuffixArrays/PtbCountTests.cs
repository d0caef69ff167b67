using LmToLlm.NGrams;
using LmToLlm.SuffixArrays;

namespace LmToLlm.Tests.SuffixArrays;

/// <summary>Counts of the PTB training text, against brute force (orders 1–8) and <see cref="NGramCounts"/> (orders ≤ 5).</summary>
public sealed class PtbCountTests
{
    private const int MaxOrder = 8;

    [SharedFact("reference/ptb/ptb.train.UNK.txt", "reference/ptb/ptb.valid.UNK.txt")]
    public void Counts_of_every_valid_ngram_up_to_order_8_equal_brute_force_and_NGramCounts()
    {
        string train = SharedData.File("reference", "ptb", "ptb.train.UNK.txt");
        string valid = SharedData.File("reference", "ptb", "ptb.valid.UNK.txt");
        using var dir = new TempDir();
        SuffixArrayBuilder.Build(train, dir.File("ptb.sa"));
        using var index = SuffixArrayIndex.Open(dir.File("ptb.sa"));

        // Brute force: every n-gram of the valid text (as exact 14-bit-per-id keys), then one scan of the train text.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int Id(string w) => ids.TryGetValue(w, out int id) ? id : ids[w] = ids.Count + 1;
        var trainLines = File.ReadLines(train).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Id).ToArray()).ToList();
        Assert.True(ids.Count < 1 << 14);
        var wanted = new Dictionary<Int128, long>();
        var spelled = new Dictionary<Int128, string[]>();
        foreach (string line in File.ReadLines(valid))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var keyIds = words.Select(w => ids.TryGetValue(w, out int id) ? id : (1 << 14) - 1).ToArray();
            ForEachKey(keyIds, (key, start, n) =>
            {
                if (wanted.TryAdd(key, 0)) spelled[key] = words[start..(start + n)];
            });
        }
        foreach (var line in trainLines)
            ForEachKey(line, (key, _, _) =>
            {
                if (wanted.ContainsKey(key)) wanted[key]++;
            });

        var counts = NGramCounts.FromLines(File.ReadLines(train), new NGramCountOptions { Order = 5 });
        int checkedNGrams = 0, againstNGramCounts = 0;
        foreach (var (key, expected) in wanted)
        {
            string[] ngram = spelled[key];
            Assert.True(expected == index.Count(ngram), $"'{string.Join(' ', ngram)}': brute force {expected}, index {index.Count(ngram)}");
            if (ngram.Length <= 5)
            {
                Assert.True(expected == counts.Count(ngram), $"'{string.Join(' ', ngram)}': NGramCounts {counts.Count(ngram)}, brute force {expected}");
                againstNGramCounts++;
            }
            checkedNGrams++;
        }
        Assert.True(checkedNGrams > 300_000, $"{checkedNGrams} n-grams checked");
        Assert.True(againstNGramCounts > 100_000, $"{againstNGramCounts} n-grams checked against NGramCounts");
    }

    /// <summary>Each n-gram (n = 1..8) of <paramref name="line"/> as an exact key: 14 bits per id, the order in the top bits.</summary>
    private static void ForEachKey(int[] line, Action<Int128, int, int> visit)
    {
        for (int i = 0; i < line.Length; i++)
        {
            Int128 key = 0;
            for (int n = 1; n <= MaxOrder && i + n <= line.Length; n++)
            {
                key = (key << 14) | line[i + n - 1];
                visit(key | ((Int128)n << 120), i, n);
            }
        }
    }
}
