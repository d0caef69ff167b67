namespace LmToLlm.Subwords;

/// <summary>
/// The random numbers <c>spm_encode --random_seed</c> draws: the C++ <c>std::mt19937</c> engine (Matsumoto and
/// Nishimura 1998) and libstdc++'s <c>std::discrete_distribution</c>, so that a seed gives the same samples as
/// SentencePiece. Input: a 32-bit seed. Output: uniform doubles in [0, 1) and indexes drawn by weight.
/// </summary>
internal sealed class StdRandom
{
    private const int N = 624, M = 397;
    private readonly uint[] _state = new uint[N];
    private int _index;

    public StdRandom(uint seed)
    {
        _state[0] = seed;
        for (int i = 1; i < N; i++) _state[i] = 1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i;
        _index = N;
    }

    /// <summary>The next 32-bit output of mt19937.</summary>
    public uint NextUInt32()
    {
        if (_index >= N) Twist();
        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_state[i] & 0x80000000u) | (_state[(i + 1) % N] & 0x7fffffffu);
            _state[i] = _state[(i + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0u);
        }
        _index = 0;
    }

    /// <summary><c>std::generate_canonical&lt;double, 53&gt;</c>: two draws, low word first.</summary>
    public double NextDouble()
    {
        double sum = NextUInt32();
        sum += NextUInt32() * 4294967296.0;
        double result = sum / 18446744073709551616.0;
        return result >= 1 ? Math.BitDecrement(1.0) : result;
    }

    /// <summary>
    /// An index drawn with probability proportional to <paramref name="weights"/>, as libstdc++'s
    /// <c>discrete_distribution</c>: normalised, summed, the last sum set to 1, then <c>std::lower_bound</c> (a binary
    /// search, which also decides the draw when every weight underflowed to 0 and the sums are NaN). A single weight
    /// draws nothing.
    /// </summary>
    public int Discrete(ReadOnlySpan<float> weights)
    {
        int n = weights.Length;
        if (n < 2) return 0;
        double total = 0;
        foreach (float w in weights) total += w;
        Span<double> cumulative = n <= 512 ? stackalloc double[n] : new double[n];
        double running = 0;
        for (int i = 0; i < n; i++) cumulative[i] = running += weights[i] / total;
        cumulative[n - 1] = 1.0;
        double p = NextDouble();
        int first = 0, length = n;
        while (length > 0)
        {
            int half = length >> 1, middle = first + half;
            if (cumulative[middle] < p)
            {
                first = middle + 1;
                length -= half + 1;
            }
            else length = half;
        }
        return first;
    }
}
