using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LmToLlm.Retrieval;

/// <summary>
/// The block codec of the postings: a list of up to <see cref="Size"/> postings is stored as two header bytes
/// (bit width of the document gaps, bit width of the frequencies), then the gaps <c>doc − previous − 1</c> (the
/// first relative to the last document of the block before, or to −1), then <c>tf − 1</c>, each bit-packed
/// little-endian at its width (Lucene's <c>ForUtil</c> idea without its fixed-size packed formats).
/// </summary>
/// <remarks>
/// Input: ascending document ids and their frequencies (≥ 1). Output: bytes; decoding reads 8 bytes at a time,
/// so a buffer holding blocks must have <see cref="Padding"/> readable bytes after its last block.
/// </remarks>
internal static class PostingBlocks
{
    /// <summary>Postings per block (the last block of a term holds the rest).</summary>
    internal const int Size = 128;

    /// <summary>Bytes a decoder may read past the end of a block.</summary>
    internal const int Padding = 8;

    // Vector decoding unless LMTOLLM_SCALAR_POSTINGS=1 (benchmarks compare the two; static readonly folds to a constant).
    private static readonly bool Vectorised = Environment.GetEnvironmentVariable("LMTOLLM_SCALAR_POSTINGS") != "1";

    /// <summary>Largest width: gaps and tf − 1 are below 2^31.</summary>
    internal const int MaxWidth = 31;

    /// <summary>Upper bound of the encoded size of a block of <paramref name="count"/> postings.</summary>
    internal static int MaxEncodedLength(int count) => 2 + 2 * ((count * MaxWidth + 7) / 8);

    /// <summary>Encodes one block into <paramref name="destination"/> (at least <see cref="MaxEncodedLength"/> + <see cref="Padding"/> bytes); returns the bytes written.
    /// Cost is linear in the block: only the bytes the block may touch are cleared.</summary>
    internal static int Encode(ReadOnlySpan<int> documents, ReadOnlySpan<int> frequencies, int previousDocument, Span<byte> destination)
    {
        int n = documents.Length;
        uint gapBits = 0, freqBits = 0;
        int previous = previousDocument;
        for (int i = 0; i < n; i++)
        {
            gapBits |= (uint)(documents[i] - previous - 1);
            freqBits |= (uint)(frequencies[i] - 1);
            previous = documents[i];
        }
        int gapWidth = 32 - BitOperations.LeadingZeroCount(gapBits);
        int freqWidth = 32 - BitOperations.LeadingZeroCount(freqBits);
        destination[0] = (byte)gapWidth;
        destination[1] = (byte)freqWidth;
        int length = 2;
        // Clear only what this block may touch (the bit writes OR into 8-byte words).
        destination[2..(MaxEncodedLength(n) + Padding)].Clear();
        previous = previousDocument;
        int bit = 0;
        for (int i = 0; i < n; i++)
        {
            Put(destination[length..], bit, (uint)(documents[i] - previous - 1));
            previous = documents[i];
            bit += gapWidth;
        }
        length += (bit + 7) >> 3;
        bit = 0;
        for (int i = 0; i < n; i++)
        {
            Put(destination[length..], bit, (uint)(frequencies[i] - 1));
            bit += freqWidth;
        }
        return length + ((bit + 7) >> 3);
    }

    private static void Put(Span<byte> bytes, int bit, uint value)
    {
        var word = bytes[(bit >> 3)..];
        ulong current = MemoryMarshal.Read<ulong>(word);
        MemoryMarshal.Write(word, current | ((ulong)value << (bit & 7)));
    }

    /// <summary>The encoded length of a block of <paramref name="count"/> postings whose header starts <paramref name="block"/>.</summary>
    internal static int EncodedLength(ReadOnlySpan<byte> block, int count) =>
        2 + ((count * block[0] + 7) >> 3) + ((count * block[1] + 7) >> 3);

