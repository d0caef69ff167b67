using System.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// A byte trie over the pieces an encoder may produce. Input: (piece, id) pairs. Output: the id of a byte span, or
/// every piece that starts a text, shortest first (the order SentencePiece's trie reports them in).
/// </summary>
/// <remarks>
/// Edges live in one open-addressing table keyed by (node, byte), probed linearly, key and child side by side so that
/// a step reads one cache line: a multiply, a mask and usually one compare, which is what the encoders' and the
/// unigram trainer's inner loops do most. The root's edges, taken at every text position, sit in a plain array.
/// </remarks>
internal sealed class PieceTrie
{
    private struct Edge
    {
        public long Key;
        public int Child;
    }

    private Edge[] _edgeTable = NewTable(16);
    private int _mask = 15, _edges;
    private readonly int[] _values;
    private readonly int[] _rootChildren = new int[256];

    public PieceTrie(IEnumerable<(string Piece, int Id)> pieces)
        : this(pieces.Select(p => (Encoding.UTF8.GetBytes(p.Piece), p.Id)))
    {
    }

    public PieceTrie(IEnumerable<(byte[] Piece, int Id)> pieces)
    {
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
        for (int b = 0; b < 256; b++) _rootChildren[b] = Lookup(b);
    }

    private static Edge[] NewTable(int size)
    {
        var table = new Edge[size];
        for (int i = 0; i < size; i++) table[i].Key = -1;
        return table;
    }

    private static int Slot(long key, int mask) => (int)((ulong)(key * -7046029254386353131L) >> 40) & mask;

    private int Lookup(long key)
    {
        for (int i = Slot(key, _mask); ; i = (i + 1) & _mask)
        {
            long k = _edgeTable[i].Key;
            if (k == key) return _edgeTable[i].Child;
            if (k < 0) return -1;
        }
    }

    private void Insert(long key, int child)
    {
        if ((_edges + 1) * 2 > _edgeTable.Length)
        {
            var old = _edgeTable;
            _edgeTable = NewTable(old.Length * 2);
            _mask = _edgeTable.Length - 1;
            foreach (var edge in old)
                if (edge.Key >= 0) Place(edge.Key, edge.Child);
        }
        Place(key, child);
        _edges++;
    }

    private void Place(long key, int child)
    {
        int i = Slot(key, _mask);
        while (_edgeTable[i].Key >= 0) i = (i + 1) & _mask;
        _edgeTable[i] = new Edge { Key = key, Child = child };
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
        if (node == 0)
        {
            int child = _rootChildren[b];
            if (child < 0) return false;
            node = child;
            return true;
        }
        long key = ((long)node << 8) | b;
        var table = _edgeTable;
        int mask = _mask;
        for (int i = Slot(key, mask); ; i = (i + 1) & mask)
        {
            long k = table[i].Key;
            if (k == key)
            {
                node = table[i].Child;
                return true;
            }
            if (k < 0) return false;
        }
    }

    /// <summary>The id ending at <paramref name="node"/>, or -1.</summary>
    internal int ValueAt(int node) => _values[node];
}
