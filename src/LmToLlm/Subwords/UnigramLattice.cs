using System.Runtime.CompilerServices;

namespace LmToLlm.Subwords;

/// <summary>
/// The lattice of every piece that matches a text (<c>Lattice</c> and <c>Model::PopulateNodes</c> in SentencePiece's
/// <c>unigram_model.cc</c>). Input: normalised UTF-8, a trie of pieces and their scores. Output: nodes sorted by start
/// character, shortest first, an unknown node where no one-character piece starts; positions count characters.
/// Forward, backward and Viterbi walk the nodes in the reference's order so that float sums round the same way.
/// </summary>
internal sealed class UnigramLattice
{
    /// <summary>Nodes as parallel arrays: first and last character (exclusive), piece id and score.</summary>
    public int[] Start = new int[64], End = new int[64], Id = new int[64];
    public float[] Score = new float[64];

    /// <summary>Nodes beginning at character p are <c>[BeginFirst[p], BeginFirst[p + 1])</c>.</summary>
    public int[] BeginFirst = new int[64];

    /// <summary>The number of characters and of nodes.</summary>
    public int Length, NodeCount;

    /// <summary>Byte offset of each character (and of the end).</summary>
    public int[] CharOffset = new int[64];

    private int[] _charAtByte = new int[64];
    private float[] _alpha = new float[64], _beta = new float[64], _best = new float[64];
    private int[] _bestNode = new int[64];