    /// <summary>Decodes the document ids of a block (gaps, then a prefix sum from <paramref name="previousDocument"/>).</summary>
    internal static void DecodeDocuments(ReadOnlySpan<byte> block, int count, int previousDocument, Span<int> documents)
    {
        Unpack(block[2..], count, block[0], documents);
        int doc = previousDocument, i = 0;
        if (Vectorised && Sse2.IsSupported && count <= documents.Length)
        {
            // Prefix sums four at a time: v + (v << 1 lane) + (v << 2 lanes), plus the running total.
            ref int d = ref MemoryMarshal.GetReference(documents);
            var one = Vector128<int>.One;
            var carry = Vector128.Create(doc);
            for (; i + 4 <= count; i += 4)
            {
                var v = Vector128.LoadUnsafe(ref d, (nuint)i) + one;
                v += Sse2.ShiftLeftLogical128BitLane(v, 4);
                v += Sse2.ShiftLeftLogical128BitLane(v, 8);
                v += carry;
                v.StoreUnsafe(ref d, (nuint)i);
                carry = Vector128.Create(v.GetElement(3));
            }
            doc = carry.GetElement(0);
        }
        for (; i < count; i++)
        {
            doc += documents[i] + 1;
            documents[i] = doc;
        }
    }

    /// <summary>The raw gaps <c>doc − previous − 1</c> of a block (for validation).</summary>
    internal static void DecodeGaps(ReadOnlySpan<byte> block, int count, Span<int> gaps) => Unpack(block[2..], count, block[0], gaps);

    /// <summary>Decodes the term frequencies of a block.</summary>
    internal static void DecodeFrequencies(ReadOnlySpan<byte> block, int count, Span<int> frequencies)
    {
        int gapBytes = (count * block[0] + 7) >> 3;
        Unpack(block[(2 + gapBytes)..], count, block[1], frequencies);
        for (int i = 0; i < count; i++) frequencies[i]++;
    }

    /// <summary>
    /// Unpacks whole groups of eight values with AVX2 and returns how many it unpacked: a group starts on a byte
    /// (8 × width bits), so lane j gathers the 4 bytes at (j·width)/8 and shifts right by (j·width) mod 8; a value
    /// of width ≤ 25 plus its shift fits in those 32 bits. The caller has checked that Padding bytes follow the data.
    /// </summary>
    private static unsafe int UnpackAvx2(ReadOnlySpan<byte> packed, int count, int width, Span<int> values)
    {
        var bits = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * width;
        var offsets = Vector256.ShiftRightLogical(bits, 3);
        var shifts = (bits & Vector256.Create(7)).AsUInt32();
        var mask = Vector256.Create((1u << width) - 1);
        int groups = count >> 3;
        fixed (byte* source = packed)
        fixed (int* target = values)
        {
            for (int g = 0; g < groups; g++)
            {
                var words = Avx2.GatherVector256((int*)(source + g * width), offsets, 1).AsUInt32();
                (Avx2.ShiftRightLogicalVariable(words, shifts) & mask).AsInt32().Store(target + g * 8);
            }
        }
        return groups * 8;
    }

    /// <summary>
    /// Unpacks <paramref name="count"/> values of <paramref name="width"/> bits: one unaligned 8-byte load per value
    /// (bit offset within the byte ≤ 7, width ≤ 31, so one load always covers the value). Branch-free.
    /// </summary>
    private static void Unpack(ReadOnlySpan<byte> packed, int count, int width, Span<int> values)
    {
        if (width == 0)
        {
            values[..count].Clear();
            return;
        }
        // One check for the whole block, then unchecked loads.
        if (((count * width + 7) >> 3) + Padding > packed.Length || width > MaxWidth || count > values.Length)
            throw new InvalidOperationException("posting block runs past its buffer");
        ulong mask = (1UL << width) - 1;
        ref byte source = ref MemoryMarshal.GetReference(packed);
        ref int target = ref MemoryMarshal.GetReference(values);
        int bit = 0, start = 0;
        if (Vectorised && Avx2.IsSupported && width <= 25)
        {
            start = UnpackAvx2(packed, count, width, values);
            bit = start * width;
        }
        for (int i = start; i < count; i++)
        {
            ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, bit >> 3));
            Unsafe.Add(ref target, i) = (int)((word >> (bit & 7)) & mask);
            bit += width;
        }
    }
}

/// <summary>
/// All postings of an index in <see cref="PostingBlocks"/>: one byte array of blocks, per term the offset of its
/// first posting and first block, per block its byte offset and its last document (the skip list).
/// </summary>
/// <remarks>
/// Input: CSR postings (term → ascending documents, frequencies). Output: a compact, immutable store that
/// decodes a term's postings or one block of them; safe to read from many threads.
/// </remarks>
internal sealed class PostingStore
{
    private readonly int[] _termStart;     // posting offsets, length TermCount + 1
    private readonly int[] _termBlock;     // first block of each term, length TermCount + 1
    private readonly int[] _blockOffset;   // byte offset of each block in _data, length BlockCount + 1
    private readonly int[] _blockLast;     // last document of each block
    private readonly byte[] _data;         // blocks, then Padding zero bytes

