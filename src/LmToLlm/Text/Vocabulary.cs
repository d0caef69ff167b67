using System.Globalization;
using System.Text;

namespace LmToLlm.Text;

/// <summary>
/// Token ↔ dense int id interning with a count per token.
/// Input: tokens as spans (e.g. straight from an <see cref="Analyzer"/>, since a vocabulary is an <see cref="ITokenSink"/>).
/// Output: ids 0..<see cref="Count"/>-1 in first-seen order, counts, and frequency-ordered / pruned copies.
/// </summary>
/// <remarks>
/// Lookups by <see cref="ReadOnlySpan{T}"/> do not allocate (an alternate lookup over an ordinal
/// <see cref="Dictionary{TKey, TValue}"/>); only the first sighting of a token allocates its string.
/// Reading from several threads is safe while nobody adds; adding is not thread-safe.
/// File format (<see cref="Save"/>): UTF-8 text, first line <c>#lmtollm-vocabulary 1 N</c> (format version 1,
/// N tokens), then N lines <c>token TAB count</c> in id order; in tokens, <c>\</c>, TAB, LF and CR are written
/// as <c>\\</c>, <c>\t</c>, <c>\n</c>, <c>\r</c>.
/// </remarks>
internal sealed class Vocabulary : ITokenSink
{
    /// <summary>Returned by <see cref="IdOf"/> for a token that is not in the vocabulary.</summary>
    internal const int NotFound = -1;

    internal const string Magic = "#lmtollm-vocabulary";
    private const int FormatVersion = 1;

    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _tokens;
    private long[] _counts;
    private long _total;

    /// <summary>Creates an empty vocabulary.</summary>
    internal Vocabulary() : this(16) { }

    /// <summary>Creates an empty vocabulary with room for <paramref name="capacity"/> tokens.</summary>
    internal Vocabulary(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _ids = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        _tokens = new List<string>(capacity);
        _counts = new long[Math.Max(capacity, 16)];
    }

    /// <summary>The number of distinct tokens (ids run from 0 to <c>Count - 1</c>).</summary>
    internal int Count => _tokens.Count;

    /// <summary>The sum of all counts (the number of tokens seen, when counts come from <see cref="Add(ReadOnlySpan{char})"/>).</summary>
    internal long TotalCount => _total;

    /// <summary>The tokens in id order.</summary>
    internal IReadOnlyList<string> Tokens => _tokens;

    /// <summary>The counts in id order (a view; valid until the next token is added).</summary>
    internal ReadOnlySpan<long> Counts => _counts.AsSpan(0, _tokens.Count);

    /// <summary>The token with id <paramref name="id"/>.</summary>
    internal string this[int id] => _tokens[id];

    /// <summary>The token with id <paramref name="id"/>.</summary>
    internal string GetToken(int id) => _tokens[id];

