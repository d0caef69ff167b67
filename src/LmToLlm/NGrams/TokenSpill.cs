using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LmToLlm.NGrams;

/// <summary>
/// The token ids of a training text on disk, for counting within a memory budget.
/// Input: sentences <c>&lt;s&gt; … &lt;/s&gt;</c> appended front to back. Output: sentence-aligned chunks read back from the
/// end of the text, the order in which the counter visits positions. The file is unlinked as soon as it is created
/// (deleted on close on Windows), so neither Ctrl+C nor a crash leaves it behind.
/// </summary>
internal sealed class TokenSpill : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly int[] _pending = new int[1 << 16];
    private int _pendingCount;
    private long _written;

    public TokenSpill(string? directory) => _file = TemporaryFile.Open(directory, "lmtollm-tokens");

    /// <summary>Number of tokens written.</summary>
    public long Count => _written + _pendingCount;

    public void Add(ReadOnlySpan<int> tokens)
    {
        while (tokens.Length > 0)
        {
            int take = Math.Min(tokens.Length, _pending.Length - _pendingCount);
            tokens[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            tokens = tokens[take..];
            if (_pendingCount == _pending.Length) Flush();
        }
    }

    private void Flush()
    {
        RandomAccess.Write(_file, MemoryMarshal.AsBytes(_pending.AsSpan(0, _pendingCount)), _written * sizeof(int));
        _written += _pendingCount;
        _pendingCount = 0;
    }

    /// <summary>
    /// The whole sentences of the text in chunks from the end: each chunk starts with <c>&lt;s&gt;</c> and holds at most
    /// <paramref name="capacity"/>() tokens (more only when one sentence is longer). The chunk's array is reused.
    /// </summary>
    public IEnumerable<TokenChunk> ChunksFromEnd(Func<long> capacity)
    {
        Flush();
        int[] buffer = [];
        long end = _written;
        while (end > 0)
        {
            int size = (int)Math.Min(Math.Min(end, Math.Max(1, capacity())), Array.MaxLength);
            while (true)
            {
                if (buffer.Length < size) buffer = new int[size];
                long start = end - size;
                ReadExactly(buffer.AsSpan(0, size), start);
                int first = start == 0 ? 0 : buffer.AsSpan(0, size).IndexOf(NGramVocabulary.SentenceStart);
                if (first < 0)
                {
                    // One sentence longer than the chunk: read more.
                    size = (int)Math.Min(Math.Min(end, size * 2L), Array.MaxLength);
                    continue;
                }
                int length = size - first;
                if (first > 0) Array.Copy(buffer, first, buffer, 0, length);
                end -= length;
                yield return new TokenChunk(buffer, length, end == 0);
                break;
            }
        }
    }

    private void ReadExactly(Span<int> target, long start) =>
        TemporaryFile.ReadExactly(_file, MemoryMarshal.AsBytes(target), start * sizeof(int));

    public void Dispose() => _file.Dispose();
}

/// <summary>Tokens[0..Length) of whole sentences; <see cref="IsStartOfText"/> when no chunk comes before it.</summary>
internal readonly record struct TokenChunk(int[] Tokens, int Length, bool IsStartOfText);
