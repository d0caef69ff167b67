namespace LmToLlm.NGrams;

/// <summary>
/// The text of recently formatted floats, one small cache per thread, in front of <see cref="FloatFormat"/>: an ARPA
/// file repeats many values (the backoffs of contexts with equal counts, the probabilities of equal counts in one
/// context), and about 60 % of the values an 8 M-token model writes are found here, where a copy costs less than
/// formatting again.
/// </summary>
internal sealed class FloatTextCache
{
    private const int Bits = 14;      // 16,384 slots, about 340 KB per thread
    private const int SlotBytes = 16; // longer texts (rare: tiny values written positionally) are not kept

    private readonly uint[] _keys = new uint[1 << Bits];     // the float's bits
    private readonly byte[] _lengths = new byte[1 << Bits];  // 0: empty
    private readonly byte[] _text = new byte[(1 << Bits) * SlotBytes];

    [ThreadStatic]
    private static FloatTextCache? t_current;

    /// <summary>This thread's cache.</summary>
    internal static FloatTextCache Current => t_current ??= new FloatTextCache();

    /// <summary>As <see cref="FloatFormat.Write"/>: writes <paramref name="value"/> into <paramref name="target"/> (≥ 32 bytes); returns the byte count.</summary>
    internal int Write(float value, Span<byte> target)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        int slot = (int)((bits * 0x9E3779B1u) >> (32 - Bits));
        int length = _lengths[slot];
        if (length != 0 && _keys[slot] == bits)
        {
            _text.AsSpan(slot * SlotBytes, SlotBytes).CopyTo(target);
            return length;
        }
        length = FloatFormat.Write(value, target);
        if (length <= SlotBytes)
        {
            target[..length].CopyTo(_text.AsSpan(slot * SlotBytes));
            _keys[slot] = bits;
            _lengths[slot] = (byte)length;
        }
        return length;
    }
}
