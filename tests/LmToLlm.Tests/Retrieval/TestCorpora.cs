using LmToLlm.Corpora;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Tests.Retrieval;

/// <summary>Small and seeded random corpora for formula and property tests.</summary>
public static class TestCorpora
{
    /// <summary>doc "0": "a b" (2 tokens), doc "1": "a a c" (3 tokens), doc "2": empty. N = 3, 5 tokens, L̄ = 5/3.</summary>
    public static InvertedIndex Tiny() => InvertedIndex.Build(
        [new Document("0", "", "a b"), new Document("1", "A", "a, c."), new Document("2", "", "")], Analyzer.Simple);

    /// <summary>
    /// A Zipf-like random corpus: <paramref name="documents"/> documents of 0..maxLength tokens over a vocabulary of
    /// <paramref name="vocabulary"/> words, with some documents duplicated to create exact score ties.
    /// </summary>
    public static List<Document> Random(Random random, int documents, int vocabulary, int maxLength)
    {
        var list = new List<Document>(documents);
        for (int d = 0; d < documents; d++)
        {
            if (d > 0 && random.NextDouble() < 0.1)
            {
                var copy = list[random.Next(list.Count)];
                list.Add(new Document(d.ToString(System.Globalization.CultureInfo.InvariantCulture), copy.Title, copy.Text));
                continue;
            }
            int length = random.Next(maxLength + 1);
            var words = new string[length];
            for (int i = 0; i < length; i++) words[i] = Word(random, vocabulary);
            list.Add(new Document(d.ToString(System.Globalization.CultureInfo.InvariantCulture), "", string.Join(' ', words)));
        }
        return list;
    }

    /// <summary>A word drawn with probability roughly ∝ 1/rank.</summary>
    public static string Word(Random random, int vocabulary)
    {
        int rank = (int)Math.Floor(Math.Exp(random.NextDouble() * Math.Log(vocabulary + 1))) - 1;
        return "w" + Math.Clamp(rank, 0, vocabulary - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
