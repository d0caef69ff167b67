using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using LmToLlm.Primitives;

namespace LmToLlm.Nori;

/// <summary>
/// The Korean system dictionary (mecab-ko-dic 2.0.3 as Lucene Nori 8.8.1 ships it), converted into LmToLlm's own file:
/// surface forms, entries, connection costs, unknown-word entries per character class and character tables.
/// Immutable and shared; <see cref="Default"/> loads the copy embedded in this package once.
/// </summary>
/// <remarks>
/// File (gzip of): magic <c>LMTLNORI</c>, format version (int32), CRC-32 of the payload (uint32), payload length (int64),
/// then the payload: tagged sections <c>META TAGS CHAR LOWR COST SURF WORD UNKW STRS END.</c>, all little-endian.
/// The converter that writes it lives in the repository's <c>tools/nori-dictionary</c>.
/// </remarks>
public sealed class NoriDictionary
{
    /// <summary>
    /// The header of the (decompressed) file: the library's shared magic and version. The payload keeps the CRC-32 and
    /// length the converter writes (java.util.zip has CRC-32, not the shared XxHash64), so the committed dictionary is
    /// read unchanged.
    /// </summary>
    internal static readonly BinaryFormat FileFormat = new("LMTLNORI", 1, "an LmToLlm Korean dictionary", "convert Lucene's dictionary with tools/nori-dictionary");

    private const string ResourceName = "LmToLlm.Nori.nori-dictionary.bin.gz";
    private static readonly Lazy<NoriDictionary> LazyDefault = new(() =>
    {
        using Stream stream = typeof(NoriDictionary).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new LmToLlmException($"the Korean dictionary resource '{ResourceName}' is missing from {typeof(NoriDictionary).Assembly.GetName().Name}; reinstall the package");
        return Load(stream, "(embedded Korean dictionary)");
    });

    private NoriDictionary() { }

    /// <summary>The dictionary embedded in this package (loaded on first use, about a second; then shared).</summary>
    public static NoriDictionary Default => LazyDefault.Value;

    /// <summary>Where the data comes from (reference library, dictionary and Java versions).</summary>
    public string Source { get; private set; } = "";

    /// <summary>Number of distinct surface forms.</summary>
    public int SurfaceFormCount { get; private set; }

    /// <summary>Number of entries (a surface form may have several).</summary>
    public int EntryCount => Known.Count;

    internal NoriTrie Trie { get; private set; } = null!;
    internal NoriWordTable Known { get; private set; } = null!;
    internal NoriWordTable Unknown { get; private set; } = null!;

    /// <summary>Unknown-word entries of character class c are <c>[UnknownClassStart[c], UnknownClassStart[c+1])</c>.</summary>
    internal int[] UnknownClassStart { get; private set; } = null!;

    /// <summary>The unknown entry the reference uses for unknown-word unigrams (its unknown word id 0).</summary>
    internal int UnknownUnigramEntry { get; private set; }
    internal NoriCharacterTable Characters { get; private set; } = null!;
    internal short[] Costs { get; private set; } = null!;
    internal int ForwardSize { get; private set; }
    internal char[] StringChars { get; private set; } = null!;
    internal int[] StringOffsets { get; private set; } = null!;

    /// <summary>Connection cost from an entry with right id <paramref name="rightId"/> to one with left id <paramref name="leftId"/>.</summary>
    internal int Cost(int rightId, int leftId) => Costs[leftId * ForwardSize + rightId];

    internal ReadOnlySpan<char> String(int id) => StringChars.AsSpan(StringOffsets[id], StringOffsets[id + 1] - StringOffsets[id]);

