namespace LmToLlm.NGrams;

/// <summary>
/// Word ↔ id map of an n-gram model, with KenLM's fixed ids: <c>&lt;unk&gt;</c> = 0, <c>&lt;s&gt;</c> = 1,
/// <c>&lt;/s&gt;</c> = 2, then the words in order of first appearance in the training text (as <c>lmplz</c>
/// numbers them, which also fixes its internal sort order).
/// </summary>
public sealed class NGramVocabulary
{
    /// <summary>Id of the unknown word <c>&lt;unk&gt;</c>.</summary>
    internal const int Unknown = 0;
    /// <summary>Id of the sentence start <c>&lt;s&gt;</c> (context only, never predicted).</summary>
    public const int SentenceStart = 1;
    /// <summary>Id of the sentence end <c>&lt;/s&gt;</c>.</summary>
    public const int SentenceEnd = 2;

    /// <summary>Spelling of the unknown word.</summary>
    internal const string UnknownWord = "<unk>";
    /// <summary>Spelling of the sentence start.</summary>
    internal const string SentenceStartWord = "<s>";
    /// <summary>Spelling of the sentence end.</summary>
    internal const string SentenceEndWord = "</s>";

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanIds;
    private readonly List<string> _words = [];

    internal NGramVocabulary(bool withMarkers = true)
    {
        _spanIds = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        if (withMarkers)
        {
            Add(UnknownWord);
            Add(SentenceStartWord);
            Add(SentenceEndWord);
        }
    }

    /// <summary>Number of words including <c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c>.</summary>
    public int Count => _words.Count;

    /// <summary>The spelling of <paramref name="id"/>.</summary>
    public string this[int id] => _words[id];

    /// <summary>The id of <paramref name="word"/>, or <see cref="Unknown"/> when it is not in the vocabulary.</summary>
    public int Find(ReadOnlySpan<char> word) => _spanIds.TryGetValue(word, out int id) ? id : Unknown;

    /// <summary>Whether <paramref name="word"/> is in the vocabulary.</summary>
    internal bool Contains(ReadOnlySpan<char> word) => _spanIds.ContainsKey(word);

    internal bool TryFind(ReadOnlySpan<char> word, out int id) => _spanIds.TryGetValue(word, out id);

    internal int GetOrAdd(ReadOnlySpan<char> word)
    {
        if (_spanIds.TryGetValue(word, out int id)) return id;
        return Add(word.ToString());
    }

    internal int Add(string word)
    {
        int id = _words.Count;
        _ids.Add(word, id);
        _words.Add(word);
        return id;
    }

    /// <summary>True for <c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>, which may not occur literally in training text.</summary>
    internal static bool IsReserved(ReadOnlySpan<char> word) =>
        word.SequenceEqual(UnknownWord) || word.SequenceEqual(SentenceStartWord) || word.SequenceEqual(SentenceEndWord);
}
