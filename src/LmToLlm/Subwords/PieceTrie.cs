using System.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// A byte trie over the pieces an encoder may produce. Input: (piece, id) pairs. Output: the id of a byte span, or
/// every piece that starts a text, shortest first (the order SentencePiece's trie reports them in).
/// </summary>
internal sealed class PieceTrie
{
    private readonly Dictionary<long, int> _edges = [];
    private readonly List<int> _values = [-1];

    internal PieceTrie(IEnumerable<(string Piece, int Id)> pieces)
    {
        foreach (var (piece, id) in pieces)
        {
            int node = 0;
            foreach (byte b in Encoding.UTF8.GetBytes(piece))
            {
                long key = ((long)node << 8) | b;
                if (!_edges.TryGetValue(key, out int child))
                {
                    child = _values.Count;
                    _values.Add(-1);
                    _edges.Add(key, child);
                }
                node = child;
            }
            _values[node] = id;
        }
    }

    /// <summary>The id of exactly <paramref name="key"/>, or -1.</summary>
    internal int Find(ReadOnlySpan<byte> key)
    {
        int node = 0;
        foreach (byte b in key)
            if (!_edges.TryGetValue(((long)node << 8) | b, out node)) return -1;
        return _values[node];
    }

    /// <summary>Steps from <paramref name="node"/> by one byte; false when no piece continues that way.</summary>
    internal bool Step(ref int node, byte b) => _edges.TryGetValue(((long)node << 8) | b, out node);

    /// <summary>The id ending at <paramref name="node"/>, or -1.</summary>
    internal int ValueAt(int node) => _values[node];
}
