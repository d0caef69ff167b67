using System.IO.Hashing;
using System.Runtime.InteropServices;
using LmToLlm.Text;

namespace LmToLlm.Data;

/// <summary>What a shingle is made of.</summary>
public enum ShingleKind
{
    /// <summary>Runs of <see cref="ShingleOptions.Size"/> consecutive analyzer tokens.</summary>
    Word,

    /// <summary>Runs of <see cref="ShingleOptions.Size"/> consecutive UTF-16 code units of the normalized text.</summary>
    Char,
}

/// <summary>
/// The shingles (contiguous n-grams) a document's set is made of, as in Broder's resemblance (Broder 1997, "On the
/// resemblance and containment of documents"). A document shorter than one shingle gives a single shingle of all it has;
/// a document with no token (or no character) gives the empty set.
/// Word shingles use <see cref="Analyzer"/> (default <c>simple</c>); char shingles use the normalized text
/// (<see cref="TextNormalization.Default"/>: NFC, lowercase, white space collapsed).
/// </summary>
public sealed record ShingleOptions
{
    /// <summary>Word or char shingles (default word).</summary>
    public ShingleKind Kind { get; init; } = ShingleKind.Word;

    /// <summary>Shingle length n ≥ 1 (default 5).</summary>
    public int Size { get; init; } = 5;

    /// <summary>Analyzer for word shingles (null: <c>simple</c>); any analyzer, e.g. <c>nori</c> from LmToLlm.Nori.</summary>
    public Analyzer? Analyzer { get; init; }

    /// <summary>The defaults.</summary>
    public static ShingleOptions Default { get; } = new();

    /// <summary>Parses <c>word:N</c> or <c>char:N</c> (e.g. <c>word:5</c>); throws <see cref="ArgumentException"/> otherwise.</summary>
    internal static ShingleOptions Parse(string spec, Analyzer? analyzer = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int colon = spec.IndexOf(':');
        string kind = colon < 0 ? spec : spec[..colon];
        if (colon < 0 || !int.TryParse(spec.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size) || size < 1 || size > 64
            || (kind != "word" && kind != "char"))
            throw new ArgumentException($"bad shingle '{spec}': expected word:N or char:N with 1 ≤ N ≤ 64, e.g. word:5", nameof(spec));
        return new ShingleOptions { Kind = kind == "word" ? ShingleKind.Word : ShingleKind.Char, Size = size, Analyzer = analyzer };
    }

    /// <inheritdoc />
    public override string ToString() => $"{(Kind == ShingleKind.Word ? "word" : "char")}:{Size}";
}

/// <summary>
/// Turns a text into 64-bit shingle hashes, reusing its buffers (one instance per thread; no allocation per shingle).
/// Input: a document text. Output: the hashes of its shingles in text order (duplicates kept; a set after sort/unique).
/// Word shingle hash: XXH3-64 of the n consecutive XXH3-64 token hashes; char shingle hash: XXH3-64 of the n code units.
/// </summary>
internal sealed class Shingler : ITokenSink
{
    private readonly ShingleOptions _options;
    private readonly Analyzer _analyzer;
    private ulong[] _tokens = new ulong[256];
    private int _tokenCount;
    private char[] _chars = new char[256];
    private ulong[] _hashes = new ulong[256];

    internal Shingler(ShingleOptions options)
    {
        _options = options;
        _analyzer = options.Analyzer ?? Analyzer.Simple;
    }

    /// <summary>The shingle hashes of <paramref name="text"/>; valid until the next call.</summary>
    internal ReadOnlySpan<ulong> Hash(string text)
    {
        int n = _options.Size;
        int count;
        if (_options.Kind == ShingleKind.Word)
        {
            _tokenCount = 0;
            _analyzer.Analyze(text, this);
            if (_tokenCount == 0) return [];
            count = Math.Max(1, _tokenCount - n + 1);
            Grow(ref _hashes, count);
            int width = Math.Min(n, _tokenCount);
            for (int i = 0; i < count; i++)
                _hashes[i] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(_tokens.AsSpan(i, width)));
        }
        else
        {
            int length = TextNormalization.Default.Apply(text, ref _chars);
            if (length == 0) return [];
            count = Math.Max(1, length - n + 1);
            Grow(ref _hashes, count);
            int width = Math.Min(n, length);
            for (int i = 0; i < count; i++)
                _hashes[i] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(_chars.AsSpan(i, width)));
        }
        return _hashes.AsSpan(0, count);
    }

    /// <summary>The sorted distinct shingle hashes of <paramref name="text"/> (the shingle set); valid until the next call.</summary>
    internal ReadOnlySpan<ulong> Set(string text)
    {
        int count = Hash(text).Length;
        Span<ulong> span = _hashes.AsSpan(0, count);
        span.Sort();
        int unique = 0;
        for (int i = 0; i < span.Length; i++)
            if (i == 0 || span[i] != span[unique - 1]) span[unique++] = span[i];
        return span[..unique];
    }

    void ITokenSink.Add(ReadOnlySpan<char> token)
    {
        Grow(ref _tokens, _tokenCount + 1);
        _tokens[_tokenCount++] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(token));
    }

    private static void Grow<T>(ref T[] array, int needed)
    {
        if (array.Length < needed) Array.Resize(ref array, Math.Max(needed, array.Length * 2));
    }
}