    private PostingStore(int[] termStart, int[] termBlock, int[] blockOffset, int[] blockLast, byte[] data)
    {
        _termStart = termStart;
        _termBlock = termBlock;
        _blockOffset = blockOffset;
        _blockLast = blockLast;
        _data = data;
    }

    internal int TermCount => _termStart.Length - 1;
    internal int PostingCount => _termStart[^1];
    internal int BlockCount => _blockLast.Length;
    internal int DocumentFrequency(int term) => _termStart[term + 1] - _termStart[term];
    internal int FirstBlock(int term) => _termBlock[term];
    internal int EndBlock(int term) => _termBlock[term + 1];
    internal ReadOnlySpan<int> TermStarts => _termStart;
    internal ReadOnlySpan<int> BlockLastDocuments => _blockLast;

    /// <summary>The encoded blocks without the padding (what an index file stores).</summary>
    internal ReadOnlySpan<byte> Data => _data.AsSpan(0, _data.Length - PostingBlocks.Padding);

    /// <summary>Bytes held (arrays only).</summary>
    internal long MemoryBytes => 4L * (_termStart.Length + _termBlock.Length + _blockOffset.Length + _blockLast.Length) + _data.Length;

    /// <summary>Number of postings in block <paramref name="block"/> of <paramref name="term"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int BlockLength(int term, int block) =>
        block + 1 < _termBlock[term + 1] ? PostingBlocks.Size : _termStart[term + 1] - _termStart[term] - (block - _termBlock[term]) * PostingBlocks.Size;

    /// <summary>The document before the first one of <paramref name="block"/> (−1 for a term's first block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int PreviousDocument(int term, int block) => block == _termBlock[term] ? -1 : _blockLast[block - 1];

    /// <summary>Decodes the documents of one block into <paramref name="documents"/>; returns the count.</summary>
    internal int DecodeDocuments(int term, int block, Span<int> documents)
    {
        int n = BlockLength(term, block);
        PostingBlocks.DecodeDocuments(_data.AsSpan(_blockOffset[block]), n, PreviousDocument(term, block), documents);
        return n;
    }

    /// <summary>Decodes the frequencies of one block into <paramref name="frequencies"/>; returns the count.</summary>
    internal int DecodeFrequencies(int term, int block, Span<int> frequencies)
    {
        int n = BlockLength(term, block);
        PostingBlocks.DecodeFrequencies(_data.AsSpan(_blockOffset[block]), n, frequencies);
        return n;
    }

    /// <summary>Decodes all postings of <paramref name="term"/> (spans of at least its document frequency).</summary>
    internal void Decode(int term, Span<int> documents, Span<int> frequencies)
    {
        int at = 0;
        Span<int> docs = stackalloc int[PostingBlocks.Size];
        Span<int> freqs = stackalloc int[PostingBlocks.Size];
        for (int b = _termBlock[term]; b < _termBlock[term + 1]; b++)
        {
            int n = DecodeDocuments(term, b, docs);
            DecodeFrequencies(term, b, freqs);
            docs[..n].CopyTo(documents[at..]);
            freqs[..n].CopyTo(frequencies[at..]);
            at += n;
        }
    }

    /// <summary>Encodes CSR postings (<paramref name="termStart"/> offsets into the aligned doc/tf arrays).</summary>
    internal static PostingStore Build(int[] termStart, ReadOnlySpan<int> documents, ReadOnlySpan<int> frequencies)
    {
        int terms = termStart.Length - 1;
        var termBlock = new int[terms + 1];
        for (int t = 0; t < terms; t++) termBlock[t + 1] = termBlock[t] + BlockCountOf(termStart[t + 1] - termStart[t]);
        int blocks = termBlock[terms];
        var blockOffset = new int[blocks + 1];
        var blockLast = new int[blocks];
        // A first guess of 2 bytes per posting; grown when needed.
        var data = new byte[Math.Max(64, documents.Length * 2)];
        long length = 0;
        int b = 0;
        for (int t = 0; t < terms; t++)
        {
            int previous = -1;
            for (int p = termStart[t]; p < termStart[t + 1]; p += PostingBlocks.Size)
            {
                int n = Math.Min(PostingBlocks.Size, termStart[t + 1] - p);
                long need = length + PostingBlocks.MaxEncodedLength(n) + PostingBlocks.Padding;
                if (need > Array.MaxLength) throw new LmToLlmException("the postings exceed 2 GB once compressed; split the corpus into shards");
                if (need > data.Length) Array.Resize(ref data, (int)Math.Min(Array.MaxLength, Math.Max(need, data.Length * 3L / 2)));
                blockOffset[b] = (int)length;
                length += PostingBlocks.Encode(documents.Slice(p, n), frequencies.Slice(p, n), previous, data.AsSpan((int)length));
                previous = blockLast[b] = documents[p + n - 1];
                b++;
            }
        }
        blockOffset[blocks] = (int)length;
        var exact = new byte[length + PostingBlocks.Padding];
        data.AsSpan(0, (int)length).CopyTo(exact);
        return new PostingStore(termStart, termBlock, blockOffset, blockLast, exact);
    }