    /// <summary>The count of the token with id <paramref name="id"/>.</summary>
    internal long GetCount(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _tokens.Count);
        return _counts[id];
    }

    /// <summary>Counts one occurrence of <paramref name="token"/> (adding it if new) and returns its id.</summary>
    public int Add(ReadOnlySpan<char> token) => Add(token, 1);

    /// <summary>Adds <paramref name="count"/> occurrences of <paramref name="token"/> (adding it if new) and returns its id.</summary>
    public int Add(ReadOnlySpan<char> token, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int id = GetOrAdd(token);
        _counts[id] += count;
        _total += count;
        return id;
    }

    /// <summary>The id of <paramref name="token"/>, adding it with count 0 if new (interning without counting).</summary>
    internal int GetOrAdd(ReadOnlySpan<char> token)
    {
        if (_lookup.TryGetValue(token, out int id)) return id;
        id = _tokens.Count;
        string text = token.ToString();
        _ids.Add(text, id);
        _tokens.Add(text);
        if (id == _counts.Length) Array.Resize(ref _counts, _counts.Length * 2);
        return id;
    }

    /// <summary>Looks <paramref name="token"/> up without adding it; allocation-free.</summary>
    internal bool TryGetId(ReadOnlySpan<char> token, out int id) => _lookup.TryGetValue(token, out id);

    /// <summary>The id of <paramref name="token"/>, or <see cref="NotFound"/>; allocation-free.</summary>
    internal int IdOf(ReadOnlySpan<char> token) => _lookup.TryGetValue(token, out int id) ? id : NotFound;

    /// <summary>Whether <paramref name="token"/> is in the vocabulary.</summary>
    internal bool Contains(ReadOnlySpan<char> token) => _lookup.ContainsKey(token);

    void ITokenSink.Add(ReadOnlySpan<char> token) => Add(token, 1);

    /// <summary>
    /// A new vocabulary holding the tokens with count ≥ <paramref name="minCount"/>, ordered by count descending,
    /// ties by ordinal (UTF-16 code unit) order of the token, so the result is deterministic.
    /// </summary>
    internal Vocabulary ByFrequency(long minCount = 0) => ByFrequency(minCount, out _);

    /// <summary>
    /// As <see cref="ByFrequency(long)"/>, and gives the id map: <c>oldToNew[oldId]</c> is the new id, or
    /// <see cref="NotFound"/> for a pruned token.
    /// </summary>
    internal Vocabulary ByFrequency(long minCount, out int[] oldToNew)
    {
        var kept = new List<int>(_tokens.Count);
        for (int id = 0; id < _tokens.Count; id++)
            if (_counts[id] >= minCount) kept.Add(id);
        kept.Sort((a, b) =>
        {
            int byCount = _counts[b].CompareTo(_counts[a]);
            return byCount != 0 ? byCount : string.CompareOrdinal(_tokens[a], _tokens[b]);
        });
        return Select(kept, out oldToNew);
    }

    /// <summary>
    /// A new vocabulary with the tokens of count ≥ <paramref name="minCount"/> in their current id order
    /// (pruning without reordering), and the id map as in <see cref="ByFrequency(long, out int[])"/>.
    /// </summary>
    internal Vocabulary Pruned(long minCount, out int[] oldToNew)
    {
        var kept = new List<int>(_tokens.Count);
        for (int id = 0; id < _tokens.Count; id++)
            if (_counts[id] >= minCount) kept.Add(id);
        return Select(kept, out oldToNew);
    }

    private Vocabulary Select(List<int> kept, out int[] oldToNew)
    {
        oldToNew = new int[_tokens.Count];
        Array.Fill(oldToNew, NotFound);
        var result = new Vocabulary(kept.Count);
        foreach (int old in kept) oldToNew[old] = result.Add(_tokens[old], _counts[old]);
        return result;
    }

    /// <summary>
    /// Builds a vocabulary from (token, count) pairs in the given order (ids follow that order).
    /// Throws <see cref="ArgumentException"/> on a duplicate token or a negative count.
    /// </summary>
    internal static Vocabulary FromCounts(IEnumerable<KeyValuePair<string, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var result = new Vocabulary();
        foreach (var (token, count) in counts)
        {
            ArgumentNullException.ThrowIfNull(token, nameof(counts));
            if (result.Contains(token)) throw new ArgumentException($"duplicate token '{token}'", nameof(counts));
            result.Add(token, count);
        }
        return result;
    }

    /// <summary>Writes the vocabulary (tokens in id order with counts) to <paramref name="path"/> atomically.</summary>
    internal void Save(string path, CancellationToken cancellationToken = default)
    {
        AtomicFile.WriteText(path, writer =>
        {
            writer.Write(Magic);
            writer.Write(' ');
            writer.Write(FormatVersion.ToString(CultureInfo.InvariantCulture));
            writer.Write(' ');
            writer.Write(Count.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
            var escaped = new StringBuilder();
            for (int id = 0; id < _tokens.Count; id++)
            {
                writer.Write(Escape(_tokens[id], escaped));
                writer.Write('\t');
                writer.Write(_counts[id].ToString(CultureInfo.InvariantCulture));
                writer.Write('\n');
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Reads a file written by <see cref="Save"/>. Throws <see cref="LmToLlmFormatException"/> (file:line: what)
    /// on a wrong header, an unknown version, a bad line, a duplicate token or a token count that does not match.
    /// </summary>
    internal static Vocabulary Load(string path)
    {
        Vocabulary? result = null;
        int expected = 0;
        long last = 0;
        foreach (var (number, line) in Corpora.TextLines.Read(path))
        {
            last = number;
            if (result is null)
            {
                expected = ParseHeader(path, line);
                result = new Vocabulary(Math.Min(expected, 1 << 10)); // the header is not trusted with an allocation: grow with the file
                continue;
            }
            int tab = line.LastIndexOf('\t');
            if (tab < 0)
                ThrowHelper.Format(path, number, "expected 'token<TAB>count'");
            if (!long.TryParse(line.AsSpan(tab + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                ThrowHelper.Format(path, number, $"count '{line[(tab + 1)..]}' is not a non-negative integer");
            string token = Unescape(path, number, line.AsSpan(0, tab));
            if (result.Contains(token))
                ThrowHelper.Format(path, number, $"duplicate token '{token}'");
            if (result.Count == expected)
                ThrowHelper.Format(path, number, $"more tokens than the {expected} the header announces");
            result.Add(token, count);
        }
        if (result is null)
            ThrowHelper.Format(path, 1, $"empty file; expected a '{Magic}' header");
        if (result.Count != expected)
            ThrowHelper.Format(path, last, $"the header announces {expected} tokens but the file has {result.Count}; the file is truncated");
        return result;
    }

    private static int ParseHeader(string path, string line)
    {
        string[] parts = line.Split(' ');
        if (parts.Length != 3 || parts[0] != Magic)
            ThrowHelper.Format(path, 1, $"not a vocabulary file: expected the header '{Magic} {FormatVersion} <size>'");
        if (parts[1] != FormatVersion.ToString(CultureInfo.InvariantCulture))
            ThrowHelper.Format(path, 1, $"unsupported vocabulary format version '{parts[1]}' (this library reads version {FormatVersion})");
        if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int size))
            ThrowHelper.Format(path, 1, $"bad size '{parts[2]}' in the header");
        return size;
    }

    private static string Escape(string token, StringBuilder buffer)
    {
        if (token.AsSpan().IndexOfAny('\\', '\t', '\n') < 0 && !token.Contains('\r')) return token;
        buffer.Clear();
        foreach (char c in token)
        {
            buffer.Append(c switch
            {
                '\\' => @"\\",
                '\t' => @"\t",
                '\n' => @"\n",
                '\r' => @"\r",
                _ => null,
            } ?? c.ToString());
        }
        return buffer.ToString();
    }

    private static string Unescape(string path, long number, ReadOnlySpan<char> text)
    {
        if (text.IndexOf('\\') < 0) return text.ToString();
        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }
            char next = i + 1 < text.Length ? text[++i] : '\0';
            result.Append(next switch
            {
                '\\' => '\\',
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                _ => ThrowHelper.Format<char>(path, number, @"bad escape in token; only \\ \t \n \r are allowed"),
            });
        }
        return result.ToString();
    }
}
