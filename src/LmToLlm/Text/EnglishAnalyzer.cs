using System.Collections.Frozen;

namespace LmToLlm.Text;

/// <summary>
/// The <c>english</c> analyzer: <c>simple</c> tokens, minus the stop words in <see cref="StopWords"/>, each stemmed
/// with <see cref="PorterStemmer"/> (stop words are removed before stemming, as Lucene's StopFilter → PorterStemFilter).
/// Example: <c>"The flows were separating at Mach 2"</c> → <c>flow were separ mach 2</c>.
/// </summary>
internal sealed class EnglishAnalyzer : Analyzer
{
    /// <summary>
    /// Lucene's classic English stop set (<c>StopAnalyzer.ENGLISH_STOP_WORDS_SET</c>, also the default of its
    /// <c>EnglishAnalyzer</c> and <c>StandardAnalyzer</c> in 4.x), 33 words, written out here.
    /// </summary>
    internal static IReadOnlySet<string> StopWords => Stops;

    private static readonly FrozenSet<string> Stops = FrozenSet.Create(StringComparer.Ordinal,
    [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
        "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
        "will", "with",
    ]);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> StopLookup = Stops.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <inheritdoc />
    public override string Name => "english";

    /// <summary>Whether <paramref name="token"/> is one of <see cref="StopWords"/>; allocation-free.</summary>
    internal static bool IsStopWord(ReadOnlySpan<char> token) => StopLookup.Contains(token);

    /// <inheritdoc />
    public override void Analyze(ReadOnlySpan<char> text, ITokenSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var handler = new StopAndStem(sink);
        SimpleAnalyzer.Scan(text, ref handler);
    }

    private readonly struct StopAndStem(ITokenSink sink) : ITokenHandler
    {
        public void Handle(Span<char> token)
        {
            if (StopLookup.Contains(token)) return;
            sink.Add(token[..PorterStemmer.Stem(token)]);
        }
    }
}
