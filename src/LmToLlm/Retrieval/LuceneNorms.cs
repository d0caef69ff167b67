namespace LmToLlm.Retrieval;

/// <summary>
/// Lucene 4.x length norms: <c>SmallFloat.floatToByte315</c> / <c>byte315ToFloat</c> (3 mantissa bits, zero
/// exponent 15) and <c>BM25Similarity</c>'s encoding of a field length as the byte of <c>1/√length</c>, decoded as
/// <c>1/f²</c>. Reproduced bit for bit from Lucene 4.10 (<c>org.apache.lucene.util.SmallFloat</c>).
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
}
