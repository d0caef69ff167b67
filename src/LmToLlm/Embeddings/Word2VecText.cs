using System.Buffers;
using System.Runtime.InteropServices;

namespace LmToLlm.Embeddings;

/// <summary>
/// Splits a byte stream into words the way word2vec.c's <c>ReadWord</c> does. Input: raw UTF-8 bytes.
/// Output: words (byte spans, at most 98 bytes: longer ones are cut) and a line end for every <c>\n</c>.
/// </summary>
/// <remarks>Space, tab and <c>\n</c> separate words; <c>\r</c> is ignored everywhere. Unlike word2vec.c, a last word
/// not followed by a newline is kept (word2vec.c drops it together with its end-of-file flag).</remarks>
internal sealed class ByteWordReader(Stream stream)
{
    /// <summary>word2vec.c keeps at most MAX_STRING − 2 = 98 bytes of a word.</summary>
    internal const int MaxWordBytes = 98;

    private static readonly SearchValues<byte> Special = SearchValues.Create(" \t\n\r"u8);
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly byte[] _word = new byte[MaxWordBytes];
    private long _bufferStart;
    private int _position;
    private int _length;
    private int _wordLength;
    private bool _pendingLineEnd;

    internal ReadOnlySpan<byte> Word => new(_word, 0, _wordLength);

    /// <summary>Bytes consumed so far (the offset of the next unread byte).</summary>
    internal long Position => _bufferStart + _position;

    /// <summary>
    /// Moves to the first line that starts at or after byte <paramref name="offset"/> (seeking when the stream can,
    /// reading and discarding otherwise). Must be called before the first <see cref="Next"/>.
    /// </summary>
    internal void SkipToLineStart(long offset)
    {
        if (offset <= 0) return;
        long target = offset - 1;
        if (stream.CanSeek)
        {
            stream.Seek(target, SeekOrigin.Begin);
            _bufferStart = target;
            _position = _length = 0;
        }
        else
        {
            while (Position < target)
            {
                if (_position == _length && !Refill()) return;
                _position += (int)Math.Min(_length - _position, target - Position);
            }
        }
        // The byte before the offset: a newline means a line starts exactly at the offset.
        while (true)
        {
            if (_position == _length && !Refill()) return;
            int newline = Array.IndexOf(_buffer, (byte)'\n', _position, _length - _position);
            if (newline >= 0)
            {
                _position = newline + 1;
                return;
            }
            _position = _length;
        }
    }

    private bool Refill()
    {
        _bufferStart += _length;
        _length = stream.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }

    /// <summary>Reads the next token: <see cref="TokenKind.Word"/> (see <see cref="Word"/>), a line end, or the end.</summary>
    internal TokenKind Next()
    {
        if (_pendingLineEnd)
        {
            _pendingLineEnd = false;
            return TokenKind.LineEnd;
        }
        _wordLength = 0;
        while (true)
        {
            if (_position == _length && !Refill()) return _wordLength > 0 ? TokenKind.Word : TokenKind.End;
            ReadOnlySpan<byte> rest = new(_buffer, _position, _length - _position);
            int stop = rest.IndexOfAny(Special);
            int take = stop < 0 ? rest.Length : stop;
            if (take > 0)
            {
                int room = Math.Min(take, MaxWordBytes - _wordLength);
                if (room > 0)
                {
                    rest[..room].CopyTo(_word.AsSpan(_wordLength));
                    _wordLength += room;
                }
                _position += take;
                if (stop < 0) continue;
            }
            byte separator = _buffer[_position++];
            if (separator == (byte)'\r') continue;
            if (_wordLength > 0)
            {
                if (separator == (byte)'\n') _pendingLineEnd = true;
                return TokenKind.Word;
            }
            if (separator == (byte)'\n') return TokenKind.LineEnd;
        }
    }
}

internal enum TokenKind : byte
{
    End,
    Word,
    LineEnd,
}

/// <summary>
/// An open-addressing hash table from UTF-8 words to dense ids with counts. Input: byte spans. Output: ids in
/// first-seen order; <see cref="Prune"/> drops rare words as word2vec.c's <c>ReduceVocab</c> does.
/// </summary>
internal sealed class ByteWordTable
{
    private byte[] _arena = new byte[1 << 16];
    private int _arenaLength;
    private int[] _offsets = new int[1024];
    private byte[] _lengths = new byte[1024];
    private long[] _counts = new long[1024];
    private int[] _slots = NewSlots(2048);

