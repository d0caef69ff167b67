using System.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// The first stage of SentencePiece training (<c>TrainerInterface::LoadSentences</c>). Input: raw lines. Output:
/// normalised sentences (▁ for spaces, meta pieces replaced by a tab), the alphabet that covers
/// <see cref="SubwordTrainerOptions.CharacterCoverage"/> of the character occurrences with each character's count,
/// and every other character replaced by U+2585, the reserved unknown character.
/// </summary>
internal sealed class TrainingCorpus
{
    internal const int UnknownChar = 0x2585, BoundaryChar = '\t', SpaceChar = 0x2581;

    /// <summary>Normalised sentences (UTF-8) with their frequency, in input order as the reference keeps them.</summary>
    internal List<(byte[] Text, long Freq)> Sentences { get; } = [];

    /// <summary>The alphabet: code point → count.</summary>
    internal Dictionary<int, long> RequiredChars { get; } = [];

    /// <summary>The meta pieces by id: the unknown/begin/end/pad pieces, control and user-defined symbols, byte pieces.</summary>
    internal SortedDictionary<int, (string Piece, SentencePieceType Type)> MetaPieces { get; }

    private TrainingCorpus(SortedDictionary<int, (string, SentencePieceType)> meta) => MetaPieces = meta;

    /// <summary>Loads, normalises and filters <paramref name="lines"/>; <paramref name="name"/> names the input in errors.</summary>
    internal static TrainingCorpus Load(IEnumerable<byte[]> lines, SubwordTrainerOptions options, string name, CancellationToken cancellation)
    {
        var corpus = new TrainingCorpus(MetaPieceTable.Build(options));
        var normalizerSpec = new SubwordNormalizerSpec(TrainerSpecWriter.Normalizer(options));
        var normalizer = new SubwordNormalizer(normalizerSpec, options.TreatWhitespaceAsSuffix, userSymbols: null);
        var metaMatcher = new PrefixMatcher(corpus.MetaPieces.Values.Select(v => v.Piece));
        var normalized = new List<byte>();
        long lineNumber = 0;
        foreach (var line in lines)
        {
            lineNumber++;
            if ((lineNumber & 0xFFF) == 0) cancellation.ThrowIfCancellationRequested();
            if (line.Length == 0 || line.Length > options.MaxSentenceLength) continue;
            if (line.AsSpan().IndexOf("\u2585"u8) >= 0) continue;
            normalizer.Normalize(line, normalized);
            corpus.Sentences.Add((GlobalReplace(metaMatcher, normalized), 1));
        }
        if (corpus.Sentences.Count == 0) throw new LmToLlmException($"{name}: no line to train on (the input is empty or every line is longer than --max_sentence_length {options.MaxSentenceLength})");
        // Empty sentences are swapped with the last one and dropped, exactly as the reference does (the one swapped in is not re-checked).
        var s = corpus.Sentences;
        for (int i = 0; i < s.Count; i++)
            if (s[i].Text.Length == 0)
            {
                (s[i], s[^1]) = (s[^1], s[i]);
                s.RemoveAt(s.Count - 1);
            }
        corpus.ChooseAlphabet(options);
        int needed = corpus.RequiredChars.Count + corpus.MetaPieces.Count;
        if (needed > options.VocabSize)
            throw new LmToLlmException($"{name}: --vocab_size {options.VocabSize} is smaller than the alphabet and special pieces ({needed}); raise --vocab_size or lower --character_coverage");
        return corpus;
    }

    /// <summary>
    /// Words (split at ▁ when splitting by whitespace, else whole sentences) with counts, most frequent first, then by
    /// bytes (<c>SplitSentencesByWhitespace</c>).
    /// </summary>
    public List<(byte[] Word, long Freq)> CountWords(SubwordTrainerOptions options)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var bytesOf = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (text, freq) in Sentences)
        {
            if (!options.SplitByWhitespace)
            {
                Count(text);
                continue;
            }
            foreach (var (start, length) in WordSplitter.Split(text, options.TreatWhitespaceAsSuffix, options.AllowWhitespaceOnlyPieces))
                Count(text.AsSpan(start, length).ToArray());

            void Count(byte[] word)
            {
                string key = Encoding.UTF8.GetString(word);
                counts[key] = counts.GetValueOrDefault(key) + freq;
                bytesOf.TryAdd(key, word);
            }
        }
        var list = counts.Select(kv => (Word: bytesOf[kv.Key], Freq: kv.Value)).ToList();
        list.Sort((x, y) => x.Freq != y.Freq ? y.Freq.CompareTo(x.Freq) : x.Word.AsSpan().SequenceCompareTo(y.Word));
        return list;
    }

    /// <summary>Replaces every meta piece in the normalised text by a tab, as <c>PrefixMatcher::GlobalReplace</c>.</summary>
    private static byte[] GlobalReplace(PrefixMatcher matcher, List<byte> text)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(text);
        if (matcher.IsEmpty) return span.ToArray();
        var result = new List<byte>(span.Length);
        while (!span.IsEmpty)
        {
            int n = matcher.Match(span, out bool found);
            if (found) result.Add((byte)'\t');
            else foreach (byte b in span[..n]) result.Add(b);
            span = span[n..];
        }
        return [.. result];
    }

    /// <summary>Counts characters, keeps the most frequent until the coverage is reached, and marks the rest unknown.</summary>
    private void ChooseAlphabet(SubwordTrainerOptions options)
    {
        long all = 0;
        var counts = new Dictionary<int, long>();
        foreach (var (text, freq) in Sentences)
        {
            var span = text.AsSpan();
            while (!span.IsEmpty)
            {
                int c = SpmUtf8.Decode(span, out int n);
                span = span[n..];
                if (!SpmUtf8.IsValidCodepoint(c) || c == 0 || c == ' ') continue;
                counts[c] = counts.GetValueOrDefault(c) + freq;
                all += freq;
            }
        }
        long accumulated = 0;
        foreach (var (c, count) in counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key))
        {
            float coverage = (float)(1.0 * accumulated / all);
            if (coverage >= options.CharacterCoverage) break;
            accumulated += count;
            if (c == BoundaryChar) continue;
            RequiredChars.Add(c, count);
        }
        for (int i = 0; i < Sentences.Count; i++)
        {
            var (text, freq) = Sentences[i];
            var span = text.AsSpan();
            var replaced = new List<byte>(text.Length);
            bool changed = false;
            while (!span.IsEmpty)
            {
                int c = SpmUtf8.Decode(span, out int n);
                if (RequiredChars.ContainsKey(c)) foreach (byte b in span[..n]) replaced.Add(b);
                else
                {
                    foreach (byte b in "\u2585"u8) replaced.Add(b);
                    changed = true;
                }
                span = span[n..];
            }
            if (changed) Sentences[i] = ([.. replaced], freq);
        }
    }
}