    /// <summary>
    /// Fills the lattice of <paramref name="text"/> with the pieces of <paramref name="trie"/> scored by
    /// <paramref name="scores"/>; a character no piece starts becomes <paramref name="unknownId"/> with
    /// <paramref name="unknownScore"/>. Pieces marked in <paramref name="userDefined"/> score length ×
    /// <paramref name="maxScore"/> − 0.1 so that they always win.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build(ReadOnlySpan<byte> text, PieceTrie trie, float[] scores, float unknownScore, int unknownId,
        bool[]? userDefined = null, float maxScore = 0)
    {
        Grow(ref CharOffset, text.Length + 1);
        Grow(ref _charAtByte, text.Length + 1);
        int chars = 0;
        for (int b = 0; b < text.Length;)
        {
            CharOffset[chars] = b;
            int n = Math.Min(SpmUtf8.LeadLength(text[b]), text.Length - b);
            for (int k = 0; k < n; k++) _charAtByte[b + k + 1] = chars + 1; // a byte inside a character rounds up, as get_chars_length
            _charAtByte[b] = chars;
            chars++;
            b += n;
        }
        CharOffset[chars] = text.Length;
        _charAtByte[text.Length] = chars;
        Length = chars;
        NodeCount = 0;
        Grow(ref BeginFirst, chars + 2);
        for (int pos = 0; pos < chars; pos++)
        {
            BeginFirst[pos] = NodeCount;
            bool hasSingle = false;
            int node = 0;
            for (int b = CharOffset[pos]; b < text.Length;)
            {
                if (!trie.Step(ref node, text[b])) break;
                b++;
                int id = trie.ValueAt(node);
                if (id < 0) continue;
                int end = _charAtByte[b];
                float score = userDefined is not null && userDefined[id] ? (float)((end - pos) * maxScore - 0.1) : scores[id];
                Add(pos, end, id, score);
                if (end - pos == 1) hasSingle = true;
            }
            if (!hasSingle) Add(pos, pos + 1, unknownId, unknownScore);
        }
        BeginFirst[chars] = NodeCount;
        BeginFirst[chars + 1] = NodeCount;
    }

    private void Add(int start, int end, int id, float score)
    {
        if (NodeCount == Start.Length)
        {
            int size = NodeCount * 2;
            Array.Resize(ref Start, size);
            Array.Resize(ref End, size);
            Array.Resize(ref Id, size);
            Array.Resize(ref Score, size);
        }
        Start[NodeCount] = start;
        End[NodeCount] = end;
        Id[NodeCount] = id;
        Score[NodeCount++] = score;
    }

    private static void Grow<T>(ref T[] array, int size)
    {
        if (array.Length < size) array = new T[Math.Max(size, array.Length * 2)];
    }

    /// <summary>log(exp(x) + exp(y)) as the reference computes it (float, a gap over 50 ignored).</summary>
    public static float LogSumExp(float x, float y)
    {
        float vmin = Math.Min(x, y), vmax = Math.Max(x, y);
        if (vmax > vmin + 50f) return vmax;
        return (float)(vmax + Math.Log(Math.Exp((double)(vmin - vmax)) + 1.0));
    }

    /// <summary>
    /// Forward–backward: adds <paramref name="freq"/> × each node's marginal probability to its piece's entry of
    /// <paramref name="expected"/> and returns log Z (<c>PopulateMarginal</c>). Alpha of a node is that of its start
    /// position, beta that of its end, so one value per position suffices.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float AddMarginals(float freq, float[] expected)
    {
        int len = Length;
        var alpha = Forward(1f);
        Grow(ref _beta, len + 1);
        var beta = _beta;
        beta[len] = 0;
        for (int p = len - 1; p >= 0; p--)
        {
            float b = 0;
            for (int i = BeginFirst[p]; i < BeginFirst[p + 1]; i++)
            {
                float v = Score[i] + beta[End[i]];
                b = i == BeginFirst[p] ? v : LogSumExp(b, v);
            }
            beta[p] = b;
        }
        float z = alpha[len];
        for (int i = 0; i < NodeCount; i++)
        {
            int id = Id[i];
            if (id < 0) continue;
            expected[id] = (float)(expected[id] + freq * Math.Exp((double)(alpha[Start[i]] + Score[i] + beta[End[i]] - z)));
        }
        return freq * z;
    }

    /// <summary>
    /// Alpha of each position: the log of the summed probabilities (scaled by <paramref name="invTheta"/>) of all
    /// paths from the start to it (<c>ForwardAlgorithm</c>). The array is reused by the next call.
    /// </summary>
    public float[] Forward(float invTheta)
    {
        int len = Length;
        Grow(ref _alpha, len + 1);
        var alpha = _alpha;
        alpha[0] = 0;
        for (int p = 1; p <= len; p++) alpha[p] = float.NaN;
        // Nodes ending at a position are met in start order, the order of the reference's end_nodes list.
        for (int i = 0; i < NodeCount; i++)
        {
            float v = invTheta * Score[i] + alpha[Start[i]];
            int e = End[i];
            alpha[e] = float.IsNaN(alpha[e]) ? v : LogSumExp(alpha[e], v);
        }
        return alpha;
    }

    /// <summary>
    /// The best path into <paramref name="path"/> (node indexes, left to right); ties go to the node met first, as in
    /// the reference. <paramref name="excludeWhole"/> leaves out the node that spans the whole text (the second-best
    /// path of a one-piece text). Returns false when no path is left.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Viterbi(List<int> path, bool excludeWhole = false)
    {
        path.Clear();
        int len = Length;
        Grow(ref _best, len + 1);
        Grow(ref _bestNode, len + 1);
        var best = _best;
        var bestNode = _bestNode;
        best[0] = 0;
        for (int p = 1; p <= len; p++) bestNode[p] = -1;
        for (int i = 0; i < NodeCount; i++)
        {
            int s = Start[i], e = End[i];
            if (s > 0 && bestNode[s] < 0) continue;
            if (excludeWhole && s == 0 && e == len) continue;
            float candidate = best[s] + Score[i];
            if (bestNode[e] < 0 || candidate > best[e])
            {
                best[e] = candidate;
                bestNode[e] = i;
            }
        }
        if (len > 0 && bestNode[len] < 0) return false;
        for (int p = len; p > 0; p = Start[bestNode[p]]) path.Add(bestNode[p]);
        path.Reverse();
        return true;
    }

    /// <summary>The score of the best path to <paramref name="position"/> found by the last <see cref="Viterbi"/>.</summary>
    public float BestAt(int position) => _best[position];
}
