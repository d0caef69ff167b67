using System.Runtime.CompilerServices;
using System.Text;
using LmToLlm.SuffixArrays;

namespace LmToLlm.Subwords;

/// <summary>
/// The seed vocabulary of unigram training (<c>MakeSeedSentencePieces</c>). Input: the normalised sentences, joined
/// into one code-point text with 0 after each. Output: every character by count, then the valid substrings of 2 or
/// more characters that are internal nodes of the text's suffix tree (they occur at least twice with different
/// continuations), by occurrences × length, up to the seed size; scores are log shares of those numbers.
/// </summary>
/// <remarks>
/// The nodes are the lcp-intervals of the suffix array, enumerated bottom-up with a stack as the reference's enhanced
/// suffix array (esaxx) enumerates them; that order breaks ties. Common prefixes run across the 0 between sentences as
/// in esaxx, so a substring always followed by a sentence end is only a seed if it also occurs elsewhere.
/// </remarks>
internal static class UnigramSeeds
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<(byte[] Piece, float Score)> Make(TrainingCorpus corpus, PieceValidity validity, int seedSize, int threads, CancellationToken cancellation)
    {
        long bytes = 0;
        foreach (var (sentence, _) in corpus.Sentences) bytes += sentence.Length + 1;
        if (bytes > Array.MaxLength) throw new LmToLlmException($"the text is too long for unigram seeding ({bytes} bytes); lower --input_sentence_size or split the text");
        var textBuffer = new int[bytes]; // at least one byte per character
        int textLength = 0;
        var bmpCounts = new long[0x10000]; // the Basic Multilingual Plane in an array, the rest in a dictionary
        var charCounts = new Dictionary<int, long>();
        foreach (var (sentence, freq) in corpus.Sentences)
        {
            var span = sentence.AsSpan();
            while (!span.IsEmpty)
            {
                int c = SpmUtf8.Decode(span, out int n);
                span = span[n..];
                textBuffer[textLength++] = c;
                if (c < bmpCounts.Length) bmpCounts[c] += freq;
                else
                {
                    ref long count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(charCounts, c, out _);
                    count += freq;
                }
            }
            textBuffer[textLength++] = 0;
        }
        for (int c = 1; c < bmpCounts.Length; c++)
            if (bmpCounts[c] != 0 && c != TrainingCorpus.UnknownChar) charCounts[c] = bmpCounts[c];
        var seeds = new List<(byte[] Piece, float Score)>();
        foreach (var (c, count) in charCounts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key))
            seeds.Add((Encoding.UTF8.GetBytes(char.ConvertFromUtf32(c)), count));

        ReadOnlySpan<int> t = textBuffer.AsSpan(0, textLength);
        int[] dense = DenseSymbols(t, out int alphabet);
        var sa = new int[dense.Length];
        SuffixSorter.Sort<int>(dense, sa, alphabet, cancellation, threads); // one suffix array, however many threads
        int[] lcp = LcpArray.Build(dense, sa, separator: -1, cancellation); // -1 never occurs: prefixes cross sentence ends
        var nodes = new List<(int Node, long Score, int Offset, int Length)>();
        // The lcp-intervals [left, right) of two or more suffixes with their depth, in the order esaxx's suffixtree
        // emits them (a stack over the lcp array; a leaf enters with its suffix length + 1); each is a node.
        int nodeIndex = 0, size = sa.Length;
        var stack = new List<(int Left, int Depth)> { (-1, -1) };
        for (int i = 0; ; i++)
        {
            (int Left, int Depth) cur = (i, i == size ? -1 : i == 0 ? -1 : lcp[i]);
            var cand = stack[^1];
            while (cand.Depth > cur.Depth)
            {
                if (i - cand.Left > 1)
                {
                    int node = nodeIndex++, depth = cand.Depth;
                    if (depth > 1 && depth <= validity.MaxLength) // longer ones are never valid pieces
                    {
                        int offset = sa[cand.Left];
                        var piece = t.Slice(offset, depth);
                        if (!ContainsZero(piece) && validity.IsValid(piece)) nodes.Add((node, (long)(i - cand.Left) * depth, offset, depth));
                    }
                }
                cur.Left = cand.Left;
                stack.RemoveAt(stack.Count - 1);
                cand = stack[^1];
            }
            if (cand.Depth < cur.Depth) stack.Add(cur);
            if (i == size) break;
            stack.Add((i, size - sa[i] + 1));
        }
        nodes.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Node.CompareTo(b.Node));
        var utf8 = new List<byte>();
        Span<byte> buffer = stackalloc byte[4];
        foreach (var (_, score, offset, length) in nodes)
        {
            if (seeds.Count == seedSize) break;
            utf8.Clear();
            foreach (int c in t.Slice(offset, length))
            {
                int n = new Rune(c).EncodeToUtf8(buffer);
                for (int k = 0; k < n; k++) utf8.Add(buffer[k]);
            }
            seeds.Add(([.. utf8], score));
        }
        // ToLogProb: a float sum, as the reference.
        float sum = 0;
        foreach (var (_, s) in seeds) sum += s;
        float logSum = (float)Math.Log(sum);
        for (int i = 0; i < seeds.Count; i++) seeds[i] = (seeds[i].Piece, (float)(Math.Log(seeds[i].Score) - logSum));
        return seeds;
    }

    /// <summary>Renumbers the code points 0, 1, 2, … in their order, so the suffix sort needs a small alphabet and sorts the same.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] DenseSymbols(ReadOnlySpan<int> text, out int alphabet)
    {
        var rank = new int[0x110000];
        foreach (int c in text) rank[c] = 1;
        int next = 0;
        for (int c = 0; c < rank.Length; c++)
            if (rank[c] != 0) rank[c] = next++;
        var dense = new int[text.Length];
        for (int i = 0; i < text.Length; i++) dense[i] = rank[text[i]];
        alphabet = Math.Max(1, next);
        return dense;
    }

    private static bool ContainsZero(ReadOnlySpan<int> piece)
    {
        foreach (int c in piece) if (c == 0) return true;
        return false;
    }
}
