using System.Runtime.CompilerServices;

namespace LmToLlm.SuffixArrays;

/// <summary>
/// One shard of a suffix-array index, read in place (memory-mapped file or pinned arrays). Input: its token stream
/// (documents each preceded by the separator, one more separator at the end; bytes as they are in byte mode), its
/// suffix array and document starts. Output: suffix-array ranges of queries, occurrences, continuations.
/// </summary>
/// <remarks>
/// Every pointer read is checked against the stream length, so a corrupted index raises an error naming the file
/// instead of reading outside the mapping.
/// </remarks>
internal sealed unsafe class SuffixArrayShard
{
    private readonly byte* _tokens;
    private readonly byte* _suffixes;
    private readonly byte* _documentStarts;
    private readonly int _idWidth;
    private readonly int _pointerWidth;
    private readonly string _path;

    internal SuffixArrayShard(string path, byte* tokens, byte* suffixes, byte* documentStarts, long length, long documents, long firstDocument, int idWidth, int pointerWidth)
    {
        _path = path;
        _tokens = tokens;
        _suffixes = suffixes;
        _documentStarts = documentStarts;
        Length = length;
        DocumentCount = documents;
        FirstDocument = firstDocument;
        _idWidth = idWidth;
        _pointerWidth = pointerWidth;
    }

    /// <summary>Symbols in the stream (tokens and separators).</summary>
    internal long Length { get; }

    internal long DocumentCount { get; }

    /// <summary>The index-wide number of this shard's first document.</summary>
    internal long FirstDocument { get; }

    /// <summary>The symbol at <paramref name="position"/>.</summary>
    internal uint Token(long position) => _idWidth switch
    {
        1 => _tokens[position],
        2 => ((ushort*)_tokens)[position],
        3 => _tokens[position * 3] | ((uint)_tokens[position * 3 + 1] << 8) | ((uint)_tokens[position * 3 + 2] << 16),
        _ => ((uint*)_tokens)[position],
    };

    /// <summary>
    /// The value of <paramref name="width"/> bytes at <paramref name="index"/> of a packed table: one unaligned load of 4
    /// (3-byte values) or 8 bytes (5-byte values) and a mask. The load may read up to 3 bytes past the table's last
    /// value; the file always holds them (sections are padded, and the 8-byte checksum ends the file).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Packed(byte* table, long index, int width) => width switch
    {
        3 => Unsafe.ReadUnaligned<uint>(table + index * 3) & 0xFFFFFF,
        4 => ((uint*)table)[index],
        _ => (long)(Unsafe.ReadUnaligned<ulong>(table + index * 5) & 0xFF_FFFF_FFFF),
    };

    /// <summary>The start of the suffix of rank <paramref name="rank"/>.</summary>
    internal long Suffix(long rank)
    {
        long p = Packed(_suffixes, rank, _pointerWidth);
        if (p >= Length) ThrowHelper.Format(_path, 0, $"suffix pointer {p} is past the end of the token stream ({Length}); the index is corrupt, rebuild it with 'lmtollm sa build'");
        return p;
    }

    /// <summary>The stream position where document <paramref name="local"/> (0-based within the shard) starts; the count gives the end.</summary>
    internal long DocumentStart(long local)
    {
        long start = Packed(_documentStarts, local, _pointerWidth);
        if (start < 0 || start > Length) ThrowHelper.Format(_path, 0, "a document offset lies outside the token stream; the index is corrupt, rebuild it with 'lmtollm sa build'");
        return start;
    }

    /// <summary>The document (0-based within the shard) holding <paramref name="position"/>.</summary>
    internal long DocumentOf(long position)
    {
        long lo = 0, hi = DocumentCount - 1;
        while (lo < hi)
        {
            long mid = (lo + hi + 1) >>> 1;
            if (DocumentStart(mid) <= position) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>
    /// Compares the suffix at <paramref name="position"/>, from its <paramref name="from"/>-th symbol, with
    /// <paramref name="query"/>[<paramref name="from"/>..]: negative, zero (query is a prefix) or positive.
    /// </summary>
    private int Compare(long position, ReadOnlySpan<uint> query, int from)
    {
        long end = Length - position;
        for (int d = from; d < query.Length; d++)
        {
            if (d >= end) return -1; // the suffix ends first: it sorts before
            uint t = Token(position + d);
            if (t != query[d]) return t < query[d] ? -1 : 1;
        }
        return 0;
    }

    /// <summary>The ranks [Start, End) of the suffixes that begin with <paramref name="query"/>, searched within [lo, hi).</summary>
    internal (long Start, long End) Range(ReadOnlySpan<uint> query, long lo = 0, long hi = -1, int known = 0)
    {
        if (hi < 0) hi = Length;
        if (query.Length == known) return (lo, hi);
        // First rank whose suffix is ≥ query.
        long a = lo, b = hi;
        while (a < b)
        {
            long mid = (a + b) >>> 1;
            if (Compare(Suffix(mid), query, known) < 0) a = mid + 1;
            else b = mid;
        }
        long start = a;
        // First rank whose suffix is > query (does not start with it).
        b = hi;
        while (a < b)
        {
            long mid = (a + b) >>> 1;
            if (Compare(Suffix(mid), query, known) <= 0) a = mid + 1;
            else b = mid;
        }
        return (start, a);
    }

    /// <summary>
    /// Within the range of a query of length <paramref name="length"/>: the ranks whose next symbol is the one at
    /// rank <paramref name="rank"/>, returned as the end of that run (binary search on the symbol after the query).
    /// </summary>
    internal long EndOfContinuation(long rank, long end, int length, out long symbol)
    {
        long p = Suffix(rank);
        symbol = p + length < Length ? Token(p + length) : -1;
        long a = rank + 1, b = end;
        while (a < b)
        {
            long mid = (a + b) >>> 1;
            long q = Suffix(mid);
            long s = q + length < Length ? Token(q + length) : -1;
            if (s <= symbol) a = mid + 1;
            else b = mid;
        }
        return a;
    }

    /// <summary>True when the stream ends with <paramref name="query"/> (that occurrence has no continuation).</summary>
    internal bool EndsWith(ReadOnlySpan<uint> query)
    {
        if (query.Length > Length) return false;
        for (int d = 0; d < query.Length; d++)
            if (Token(Length - query.Length + d) != query[d]) return false;
        return true;
    }
}
