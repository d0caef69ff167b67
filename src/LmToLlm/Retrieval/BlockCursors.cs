using System.Runtime.CompilerServices;

namespace LmToLlm.Retrieval;

/// <summary>
/// Document-at-a-time cursors over the posting blocks of m terms: each holds one decoded block (documents
/// always, frequencies on first use) and moves with <see cref="Next"/> or skips whole blocks with
/// <see cref="Advance"/> using the blocks' last documents.
/// </summary>
internal ref struct BlockCursors
{
    private const int Size = PostingBlocks.Size;
    private readonly PostingStore _postings;
    private readonly Span<int> _doc;        // current document, int.MaxValue when exhausted
    private readonly Span<int> _block;      // current block
    private readonly Span<int> _end;        // end block (exclusive)
    private readonly Span<int> _count;      // postings in the current block
    private readonly Span<int> _pos;        // position in the current block
    private readonly Span<int> _term;
    private readonly Span<int> _shallow;    // block found by the last BlockOf
    private readonly Span<int> _docs;       // m × Size decoded documents
    private readonly Span<int> _freqs;      // m × Size decoded frequencies; [i·Size] = −1 until decoded

    internal BlockCursors(PostingStore postings, int[] scratch, int m)
    {
        _postings = postings;
        var s = scratch.AsSpan();
        _doc = s[..m]; s = s[m..];
        _block = s[..m]; s = s[m..];
        _end = s[..m]; s = s[m..];
        _count = s[..m]; s = s[m..];
        _pos = s[..m]; s = s[m..];
        _term = s[..m]; s = s[m..];
        _shallow = s[..m]; s = s[m..];
        _docs = s[..(m * Size)]; s = s[(m * Size)..];
        _freqs = s[..(m * Size)];
    }

    internal void Open(int i, int term)
    {
        _term[i] = term;
        _shallow[i] = 0;
        _end[i] = _postings.EndBlock(term);
        Load(i, _postings.FirstBlock(term));
    }

    internal readonly int Doc(int i) => _doc[i];

    /// <summary>The block cursor i is on (valid while <see cref="Doc"/> is not int.MaxValue).</summary>
    internal readonly int Block(int i) => _block[i];

    /// <summary>The last document of the block cursor i is on: every posting of i up to it is in that block.</summary>
    internal readonly int BlockLast(int i) => _postings.BlockLastDocuments[_block[i]];

    private void Load(int i, int block)
    {
        _block[i] = block;
        if (block >= _end[i])
        {
            _doc[i] = int.MaxValue;
            return;
        }
        var docs = _docs.Slice(i * Size, Size);
        _count[i] = _postings.DecodeDocuments(_term[i], block, docs);
        _pos[i] = 0;
        _freqs[i * Size] = -1;
        _doc[i] = docs[0];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Next(int i)
    {
        int p = _pos[i] + 1;
        if (p < _count[i])
        {
            _pos[i] = p;
            _doc[i] = _docs[i * Size + p];
        }
        else Load(i, _block[i] + 1);
    }

    /// <summary>Moves cursor i to its first document ≥ <paramref name="target"/>.</summary>
    internal void Advance(int i, int target)
    {
        if (_doc[i] >= target) return;
        var last = _postings.BlockLastDocuments;
        int b = _block[i];
        if (last[b] < target)
        {
            // Gallop over the skip list (last document of each block), then binary search.
            int end = _end[i], step = 1, lo = b, hi = b + 1;
            while (hi < end && last[hi] < target)
            {
                lo = hi;
                step <<= 1;
                hi = Math.Min(end, hi + step);
            }
            int left = lo + 1, right = hi;   // last[lo] < target; answer in (lo, hi]
            while (left < right)
            {
                int mid = (left + right) >>> 1;
                if (last[mid] < target) left = mid + 1; else right = mid;
            }
            Load(i, left);
            if (left >= end) return;
        }
        var docs = _docs.Slice(i * Size, _count[i]);
        int pos = _pos[i];
        while (docs[pos] < target) pos++;   // the block's last document is ≥ target
        _pos[i] = pos;
        _doc[i] = docs[pos];
    }

    /// <summary>
    /// The block of cursor i that may hold <paramref name="target"/>, or −1 past its end; decodes nothing.
    /// Targets only grow (document-at-a-time), so the search resumes where the previous one stopped.
    /// </summary>
    internal readonly int BlockOf(int i, int target)
    {
        if (_doc[i] == int.MaxValue) return -1;
        var last = _postings.BlockLastDocuments;
        int b = Math.Max(_block[i], _shallow[i]), end = _end[i];
        while (b < end && last[b] < target) b++;
        _shallow[i] = b;
        return b < end ? b : -1;
    }

    internal int Frequency(int i)
    {
        var freqs = _freqs.Slice(i * Size, Size);
        if (freqs[0] < 0) _postings.DecodeFrequencies(_term[i], _block[i], freqs);
        return freqs[_pos[i]];
    }
}
