using LmToLlm.Primitives;
using System.Text;

namespace LmToLlm.Embeddings.GloVe;

/// <summary>
/// The GloVe vocabulary, as <c>vocab_count</c> builds it. Input: one pass over the text (words split at space, tab and
/// newline). Output: ids 0.. = the words with count ≥ min-count by descending count, ties in byte order (C
/// <c>strcmp</c> on signed chars), cut to max-vocab; id + 1 is the reference's frequency rank.
/// </summary>
internal sealed class GloVeVocabulary
{
    internal const string Unknown = "<unk>";

    private GloVeVocabulary(string[] words, long[] counts, ByteStringTable table, long corpusTokens)
    {
        Words = words;
        Counts = counts;
        Table = table;
        CorpusTokens = corpusTokens;
    }

    internal string[] Words { get; }

    internal long[] Counts { get; }

    /// <summary>UTF-8 bytes → id (kept words only).</summary>
    internal ByteStringTable Table { get; }

    internal int Count => Words.Length;

    /// <summary>Tokens read, rare words included.</summary>
    internal long CorpusTokens { get; }

    internal static GloVeVocabulary Build(Func<Stream> open, GloVeOptions options, IProgress<GloVeProgress>? progress, CancellationToken cancellationToken)
    {
        var table = new ByteStringTable();
        long tokens = 0;
        using (Stream stream = open())
        {
            var reader = new ByteWordReader(stream);
            TokenKind kind;
            while ((kind = reader.Next()) != TokenKind.End)
            {
                if (kind != TokenKind.Word) continue;
                table.Add(reader.Word);
                if ((++tokens & 0xFFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new GloVeProgress(GloVePhase.Vocabulary, tokens, 0, 0));
                }
            }
        }
        var ids = new int[table.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = i;
        Array.Sort(ids, (x, y) =>
        {
            long cx = table.CountOf(x), cy = table.CountOf(y);
            return cx != cy ? cy.CompareTo(cx) : CompareSignedBytes(table.WordOf(x), table.WordOf(y));
        });
        int kept = 0;
        int limit = options.MaxVocabulary > 0 ? Math.Min(options.MaxVocabulary, ids.Length) : ids.Length;
        while (kept < limit && table.CountOf(ids[kept]) >= options.MinCount) kept++;
        if (kept == 0)
        {
            throw new LmToLlmException(tokens == 0
                ? "the training text is empty (no words); give a text with words separated by spaces and lines"
                : $"no word occurs at least {options.MinCount} times (min-count) in the {tokens} tokens of the training text; lower the min-count or give more text");
        }
        var words = new string[kept];
        var counts = new long[kept];
        var final = new ByteStringTable();
        var utf8 = new UTF8Encoding(false, false);
        for (int i = 0; i < kept; i++)
        {
            ReadOnlySpan<byte> bytes = table.WordOf(ids[i]);
            words[i] = utf8.GetString(bytes);
            counts[i] = table.CountOf(ids[i]);
            final.Add(bytes, counts[i]);
            if (options.UnknownVector && words[i] == Unknown)
            {
                throw new LmToLlmException($"the training text contains the word {Unknown} ({counts[i]} times), which GloVe reserves for its unknown-word vector; " +
                    "replace it in the text (e.g. with <raw_unk>) or turn the unknown vector off (--unk-vector 0)");
            }
        }
        return new GloVeVocabulary(words, counts, final, tokens);
    }

    /// <summary>C <c>strcmp</c> where <c>char</c> is signed (x86): bytes ≥ 0x80 sort before ASCII.</summary>
    internal static int CompareSignedBytes(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        int n = Math.Min(x.Length, y.Length);
        for (int i = 0; i < n; i++)
        {
            if (x[i] != y[i]) return (sbyte)x[i] - (sbyte)y[i];
        }
        return x.Length.CompareTo(y.Length);
    }
}