    /// <summary>
    /// Loads a converted dictionary file (<c>.bin.gz</c>). Throws <see cref="LmToLlmFormatException"/> naming the file when
    /// it is not such a file, was written by a newer converter, or fails its checksum.
    /// </summary>
    public static NoriDictionary Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads a converted dictionary (gzip-compressed, as <see cref="Load(string)"/>) from the rest of <paramref name="stream"/>.</summary>
    public static NoriDictionary Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Load(stream, "(stream)");
    }

    private static NoriDictionary Load(Stream compressed, string name)
    {
        byte[] data;
        try
        {
            using var gz = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            using var memory = new MemoryStream();
            gz.CopyTo(memory);
            data = memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new LmToLlmFormatException(name, 0, $"not a gzip-compressed Korean dictionary ({e.Message})", e);
        }
        FileFormat.ReadHeader(name, data, data.Length);
        if (data.Length < 24) throw new LmToLlmFormatException(name, 0, $"truncated Korean dictionary: {data.Length} bytes, shorter than its header");
        uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(12));
        long length = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(16));
        if (length != data.Length - 24)
            throw new LmToLlmFormatException(name, 0, $"truncated Korean dictionary: {data.Length - 24} payload bytes, header says {length}");
        if (Crc32.HashToUInt32(data.AsSpan(24)) != checksum)
            throw new LmToLlmFormatException(name, 0, "Korean dictionary checksum mismatch; the file is damaged");
        try
        {
            return Parse(new Reader(data, 24));
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidDataException)
        {
            throw new LmToLlmFormatException(name, 0, $"malformed Korean dictionary ({e.Message})", e);
        }
    }

    private static NoriDictionary Parse(Reader r)
    {
        var d = new NoriDictionary();
        r.Section("META");
        d.Source = r.Utf8();

        r.Section("TAGS");
        int tagCount = r.Int32();
        var tags = Enum.GetNames<NoriTag>();
        if (tagCount != tags.Length) throw new InvalidDataException($"{tagCount} part-of-speech tags, expected {tags.Length}");
        for (int i = 0; i < tagCount; i++)
        {
            string tag = r.Utf8();
            if (tag != tags[i]) throw new InvalidDataException($"tag {i} is {tag}, expected {tags[i]}");
        }
        int typeCount = r.Int32();
        for (int i = 0; i < typeCount; i++) r.Utf8();
        if (typeCount != 4) throw new InvalidDataException($"{typeCount} word types, expected 4");

        r.Section("CHAR");
        int classCount = r.Int32();
        byte[] flags = r.Bytes(classCount);
        byte[] classes = r.Bytes(65536);
        byte[] categories = r.Bytes(65536);
        byte common = (byte)r.Int32(), inherited = (byte)r.Int32();
        byte[] scripts = r.Bytes(65536);

        r.Section("LOWR");
        int lowerCount = r.Int32();
        var lowerBmp = new char[65536];
        for (int c = 0; c < lowerBmp.Length; c++) lowerBmp[c] = (char)c;
        var lowerSupplementary = new Dictionary<int, int>();
        for (int i = 0; i < lowerCount; i++)
        {
            int from = r.Int32(), to = r.Int32();
            if (from < 0x10000) lowerBmp[from] = to < 0x10000 ? (char)to : throw new InvalidDataException("lower case leaves the BMP");
            else lowerSupplementary[from] = to;
        }
        d.Characters = new NoriCharacterTable
        {
            Class = classes,
            ClassInvokes = [.. flags.Select(f => (f & 1) != 0)],
            ClassGroups = [.. flags.Select(f => (f & 2) != 0)],
            Category = categories,
            Script = scripts,
            CommonScript = common,
            InheritedScript = inherited,
            LowerBmp = lowerBmp,
            LowerSupplementary = lowerSupplementary,
        };

        r.Section("COST");
        d.ForwardSize = r.Int32();
        int backwardSize = r.Int32();
        d.Costs = r.Array<short>(checked(d.ForwardSize * backwardSize));

        r.Section("SURF");
        int forms = r.Int32();
        int[] offsets = r.Array<int>(forms + 1);
        char[] chars = r.Array<char>(offsets[forms]);
        int[] entryStarts = r.Array<int>(forms + 1);
        d.SurfaceFormCount = forms;

        r.Section("WORD");
        d.Known = ReadWords(r);

        r.Section("UNKW");
        d.UnknownClassStart = r.Array<int>(r.Int32());
        d.Unknown = ReadWords(r);
        d.UnknownUnigramEntry = d.Unknown.Count - 1;

        r.Section("STRS");
        int strings = r.Int32();
        d.StringOffsets = r.Array<int>(strings + 1);
        d.StringChars = r.Array<char>(d.StringOffsets[strings]);
        r.Section("END.");

        Validate(d, offsets, chars, entryStarts, classCount);
        _ = d.Known.Lattice; // packed here, while one thread owns the dictionary
        _ = d.Unknown.Lattice;
        d.Trie = NoriTrie.Build(chars, offsets, entryStarts);
        return d;
    }

    private static NoriWordTable ReadWords(Reader r)
    {
        int n = r.Int32();
        short[] leftId = r.Array<short>(n), rightId = r.Array<short>(n), cost = r.Array<short>(n);
        NoriWordType[] type = r.Array<NoriWordType>(n);
        NoriTag[] leftTag = r.Array<NoriTag>(n), rightTag = r.Array<NoriTag>(n);
        int[] reading = r.Array<int>(n), morphemeStart = r.Array<int>(n);
        byte[] morphemeCount = r.Array<byte>(n);
        int morphemes = r.Int32();
        NoriTag[] morphemeTag = r.Array<NoriTag>(morphemes);
        int[] morphemeText = r.Array<int>(morphemes);
        return new NoriWordTable
        {
            LeftId = leftId, RightId = rightId, Cost = cost, Type = type, LeftTag = leftTag, RightTag = rightTag,
            Reading = reading, MorphemeStart = morphemeStart, MorphemeCount = morphemeCount,
            MorphemeTag = morphemeTag, MorphemeText = morphemeText,
        };
    }

    /// <summary>Checks every id the tokenizer will follow, so that a damaged file fails here and not mid-analysis.</summary>
    private static void Validate(NoriDictionary d, int[] offsets, char[] chars, int[] entryStarts, int classCount)
    {
        int tagLimit = Enum.GetValues<NoriTag>().Length;
        int backwardSize = d.Costs.Length / Math.Max(1, d.ForwardSize);
        int strings = d.StringOffsets.Length - 1;
        void CheckTable(NoriWordTable t, string what)
        {
            for (int i = 0; i < t.Count; i++)
            {
                if ((uint)t.LeftId[i] >= (uint)backwardSize || (uint)t.RightId[i] >= (uint)d.ForwardSize)
                    throw new InvalidDataException($"{what} entry {i} has connection ids outside the cost matrix");
                if ((byte)t.Type[i] > 3 || (byte)t.LeftTag[i] >= tagLimit || (byte)t.RightTag[i] >= tagLimit)
                    throw new InvalidDataException($"{what} entry {i} has an unknown type or tag");
                if (t.Reading[i] < -1 || t.Reading[i] >= strings) throw new InvalidDataException($"{what} entry {i} has a bad reading");
                if (t.MorphemeStart[i] != -1 && (t.MorphemeStart[i] < 0 || t.MorphemeStart[i] + t.MorphemeCount[i] > t.MorphemeTag.Length))
                    throw new InvalidDataException($"{what} entry {i} has bad morphemes");
            }
            foreach (var tag in t.MorphemeTag) if ((byte)tag >= tagLimit) throw new InvalidDataException($"{what} morpheme with an unknown tag");
            foreach (int s in t.MorphemeText) if ((uint)s >= (uint)strings) throw new InvalidDataException($"{what} morpheme with a bad string id");
        }
        CheckTable(d.Known, "word");
        CheckTable(d.Unknown, "unknown-word");
        if (d.UnknownClassStart.Length != classCount + 1 || d.UnknownClassStart[^1] != d.Unknown.Count - 1)
            throw new InvalidDataException("unknown-word classes do not cover the unknown entries");
        foreach (byte c in d.Characters.Class) if (c >= classCount) throw new InvalidDataException("character class out of range");
        for (int i = 0; i + 1 < offsets.Length; i++)
        {
            if (offsets[i + 1] <= offsets[i] || entryStarts[i + 1] <= entryStarts[i]) throw new InvalidDataException($"surface form {i} is empty or has no entries");
            if (i > 0 && chars.AsSpan(offsets[i - 1], offsets[i] - offsets[i - 1]).SequenceCompareTo(chars.AsSpan(offsets[i], offsets[i + 1] - offsets[i])) >= 0)
                throw new InvalidDataException($"surface forms not sorted at {i}");
        }
        if (entryStarts[0] != 0 || entryStarts[^1] != d.Known.Count) throw new InvalidDataException("surface forms do not cover the entries");
        for (int i = 0; i + 1 < d.StringOffsets.Length; i++)
            if (d.StringOffsets[i + 1] < d.StringOffsets[i]) throw new InvalidDataException("string offsets decrease");
    }

    /// <summary>Little-endian cursor over the payload.</summary>
    private sealed class Reader(byte[] data, int position)
    {
        private int _position = position;

        public void Section(string tag)
        {
            if (Encoding.ASCII.GetString(Bytes(4)) != tag) throw new InvalidDataException($"section {tag} missing");
        }

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public string Utf8() => Encoding.UTF8.GetString(Take(Int32()));

        public byte[] Bytes(int n) => Take(n).ToArray();

        public T[] Array<T>(int n) where T : unmanaged
        {
            if (n < 0) throw new InvalidDataException("negative length");
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the Korean dictionary reader needs a little-endian machine");
            var bytes = Take(checked(n * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
            var result = new T[n];
            bytes.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
            return result;
        }

        private ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || _position + n > data.Length) throw new InvalidDataException("unexpected end of data");
            var span = data.AsSpan(_position, n);
            _position += n;
            return span;
        }
    }
}