    /// <summary>
    /// Rebuilds the store from a file's term offsets and block bytes, checking every block: widths, sizes, documents
    /// strictly ascending and below <paramref name="documentCount"/>. Returns null with <paramref name="problem"/> set
    /// when the data is malformed. <paramref name="maxFrequency"/> receives each term's largest tf.
    /// </summary>
    internal static PostingStore? FromFile(int[] termStart, ReadOnlySpan<byte> blocks, int documentCount, int[] maxFrequency, out long totalFrequency, out string problem)
    {
        totalFrequency = 0;
        problem = "";
        int terms = termStart.Length - 1;
        if (termStart[0] != 0) { problem = "posting offsets do not start at 0"; return null; }
        var termBlock = new int[terms + 1];
        for (int t = 0; t < terms; t++)
        {
            int df = termStart[t + 1] - termStart[t];
            if (df <= 0) { problem = $"term {t} has no postings"; return null; }
            if (df > documentCount) { problem = $"term {t} has more postings than there are documents"; return null; }
            long next = (long)termBlock[t] + BlockCountOf(df);
            // Every block takes at least its two header bytes: bounds the block arrays by the file size.
            if (next * 2 > blocks.Length) { problem = "the posting offsets declare more blocks than the posting data holds"; return null; }
            termBlock[t + 1] = (int)next;
        }
        int blockCount = termBlock[terms];
        var blockOffset = new int[blockCount + 1];
        var blockLast = new int[blockCount];
        var data = new byte[blocks.Length + PostingBlocks.Padding];
        blocks.CopyTo(data);
        Span<int> docs = stackalloc int[PostingBlocks.Size];
        Span<int> freqs = stackalloc int[PostingBlocks.Size];
        int offset = 0;
        for (int t = 0; t < terms; t++)
        {
            int previous = -1, max = 0;
            for (int b = termBlock[t]; b < termBlock[t + 1]; b++)
            {
                int n = b + 1 < termBlock[t + 1] ? PostingBlocks.Size : termStart[t + 1] - termStart[t] - (b - termBlock[t]) * PostingBlocks.Size;
                if (offset + 2 > blocks.Length) { problem = "the posting data is shorter than its blocks"; return null; }
                if (data[offset] > PostingBlocks.MaxWidth || data[offset + 1] > PostingBlocks.MaxWidth) { problem = $"a posting block of term {t} has an invalid bit width"; return null; }
                int length = PostingBlocks.EncodedLength(data.AsSpan(offset), n);
                if (offset + (long)length > blocks.Length) { problem = "the posting data is shorter than its blocks"; return null; }
                // Raw gaps, summed in long: a corrupt block must not wrap around to a valid-looking id.
                long doc = previous;
                PostingBlocks.DecodeFrequencies(data.AsSpan(offset), n, freqs);
                PostingBlocks.DecodeGaps(data.AsSpan(offset), n, docs);
                for (int i = 0; i < n; i++)
                {
                    doc += docs[i] + 1L;
                    if (doc >= documentCount || freqs[i] < 1) { problem = $"postings of term {t} are malformed"; return null; }
                    totalFrequency += freqs[i];
                    if (freqs[i] > max) max = freqs[i];
                }
                blockOffset[b] = offset;
                previous = blockLast[b] = (int)doc;
                offset += length;
            }
            maxFrequency[t] = max;
        }
        if (offset != blocks.Length) { problem = "the posting data has bytes after its last block"; return null; }
        blockOffset[blockCount] = offset;
        return new PostingStore(termStart, termBlock, blockOffset, blockLast, data);
    }

    private static int BlockCountOf(int df) => (df + PostingBlocks.Size - 1) / PostingBlocks.Size;
}
