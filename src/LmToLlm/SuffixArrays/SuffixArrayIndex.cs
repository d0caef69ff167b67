using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text;
using LmToLlm.Primitives;
using LmToLlm.Text;

namespace LmToLlm.SuffixArrays;

/// <summary>One occurrence of a query.</summary>
/// <param name="Document">The document (0-based line of the indexed text).</param>
/// <param name="Offset">Where in the document it starts: tokens in token mode, bytes in byte mode.</param>
/// <param name="Snippet">The occurrence in brackets with a few tokens (bytes) of context on each side.</param>
public sealed record SuffixArrayOccurrence(long Document, long Offset, string Snippet);

/// <summary>
/// A suffix-array index opened in place (memory-mapped): opening reads the header and the vocabulary only, so it takes
/// milliseconds and managed memory proportional to the vocabulary, whatever the corpus size. Answers counts of token
/// sequences of any length and their occurrences; the ∞-gram model, exact-substring deduplication and
/// contamination checks build on it. Thread-safe for queries.
/// </summary>
public sealed unsafe class SuffixArrayIndex : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _length;
    private readonly SuffixArrayShard[] _shards;
    private readonly string[] _vocabulary;
    private readonly Dictionary<string, uint> _ids;
    private readonly SuffixArrayTokenizer? _tokenizer;
    private readonly string? _tokenizerMissing;
    private bool _disposed;

    private SuffixArrayIndex(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, byte* basePointer, long length, Func<string, Analyzer?>? analyzers)
    {
        Path = path;
        _file = file;
        _view = view;
        _base = basePointer;
        _length = length;
        var head = new ReadOnlySpan<byte>(basePointer, (int)Math.Min(length, SuffixArrayFile.HeaderBytes));
        SuffixArrayFile.Format.ReadHeader(path, head, length);
        if (length < SuffixArrayFile.HeaderBytes + BinaryFormat.ChecksumBytes) Corrupt("the file is truncated (shorter than its header)");
        int mode = Int32(12), idWidth = Int32(16), pointerWidth = Int32(20), shardCount = Int32(24), vocabularyCount = Int32(28);
        long documents = Int64(32), streamLength = Int64(40);
        int nameBytes = Int32(48);
        long vocabularyBytes = Int64(56);
        if (mode is not (0 or 1) || idWidth is not (1 or 2 or 3 or 4) || (mode == 1) != (idWidth == 1) || pointerWidth is not (3 or 4 or 5)
            || shardCount < 0 || vocabularyCount < 0 || documents < 0 || streamLength < 0 || nameBytes is < 0 or > 4096 || vocabularyBytes is < 0 or > int.MaxValue
            || (idWidth > 1 && vocabularyCount + 1L > SuffixArrayFile.MaxAlphabet(idWidth)) || (mode == 1 && vocabularyCount != 0))
            Corrupt("the header is inconsistent");
        Mode = (SuffixArrayMode)mode;
        IdWidth = idWidth;
        PointerWidth = pointerWidth;
        long position = SuffixArrayFile.HeaderBytes;
        TokenizerName = Encoding.UTF8.GetString(Section(ref position, nameBytes));
        var offsets = Section(ref position, 4L * (vocabularyCount + 1L));
        var spellings = Section(ref position, vocabularyBytes);
        _vocabulary = new string[vocabularyCount];
        _ids = new Dictionary<string, uint>(vocabularyCount, StringComparer.Ordinal);
        for (int i = 0; i < vocabularyCount; i++)
        {
            int from = BinaryPrimitives.ReadInt32LittleEndian(offsets[(4 * i)..]), to = BinaryPrimitives.ReadInt32LittleEndian(offsets[(4 * i + 4)..]);
            if (from < 0 || to < from || to > spellings.Length) Corrupt("the vocabulary offsets are inconsistent");
            string word = Encoding.UTF8.GetString(spellings[from..to]);
            _vocabulary[i] = word;
            if (!_ids.TryAdd(word, (uint)i + 1)) Corrupt($"the vocabulary holds '{word}' twice");
        }
        var table = Section(ref position, (long)SuffixArrayFile.ShardEntryBytes * shardCount);
        _shards = new SuffixArrayShard[shardCount];
        long totalLength = 0, totalDocuments = 0;
        for (int s = 0; s < shardCount; s++)
        {
            var entry = table.Slice(s * SuffixArrayFile.ShardEntryBytes);
            long shardLength = BinaryPrimitives.ReadInt64LittleEndian(entry), shardDocuments = BinaryPrimitives.ReadInt64LittleEndian(entry[8..]), first = BinaryPrimitives.ReadInt64LittleEndian(entry[16..]);
            int width = BinaryPrimitives.ReadInt32LittleEndian(entry[24..]);
            if (shardLength < 1 || shardLength > length || shardDocuments < 1 || shardDocuments > shardLength + 1 || first != totalDocuments
                || width < SuffixArrayFile.PointerWidthFor(shardLength) || width > pointerWidth || BinaryPrimitives.ReadInt32LittleEndian(entry[28..]) != 0)
                Corrupt($"shard {s + 1} of the shard table is inconsistent");
            long tokens = Reserve(ref position, shardLength * idWidth);
            long suffixes = Reserve(ref position, shardLength * width);
            long starts = Reserve(ref position, width * (shardDocuments + 1));
            _shards[s] = new SuffixArrayShard(path, basePointer + tokens, basePointer + suffixes, basePointer + starts, shardLength, shardDocuments, first, idWidth, width);
            totalLength += shardLength;
            totalDocuments += shardDocuments;
        }
        if (position + 8 != length) Corrupt(position + 8 > length ? "the file is truncated" : "the file has bytes after its checksum");
        if (totalLength != streamLength || totalDocuments != documents) Corrupt("the shard table does not add up to the header's totals");
        DocumentCount = documents;
        StreamLength = streamLength;
        if (Mode == SuffixArrayMode.Tokens)
        {
            // An analyzer of an optional package (nori, spm:MODEL) is known only to a resolver: without it the index still
            // opens (check, counts of ids), and only splitting text fails, saying which analyzer to pass.
            try
            {
                _tokenizer = SuffixArrayTokenizer.FromName(TokenizerName, analyzers);
                if (_tokenizer.Name != TokenizerName)
                    ThrowHelper.Format(path, 0, $"the index was built with the analyzer '{TokenizerName}', not '{_tokenizer.Name}'; pass the analyzer it was built with");
            }
            catch (ArgumentException)
            {
                _tokenizerMissing = $"the index was built with the analyzer '{TokenizerName}', which is not built in; open it with a resolver that knows that analyzer";
            }
        }
    }

    /// <summary>The index file.</summary>
    internal string Path { get; }

    /// <summary>Token ids or bytes.</summary>
    public SuffixArrayMode Mode { get; }

    /// <summary>How lines were split into tokens (<c>whitespace</c>, an analyzer name, or <c>bytes</c>).</summary>
    internal string TokenizerName { get; }

    /// <summary>Bytes per token id in the file (1 in byte mode; 2 while the vocabulary has fewer than 65,536 tokens, 3 below 16,777,216, else 4).</summary>
    internal int IdWidth { get; }

    /// <summary>Bytes per suffix pointer and document start of the widest shard (3 below 2^24 symbols, 4 below 2^32, else 5).</summary>
    internal int PointerWidth { get; }

    /// <summary>Documents (lines) indexed.</summary>
    public long DocumentCount { get; }

    /// <summary>Symbols in all token streams, separators included.</summary>
    internal long StreamLength { get; }

    /// <summary>Shards; queries add their answers.</summary>
    internal int ShardCount => _shards.Length;

    /// <summary>Distinct tokens (0 in byte mode).</summary>
    internal int VocabularySize => _vocabulary.Length;

    internal IReadOnlyList<SuffixArrayShard> Shards => _shards;

    /// <summary>
    /// Opens <paramref name="path"/> memory-mapped. The header, vocabulary and section sizes are checked against the
    /// file; <paramref name="verify"/> also checks the checksum and every pointer (reads the whole file). A file that
    /// is not an index, truncated or corrupted raises <see cref="LmToLlmFormatException"/> naming it.
    /// </summary>
    public static SuffixArrayIndex Open(string path, bool verify = false) => Open(path, verify, null);

    /// <summary>
    /// As <see cref="Open(string, bool)"/>, asking <paramref name="analyzers"/> for the analyzer the file names (a
    /// resolver that knows analyzers of optional packages, such as <c>nori</c>; null for names it does not know) before
    /// the built-in ones, as <c>InvertedIndex.Load(path, resolver)</c> does.
    /// </summary>
    internal static SuffixArrayIndex Open(string path, bool verify, Func<string, Analyzer?>? analyzers)
    {
        ArgumentNullException.ThrowIfNull(path);
        long length = new FileInfo(path).Length;
        if (length < 8) ThrowHelper.Format(path, 0, length == 0 ? "the file is empty; it is not a suffix-array index" : "not a suffix-array index (too short)");
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        bool acquired = false;
        try
        {
            view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            acquired = true;
            var index = new SuffixArrayIndex(path, file, view, pointer + view.PointerOffset, length, analyzers);
            if (verify) index.Verify();
            return index;
        }
        catch
        {
            if (acquired) view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the whole file: checks its checksum, that every suffix pointer lies in its stream and that document
    /// starts ascend. Throws <see cref="LmToLlmFormatException"/> naming the file when anything is wrong.
    /// </summary>
    internal void Verify()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var checksum = new Checksum();
        long end = _length - BinaryFormat.ChecksumBytes;
        for (long at = 0; at < end; at += 1 << 30)
            checksum.Append(new ReadOnlySpan<byte>(_base + at, (int)Math.Min(1 << 30, end - at)));
        SuffixArrayFile.Format.MatchChecksum(Path, checksum.Value, new ReadOnlySpan<byte>(_base + end, BinaryFormat.ChecksumBytes));
        foreach (var shard in _shards)
        {
            long previous = -1;
            for (long d = 0; d <= shard.DocumentCount; d++)
            {
                long start = shard.DocumentStart(d);
                if (start <= previous && d < shard.DocumentCount) Corrupt("document starts do not ascend");
                previous = start;
            }
            if (shard.DocumentStart(shard.DocumentCount) != shard.Length) Corrupt("the last document start is not the stream's end");
            for (long r = 0; r < shard.Length; r++) shard.Suffix(r);
        }
    }

    /// <summary>The tokens of <paramref name="text"/> as this index splits it (one per byte in byte mode).</summary>
    internal IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_tokenizerMissing is not null) ThrowHelper.Format(Path, 0, _tokenizerMissing);
        return _tokenizer is null ? [.. Encoding.UTF8.GetBytes(text).Select(b => ((char)b).ToString())] : _tokenizer.Tokenize(text);
    }

    /// <summary>The stream ids of <paramref name="text"/>; false when a token is not in the vocabulary (or, in byte mode, the text holds a newline).</summary>
    internal bool TryEncode(string text, out uint[] ids)
    {
        if (_tokenizerMissing is not null) ThrowHelper.Format(Path, 0, _tokenizerMissing);
        if (_tokenizer is null)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            ids = [.. bytes.Select(b => (uint)b)];
            return !bytes.Contains((byte)'\n');
        }
        return TryEncode(_tokenizer.Tokenize(text), out ids);
    }

    /// <summary>The stream ids of <paramref name="tokens"/> (token mode); a token outside the vocabulary gets an id that never matches.</summary>
    internal bool TryEncode(IReadOnlyList<string> tokens, out uint[] ids)
    {
        ids = new uint[tokens.Count];
        bool all = true;
        for (int i = 0; i < ids.Length; i++)
        {
            if (Mode == SuffixArrayMode.Bytes) ids[i] = tokens[i].Length == 1 && tokens[i][0] < 256 ? tokens[i][0] : uint.MaxValue;
            else if (_ids.TryGetValue(tokens[i], out uint id)) ids[i] = id;
            else ids[i] = uint.MaxValue;
            all &= ids[i] != uint.MaxValue;
        }
        return all;
    }

    /// <summary>The spelling of a stream id (separator: <c>&lt;/s&gt;</c>; bytes as Latin-1 characters).</summary>
    internal string Spell(uint id) => Mode == SuffixArrayMode.Bytes ? ((char)id).ToString() : id == 0 ? "</s>" : id <= _vocabulary.Length ? _vocabulary[id - 1] : "<corrupt>";

    /// <summary>The separator symbol (0 in token mode, the newline in byte mode).</summary>
    internal uint Separator => Mode == SuffixArrayMode.Bytes ? '\n' : 0u;

    /// <summary>How often <paramref name="text"/> (split as the index splits lines) occurs; 0 when a token is unknown. The empty text occurs once per token.</summary>
    public long Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryEncode(text, out uint[] ids) ? Count(ids) : 0;
    }

    /// <summary>How often the token sequence <paramref name="tokens"/> occurs; 0 when a token is unknown.</summary>
    public long Count(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return TryEncode(tokens, out uint[] ids) ? Count(ids) : 0;
    }

    /// <summary>Occurrences of the stream ids, added over shards.</summary>
    internal long Count(ReadOnlySpan<uint> ids)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ids.IsEmpty) return StreamLength;
        long count = 0;
        foreach (var shard in _shards)
        {
            var (start, end) = shard.Range(ids);
            count += end - start;
        }
        return count;
    }

    /// <summary>
    /// Occurrences of <paramref name="text"/> in suffix-array order (shard by shard), <paramref name="skip"/> first
    /// then at most <paramref name="take"/>, each with a snippet of <paramref name="context"/> tokens each side.
    /// </summary>
    public IReadOnlyList<SuffixArrayOccurrence> Find(string text, long skip = 0, int take = 10, int context = 8)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var found = new List<SuffixArrayOccurrence>();
        if (!TryEncode(text, out uint[] ids) || ids.Length == 0) return found;
        foreach (var shard in _shards)
        {
            var (start, end) = shard.Range(ids);
            if (skip >= end - start)
            {
                skip -= end - start;
                continue;
            }
            for (long r = start + skip; r < end && found.Count < take; r++)
            {
                long position = shard.Suffix(r);
                long local = shard.DocumentOf(position);
                long docStart = shard.DocumentStart(local);
                long docEnd = shard.DocumentStart(local + 1);
                if (Mode == SuffixArrayMode.Tokens || (docEnd > docStart && shard.Token(docEnd - 1) == '\n')) docEnd--; // drop the separator
                found.Add(new SuffixArrayOccurrence(shard.FirstDocument + local, position - docStart, Snippet(shard, position, ids.Length, docStart, docEnd, context)));
            }
            skip = 0;
            if (found.Count >= take) break;
        }
        return found;
    }

    private string Snippet(SuffixArrayShard shard, long position, int length, long docStart, long docEnd, int context)
    {
        long from = Math.Max(docStart, position - context), to = Math.Min(docEnd, position + length + context);
        if (Mode == SuffixArrayMode.Bytes)
        {
            var bytes = new byte[to - from];
            for (long i = from; i < to; i++) bytes[i - from] = (byte)shard.Token(i);
            int left = (int)(position - from), match = (int)Math.Min(length, to - position);
            return (from > docStart ? "…" : "") + Encoding.UTF8.GetString(bytes, 0, left) + "[" + Encoding.UTF8.GetString(bytes, left, match) + "]"
                + Encoding.UTF8.GetString(bytes, left + match, bytes.Length - left - match) + (to < docEnd ? "…" : "");
        }
        var words = new List<string>();
        if (from > docStart) words.Add("…");
        for (long i = from; i < to; i++)
        {
            string word = Spell(shard.Token(i));
            if (i == position) word = "[" + word;
            if (i == position + length - 1) word += "]";
            words.Add(word);
        }
        if (to < docEnd) words.Add("…");
        return string.Join(' ', words);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private int Int32(long at) => BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(_base + at, 4));

    private long Int64(long at) => BinaryPrimitives.ReadInt64LittleEndian(new ReadOnlySpan<byte>(_base + at, 8));

    /// <summary>The next section of <paramref name="bytes"/> bytes (position then padded), checked against the file.</summary>
    private ReadOnlySpan<byte> Section(ref long position, long bytes)
    {
        long at = Reserve(ref position, bytes);
        return new ReadOnlySpan<byte>(_base + at, (int)bytes);
    }

    private long Reserve(ref long position, long bytes)
    {
        if (bytes < 0 || bytes > _length - 8 - position) Corrupt("a section runs past the end of the file (truncated or corrupt)");
        long at = position;
        position = SuffixArrayFile.Pad(position + bytes);
        return at;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Corrupt(string problem) => ThrowHelper.Format(Path, 0, problem + "; rebuild the index with 'lmtollm sa build'");
}
