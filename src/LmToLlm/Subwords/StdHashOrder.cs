namespace LmToLlm.Subwords;

/// <summary>
/// The iteration order of GCC's <c>std::unordered_map&lt;uint64_t, T&gt;</c> (libstdc++ <c>_Hashtable</c> with the
/// identity hash, prime bucket counts, load factor 1), kept beside a .NET dictionary. SentencePiece's BPE trainer
/// picks its active pairs by a partial sort of that map's contents, and with many pairs of equal count at the cut
/// the order decides which get in; following it is what makes the late merges equal to <c>spm_train</c>'s.
/// </summary>
internal sealed class StdHashOrder<T>
{
    private const int BeforeBegin = 0, None = -1;
    private readonly Dictionary<ulong, int> _nodeOf = [];
    private readonly List<ulong> _keys = [0];
    private readonly List<T> _values = [default!];
    private readonly List<int> _next = [None];
    private readonly Stack<int> _free = new();
    private int[] _buckets = [None];
    private ulong _nextResize;

    internal int Count => _nodeOf.Count;

    internal bool TryGetValue(ulong key, out T value)
    {
        if (_nodeOf.TryGetValue(key, out int node)) { value = _values[node]; return true; }
        value = default!;
        return false;
    }

    private int Bucket(ulong key) => (int)(key % (ulong)_buckets.Length);

    /// <summary>Inserts a new key (<c>_M_insert_unique_node</c>: rehash first if needed, then at its bucket's start).</summary>
    public void Add(ulong key, T value)
    {
        if (_nodeOf.ContainsKey(key)) throw new ArgumentException("duplicate key", nameof(key));
        var (rehash, buckets) = NeedRehash((ulong)_buckets.Length, (ulong)Count, 1);
        if (rehash) Rehash((int)buckets);
        int node;
        if (_free.Count > 0) { node = _free.Pop(); _keys[node] = key; _values[node] = value; _next[node] = None; }
        else { node = _keys.Count; _keys.Add(key); _values.Add(value); _next.Add(None); }
        int bkt = Bucket(key);
        if (_buckets[bkt] != None)
        {
            _next[node] = _next[_buckets[bkt]];
            _next[_buckets[bkt]] = node;
        }
        else
        {
            _next[node] = _next[BeforeBegin];
            _next[BeforeBegin] = node;
            if (_next[node] != None) _buckets[Bucket(_keys[_next[node]])] = node;
            _buckets[bkt] = BeforeBegin;
        }
        _nodeOf.Add(key, node);
    }

    /// <summary>Removes a key, keeping every other node's order (<c>_M_erase</c>).</summary>
    internal void Remove(ulong key)
    {
        if (!_nodeOf.Remove(key, out int node)) return;
        int bkt = Bucket(key);
        int prev = _buckets[bkt];
        while (_next[prev] != node) prev = _next[prev];
        int next = _next[node];
        if (prev == _buckets[bkt])
        {
            int nextBkt = next != None ? Bucket(_keys[next]) : 0;
            if (next == None || nextBkt != bkt)
            {
                if (next != None) _buckets[nextBkt] = _buckets[bkt];
                if (_buckets[bkt] == BeforeBegin) _next[BeforeBegin] = next;
                _buckets[bkt] = None;
            }
        }
        else if (next != None)
        {
            int nextBkt = Bucket(_keys[next]);
            if (nextBkt != bkt) _buckets[nextBkt] = prev;
        }
        _next[prev] = next;
        _values[node] = default!;
        _free.Push(node);
    }

    /// <summary>The values in the map's iteration order.</summary>
    internal IEnumerable<T> Values
    {
        get
        {
            for (int n = _next[BeforeBegin]; n != None; n = _next[n]) yield return _values[n];
        }
    }

    /// <summary><c>_Prime_rehash_policy::_M_need_rehash</c> with load factor 1 and growth factor 2.</summary>
    private (bool, ulong) NeedRehash(ulong buckets, ulong elements, ulong inserted)
    {
        if (elements + inserted <= _nextResize) return (false, 0);
        double minBuckets = Math.Max(elements + inserted, _nextResize != 0 ? 0UL : 11UL);
        if (minBuckets >= buckets) return (true, NextBucketCount(Math.Max((ulong)Math.Floor(minBuckets) + 1, buckets * 2)));
        _nextResize = buckets;
        return (false, 0);
    }

    /// <summary><c>_Prime_rehash_policy::_M_next_bkt</c>: the first listed prime not below <paramref name="n"/>.</summary>
    private ulong NextBucketCount(ulong n)
    {
        ReadOnlySpan<byte> fast = [2, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13];
        if (n < (ulong)fast.Length)
        {
            if (n == 0) return 1;
            _nextResize = fast[(int)n];
            return fast[(int)n];
        }
        var primes = Primes;
        int i = 6;
        while (i < primes.Length && primes[i] < n) i++;
        if (i == primes.Length) throw new InvalidOperationException("more pairs than the bucket table covers");
        _nextResize = primes[i];
        return primes[i];
    }

