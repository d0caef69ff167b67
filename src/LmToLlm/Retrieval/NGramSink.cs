using LmToLlm.Corpora;
using LmToLlm.Text;

namespace LmToLlm.Retrieval;

/// <summary>
/// Turns a token stream into the word n-grams of a range (scikit-learn <c>_word_ngrams</c> order is not needed:
/// only the multiset matters). With the range (1, 1) tokens pass through untouched.
/// </summary>
internal sealed class NGramSink : ITokenSink
{
    private readonly ITokenSink _inner;
    private readonly int _min;
    private readonly int _max;
    private readonly List<string> _window = [];
    private readonly System.Text.StringBuilder _gram = new();
    private char[] _buffer = new char[64];

    internal NGramSink(ITokenSink inner, int min, int max)
    {
        _inner = inner;
        _min = min;
        _max = max;
    }

    /// <summary>The sink the analyzer should write to.</summary>
    internal ITokenSink Target => _min == 1 && _max == 1 ? _inner : this;

    public void Add(ReadOnlySpan<char> token)
    {
        // Emit every n-gram ending at this token, n in [min, max].
        _window.Add(token.ToString());
        if (_window.Count > _max) _window.RemoveAt(0);
        int count = _window.Count;
        for (int n = _min; n <= Math.Min(_max, count); n++)
        {
            if (n == 1) { _inner.Add(token); continue; }
            _gram.Clear();
            for (int i = count - n; i < count; i++)
            {
                if (i > count - n) _gram.Append(' ');
                _gram.Append(_window[i]);
            }
            if (_buffer.Length < _gram.Length) _buffer = new char[_gram.Length * 2];
            _gram.CopyTo(0, _buffer, 0, _gram.Length);
            _inner.Add(_buffer.AsSpan(0, _gram.Length));
        }
    }

    /// <summary>Resets the window at the end of a text.</summary>
    internal void Flush() => _window.Clear();
}
