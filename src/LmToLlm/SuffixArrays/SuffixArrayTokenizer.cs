using LmToLlm.NGrams;
using LmToLlm.Text;

namespace LmToLlm.SuffixArrays;

/// <summary>
/// How an index turns a line into tokens: <c>whitespace</c> (split on white space, as KenLM and <see cref="NGramCounts"/>
/// do) or any <see cref="Analyzer"/> name. Input: one line. Output: its tokens, in order.
/// </summary>
internal sealed class SuffixArrayTokenizer
{
    /// <summary>The name of the white-space tokenization, the default.</summary>
    internal const string WhitespaceName = "whitespace";

    private readonly Analyzer? _analyzer;

    private SuffixArrayTokenizer(string name, Analyzer? analyzer)
    {
        Name = name;
        _analyzer = analyzer;
    }

    internal string Name { get; }

    /// <summary>
    /// The tokenizer named <paramref name="name"/>: <paramref name="analyzers"/> is asked first (a resolver that knows
    /// analyzers of optional packages, such as <c>nori</c>; null when it does not know the name), then the built-in
    /// analyzers. <see cref="ArgumentException"/> for a name neither knows.
    /// </summary>
    internal static SuffixArrayTokenizer FromName(string name, Func<string, Analyzer?>? analyzers = null)
    {
        if (name == WhitespaceName) return new(name, null);
        var analyzer = analyzers?.Invoke(name) ?? Analyzer.FromName(name);
        return new(analyzer.Name, analyzer);
    }

    internal IReadOnlyList<string> Tokenize(string line) =>
        _analyzer is null ? [.. LanguageModel.SplitWords(line).Select(r => line[r])] : _analyzer.Tokenize(line);
}
