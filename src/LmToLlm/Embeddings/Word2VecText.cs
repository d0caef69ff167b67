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
