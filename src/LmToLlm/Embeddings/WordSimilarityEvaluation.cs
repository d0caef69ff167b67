using System.Globalization;
using LmToLlm.Corpora;
using MathNet.Numerics.Statistics;

namespace LmToLlm.Embeddings;

/// <summary>
/// Word-similarity evaluation (WordSim-353, MEN, …). Input: vectors and a file of <c>word1 word2 score</c> lines.
/// Output: Spearman's ρ between the cosine of each pair and the human score, over the pairs whose two words have
/// vectors; the other pairs are counted as out of vocabulary.
/// </summary>
/// <remarks>Words are lower-cased (invariant) and looked up in the whole table. ρ is Pearson's correlation of the
/// ranks, ties given their average rank (MathNet <c>Correlation.Spearman</c>, as <c>scipy.stats.spearmanr</c>).
/// Blank lines and lines starting with <c>#</c> are ignored.</remarks>
internal static class WordSimilarityEvaluation
{
    /// <summary>Evaluates <paramref name="vectors"/> on the pairs in <paramref name="path"/>.</summary>
    internal static WordSimilarityReport Evaluate(WordVectors vectors, string path)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(path);
        var cosines = new List<double>();
        var scores = new List<double>();
        int pairs = 0;
        long last = 0;
        foreach (var (number, text) in TextLines.Read(path))
        {
            last = number;
            string[] parts = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || parts[0].StartsWith('#')) continue;
            if (parts.Length != 3) ThrowHelper.Format(path, number, $"{parts.Length} fields; expected 'word1 word2 score'");
            if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double score))
                ThrowHelper.Format(path, number, $"'{parts[2]}' is not a number; expected 'word1 word2 score'");
            pairs++;
            if (vectors.TryGetIndex(parts[0].ToLowerInvariant(), out int a) && vectors.TryGetIndex(parts[1].ToLowerInvariant(), out int b))
            {
                cosines.Add(vectors.Similarity(a, b));
                scores.Add(score);
            }
        }
        if (pairs == 0) ThrowHelper.Format(path, Math.Max(1, last), "no pairs; expected lines 'word1 word2 score'");
        double rho = cosines.Count >= 2 ? Correlation.Spearman(cosines, scores) : double.NaN;
        return new WordSimilarityReport(Path.GetFileNameWithoutExtension(path), rho, cosines.Count, pairs - cosines.Count);
    }
}

/// <summary>The outcome of <see cref="WordSimilarityEvaluation.Evaluate"/>.</summary>
/// <param name="Name">The file name without extension.</param>
/// <param name="Spearman">Spearman's ρ over the pairs found (NaN when fewer than two).</param>
/// <param name="PairsUsed">Pairs with both words in the vocabulary.</param>
/// <param name="PairsOutOfVocabulary">Pairs skipped because a word has no vector.</param>
internal sealed record WordSimilarityReport(string Name, double Spearman, int PairsUsed, int PairsOutOfVocabulary)
{
    /// <summary>All pairs in the file.</summary>
    internal int Pairs => PairsUsed + PairsOutOfVocabulary;
}
