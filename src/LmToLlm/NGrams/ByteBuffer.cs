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
}
