using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using LmToLlm.Primitives;
using LmToLlm.Text;

namespace LmToLlm.Retrieval;

public sealed partial class InvertedIndex
{
    /// <summary>
    /// The file's frame: magic <c>LMTLLMIX</c> and format version. Version 2 stored postings as compressed blocks under
    /// a checksum of its own; version 3 is the same body under the library's shared checksum (version 1, plain int
    /// arrays, and 2 are refused as older).
    /// </summary>
    internal static readonly BinaryFormat FileFormat = new("LMTLLMIX", 3, "an LmToLlm inverted index", "rebuild it with 'lmtollm index'");

    /// <summary>
    /// Saves the index as one binary file, atomically (temporary file, then move). Layout, little-endian, inside the
    /// shared binary frame (magic <c>LMTLLMIX</c>, int32 format version … checksum): analyzer name (int32 byte count +
    /// UTF-8), int32 min/max n-gram, int32 document/term/posting counts, int32 posting-data byte count, document
    /// lengths, document ids and terms (int32 offsets + UTF-8 bytes), int32 term posting offsets, the posting blocks
    /// (per term, blocks of 128 postings: gap width, tf width, bit-packed <c>doc − previous − 1</c>, bit-packed
    /// <c>tf − 1</c>).
    /// </summary>
    internal void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, Save);
    }

    /// <summary>Writes the index to <paramref name="stream"/> in the layout of <see cref="Save(string)"/> (the stream is left open).</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var hashing = FileFormat.StartWriting(stream);
        using (var w = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
        {
            WriteString(w, AnalyzerName);
            w.Write(Options.MinNGram);
            w.Write(Options.MaxNGram);
            w.Write(DocumentCount);
            w.Write(TermCount);
            w.Write(PostingCount);
            w.Write(_postings.Data.Length);
            WriteInts(w, _documentLengths);
            WriteStrings(w, _documentIds);
            WriteStrings(w, _terms);
            WriteInts(w, _postings.TermStarts);
            w.Write(_postings.Data);
        }
        hashing.WriteChecksum();
    }

    /// <summary>
    /// Loads an index written by <see cref="Save(string)"/>. A file that is not an index, of another format version,
    /// truncated or corrupted raises <see cref="LmToLlmFormatException"/> naming the file and the problem.
    /// An index built with a custom analyzer reopens when that analyzer (same <see cref="Analyzer.Name"/>) is passed as
    /// <paramref name="analyzer"/>; null takes the built-in analyzer the file names.
    /// </summary>
    internal static InvertedIndex Load(string path, Analyzer? analyzer = null) => Load(path, analyzer is null ? null : _ => analyzer);

    /// <summary>
    /// Loads an index written by <see cref="Save(string)"/>, asking <paramref name="analyzers"/> for the analyzer the file
    /// names (a resolver that knows analyzers of optional packages, such as <c>nori</c>); when it returns null the
    /// built-in analyzer of that name is used.
    /// </summary>
    internal static InvertedIndex Load(string path, Func<string, Analyzer?>? analyzers)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(path, File.ReadAllBytes(path), analyzers);
    }

    /// <summary>Reads an index written by <see cref="Save(Stream)"/> from the rest of <paramref name="stream"/>; otherwise as <see cref="Load(string, Analyzer)"/>.</summary>
    public static InvertedIndex Load(Stream stream, Analyzer? analyzer = null) =>
        Read("(stream)", BinaryFormat.ReadAll(stream), analyzer is null ? null : _ => analyzer);

    private static InvertedIndex Read(string path, byte[] data, Func<string, Analyzer?>? analyzers)
    {
        FileFormat.Open(path, data);
        int end = data.Length - BinaryFormat.ChecksumBytes;
        var r = new SpanReader(path, data, end) { Position = BinaryFormat.HeaderBytes };
        string analyzerName = r.String();
        var analyzer = Analyzer.ForSavedFile(path, analyzerName, analyzers?.Invoke(analyzerName), "the index was built", "InvertedIndex.Load");
        int minN = r.Int(), maxN = r.Int();
        int docs = r.Int(), terms = r.Int(), postings = r.Int(), postingBytes = r.Int();
        if (docs < 0 || terms < 0 || postings < 0 || postingBytes < 0 || minN < 1 || maxN < minN)
            ThrowHelper.Format(path, 0, "the index header is inconsistent; rebuild the index");
        // Sizes declared by the header must fit in the file before anything is allocated for them.
        long declared = 4L * docs + 4L * (docs + 1) + 4L * (terms + 1) + 4L * (terms + 1) + postingBytes;
        if (declared > end - r.Position)
            ThrowHelper.Format(path, 0, "the index header declares more data than the file holds; the index is corrupt or truncated");
        int[] lengths = r.Ints(docs);
        var ids = r.Strings(docs, sorted: false);
        var termTable = r.Strings(terms, sorted: true);
        int[] termStart = r.Ints(terms + 1);
        var blocks = r.Bytes(postingBytes);
        if (r.Position != end) ThrowHelper.Format(path, 0, "the index file has trailing bytes; rebuild the index");
        foreach (int length in lengths) if (length < 0) ThrowHelper.Format(path, 0, "negative document length; the index is corrupt");
        if (termStart[^1] != postings) ThrowHelper.Format(path, 0, "posting offsets do not cover the postings; the index is corrupt");
        for (int t = 0; t < terms; t++)
            if (termStart[t + 1] < termStart[t]) ThrowHelper.Format(path, 0, "posting offsets are not ascending; the index is corrupt");
        var maxFreq = new int[terms];
        var store = PostingStore.FromFile(termStart, blocks, docs, maxFreq, out long totalTokens, out string problem);
        if (store is null) ThrowHelper.Format(path, 0, problem + "; the index is corrupt");
        try
        {
            return new InvertedIndex(analyzer, new InvertedIndexOptions { MinNGram = minN, MaxNGram = maxN }, termTable, store, maxFreq, totalTokens, ids, lengths);
        }
        catch (ArgumentException e)
        {
            throw new LmToLlmFormatException(path, 0, $"the index cannot be used: {e.Message}", e);
        }
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static void WriteInts(BinaryWriter w, ReadOnlySpan<int> values)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("index files are little-endian");
        w.Write(MemoryMarshal.AsBytes(values));
    }

    private static void WriteStrings(BinaryWriter w, Utf8StringTable values)
    {
        WriteInts(w, values.Offsets);
        w.Write(values.Bytes);
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

        public ReadOnlySpan<byte> Bytes(int count) => Take(count);

        /// <summary>A string table (offsets + UTF-8), checked: offsets ascending, valid UTF-8, and when
        /// <paramref name="sorted"/> strictly ascending bytes (term lookup relies on it).</summary>
        public Utf8StringTable Strings(int count, bool sorted)
        {
            int[] offsets = Ints(count + 1);
            if (offsets[0] != 0 || offsets[^1] < 0) ThrowHelper.Format(path, 0, "string table offsets are malformed; the index is corrupt");
            var bytes = Take(offsets[^1]);
            for (int i = 0; i < count; i++)
            {
                if (offsets[i + 1] < offsets[i] || offsets[i + 1] > bytes.Length)
                    ThrowHelper.Format(path, 0, "string table offsets are malformed; the index is corrupt");
                if (!System.Text.Unicode.Utf8.IsValid(bytes[offsets[i]..offsets[i + 1]]))
                    ThrowHelper.Format(path, 0, "invalid UTF-8 in a string table; the index is corrupt");
                if (sorted && i > 0 && bytes[offsets[i - 1]..offsets[i]].SequenceCompareTo(bytes[offsets[i]..offsets[i + 1]]) >= 0)
                    ThrowHelper.Format(path, 0, "the terms are not sorted; the index is corrupt");
            }
            return new Utf8StringTable(bytes.ToArray(), offsets);
        }

        public readonly string DecodeUtf8(ReadOnlySpan<byte> bytes)
        {
            try { return StrictUtf8.GetString(bytes); }
            catch (DecoderFallbackException) { return ThrowHelper.Format<string>(path, 0, "invalid UTF-8 in a string table; the index is corrupt"); }
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
}
