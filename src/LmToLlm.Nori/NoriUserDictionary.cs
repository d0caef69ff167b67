using System.Text.RegularExpressions;

namespace LmToLlm.Nori;

/// <summary>
/// A user dictionary in Lucene's <c>userdict_ko.txt</c> format: one entry per line, a noun optionally followed by its
/// parts (<c>세종시 세종 시</c>); <c>#</c> starts a comment; blank lines are skipped. Entries are general nouns (NNG)
/// with a very low cost, so that they win over the system dictionary, as in Lucene's <c>UserDictionary</c>.
/// </summary>
public sealed partial class NoriUserDictionary
{
    // Lucene UserDictionary (8.8.1): NNG left id, right ids by the last character (Hangul with/without coda, other).
    internal const int WordCost = -100000;
    internal const short LeftId = 1781, RightId = 3533, RightIdWithCoda = 3535, RightIdWithoutCoda = 3534;

    private readonly NoriTrie _trie;
    private readonly short[] _rightIds;
    private readonly int[][] _segments; // part lengths, or empty for a simple noun

    private NoriUserDictionary(NoriTrie trie, short[] rightIds, int[][] segments)
    {
        _trie = trie;
        _rightIds = rightIds;
        _segments = segments;
    }

    /// <summary>Number of distinct entries.</summary>
    public int Count => _rightIds.Length;

    internal NoriTrie Trie => _trie;
    internal short RightIdOf(int entry) => _rightIds[entry];
    internal int[] SegmentsOf(int entry) => _segments[entry];

    /// <summary>Reads a user dictionary file; see <see cref="Parse"/>.</summary>
    public static NoriUserDictionary? Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(LmToLlm.Corpora.TextLines.Read(path).Select(line => line.Text), path);
    }

    /// <summary>
    /// Parses user-dictionary lines (<paramref name="source"/> names them in errors). Returns null when there is no entry,
    /// as Lucene does. Throws <see cref="LmToLlmFormatException"/> naming the line when the parts are longer than the word.
    /// </summary>
    public static NoriUserDictionary? Parse(IEnumerable<string> lines, string source = "user dictionary")
    {
        ArgumentNullException.ThrowIfNull(lines);
        var entries = new List<(string Line, string Word, long LineNumber)>();
        long lineNumber = 0;
        foreach (string raw in lines)
        {
            lineNumber++;
            string line = Comment().Replace(raw, "");
            if (line.All(c => c <= ' ')) continue; // Java's trim(): code units up to U+0020
            entries.Add((line, JavaSplit(line)[0], lineNumber));
        }
        if (entries.Count == 0) return null;
        // Lucene sorts the lines by their first field (stable, UTF-16 order) and keeps the first line of each word.
        entries = [.. entries.OrderBy(e => e.Word, StringComparer.Ordinal)];
        var words = new List<string>();
        var rightIds = new List<short>();
        var segments = new List<int[]>();
        var characters = NoriDictionary.Default.Characters;
        foreach (var (line, word, number) in entries)
        {
            if (words.Count > 0 && words[^1] == word) continue;
            if (word.Length == 0)
                throw new LmToLlmFormatException(source, number, "the line starts with white space; put the word first, then its parts separated by spaces");
            char last = line[^1];
            rightIds.Add(characters.Class[last] == NoriCharacterTable.HangulClass
                ? ((last - 0xAC00) % 0x1C != 0 ? RightIdWithCoda : RightIdWithoutCoda)
                : RightId);
            string[] fields = JavaSplit(line);
            int[] parts = new int[Math.Max(0, fields.Length - 1)];
            int total = 0;
            for (int i = 1; i < fields.Length; i++) total += parts[i - 1] = fields[i].Length;
            if (total > word.Length)
                throw new LmToLlmFormatException(source, number, $"the parts of '{word}' are longer than the word itself ({total} > {word.Length} characters); the parts must spell the word");
            segments.Add(parts);
            words.Add(word);
        }
        char[] chars = [.. words.SelectMany(w => w)];
        int[] offsets = new int[words.Count + 1];
        int[] starts = new int[words.Count + 1];
        for (int i = 0; i < words.Count; i++)
        {
            offsets[i + 1] = offsets[i] + words[i].Length;
            starts[i + 1] = i + 1;
        }
        return new NoriUserDictionary(NoriTrie.Build(chars, offsets, starts), [.. rightIds], [.. segments]);
    }

    /// <summary>Java's <c>String.split("\\s+")</c>: a leading separator gives an empty first field; trailing empty fields are dropped.</summary>
    private static string[] JavaSplit(string line)
    {
        string[] fields = Whitespace().Split(line);
        int n = fields.Length;
        while (n > 1 && fields[n - 1].Length == 0) n--;
        return n == fields.Length ? fields : fields[..n];
    }

    [GeneratedRegex("#.*$")]
    private static partial Regex Comment();

    [GeneratedRegex("[ \\t\\n\\x0B\\f\\r]+")] // Java's \\s: ASCII white space only
    private static partial Regex Whitespace();
}
