using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace LmToLlm.Retrieval;

public sealed partial class InvertedIndex
{
    /// <summary>The first 8 bytes of an index file.</summary>
    internal static ReadOnlySpan<byte> Magic => "LMTLLMIX"u8;

    /// <summary>The format version written by <see cref="Save"/>; <see cref="Load"/> refuses others.</summary>
    public const int FormatVersion = 1;

    /// <summary>
    /// Saves the index as one binary file, atomically (temporary file, then move).
    /// Layout, little-endian: magic <c>LMTLLMIX</c>, int32 version, analyzer name (int32 byte count + UTF-8),
    /// int32 min/max n-gram, int32 document/term/posting counts, document lengths, document ids and terms
    /// (int32 offsets + UTF-8 bytes), int32 term offsets, int32 posting documents, int32 posting frequencies,
    /// then a 64-bit checksum of everything before it.
    /// </summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, stream =>
        {
            var body = new MemoryStream();
            using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(Magic);
                w.Write(FormatVersion);
                WriteString(w, AnalyzerName);
                w.Write(Options.MinNGram);
                w.Write(Options.MaxNGram);
                w.Write(DocumentCount);
                w.Write(TermCount);
                w.Write(PostingCount);
                WriteInts(w, _documentLengths);
                WriteStrings(w, _documentIds);
                WriteStrings(w, _terms);
                WriteInts(w, _termStart);
                WriteInts(w, _postingDocs);
                WriteInts(w, _postingFreqs);
            }
            var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
            stream.Write(bytes);
            Span<byte> sum = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(sum, Checksum.Compute(bytes));
            stream.Write(sum);
        });
    }

    /// <summary>
    /// Loads an index written by <see cref="Save"/>. A file that is not an index, of another format version,
    /// truncated or corrupted raises <see cref="LmToLlmFormatException"/> naming the file and the problem.
    /// </summary>
    public static InvertedIndex Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] data = File.ReadAllBytes(path);
        if (data.Length < Magic.Length || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            ThrowHelper.Format(path, 0, "not an LmToLlm index file (wrong magic bytes); build one with 'lmtollm index'");
        if (data.Length < Magic.Length + 4 + 8)
            ThrowHelper.Format(path, 0, "the index file is truncated; rebuild it with 'lmtollm index'");
        int version = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(Magic.Length));
        if (version != FormatVersion)
            ThrowHelper.Format(path, 0, $"index format version {version} is not supported (this build reads version {FormatVersion}); rebuild the index");
        var body = data.AsSpan(0, data.Length - 8);
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(data.Length - 8));
        if (Checksum.Compute(body) != stored)
            ThrowHelper.Format(path, 0, "the index file is corrupt or truncated (checksum mismatch); rebuild it with 'lmtollm index'");
        var r = new SpanReader(path, data, data.Length - 8) { Position = Magic.Length + 4 };
        string analyzer = r.String();
        int minN = r.Int(), maxN = r.Int();
        int docs = r.Int(), terms = r.Int(), postings = r.Int();
        if (docs < 0 || terms < 0 || postings < 0 || minN < 1 || maxN < minN)
            ThrowHelper.Format(path, 0, "the index header is inconsistent; rebuild the index");
        int[] lengths = r.Ints(docs);
        string[] ids = r.Strings(docs);
        string[] termTexts = r.Strings(terms);
        int[] termStart = r.Ints(terms + 1);
        int[] postingDocs = r.Ints(postings);
        int[] postingFreqs = r.Ints(postings);
        if (r.Position != data.Length - 8) ThrowHelper.Format(path, 0, "the index file has trailing bytes; rebuild the index");
        Validate(path, docs, lengths, termStart, postingDocs, postingFreqs);
        try
        {
            return new InvertedIndex(analyzer, new InvertedIndexOptions(minN, maxN), termTexts, termStart, postingDocs, postingFreqs, ids, lengths);
        }
        catch (ArgumentException e)
        {
            throw new LmToLlmFormatException(path, 0, $"the index cannot be used: {e.Message}", e);
        }
    }

    private static void Validate(string path, int docs, int[] lengths, int[] termStart, int[] postingDocs, int[] postingFreqs)
    {
        foreach (int length in lengths) if (length < 0) ThrowHelper.Format(path, 0, "negative document length; the index is corrupt");
        if (termStart[0] != 0 || termStart[^1] != postingDocs.Length) ThrowHelper.Format(path, 0, "posting offsets do not cover the postings; the index is corrupt");
        for (int t = 0; t + 1 < termStart.Length; t++)
        {
            if (termStart[t + 1] <= termStart[t]) ThrowHelper.Format(path, 0, $"term {t} has no postings; the index is corrupt");
            int previous = -1;
            for (int p = termStart[t]; p < termStart[t + 1]; p++)
            {
                int d = postingDocs[p];
                if (d <= previous || d >= docs || postingFreqs[p] < 1) ThrowHelper.Format(path, 0, $"postings of term {t} are malformed; the index is corrupt");
                previous = d;
            }
        }
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static void WriteInts(BinaryWriter w, int[] values)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("index files are little-endian");
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static void WriteStrings(BinaryWriter w, string[] values)
    {
        var offsets = new int[values.Length + 1];
        var bytes = new MemoryStream();
        for (int i = 0; i < values.Length; i++)
        {
            var encoded = Encoding.UTF8.GetBytes(values[i]);
            bytes.Write(encoded);
            offsets[i + 1] = checked((int)bytes.Length);
        }
        WriteInts(w, offsets);
        w.Write(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
    }

    /// <summary>Bounds-checked little-endian reads; running past the end is reported as truncation.</summary>
    private ref struct SpanReader(string path, byte[] data, int end)
    {
        public int Position;

        private ReadOnlySpan<byte> Take(long count)
        {
            if (count < 0 || Position + count > end) ThrowHelper.Format(path, 0, "the index file is truncated or corrupt (a section runs past the end); rebuild the index");
            var span = data.AsSpan(Position, (int)count);
            Position += (int)count;
            return span;
        }

        public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public int[] Ints(int count) => MemoryMarshal.Cast<byte, int>(Take(4L * count)).ToArray();

        public string String()
        {
            int length = Int();
            return DecodeUtf8(Take(length));
        }

        public string[] Strings(int count)
        {
            int[] offsets = Ints(count + 1);
            var bytes = Take(offsets[^1]);
            var result = new string[count];
            for (int i = 0; i < count; i++)
            {
                if (offsets[i] < 0 || offsets[i + 1] < offsets[i] || offsets[i + 1] > bytes.Length)
                    ThrowHelper.Format(path, 0, "string table offsets are malformed; the index is corrupt");
                result[i] = DecodeUtf8(bytes[offsets[i]..offsets[i + 1]]);
            }
            return result;
        }

        private readonly string DecodeUtf8(ReadOnlySpan<byte> bytes)
        {
            try { return StrictUtf8.GetString(bytes); }
            catch (DecoderFallbackException) { return ThrowHelper.Format<string>(path, 0, "invalid UTF-8 in a string table; the index is corrupt"); }
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
}

/// <summary>
/// A fast 64-bit checksum for corruption detection (not cryptographic): each 8-byte little-endian word is mixed
/// with multiply-rotate steps (xxHash-style primes), the tail bytes likewise, then a final avalanche.
/// </summary>
internal static class Checksum
{
    private const ulong P1 = 0x9E3779B185EBCA87UL;
    private const ulong P2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong P3 = 0x165667B19E3779F9UL;

    public static ulong Compute(ReadOnlySpan<byte> data)
    {
        ulong h = P3 ^ (ulong)data.Length;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong word in words) h = BitOperations.RotateLeft(h ^ (word * P2), 31) * P1;
        for (int i = words.Length * 8; i < data.Length; i++) h = BitOperations.RotateLeft(h ^ (data[i] * P3), 11) * P1;
        h ^= h >> 33;
        h *= P2;
        h ^= h >> 29;
        h *= P3;
        h ^= h >> 32;
        return h;
    }
}
