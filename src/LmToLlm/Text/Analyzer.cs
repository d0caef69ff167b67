namespace LmToLlm.Text;

/// <summary>Receives the tokens an <see cref="Analyzer"/> produces, one span at a time (valid only during the call).</summary>
public interface ITokenSink
{
    /// <summary>Called once per token, in text order.</summary>
    void Add(ReadOnlySpan<char> token);
}

/// <summary>
/// Turns text into tokens. Every analyzer has a stable <see cref="Name"/> and an exact written definition,
/// so that another implementation can reproduce its tokens. Analyzers are immutable and thread-safe.
/// Input: any text. Output: tokens in text order, fed to an <see cref="ITokenSink"/> without allocating.
/// </summary>
public abstract class Analyzer
{
    /// <summary>The stable name, e.g. <c>simple</c>; <see cref="FromName"/> gives the analyzer back.</summary>
    public abstract string Name { get; }

    /// <summary>Feeds the tokens of <paramref name="text"/> to <paramref name="sink"/>; allocation-free.</summary>
    public abstract void Analyze(ReadOnlySpan<char> text, ITokenSink sink);

    /// <summary>Convenience: the tokens of <paramref name="text"/> as strings (allocates; not for hot paths).</summary>
    public IReadOnlyList<string> Tokenize(ReadOnlySpan<char> text)
    {
        var sink = new ListSink();
        Analyze(text, sink);
        return sink.Tokens;
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>The <c>simple</c> analyzer (see <see cref="SimpleAnalyzer"/>).</summary>
    public static Analyzer Simple { get; } = new SimpleAnalyzer();

    /// <summary>The <c>english</c> analyzer: simple + Lucene's English stop words + Porter (see <see cref="EnglishAnalyzer"/>).</summary>
    public static Analyzer English { get; } = new EnglishAnalyzer();

    /// <summary>The <c>whitespace</c> analyzer: Lucene's WhitespaceAnalyzer (see <see cref="WhitespaceAnalyzer"/>).</summary>
    public static Analyzer Whitespace { get; } = new WhitespaceAnalyzer();

    /// <summary>The <c>keyword</c> analyzer: the whole input as one token, Lucene's KeywordAnalyzer (see <see cref="KeywordAnalyzer"/>).</summary>
    internal static Analyzer Keyword { get; } = new KeywordAnalyzer();

    /// <summary>The <c>korean</c> analyzer: simple tokens plus Hangul syllable bigrams (see <see cref="KoreanAnalyzer"/>).</summary>
    public static Analyzer Korean => KoreanAnalyzer.TokenAndBigrams;

    /// <summary>
    /// The analyzer a saved file (an index, an encoder) is read with: <paramref name="given"/> when the caller passed one,
    /// which must bear the name the file records, or else the built-in analyzer of that name. A format error naming
    /// <paramref name="path"/> otherwise, saying what to pass to <paramref name="loader"/>.
    /// </summary>
    /// <param name="path">The file, for the error.</param>
    /// <param name="savedName">The analyzer name the file records.</param>
    /// <param name="given">The analyzer the caller passed, or null.</param>
    /// <param name="made">What made the file, as in "the index was built" or "the encoder was fitted".</param>
    /// <param name="loader">The method to pass the analyzer to, as in "InvertedIndex.Load".</param>
    internal static Analyzer ForSavedFile(string path, string savedName, Analyzer? given, string made, string loader)
    {
        if (given is not null)
        {
            if (given.Name != savedName) ThrowHelper.Format(path, 0, $"{made} with the analyzer '{savedName}', not '{given.Name}'; pass the analyzer it used to {loader}");
            return given;
        }
        try { return FromName(savedName); }
        catch (ArgumentException) { ThrowHelper.Format(path, 0, $"{made} with the analyzer '{savedName}', which is not built in; pass that analyzer to {loader}"); return null; }
    }

    /// <summary>
    /// The built-in analyzer with the given stable name: <c>simple</c>, <c>english</c>, <c>whitespace</c>, <c>keyword</c>, <c>korean</c>, <c>korean-bigrams</c>,
    /// <c>char:MIN-MAX</c>, <c>char:N</c>, <c>char-nowrap:MIN-MAX</c>. Throws <see cref="ArgumentException"/> listing
    /// the known names when the name is unknown or malformed.
    /// </summary>
    public static Analyzer FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "simple" => Simple,
            "english" => English,
            "whitespace" => Whitespace,
            "keyword" => Keyword,
            "korean" => KoreanAnalyzer.TokenAndBigrams,
            "korean-bigrams" => KoreanAnalyzer.BigramsOnly,
            _ => CharNGramAnalyzer.TryParse(name)
                ?? throw new ArgumentException($"unknown analyzer '{name}'; known analyzers: {string.Join(", ", KnownNames)}"),
        };
    }

    /// <summary>The names <see cref="FromName"/> accepts (patterns such as <c>char:3-5</c> shown as such).</summary>
    public static IReadOnlyList<string> KnownNames { get; } = ["simple", "english", "whitespace", "keyword", "korean", "korean-bigrams", "char:MIN-MAX", "char-nowrap:MIN-MAX"];

    private sealed class ListSink : ITokenSink
    {
        public List<string> Tokens { get; } = [];
        public void Add(ReadOnlySpan<char> token) => Tokens.Add(token.ToString());
    }
}
