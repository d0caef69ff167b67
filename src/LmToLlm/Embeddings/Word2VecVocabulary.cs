using LmToLlm.Primitives;
using System.Text;

namespace LmToLlm.Embeddings;

/// <summary>
/// The training vocabulary. Input: one pass over the text. Output: id 0 = <c>&lt;/s&gt;</c> (count = line ends), then
/// the words with count ≥ min-count by descending count (ties in first-seen order), as word2vec.c's <c>SortVocab</c>.
/// </summary>
internal sealed class Word2VecVocabulary
{
    internal const string SentenceEnd = "</s>";

    private Word2VecVocabulary(string[] words, long[] counts, ByteStringTable table, long corpusTokens, long textBytes)
    {
        TextBytes = textBytes;
        Words = words;
        Counts = counts;
        Table = table;
        CorpusTokens = corpusTokens;
        foreach (long c in counts) TrainingWords += c;
    }

    internal string[] Words { get; }

    internal long[] Counts { get; }

    /// <summary>Bytes → final id (only kept words).</summary>
    internal ByteStringTable Table { get; }

    internal int Count => Words.Length;

    /// <summary>Length of the (decompressed) text in bytes; the threads split it into slices.</summary>
    internal long TextBytes { get; }

    /// <summary>Sum of the kept counts, <c>&lt;/s&gt;</c> included (word2vec.c's <c>train_words</c>).</summary>
    internal long TrainingWords { get; }

    /// <summary>Tokens read, rare words included, line ends not.</summary>
    internal long CorpusTokens { get; }

    internal static Word2VecVocabulary Build(Func<Stream> open, Word2VecOptions options, IProgress<Word2VecProgress>? progress, CancellationToken cancellationToken)
    {
        var table = new ByteStringTable();
        table.Add("</s>"u8, 0);
        long tokens = 0, minReduce = 1, textBytes;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (Stream stream = open())
        {
            var reader = new ByteWordReader(stream);
            TokenKind kind;
            while ((kind = reader.Next()) != TokenKind.End)
            {
                if (kind == TokenKind.LineEnd)
                {
                    table.Add("</s>"u8);
                    continue;
                }
                table.Add(reader.Word);
                tokens++;
                if ((tokens & 0xFFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new Word2VecProgress(Word2VecPhase.Vocabulary, tokens, 0, tokens / Math.Max(1e-9, clock.Elapsed.TotalSeconds), 0, 0));
                }
                if (table.Count > options.MaxVocabulary) table.Prune(minReduce++, keepFirst: true);   // </s> stays id 0
            }
            textBytes = reader.Position;
        }

        var kept = new List<int>();
        for (int id = 1; id < table.Count; id++) if (table.CountOf(id) >= options.MinCount) kept.Add(id);
        if (kept.Count == 0)
        {
            throw new LmToLlmException(tokens == 0
                ? "the training text is empty (no words); give a text with words separated by spaces and lines"
                : $"no word occurs at least {options.MinCount} times (min-count) in the {tokens} tokens of the training text; lower --min-count or give more text");
        }
        // Stable sort by descending count keeps first-seen order among equal counts.
        kept.Sort((x, y) => table.CountOf(y) != table.CountOf(x) ? table.CountOf(y).CompareTo(table.CountOf(x)) : x.CompareTo(y));
        var words = new string[kept.Count + 1];
        var counts = new long[kept.Count + 1];
        var final = new ByteStringTable();
        words[0] = SentenceEnd;
        counts[0] = table.CountOf(0);
        final.Add("</s>"u8, counts[0]);
        var utf8 = new UTF8Encoding(false, false);
        for (int i = 0; i < kept.Count; i++)
        {
            ReadOnlySpan<byte> bytes = table.WordOf(kept[i]);
            words[i + 1] = utf8.GetString(bytes);
            counts[i + 1] = table.CountOf(kept[i]);
            final.Add(bytes, counts[i + 1]);
        }
        return new Word2VecVocabulary(words, counts, final, tokens, textBytes);
    }

    /// <summary>
    /// Probability of keeping one occurrence of a word of count <paramref name="count"/> under subsampling (word2vec.c):
    /// <c>(√(c/(tT)) + 1)·tT/c</c> with <c>t</c> = sample, <c>T</c> = training words, computed in float as word2vec.c does;
    /// values ≥ 1 mean always kept. Returns 1 when sample is 0.
    /// </summary>
    internal static float KeepProbability(long count, double sample, long trainingWords)
    {
        if (sample <= 0 || count <= 0) return float.PositiveInfinity;
        float tT = (float)sample * trainingWords;
        float ratio = count / tT;
        return (float)((Math.Sqrt(ratio) + 1) * tT / count);
    }
}