    internal int Count { get; private set; }

    internal long CountOf(int id) => _counts[id];

    internal ReadOnlySpan<byte> WordOf(int id) => new(_arena, _offsets[id], _lengths[id]);

    /// <summary>The id of <paramref name="word"/>, or −1.</summary>
    internal int Find(ReadOnlySpan<byte> word)
    {
        int mask = _slots.Length - 1;
        for (int slot = (int)Hash(word) & mask; ; slot = (slot + 1) & mask)
        {
            int id = _slots[slot];
            if (id < 0) return -1;
            if (_lengths[id] == word.Length && WordOf(id).SequenceEqual(word)) return id;
        }
    }

    /// <summary>Adds <paramref name="increment"/> to the count of <paramref name="word"/>, inserting it when new; returns its id.</summary>
    public int Add(ReadOnlySpan<byte> word, long increment = 1)
    {
        int mask = _slots.Length - 1;
        int slot = (int)Hash(word) & mask;
        while (true)
        {
            int id = _slots[slot];
            if (id < 0) break;
            if (_lengths[id] == word.Length && WordOf(id).SequenceEqual(word))
            {
                _counts[id] += increment;
                return id;
            }
            slot = (slot + 1) & mask;
        }
        int added = Append(word, increment);
        _slots[slot] = added;
        if (Count * 2 > _slots.Length) Rehash(_slots.Length * 2);
        return added;
    }

    /// <summary>Keeps only the words with a count above <paramref name="minimum"/> (ids are renumbered in order).</summary>
    internal void Prune(long minimum)
    {
        byte[] oldArena = _arena;
        int[] oldOffsets = _offsets;
        byte[] oldLengths = _lengths;
        long[] oldCounts = _counts;
        int oldCount = Count;
        _arena = new byte[Math.Max(1 << 16, _arenaLength)];
        _arenaLength = 0;
        _offsets = new int[oldOffsets.Length];
        _lengths = new byte[oldLengths.Length];
        _counts = new long[oldCounts.Length];
        Count = 0;
        for (int id = 0; id < oldCount; id++)
        {
            if (oldCounts[id] > minimum || id == 0) Append(new ReadOnlySpan<byte>(oldArena, oldOffsets[id], oldLengths[id]), oldCounts[id]);
        }
        Rehash(_slots.Length);
    }

    private int Append(ReadOnlySpan<byte> word, long count)
    {
        if (Count == _offsets.Length)
        {
            Array.Resize(ref _offsets, Count * 2);
            Array.Resize(ref _lengths, Count * 2);
            Array.Resize(ref _counts, Count * 2);
        }
        if (_arenaLength + word.Length > _arena.Length) Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + word.Length));
        word.CopyTo(_arena.AsSpan(_arenaLength));
        _offsets[Count] = _arenaLength;
        _lengths[Count] = (byte)word.Length;
        _counts[Count] = count;
        _arenaLength += word.Length;
        return Count++;
    }

    private void Rehash(int size)
    {
        _slots = NewSlots(size);
        int mask = size - 1;
        for (int id = 0; id < Count; id++)
        {
            int slot = (int)Hash(WordOf(id)) & mask;
            while (_slots[slot] >= 0) slot = (slot + 1) & mask;
            _slots[slot] = id;
        }
    }

    private static int[] NewSlots(int size)
    {
        var slots = new int[size];
        slots.AsSpan().Fill(-1);
        return slots;
    }

    /// <summary>FNV-1a over 8-byte blocks, then the tail; finished with a multiplicative mix.</summary>
    private static ulong Hash(ReadOnlySpan<byte> word)
    {
        ulong h = 14695981039346656037UL;
        int i = 0;
        for (; i + 8 <= word.Length; i += 8) h = (h ^ MemoryMarshal.Read<ulong>(word[i..])) * 1099511628211UL;
        for (; i < word.Length; i++) h = (h ^ word[i]) * 1099511628211UL;
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 32);
    }
}
