namespace LmToLlm.Retrieval;

/// <summary>
/// Walks one term's postings a block at a time (the one decode loop of BM25 bounds, exhaustive search and TF-IDF).
/// Input: a store, a term and two scratch spans of <see cref="PostingBlocks.Size"/>. Output: after each
/// <see cref="MoveNext"/>, the block's ascending <see cref="Documents"/> and, when asked, their <see cref="Frequencies"/>.
/// </summary>
internal ref struct PostingCursor
{
    private readonly PostingStore _postings;
    private readonly Span<int> _documents;
    private readonly Span<int> _frequencies;
    private readonly int _term;
    private readonly int _end;
    private int _block;
    private int _count;

    /// <summary>A cursor before the first block of <paramref name="term"/>; <paramref name="frequencies"/> may be empty when never asked for.</summary>
    internal PostingCursor(PostingStore postings, int term, Span<int> documents, Span<int> frequencies)
    {
        _postings = postings;
        _term = term;
        _documents = documents;
        _frequencies = frequencies;
        _block = postings.FirstBlock(term) - 1;
        _end = postings.EndBlock(term);
    }

    /// <summary>The current block (its index in the store, for per-block data such as skip entries and bounds).</summary>
    internal readonly int Block => _block;

    /// <summary>The current block's documents, ascending.</summary>
    internal readonly ReadOnlySpan<int> Documents => _documents[.._count];

    /// <summary>The current block's frequencies (valid after <c>MoveNext(withFrequencies: true)</c>).</summary>
    internal readonly ReadOnlySpan<int> Frequencies => _frequencies[.._count];

    /// <summary>Decodes the next block; false past the last one.</summary>
    internal bool MoveNext(bool withFrequencies)
    {
        if (++_block >= _end)
        {
            _count = 0;
            return false;
        }
        _count = _postings.DecodeDocuments(_term, _block, _documents);
        if (withFrequencies) _postings.DecodeFrequencies(_term, _block, _frequencies);
        return true;
    }
}
