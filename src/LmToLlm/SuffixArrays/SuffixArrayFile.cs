using System.Buffers.Binary;
using System.Text;
using LmToLlm.Primitives;

namespace LmToLlm.SuffixArrays;

/// <summary>
/// The index file, little-endian, every section starting on an 8-byte boundary so it can be used in place:
/// a 64-byte header (the <see cref="BinaryFormat"/> header: magic <c>LMTLSAIX</c>, int32 version; then mode, id width, pointer width, shard count, vocabulary
/// size, int64 documents, int64 stream length, int32 tokenizer-name bytes, int32 0, int64 vocabulary bytes), the
/// tokenizer name, the vocabulary (int32 offsets, UTF-8 bytes; token id = stream id − 1), a shard table (per shard
/// int64 stream length, documents, first document, int32 pointer width, int32 0), then per shard its token stream (ids
/// of the id width: 2 bytes while the ids with the separator fit 65,536, 3 bytes up to 16,777,216, else 4), suffix
/// array and document starts (one more than its documents), both of the shard's pointer width: 3 bytes while the
/// shard has fewer than 2^24 symbols, 4 below 2^32, else 5 (infini-gram's 5-byte pointers); and last a checksum of
/// everything before it (the <see cref="BinaryFormat"/> trailer). The header's pointer width is the widest shard's.
/// Version 1 had no 3-byte ids; version 2 had 4- or 5-byte pointers for every shard and 8-byte document starts.
/// </summary>
internal static class SuffixArrayFile
{
    public static readonly BinaryFormat Format = new("LMTLSAIX", 3, "an LmToLlm suffix-array index", "rebuild it with 'lmtollm sa build'");

    internal const int HeaderBytes = 64;

    internal const int ShardEntryBytes = 32;

    internal static long Pad(long bytes) => (bytes + 7) & ~7L;

    /// <summary>The bytes of one shard's sections: tokens, suffix array and document starts, each padded.</summary>
    internal static long ShardBytes(long length, long documents, int idWidth, int pointerWidth) =>
        Pad(length * idWidth) + Pad(length * pointerWidth) + Pad((documents + 1) * pointerWidth);

    /// <summary>Bytes per suffix pointer and document start of a shard of <paramref name="length"/> symbols: 3, 4 or 5.</summary>
    public static int PointerWidthFor(long length) => length < 1L << 24 ? 3 : length < 1L << 32 ? 4 : 5;

    /// <summary>Values packed little-endian at <paramref name="width"/> (3, 4 or 5) bytes each.</summary>
    public static byte[] PackPointers(ReadOnlySpan<int> values, int width)
    {
        var bytes = new byte[(long)values.Length * width];
        for (int i = 0, at = 0; i < values.Length; i++, at += width)
        {
            uint v = (uint)values[i];
            bytes[at] = (byte)v;
            bytes[at + 1] = (byte)(v >> 8);
            bytes[at + 2] = (byte)(v >> 16);
            if (width > 3) bytes[at + 3] = (byte)(v >> 24);
        }
        return bytes;
    }

    /// <summary>Bytes per token id for an alphabet of <paramref name="alphabet"/> ids (the separator included).</summary>
    public static int IdWidthFor(long alphabet) => alphabet <= 1 << 16 ? 2 : alphabet <= 1 << 24 ? 3 : 4;

    /// <summary>The largest alphabet (separator included) ids of <paramref name="idWidth"/> bytes can hold.</summary>
    public static long MaxAlphabet(int idWidth) => idWidth == 4 ? 1L << 32 : 1L << (8 * idWidth);

    /// <summary>Token ids packed little-endian at <paramref name="idWidth"/> (2, 3 or 4) bytes each.</summary>
    public static byte[] PackIds(ReadOnlySpan<int> ids, int idWidth)
    {
        var bytes = new byte[(long)ids.Length * idWidth];
        for (int i = 0, at = 0; i < ids.Length; i++, at += idWidth)
        {
            uint id = (uint)ids[i];
            bytes[at] = (byte)id;
            bytes[at + 1] = (byte)(id >> 8);
            if (idWidth > 2) bytes[at + 2] = (byte)(id >> 16);
            if (idWidth > 3) bytes[at + 3] = (byte)(id >> 24);
        }
        return bytes;
    }

    /// <summary>A stream writer that hashes what it writes and pads sections.</summary>
    internal sealed class HashingWriter(Stream stream)
    {
        private readonly HashingStream _stream = new(stream);
        private readonly byte[] _scratch = new byte[8];

        public long Position => _stream.BytesWritten;

        public void Write(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_scratch, value);
            Write(_scratch.AsSpan(0, 4));
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_scratch, value);
            Write(_scratch);
        }

        public void PadTo8() => _stream.PadTo8();

        /// <summary>Writes the checksum of everything written so far (not hashed itself).</summary>
        public void Finish() => _stream.WriteChecksum();
    }

    /// <summary>Writes the header, tokenizer name, vocabulary and shard table.</summary>
    internal static void WriteHead(HashingWriter w, SuffixArrayMode mode, int idWidth, int pointerWidth, string tokenizer,
        IReadOnlyList<string> vocabulary, IReadOnlyList<(long Length, long Documents, long FirstDocument, int PointerWidth)> shards)
    {
        byte[] name = Encoding.UTF8.GetBytes(tokenizer);
        var words = vocabulary.Select(Encoding.UTF8.GetBytes).ToArray();
        long vocabularyBytes = words.Sum(b => (long)b.Length);
        if (vocabularyBytes > int.MaxValue) throw new LmToLlmException("the vocabulary's spellings exceed 2 GiB; use an analyzer with fewer distinct tokens");
        Span<byte> header = stackalloc byte[BinaryFormat.HeaderBytes];
        Format.WriteHeader(header);
        w.Write(header);
        w.Int32((int)mode);
        w.Int32(idWidth);
        w.Int32(pointerWidth);
        w.Int32(shards.Count);
        w.Int32(vocabulary.Count);
        w.Int64(shards.Sum(s => s.Documents));
        w.Int64(shards.Sum(s => s.Length));
        w.Int32(name.Length);
        w.Int32(0);
        w.Int64(vocabularyBytes);
        w.Write(name);
        w.PadTo8();
        int offset = 0;
        w.Int32(0);
        foreach (var word in words) w.Int32(offset += word.Length);
        w.PadTo8();
        foreach (var word in words) w.Write(word);
        w.PadTo8();
        foreach (var (length, documents, first, width) in shards)
        {
            w.Int64(length);
            w.Int64(documents);
            w.Int64(first);
            w.Int32(width);
            w.Int32(0);
        }
    }
}
