using FsCheck.Xunit;
using LmToLlm.SuffixArrays;

namespace LmToLlm.Tests.SuffixArrays;

public sealed class SubstringDeduplicatorTests
{
    /// <summary>
    /// O(n²·L): a token is removed when an L-window holding it also occurs at an earlier position (any document
    /// before, or earlier in the same one). Runs are maximal removed stretches.
    /// </summary>
    private static List<(int Doc, int Offset, int Length, long Occurrences, int FirstDoc, int FirstOffset, int Documents)> BruteForce(List<string[]> docs, int l)
    {
        var positions = new List<(int Doc, int Offset)>();
        for (int d = 0; d < docs.Count; d++)
            for (int i = 0; i + l <= docs[d].Length; i++) positions.Add((d, i));
        bool Same((int Doc, int Offset) a, (int Doc, int Offset) b) => docs[a.Doc].AsSpan(a.Offset, l).SequenceEqual(docs[b.Doc].AsSpan(b.Offset, l));
        var removed = docs.Select(d => new bool[d.Length]).ToList();
        for (int k = 0; k < positions.Count; k++)
            for (int j = 0; j < k; j++)
                if (Same(positions[j], positions[k]))
                {
                    for (int t = 0; t < l; t++) removed[positions[k].Doc][positions[k].Offset + t] = true;
                    break;
                }
        var runs = new List<(int, int, int, long, int, int, int)>();
        for (int d = 0; d < docs.Count; d++)
            for (int i = 0; i < docs[d].Length;)
            {
                if (!removed[d][i]) { i++; continue; }
                int end = i;
                while (end < docs[d].Length && removed[d][end]) end++;
                var same = positions.Where(p => Same(p, (d, i))).ToList();
                runs.Add((d, i, end - i, same.Count, same[0].Doc, same[0].Offset, same.Select(p => p.Doc).Distinct().Count()));
                i = end;
            }
        return runs;
    }

    [Property(MaxTest = 150)]
    public bool Spans_equal_a_brute_force_finder(int seed)
    {
        var random = new Random(seed);
        int l = random.Next(1, 7);
        int vocabulary = random.Next(2, 6);
        var docs = new List<string[]>();
        for (int d = random.Next(1, 12); d > 0; d--)
            docs.Add([.. Enumerable.Range(0, random.Next(0, 25)).Select(_ => "t" + random.Next(vocabulary))]);
        // Planted repeats: copy spans of l or more tokens into other places.
        for (int k = random.Next(0, 4); k > 0; k--)
        {
            var from = docs[random.Next(docs.Count)];
            if (from.Length == 0) continue;
            int start = random.Next(from.Length), length = random.Next(1, from.Length - start + 1);
            int into = random.Next(docs.Count);
            var target = docs[into].ToList();
            target.InsertRange(random.Next(target.Count + 1), from[start..(start + length)]);
            docs[into] = [.. target];
        }
        var lines = docs.Select(d => string.Join(' ', d)).ToList();
        var result = SubstringDeduplicator.Find(lines, l);
        var expected = BruteForce(docs, l);
        var actual = result.Spans.Select(s => ((int)s.Document, (int)s.Offset, s.Length, s.Occurrences, (int)s.FirstDocument, (int)s.FirstOffset, s.Documents)).ToList();
        if (!actual.SequenceEqual(expected)) return false;
        for (int d = 0; d < docs.Count; d++)
        {
            var keep = docs[d].Where((_, i) => !expected.Any(r => r.Doc == d && i >= r.Offset && i < r.Offset + r.Length));
            if (result.Clean(d, lines[d]) != string.Join(' ', keep)) return false;
        }
        return result.RemovedTokens == expected.Sum(r => (long)r.Length);
    }

    [Fact]
    public void A_repeated_sentence_is_kept_once()
    {
        string sentence = string.Join(' ', Enumerable.Range(0, 60).Select(i => "w" + i));
        var lines = new List<string> { "intro " + sentence, "x y", sentence + " outro", "  " + sentence };
        var result = SubstringDeduplicator.Find(lines);
        Assert.Equal(2, result.Spans.Count);
        Assert.All(result.Spans, s => Assert.Equal((60, 3L, 0L, 1L, 3), (s.Length, s.Occurrences, s.FirstDocument, s.FirstOffset, s.Documents)));
        Assert.Equal(["intro " + sentence, "x y", "outro", "  "], Enumerable.Range(0, 4).Select(d => result.Clean(d, lines[d])));
    }

    [Fact]
    public void Two_threads_find_the_same_spans_as_one()
    {
        // More tokens than one block of the threaded sort (65,536), with planted repeats of 60 to 80 tokens.
        var random = new Random(7);
        var docs = Enumerable.Range(0, 300).Select(_ => Enumerable.Range(0, 300).Select(_ => "t" + random.Next(50)).ToList()).ToList();
        for (int k = 0; k < 40; k++)
        {
            var from = docs[random.Next(docs.Count)];
            int start = random.Next(200), length = random.Next(60, 81);
            docs[random.Next(docs.Count)].InsertRange(random.Next(300), from.GetRange(start, Math.Min(length, from.Count - start)));
        }
        var lines = docs.Select(d => string.Join(' ', d)).ToList();
        var one = SubstringDeduplicator.Find(lines, maxDegreeOfParallelism: 1);
        var two = SubstringDeduplicator.Find(lines, maxDegreeOfParallelism: 2);
        Assert.NotEmpty(one.Spans);
        Assert.Equal(one.Spans, two.Spans);
        Assert.Equal(Enumerable.Range(0, lines.Count).Select(d => one.Clean(d, lines[d])), Enumerable.Range(0, lines.Count).Select(d => two.Clean(d, lines[d])));
    }
}
