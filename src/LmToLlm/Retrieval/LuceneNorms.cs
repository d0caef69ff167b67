namespace LmToLlm.Retrieval;

/// <summary>
/// Lucene's one-byte length norms. Lucene 4.x: <c>SmallFloat.floatToByte315</c> / <c>byte315ToFloat</c> (3 mantissa
/// bits, zero exponent 15) and <c>BM25Similarity</c>'s encoding of a field length as the byte of <c>1/√length</c>,
/// decoded as <c>1/f²</c>. Lucene 7+: <c>SmallFloat.intToByte4</c> / <c>byte4ToInt</c>, the length itself, exact
/// below 24 and then with a 4-bit mantissa. Reproduced bit for bit from <c>org.apache.lucene.util.SmallFloat</c>
/// (Lucene 4.10 and 8.8.1).
/// </summary>
internal static class LuceneNorms
{
    /// <summary>Lucene <c>SmallFloat.floatToByte315</c>: a float as one byte (values below the range give 0 or 1, above 255).</summary>
    internal static byte FloatToByte315(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        int smallFloat = bits >> (24 - 3);
        const int zero = (63 - 15) << 3;
        if (smallFloat <= zero) return bits <= 0 ? (byte)0 : (byte)1;
        if (smallFloat >= zero + 0x100) return 255;
        return (byte)(smallFloat - zero);
    }

    /// <summary>Lucene <c>SmallFloat.byte315ToFloat</c>.</summary>
    internal static float Byte315ToFloat(byte value)
    {
        if (value == 0) return 0f;
        int bits = value << (24 - 3);
        bits += (63 - 15) << 24;
        return BitConverter.Int32BitsToSingle(bits);
    }

    /// <summary>
    /// <c>BM25Similarity.encodeNormValue(boost = 1, length)</c>: <c>floatToByte315(1 / (float)Math.sqrt(length))</c>.
    /// </summary>
    internal static byte EncodeLength(int length) => FloatToByte315(1f / (float)Math.Sqrt(length));

    /// <summary>
    /// <c>BM25Similarity.NORM_TABLE</c>: the decoded (quantised) length of each norm byte, <c>1 / (f·f)</c> with
    /// <c>f = byte315ToFloat(i)</c>, in float arithmetic.
    /// </summary>
    internal static ReadOnlySpan<float> DecodedLengths => DecodedTable;

    private static readonly float[] DecodedTable = CreateTable();

    private static float[] CreateTable()
    {
        var table = new float[256];
        for (int i = 0; i < 256; i++)
        {
            float f = Byte315ToFloat((byte)i);
            table[i] = 1.0f / (f * f);
        }
        return table;
    }

    // Lucene 8 SmallFloat: byte values below NumFreeValues stand for themselves; the rest hold an int4
    // (3 explicit mantissa bits, shift + 1 in the high bits) of length − NumFreeValues.
    private const int NumFreeValues = 255 - 231;   // 231 = longToInt4(int.MaxValue)

    /// <summary>Lucene 8 <c>SmallFloat.intToByte4</c>: a non-negative int as one byte, exact below 24 + 8.</summary>
    public static byte IntToByte4(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return value < NumFreeValues ? (byte)value : (byte)(NumFreeValues + LongToInt4(value - NumFreeValues));
    }

    /// <summary>Lucene 8 <c>SmallFloat.byte4ToInt</c>.</summary>
    public static int Byte4ToInt(byte value) => value < NumFreeValues ? value : NumFreeValues + (int)Int4ToLong(value - NumFreeValues);

    private static int LongToInt4(long value)
    {
        int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value);
        if (bits < 4) return (int)value;   // subnormal
        int shift = bits - 4;
        int encoded = (int)(value >>> shift) & 0x07;   // the leading 1 is implicit
        return encoded | ((shift + 1) << 3);
    }

    private static long Int4ToLong(int value)
    {
        long bits = value & 0x07;
        int shift = (value >>> 3) - 1;
        return shift == -1 ? bits : (bits | 0x08) << shift;
    }

    /// <summary>Lucene 8 <c>BM25Similarity.LENGTH_TABLE</c>: the decoded length of each norm byte, as float.</summary>
    public static ReadOnlySpan<float> DecodedLengths4 => DecodedTable4;

    private static readonly float[] DecodedTable4 = CreateTable4();

    private static float[] CreateTable4()
    {
        var table = new float[256];
        for (int i = 0; i < 256; i++) table[i] = Byte4ToInt((byte)i);
        return table;
    }
}
