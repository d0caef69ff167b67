using System.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// A byte trie over the pieces an encoder may produce. Input: (piece, id) pairs. Output: the id of a byte span, or
/// every piece that starts a text, shortest first (the order SentencePiece's trie reports them in).
/// </summary>
/// <remarks>
/// Edges live in one open-addressing table keyed by (node, byte), probed linearly: a step is a multiply, a mask and
/// usually one compare, which is what the encoders' and the unigram trainer's inner loops do most.
/// </remarks>
internal sealed class PieceTrie
{
    private long[] _keys = new long[16];
    private int[] _children = new int[16];
    private int _mask = 15, _edges;
    private readonly int[] _values;

    public PieceTrie(IEnumerable<(string Piece, int Id)> pieces)
        : this(pieces.Select(p => (Encoding.UTF8.GetBytes(p.Piece), p.Id)))
    {
    }

    public PieceTrie(IEnumerable<(byte[] Piece, int Id)> pieces)
    {
        Array.Fill(_keys, -1L);
        var values = new List<int> { -1 };
        foreach (var (piece, id) in pieces)
        {
            int node = 0;
            foreach (byte b in piece)
            {
                long key = ((long)node << 8) | b;
                int child = Lookup(key);
                if (child < 0)
                {
                    child = values.Count;
                    values.Add(-1);
                    Insert(key, child);
                }
                node = child;
            }
            values[node] = id;
        }
        _values = [.. values];
    }

    private static int Slot(long key, int mask) => (int)((ulong)(key * -7046029254386353131L) >> 40) & mask;

    private int Lookup(long key)
    {
        for (int i = Slot(key, _mask); ; i = (i + 1) & _mask)
        {
            long k = _keys[i];
            if (k == key) return _children[i];
            if (k < 0) return -1;
        }
    }

    private void Insert(long key, int child)
    {
        if ((_edges + 1) * 2 > _keys.Length)
        {
            var (oldKeys, oldChildren) = (_keys, _children);
            _keys = new long[oldKeys.Length * 2];
            _children = new int[oldKeys.Length * 2];
            Array.Fill(_keys, -1L);
            _mask = _keys.Length - 1;
            for (int j = 0; j < oldKeys.Length; j++)
                if (oldKeys[j] >= 0) Place(oldKeys[j], oldChildren[j]);
        }
        Place(key, child);
        _edges++;
    }

    private void Place(long key, int child)
    {
        int i = Slot(key, _mask);
        while (_keys[i] >= 0) i = (i + 1) & _mask;
        _keys[i] = key;
        _children[i] = child;
    }

    /// <summary>The id of exactly <paramref name="key"/>, or -1.</summary>
    internal int Find(ReadOnlySpan<byte> key)
    {
        int node = 0;
        foreach (byte b in key)
            if (!Step(ref node, b)) return -1;
        return _values[node];
    }

    /// <summary>Steps from <paramref name="node"/> by one byte; false when no piece continues that way.</summary>
    public bool Step(ref int node, byte b)
    {
        long key = ((long)node << 8) | b;
        var keys = _keys;
        int mask = _mask;
        for (int i = Slot(key, mask); ; i = (i + 1) & mask)
        {
            long k = keys[i];
            if (k == key)
            {
                node = _children[i];
                return true;
            }
            if (k < 0) return false;
        }
    }

    /// <summary>The id ending at <paramref name="node"/>, or -1.</summary>
    internal int ValueAt(int node) => _values[node];
}
