namespace LmToLlm.Nori;

/// <summary>
/// Prefix tree over the dictionary's surface forms, for the tokenizer's common-prefix walk: from a node, one step per
/// character; a node that ends a surface form carries the range of that form's entries. Built once from the surface
/// forms sorted in UTF-16 order (as the converted file stores them); children of a node are contiguous and sorted.
/// </summary>
internal sealed class NoriTrie
{
    private const int LinearSearchLimit = 8;
    private readonly int[] _rootChild = new int[65536]; // first character → node, or -1
    private readonly char[] _label;   // scanned when looking for a child: kept apart from the rest
    private readonly Node[] _nodes;   // one cache line per step

    private struct Node
    {
        public int FirstChild;
        public int ChildCount;
        public int EntryStart;
        public int EntryEnd;
    }

    private NoriTrie(char[] label, int[] firstChild, int[] childCount, int[] entryStart, int[] entryEnd)
    {
        _label = label;
        _nodes = new Node[label.Length];
        for (int i = 0; i < _nodes.Length; i++)
            _nodes[i] = new Node { FirstChild = firstChild[i], ChildCount = childCount[i], EntryStart = entryStart[i], EntryEnd = entryEnd[i] };
    }

    /// <summary>The root's child for <paramref name="c"/>, or -1.</summary>
    public int Root(char c) => _rootChild[c];

    /// <summary>The child of <paramref name="node"/> labelled <paramref name="c"/>, or -1.</summary>
    public int Child(int node, char c)
    {
        ref readonly Node n = ref _nodes[node];
        int lo = n.FirstChild, count = n.ChildCount;
        if (count <= LinearSearchLimit)
        {
            for (int i = lo, end = lo + count; i < end; i++)
            {
                if (_label[i] == c) return i;
                if (_label[i] > c) return -1;
            }
            return -1;
        }
        int hi = lo + count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            char m = _label[mid];
            if (m == c) return mid;
            if (m < c) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>True when the path to <paramref name="node"/> is a surface form; its entries are [start, end).</summary>
    public bool IsFinal(int node, out int start, out int end)
    {
        ref readonly Node n = ref _nodes[node];
        start = n.EntryStart;
        end = n.EntryEnd;
        return end > start;
    }

    /// <summary>
    /// Builds the tree from surface forms (sorted, distinct, non-empty, given as offsets into <paramref name="chars"/>)
    /// and each form's entry range <c>entryStarts[i]..entryStarts[i+1]</c>.
    /// </summary>
    public static NoriTrie Build(char[] chars, int[] offsets, int[] entryStarts)
    {
        int forms = offsets.Length - 1;
        int capacity = chars.Length + 1; // a node per distinct prefix: at most one per character, plus the root
        var label = new char[capacity];
        var firstChild = new int[capacity];
        var childCount = new int[capacity];
        var entryStart = new int[capacity];
        var entryEnd = new int[capacity];
        int nodes = 1; // node 0: the root
        // Breadth-first over (node, range of forms sharing its prefix, depth) so that siblings are allocated together.
        var queue = new Queue<(int Node, int Lo, int Hi, int Depth)>();
        queue.Enqueue((0, 0, forms, 0));
        while (queue.Count > 0)
        {
            var (node, lo, hi, depth) = queue.Dequeue();
            if (lo < hi && offsets[lo + 1] - offsets[lo] == depth)
            {
                entryStart[node] = entryStarts[lo];
                entryEnd[node] = entryStarts[lo + 1];
                lo++;
            }
            firstChild[node] = nodes;
            int groupStart = lo;
            while (groupStart < hi)
            {
                char c = chars[offsets[groupStart] + depth];
                int groupEnd = groupStart + 1;
                while (groupEnd < hi && chars[offsets[groupEnd] + depth] == c) groupEnd++;
                int child = nodes++;
                label[child] = c;
                childCount[node]++;
                queue.Enqueue((child, groupStart, groupEnd, depth + 1));
                groupStart = groupEnd;
            }
        }
        Array.Resize(ref label, nodes);
        Array.Resize(ref firstChild, nodes);
        Array.Resize(ref childCount, nodes);
        Array.Resize(ref entryStart, nodes);
        Array.Resize(ref entryEnd, nodes);
        var trie = new NoriTrie(label, firstChild, childCount, entryStart, entryEnd);
        Array.Fill(trie._rootChild, -1);
        for (int i = 0; i < childCount[0]; i++) trie._rootChild[label[firstChild[0] + i]] = firstChild[0] + i;
        return trie;
    }
}
