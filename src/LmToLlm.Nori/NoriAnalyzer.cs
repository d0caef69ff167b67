using LmToLlm.Text;

namespace LmToLlm.Nori;

/// <summary>
/// The <c>nori</c> analyzer: Lucene 8.8.1's <c>KoreanAnalyzer</c> — <see cref="NoriTokenizer"/>, then the part-of-speech
/// stop filter (tokens whose left tag is in <see cref="StopTags"/> are dropped), the reading-form filter (Hanja words
/// become their Hangul reading) and lower case (Java's <c>Character.toLowerCase</c> per code point).
/// Usable wherever an <see cref="Analyzer"/> is; immutable, thread-safe, allocation-free per token.
/// </summary>
/// <example><code>
/// var nori = NoriAnalyzer.Create();
/// nori.Tokenize("학교에서 공부했다"); // 학교, 공부
/// </code></example>
public sealed class NoriAnalyzer : Analyzer
{
    /// <summary>Lucene's <c>KoreanPartOfSpeechStopFilter.DEFAULT_STOP_TAGS</c>: endings, particles, adverbs, determiners, symbols, affixes, unknowns.</summary>
    public static IReadOnlySet<NoriTag> DefaultStopTags { get; } = new HashSet<NoriTag>
    {
        NoriTag.E, NoriTag.IC, NoriTag.J, NoriTag.MAG, NoriTag.MAJ, NoriTag.MM, NoriTag.SP, NoriTag.SSC, NoriTag.SSO, NoriTag.SC,
        NoriTag.SE, NoriTag.XPN, NoriTag.XSA, NoriTag.XSN, NoriTag.XSV, NoriTag.UNA, NoriTag.NA, NoriTag.VSV,
    };

    private readonly bool[] _stop;

    private NoriAnalyzer(NoriTokenizer tokenizer, IReadOnlySet<NoriTag> stopTags, string name)
    {
        Tokenizer = tokenizer;
        StopTags = stopTags;
        Name = name;
        _stop = new bool[Enum.GetValues<NoriTag>().Length];
        foreach (var tag in stopTags) _stop[(int)tag] = true;
    }

    /// <summary>
    /// The analyzer with Lucene's defaults (<see cref="NoriDecompoundMode.Discard"/>, no user dictionary,
    /// <see cref="DefaultStopTags"/>), or with the given settings. Named <c>nori</c> with the defaults.
    /// </summary>
    public static NoriAnalyzer Create(NoriDecompoundMode mode = NoriDecompoundMode.Discard, NoriUserDictionary? userDictionary = null,
        IReadOnlySet<NoriTag>? stopTags = null, bool outputUnknownUnigrams = false)
    {
        var tokenizer = NoriTokenizer.Create(mode, userDictionary, outputUnknownUnigrams);
        string name = "nori";
        if (mode != NoriDecompoundMode.Discard) name += ":" + mode.ToString().ToLowerInvariant();
        if (outputUnknownUnigrams) name += ":unigrams";
        if (userDictionary is not null) name += ":userdict";
        if (stopTags is not null && !stopTags.SetEquals(DefaultStopTags)) name += ":stoptags";
        return new NoriAnalyzer(tokenizer, stopTags ?? DefaultStopTags, name);
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>The tokenizer this analyzer filters.</summary>
    public NoriTokenizer Tokenizer { get; }

    /// <summary>Tokens whose left part-of-speech tag is in this set are dropped.</summary>
    public IReadOnlySet<NoriTag> StopTags { get; }

    /// <inheritdoc />
    public override void Analyze(ReadOnlySpan<char> text, ITokenSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var emitter = new FilterEmitter(this, sink, null);
        Tokenizer.Run(text, ref emitter);
    }

    /// <summary>
    /// Feeds the filtered tokens with all their attributes to <paramref name="sink"/>: the text is the reading form when
    /// there is one, lower-cased; a token after dropped ones carries their position increments.
    /// </summary>
    public void Analyze(ReadOnlySpan<char> text, INoriTokenSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var emitter = new FilterEmitter(this, null, sink);
        Tokenizer.Run(text, ref emitter);
    }

    private struct FilterEmitter(NoriAnalyzer analyzer, ITokenSink? plain, INoriTokenSink? rich) : INoriTokenEmitter
    {
        private int _skippedPositions;
        private char[] _lower = [];

        public void Emit(ReadOnlySpan<char> text, in NoriLattice.PendingToken t, NoriDictionary dictionary)
        {
            if (analyzer._stop[(int)t.LeftTag])
            {
                _skippedPositions += t.PositionIncrement;
                return;
            }
            ReadOnlySpan<char> term = t.Reading >= 0 ? dictionary.String(t.Reading) : text;
            term = ToLower(term, dictionary.Characters);
            if (plain is not null) plain.Add(term);
            else
            {
                rich!.Add(new NoriToken(term, t.StartOffset, t.EndOffset, t.PositionIncrement + _skippedPositions, t.PositionLength, t.Type,
                    t.LeftTag, t.RightTag, t.Reading >= 0 ? dictionary.String(t.Reading) : default, t.Reading >= 0, t.Source));
            }
            _skippedPositions = 0;
        }

        private ReadOnlySpan<char> ToLower(ReadOnlySpan<char> term, NoriCharacterTable characters)
        {
            int i = 0;
            while (i < term.Length && !char.IsSurrogate(term[i]) && characters.LowerBmp[term[i]] == term[i]) i++;
            if (i == term.Length) return term; // nothing to change: most Korean tokens
            if (_lower.Length < term.Length) _lower = new char[Math.Max(64, term.Length * 2)];
            term.CopyTo(_lower);
            for (int j = i; j < term.Length; j++)
            {
                if (char.IsHighSurrogate(term[j]) && j + 1 < term.Length && char.IsLowSurrogate(term[j + 1]))
                {
                    int lower = characters.ToLower(char.ConvertToUtf32(term[j], term[j + 1]));
                    if (lower >= 0x10000)
                    {
                        _lower[j] = (char)(((lower - 0x10000) >> 10) + 0xD800);
                        _lower[j + 1] = (char)(((lower - 0x10000) & 0x3FF) + 0xDC00);
                    }
                    j++;
                }
                else _lower[j] = characters.LowerBmp[term[j]];
            }
            return _lower.AsSpan(0, term.Length);
        }
    }
}
