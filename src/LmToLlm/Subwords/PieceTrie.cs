using System.Runtime.CompilerServices;
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
/// An encoder's trie, built once and read billions of times, is packed into a double array on request: a step is then
/// one addition and one compare in a single array (Aoe's double array, as darts-clone and SentencePiece use).
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

    private struct Unit
    {
        public int Base, Check, Value;
    }

    private readonly Unit[]? _units; // the double array, when packed

    public PieceTrie(IEnumerable<(string Piece, int Id)> pieces)
        : this(pieces.Select(p => (Encoding.UTF8.GetBytes(p.Piece), p.Id)))
    {
    }

    /// <summary>A trie over <paramref name="pieces"/>; <paramref name="packed"/> builds the double array too (encoders).</summary>
    public PieceTrie(IEnumerable<(string Piece, int Id)> pieces, bool packed)
        : this(pieces.Select(p => (Encoding.UTF8.GetBytes(p.Piece), p.Id)), packed)
    {
    }

    public PieceTrie(IEnumerable<(byte[] Piece, int Id)> pieces, bool packed = false)
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
        if (packed) _units = Pack();
    }

    /// <summary>
    /// The double array of this trie: node n's children at Base(n) + byte, each marked with Check = n; the root at 0.
    /// Bases are found first-fit, breadth first.
    /// </summary>
    private Unit[] Pack()
    {
        int nodes = _values.Length;
        var firstChild = new int[nodes + 1];
        foreach (var edge in _edgeTable)
            if (edge.Key >= 0) firstChild[(int)(edge.Key >> 8) + 1]++;
        for (int n = 0; n < nodes; n++) firstChild[n + 1] += firstChild[n];
        var labels = new (byte Label, int Child)[firstChild[nodes]];
        var filled = new int[nodes];
        foreach (var edge in _edgeTable)
            if (edge.Key >= 0)
            {
                int parent = (int)(edge.Key >> 8);
                labels[firstChild[parent] + filled[parent]++] = ((byte)edge.Key, edge.Child);
            }
        var units = new Unit[Math.Max(512, nodes * 2)];
        for (int i = 0; i < units.Length; i++) units[i].Check = -1;
        units[0].Check = 0;
        var slotOf = new int[nodes];
        var queue = new Queue<int>();
        queue.Enqueue(0);
        int firstFree = 1;
        while (queue.Count > 0)
        {
            int node = queue.Dequeue();
            int at = slotOf[node];
            units[at].Value = _values[node];
            var children = labels.AsSpan(firstChild[node], firstChild[node + 1] - firstChild[node]);
            if (children.IsEmpty) continue;
            children.Sort((x, y) => x.Label.CompareTo(y.Label));
            while (firstFree < units.Length && units[firstFree].Check >= 0) firstFree++;
            int baseAt = Math.Max(1, firstFree - children[0].Label);
            while (true)
            {
                if (baseAt + 256 > units.Length) units = Grow(units, baseAt + 256);
                bool fits = true;
                foreach (var (label, _) in children)
                    if (units[baseAt + label].Check >= 0) { fits = false; break; }
                if (fits) break;
                baseAt++;
            }
            units[at].Base = baseAt;
            foreach (var (label, child) in children)
            {
                units[baseAt + label].Check = at;
                slotOf[child] = baseAt + label;
                queue.Enqueue(child);
            }
        }
        return units;
    }

    private static Unit[] Grow(Unit[] units, int atLeast)
    {
        int old = units.Length;
        Array.Resize(ref units, Math.Max(atLeast, old * 2));
        for (int i = old; i < units.Length; i++) units[i].Check = -1;
        return units;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Edge[] NewTable(int size)
    {
        var table = new Edge[size];
        for (int i = 0; i < size; i++) table[i].Key = -1;
        return table;
    }

    private static int Slot(long key, int mask) => (int)((ulong)(key * -7046029254386353131L) >> 40) & mask;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        return ValueAt(node);
    }

    /// <summary>Steps from <paramref name="node"/> by one byte; false when no piece continues that way.</summary>
    public bool Step(ref int node, byte b)
    {
        if (_units is not null)
        {
            int next = _units[node].Base + b;
            if ((uint)next >= (uint)_units.Length || _units[next].Check != node || next == 0) return false;
            node = next;
            return true;
        }
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
    internal int ValueAt(int node) => _units is not null ? _units[node].Value : _values[node];
}
