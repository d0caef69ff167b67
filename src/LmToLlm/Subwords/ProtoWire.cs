using System.Buffers.Binary;

namespace LmToLlm.Subwords;

/// <summary>
/// The few protocol-buffer wire rules a SentencePiece <c>.model</c> needs: varints, 32-bit floats and length-delimited
/// fields. Input: the bytes of one message. Output: its fields in file order, each as (number, wire type, payload).
/// </summary>
internal static class ProtoWire
{
    internal const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    /// <summary>One field of a message: varint and fixed values in <see cref="Value"/>, bytes in <see cref="Bytes"/>.</summary>
    internal readonly record struct Field(int Number, int WireType, ulong Value, ReadOnlyMemory<byte> Bytes);

    /// <summary>Reads every field of <paramref name="message"/>; throws <see cref="FormatException"/> on a malformed one.</summary>
    internal static List<Field> ReadFields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<Field>();
        var span = message.Span;
        int pos = 0;
        while (pos < span.Length)
        {
            ulong key = ReadVarint(span, ref pos);
            int number = (int)(key >> 3), wire = (int)(key & 7);
            if (number <= 0 || key >> 3 > int.MaxValue) throw new FormatException($"field number {key >> 3} at byte {pos} is not valid");
            switch (wire)
            {
                case Varint:
                    fields.Add(new Field(number, wire, ReadVarint(span, ref pos), default));
                    break;
                case Fixed64:
                    Need(span, pos, 8);
                    fields.Add(new Field(number, wire, BinaryPrimitives.ReadUInt64LittleEndian(span[pos..]), default));
                    pos += 8;
                    break;
                case Fixed32:
                    Need(span, pos, 4);
                    fields.Add(new Field(number, wire, BinaryPrimitives.ReadUInt32LittleEndian(span[pos..]), default));
                    pos += 4;
                    break;
                case LengthDelimited:
                    ulong length = ReadVarint(span, ref pos);
                    if (length > (ulong)(span.Length - pos)) throw new FormatException($"field {number} at byte {pos} claims {length} bytes, only {span.Length - pos} remain");
                    fields.Add(new Field(number, wire, length, message.Slice(pos, (int)length)));
                    pos += (int)length;
                    break;
                default:
                    throw new FormatException($"field {number} at byte {pos} has the unsupported wire type {wire}");
            }
        }
        return fields;
    }

    private static void Need(ReadOnlySpan<byte> span, int pos, int count)
    {
        if (span.Length - pos < count) throw new FormatException($"the message ends inside a field at byte {pos}");
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int pos)
    {
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (pos >= span.Length) throw new FormatException($"the message ends inside a varint at byte {pos}");
            byte b = span[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new FormatException($"a varint longer than 10 bytes ends at byte {pos}");
    }

    internal static void WriteKey(Stream output, int number, int wireType) => WriteVarint(output, ((ulong)(uint)number << 3) | (uint)wireType);

    internal static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }

    internal static void WriteVarintField(Stream output, int number, ulong value)
    {
        WriteKey(output, number, Varint);
        WriteVarint(output, value);
    }

    /// <summary>An <c>int32</c> field: negative values are sign-extended to ten bytes, as protobuf does.</summary>
    internal static void WriteInt32Field(Stream output, int number, int value) => WriteVarintField(output, number, (ulong)(long)value);

    internal static void WriteFloatField(Stream output, int number, float value)
    {
        WriteKey(output, number, Fixed32);
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
        output.Write(buffer);
    }

    internal static void WriteBytesField(Stream output, int number, ReadOnlySpan<byte> bytes)
    {
        WriteKey(output, number, LengthDelimited);
        WriteVarint(output, (ulong)bytes.Length);
        output.Write(bytes);
    }

    internal static float AsFloat(in Field field) => BitConverter.Int32BitsToSingle((int)(uint)field.Value);
}
