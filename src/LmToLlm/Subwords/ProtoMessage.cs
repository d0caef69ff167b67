using System.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// A protobuf message kept as its fields in file order, so that reading and writing it back gives the same bytes,
/// unknown fields included. Typed getters apply the defaults of <c>sentencepiece_model.proto</c>.
/// </summary>
internal sealed class ProtoMessage
{
    private readonly List<ProtoWire.Field> _fields;

    internal ProtoMessage() => _fields = [];

    internal ProtoMessage(ReadOnlyMemory<byte> bytes) => _fields = ProtoWire.ReadFields(bytes);

    internal IReadOnlyList<ProtoWire.Field> Fields => _fields;

    internal bool Has(int number) => _fields.Exists(f => f.Number == number);

    private ProtoWire.Field? Last(int number, int wireType)
    {
        for (int i = _fields.Count - 1; i >= 0; i--)
            if (_fields[i].Number == number)
            {
                if (_fields[i].WireType != wireType)
                    throw new FormatException($"field {number} has wire type {_fields[i].WireType}, expected {wireType}");
                return _fields[i];
            }
        return null;
    }

    internal int GetInt32(int number, int fallback) => Last(number, ProtoWire.Varint) is { } f ? (int)(long)f.Value : fallback;

    internal ulong GetUInt64(int number, ulong fallback) => Last(number, ProtoWire.Varint) is { } f ? f.Value : fallback;

    internal bool GetBool(int number, bool fallback) => Last(number, ProtoWire.Varint) is { } f ? f.Value != 0 : fallback;

    internal float GetFloat(int number, float fallback) => Last(number, ProtoWire.Fixed32) is { } f ? ProtoWire.AsFloat(f) : fallback;

    internal ReadOnlyMemory<byte> GetBytes(int number) => Last(number, ProtoWire.LengthDelimited) is { } f ? f.Bytes : default;

    internal string GetString(int number, string fallback) =>
        Last(number, ProtoWire.LengthDelimited) is { } f ? Encoding.UTF8.GetString(f.Bytes.Span) : fallback;

    internal List<string> GetStrings(int number)
    {
        var list = new List<string>();
        foreach (var f in _fields)
            if (f.Number == number && f.WireType == ProtoWire.LengthDelimited) list.Add(Encoding.UTF8.GetString(f.Bytes.Span));
        return list;
    }

    internal void AddVarint(int number, ulong value) => _fields.Add(new ProtoWire.Field(number, ProtoWire.Varint, value, default));

    internal void AddInt32(int number, int value) => AddVarint(number, (ulong)(long)value);

    internal void AddBool(int number, bool value) => AddVarint(number, value ? 1UL : 0UL);

    internal void AddFloat(int number, float value) =>
        _fields.Add(new ProtoWire.Field(number, ProtoWire.Fixed32, (uint)BitConverter.SingleToInt32Bits(value), default));

    internal void AddBytes(int number, ReadOnlyMemory<byte> value) =>
        _fields.Add(new ProtoWire.Field(number, ProtoWire.LengthDelimited, (ulong)value.Length, value));

    internal void AddString(int number, string value) => AddBytes(number, Encoding.UTF8.GetBytes(value));

    /// <summary>Replaces every occurrence of field <paramref name="number"/> by one varint value, in field-number order.</summary>
    internal void SetVarint(int number, ulong value)
    {
        _fields.RemoveAll(f => f.Number == number);
        int at = _fields.FindIndex(f => f.Number > number);
        var field = new ProtoWire.Field(number, ProtoWire.Varint, value, default);
        if (at < 0) _fields.Add(field);
        else _fields.Insert(at, field);
    }

    internal byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        WriteTo(buffer);
        return buffer.ToArray();
    }

    internal void WriteTo(Stream output)
    {
        foreach (var f in _fields)
        {
            ProtoWire.WriteKey(output, f.Number, f.WireType);
            switch (f.WireType)
            {
                case ProtoWire.Varint: ProtoWire.WriteVarint(output, f.Value); break;
                case ProtoWire.Fixed64: WriteLittleEndian(output, f.Value, 8); break;
                case ProtoWire.Fixed32: WriteLittleEndian(output, f.Value, 4); break;
                default:
                    ProtoWire.WriteVarint(output, (ulong)f.Bytes.Length);
                    output.Write(f.Bytes.Span);
                    break;
            }
        }
    }

    private static void WriteLittleEndian(Stream output, ulong value, int count)
    {
        for (int i = 0; i < count; i++) output.WriteByte((byte)(value >> (8 * i)));
    }
}
