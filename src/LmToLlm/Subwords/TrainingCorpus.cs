using LmToLlm.Primitives;
using System.Runtime.CompilerServices;
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
    private const int BatchLines = 8192;

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
        // Lines are normalised in batches, each split among the threads; every line's result lands at its own
        // index, so the sentences and their order do not depend on the thread count.
        int threads = options.NumThreads;
        var batch = new List<byte[]>(BatchLines);
        var results = new byte[]?[BatchLines];
        var buffers = new List<byte>[threads];
        for (int n = 0; n < threads; n++) buffers[n] = [];
        void NormalizeRange(int from, int to, List<byte> buffer)
        {
            for (int i = from; i < to; i++)
            {
                var line = batch[i];
                results[i] = null;
                if (line.Length == 0 || line.Length > options.MaxSentenceLength) continue;
                if (line.AsSpan().IndexOf("\u2585"u8) >= 0) continue;
                normalizer.Normalize(line, buffer);
                results[i] = GlobalReplace(metaMatcher, buffer);
            }
        }
        void Flush()
        {
            cancellation.ThrowIfCancellationRequested();
            if (threads == 1 || batch.Count < 2 * threads) NormalizeRange(0, batch.Count, buffers[0]);
            else
            {
                int per = (batch.Count + threads - 1) / threads;
                Parallel.For(0, threads, new ParallelOptions { CancellationToken = cancellation, MaxDegreeOfParallelism = threads },
                    n => NormalizeRange(Math.Min(batch.Count, n * per), Math.Min(batch.Count, (n + 1) * per), buffers[n]));
            }
            for (int i = 0; i < batch.Count; i++)
                if (results[i] is { } text) corpus.Sentences.Add((text, 1));
            batch.Clear();
        }
        foreach (var line in lines)
        {
            batch.Add(line);
            if (batch.Count == BatchLines) Flush();
        }
        Flush();
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
        // Integer sums and a total order: the list is the same however the sentences are shared among threads.
        int threads = Math.Min(options.NumThreads, Math.Max(1, Sentences.Count / 1024));
        var parts = new ByteStringTable[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, n =>
        {
            var counts = parts[n] = new ByteStringTable();
            int per = (Sentences.Count + threads - 1) / threads;
            for (int i = n * per; i < Math.Min(Sentences.Count, (n + 1) * per); i++)
            {
                var (text, freq) = Sentences[i];
                if (!options.SplitByWhitespace) counts.Add(text, freq);
                else WordSplitter.ForEach(text, options.TreatWhitespaceAsSuffix, options.AllowWhitespaceOnlyPieces, counts, freq);
            }
        });
        for (int n = 1; n < threads; n++) parts[0].AddAll(parts[n]);
        var list = parts[0].ToList();
        list.Sort((x, y) => x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Key.AsSpan().SequenceCompareTo(y.Key));
        return list;
    }

    /// <summary>Replaces every meta piece in the normalised text by a tab, as <c>PrefixMatcher::GlobalReplace</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[] GlobalReplace(PrefixMatcher matcher, List<byte> text)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(text);
        int skip = matcher.IsEmpty ? -1 : matcher.IndexOfPossibleMatch(span);
        if (skip < 0) return span.ToArray();
        var result = new List<byte>(span.Length);
        result.AddRange(span[..skip]);
        span = span[skip..];
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ChooseAlphabet(SubwordTrainerOptions options)
    {
        long all = 0;
        var counts = new long[0x10000]; // the Basic Multilingual Plane in an array, the rest in a dictionary
        var astral = new Dictionary<int, long>();
        foreach (var (text, freq) in Sentences)
        {
            var span = text.AsSpan();
            while (!span.IsEmpty)
            {
                int c = SpmUtf8.Decode(span, out int n);
                span = span[n..];
                if (!SpmUtf8.IsValidCodepoint(c) || c == 0 || c == ' ') continue;
                if (c < counts.Length) counts[c] += freq;
                else astral[c] = astral.GetValueOrDefault(c) + freq;
                all += freq;
            }
        }
        var seen = new List<(int Char, long Count)>();
        for (int c = 0; c < counts.Length; c++)
            if (counts[c] != 0) seen.Add((c, counts[c]));
        foreach (var (c, count) in astral) seen.Add((c, count));
        seen.Sort((x, y) => x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Char.CompareTo(y.Char));
        var required = new bool[0x110000];
        long accumulated = 0;
        foreach (var (c, count) in seen)
        {
            float coverage = (float)(1.0 * accumulated / all);
            if (coverage >= options.CharacterCoverage) break;
            accumulated += count;
            if (c == BoundaryChar) continue;
            RequiredChars.Add(c, count);
            required[c] = true;
        }
        var replaced = new List<byte>();
        for (int i = 0; i < Sentences.Count; i++)
        {
            var (text, freq) = Sentences[i];
            if (AllRequired(text, required)) continue;
            var span = text.AsSpan();
            replaced.Clear();
            while (!span.IsEmpty)
            {
                int c = SpmUtf8.Decode(span, out int n);
                replaced.AddRange(required[c] ? span[..n] : "\u2585"u8);
                span = span[n..];
            }
            Sentences[i] = ([.. replaced], freq);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AllRequired(ReadOnlySpan<byte> text, bool[] required)
    {
        while (!text.IsEmpty)
        {
            int c = SpmUtf8.Decode(text, out int n);
            if (!required[c]) return false;
            text = text[n..];
        }
        return true;
    }
}
