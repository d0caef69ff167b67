namespace LmToLlm.Text;

/// <summary>
/// The <c>keyword</c> analyzer, Lucene's <c>KeywordAnalyzer</c>: the whole input is one token, unchanged (an empty
/// input gives one empty token, as Lucene's <c>KeywordTokenizer</c> does). For ids, tags and exact-match fields.
/// Example: <c>"New York, NY"</c> → <c>New York, NY</c>.
/// </summary>
internal sealed class KeywordAnalyzer : Analyzer
{
    /// <inheritdoc />
    public override string Name => "keyword";

    /// <inheritdoc />
    public override void Analyze(ReadOnlySpan<char> text, ITokenSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        sink.Add(text);
    }
}