    /// <summary>The bucket order after a rehash (<c>_M_rehash_aux</c> for unique keys).</summary>
    private void Rehash(int count)
    {
        var buckets = new int[count];
        Array.Fill(buckets, None);
        int p = _next[BeforeBegin];
        _next[BeforeBegin] = None;
        int beginBucket = 0;
        while (p != None)
        {
            int next = _next[p];
            int bkt = (int)(_keys[p] % (ulong)count);
            if (buckets[bkt] == None)
            {
                _next[p] = _next[BeforeBegin];
                _next[BeforeBegin] = p;
                buckets[bkt] = BeforeBegin;
                if (_next[p] != None) buckets[beginBucket] = p;
                beginBucket = bkt;
            }
            else
            {
                _next[p] = _next[buckets[bkt]];
                _next[buckets[bkt]] = p;
            }
            p = next;
        }
        _buckets = buckets;
    }

    /// <summary>libstdc++'s bucket-count primes (<c>std::__detail::__prime_list</c>) below 2^40.</summary>
    private static ReadOnlySpan<ulong> Primes =>
    [
        2UL, 3UL, 5UL, 7UL, 11UL, 13UL, 17UL, 19UL,
        23UL, 29UL, 31UL, 37UL, 41UL, 43UL, 47UL, 53UL,
        59UL, 61UL, 67UL, 71UL, 73UL, 79UL, 83UL, 89UL,
        97UL, 103UL, 109UL, 113UL, 127UL, 137UL, 139UL, 149UL,
        157UL, 167UL, 179UL, 193UL, 199UL, 211UL, 227UL, 241UL,
        257UL, 277UL, 293UL, 313UL, 337UL, 359UL, 383UL, 409UL,
        439UL, 467UL, 503UL, 541UL, 577UL, 619UL, 661UL, 709UL,
        761UL, 823UL, 887UL, 953UL, 1031UL, 1109UL, 1193UL, 1289UL,
        1381UL, 1493UL, 1613UL, 1741UL, 1879UL, 2029UL, 2179UL, 2357UL,
        2549UL, 2753UL, 2971UL, 3209UL, 3469UL, 3739UL, 4027UL, 4349UL,
        4703UL, 5087UL, 5503UL, 5953UL, 6427UL, 6949UL, 7517UL, 8123UL,
        8783UL, 9497UL, 10273UL, 11113UL, 12011UL, 12983UL, 14033UL, 15173UL,
        16411UL, 17749UL, 19183UL, 20753UL, 22447UL, 24281UL, 26267UL, 28411UL,
        30727UL, 33223UL, 35933UL, 38873UL, 42043UL, 45481UL, 49201UL, 53201UL,
        57557UL, 62233UL, 67307UL, 72817UL, 78779UL, 85229UL, 92203UL, 99733UL,
        107897UL, 116731UL, 126271UL, 136607UL, 147793UL, 159871UL, 172933UL, 187091UL,
        202409UL, 218971UL, 236897UL, 256279UL, 277261UL, 299951UL, 324503UL, 351061UL,
        379787UL, 410857UL, 444487UL, 480881UL, 520241UL, 562841UL, 608903UL, 658753UL,
        712697UL, 771049UL, 834181UL, 902483UL, 976369UL, 1056323UL, 1142821UL, 1236397UL,
        1337629UL, 1447153UL, 1565659UL, 1693859UL, 1832561UL, 1982627UL, 2144977UL, 2320627UL,
        2510653UL, 2716249UL, 2938679UL, 3179303UL, 3439651UL, 3721303UL, 4026031UL, 4355707UL,
        4712381UL, 5098259UL, 5515729UL, 5967347UL, 6456007UL, 6984629UL, 7556579UL, 8175383UL,
        8844859UL, 9569143UL, 10352717UL, 11200489UL, 12117689UL, 13109983UL, 14183539UL, 15345007UL,
        16601593UL, 17961079UL, 19431899UL, 21023161UL, 22744717UL, 24607243UL, 26622317UL, 28802401UL,
        31160981UL, 33712729UL, 36473443UL, 39460231UL, 42691603UL, 46187573UL, 49969847UL, 54061849UL,
        58488943UL, 63278561UL, 68460391UL, 74066549UL, 80131819UL, 86693767UL, 93793069UL, 101473717UL,
        109783337UL, 118773397UL, 128499677UL, 139022417UL, 150406843UL, 162723577UL, 176048909UL, 190465427UL,
        206062531UL, 222936881UL, 241193053UL, 260944219UL, 282312799UL, 305431229UL, 330442829UL, 357502601UL,
        386778277UL, 418451333UL, 452718089UL, 489790921UL, 529899637UL, 573292817UL, 620239453UL, 671030513UL,
        725980837UL, 785430967UL, 849749479UL, 919334987UL, 994618837UL, 1076067617UL, 1164186217UL, 1259520799UL,
        1362662261UL, 1474249943UL, 1594975441UL, 1725587117UL, 1866894511UL, 2019773507UL, 2185171673UL, 2364114217UL,
        2557710269UL, 2767159799UL, 2993761039UL, 3238918481UL, 3504151727UL, 3791104843UL, 4101556399UL, 4294967291UL,
        6442450933UL, 8589934583UL, 12884901857UL, 17179869143UL, 25769803693UL, 34359738337UL, 51539607367UL, 68719476731UL,
        103079215087UL, 137438953447UL, 206158430123UL, 274877906899UL, 412316860387UL, 549755813881UL, 824633720731UL, 1099511627689UL,    ];
}
