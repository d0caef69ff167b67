namespace LmToLlm.Nori;

/// <summary>
/// The lattice's positions as a ring (as Lucene's WrappedPositionArray): <see cref="Get"/> may reach any position at or
/// after the oldest live one, creating positions up to it; <see cref="FreeBefore"/> recycles committed ones.
/// <see cref="NextPos"/> (one past the furthest position ever reached) defines the search's frontier.
/// </summary>
internal sealed class NoriPositions
{
    private Position[] _ring = Create(8);
    private int _nextWrite; // next ring slot to fill
    private int _count;     // live positions

    /// <summary>One past the furthest position created.</summary>
    public int NextPos { get; private set; }

    public void Reset()
    {
        // Only the live positions hold arcs (freed ones were reset when freed): keeps a reset O(live), not O(ring).
        int index = _nextWrite - _count;
        if (index < 0) index += _ring.Length;
        for (int i = 0; i < _count; i++)
        {
            if (index == _ring.Length) index = 0;
            _ring[index++].Reset();
        }
        _nextWrite = 0;
        NextPos = 0;
        _count = 0;
    }

    public Position Get(int pos)
    {
        while (pos >= NextPos)
        {
            if (_count == _ring.Length)
            {
                var bigger = new Position[_ring.Length * 2];
                Array.Copy(_ring, _nextWrite, bigger, 0, _ring.Length - _nextWrite);
                Array.Copy(_ring, 0, bigger, _ring.Length - _nextWrite, _nextWrite);
                for (int i = _ring.Length; i < bigger.Length; i++) bigger[i] = new Position();
                _nextWrite = _ring.Length;
                _ring = bigger;
            }
            if (_nextWrite == _ring.Length) _nextWrite = 0;
            _ring[_nextWrite++].Pos = NextPos++;
            _count++;
        }
        int index = _nextWrite - (NextPos - pos);
        if (index < 0) index += _ring.Length;
        return _ring[index];
    }

    public void FreeBefore(int pos)
    {
        int toFree = _count - (NextPos - pos);
        int index = _nextWrite - _count;
        if (index < 0) index += _ring.Length;
        for (int i = 0; i < toFree; i++)
        {
            if (index == _ring.Length) index = 0;
            _ring[index++].Reset();
        }
        _count -= toFree;
    }

    private static Position[] Create(int n)
    {
        var ring = new Position[n];
        for (int i = 0; i < n; i++) ring[i] = new Position();
        return ring;
    }

    /// <summary>The arcs arriving at one position: path cost, right id of the last word, and the back pointer.</summary>
    internal sealed class Position
    {
        public int Pos;
        public int Count;
        public int[] Costs = new int[8];
        public int[] LastRightId = new int[8];
        public int[] BackPos = new int[8];
        public int[] BackWordPos = new int[8];
        public int[] BackIndex = new int[8];
        public int[] BackId = new int[8];
        public NoriWordSource[] BackSource = new NoriWordSource[8];

        public void Add(int cost, int lastRightId, int backPos, int backWordPos, int backIndex, int backId, NoriWordSource source)
        {
            // As the reference: append even when the right id is already present (the full lattice, not a pruned one).
            if (Count == Costs.Length) Grow();
            Costs[Count] = cost;
            LastRightId[Count] = lastRightId;
            BackPos[Count] = backPos;
            BackWordPos[Count] = backWordPos;
            BackIndex[Count] = backIndex;
            BackId[Count] = backId;
            BackSource[Count] = source;
            Count++;
        }

        public void CopyTo0(int index)
        {
            Costs[0] = Costs[index];
            LastRightId[0] = LastRightId[index];
            BackPos[0] = BackPos[index];
            BackWordPos[0] = BackWordPos[index];
            BackIndex[0] = BackIndex[index];
            BackId[0] = BackId[index];
            BackSource[0] = BackSource[index];
        }

        public void Reset() => Count = 0;

        private void Grow()
        {
            int n = Costs.Length * 2;
            Array.Resize(ref Costs, n);
            Array.Resize(ref LastRightId, n);
            Array.Resize(ref BackPos, n);
            Array.Resize(ref BackWordPos, n);
            Array.Resize(ref BackIndex, n);
            Array.Resize(ref BackId, n);
            Array.Resize(ref BackSource, n);
        }
    }
}
