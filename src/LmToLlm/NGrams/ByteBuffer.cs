using System.Text;

namespace LmToLlm.NGrams;

/// <summary>A growable UTF-8 byte buffer with float32 formatting as lmplz prints it.</summary>
internal sealed class ByteBuffer(int capacity)
{
    private byte[] _data = new byte[Math.Max(64, capacity)];
    private int _used;

    public void Clear() => _used = 0;

    /// <summary>Bytes held.</summary>
    public int Length => _used;

    public void WriteTo(Stream stream)
    {
        stream.Write(_data, 0, _used);
        _used = 0;
    }

    private void Ensure(int more)
    {
        if (_used + more > _data.Length) Array.Resize(ref _data, Math.Max(_data.Length * 2, _used + more));
    }

    public void Byte(byte b)
    {
        Ensure(1);
        _data[_used++] = b;
    }

    public void Bytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_data.AsSpan(_used));
        _used += bytes.Length;
    }

    public void Ascii(string text) => Bytes(Encoding.ASCII.GetBytes(text));

    /// <summary>Shortest round-trip float32, as lmplz prints it (see <see cref="FloatFormat"/>).</summary>
    public void Float(float value)
    {
        Ensure(32);
        _used += FloatFormat.Write(value, _data.AsSpan(_used));
    }

    // ---------------------------------------------------------------- ARPA text, one writer's rules for every model

    /// <summary><c>\data\</c> and one <c>ngram k=count</c> line per order.</summary>
    public void ArpaHeader(ReadOnlySpan<long> counts)
    {
        Ascii("\\data\\\n");
        for (int k = 1; k <= counts.Length; k++) Ascii($"ngram {k}={counts[k - 1]}\n");
    }

    /// <summary>The line that opens the section of order <paramref name="k"/>.</summary>
    public void ArpaSection(int k) => Ascii($"\n\\{k}-grams:\n");

    /// <summary>The last line of the file.</summary>
    public void ArpaEnd() => Ascii("\n\\end\\\n");

    /// <summary>
    /// One n-gram line: log10 probability, tab, the words (<paramref name="ids"/> oldest first, spelled by
    /// <paramref name="words"/>) separated by spaces, and with <paramref name="withBackoff"/> a tab and the log10 backoff.
    /// </summary>
    public void ArpaLine(float log10Probability, ReadOnlySpan<int> ids, ArpaWords words, bool withBackoff, float log10Backoff)
    {
        // Room for two floats, the separators, every word at its longest and a word copy's overrun.
        Ensure(2 * 32 + 2 + ids.Length * (words.LongestWord + 1) + ArpaWords.Slack);
        byte[] data = _data;
        FloatTextCache floats = FloatTextCache.Current;
        int used = _used + floats.Write(log10Probability, data.AsSpan(_used));
        data[used++] = (byte)'\t';
        for (int j = 0; j < ids.Length; j++)
        {
            if (j > 0) data[used++] = (byte)' ';
            used = words.CopyTo(ids[j], data, used);
        }
        if (withBackoff)
        {
            data[used++] = (byte)'\t';
            used += floats.Write(log10Backoff, data.AsSpan(used));
        }
        data[used++] = (byte)'\n';
        _used = used;
    }
}
