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

    [ThreadStatic] private static char[]? t_lower; // lower-casing scratch, reused across calls

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

    /// <summary>
    /// The analyzer a name gives: <c>nori</c> (Lucene's defaults), optionally followed by options separated by colons:
    /// a decompound mode (<c>none</c>, <c>discard</c>, <c>mixed</c>) and <c>unigrams</c> (e.g. <c>nori:mixed</c>).
    /// Null when the name is not a <c>nori</c> name; <see cref="ArgumentException"/> naming the bad option otherwise.
    /// </summary>
    public static NoriAnalyzer? TryFromName(string name, NoriUserDictionary? userDictionary = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        string[] parts = name.Split(':');
        if (parts[0] != "nori") return null;
        var mode = NoriDecompoundMode.Discard;
        bool unigrams = false;
        foreach (string option in parts.Skip(1))
        {
            switch (option)
            {
                case "none": mode = NoriDecompoundMode.None; break;
                case "discard": mode = NoriDecompoundMode.Discard; break;
                case "mixed": mode = NoriDecompoundMode.Mixed; break;
                case "unigrams": unigrams = true; break;
                default: throw new ArgumentException($"unknown option '{option}' in analyzer '{name}'; nori takes none, discard, mixed and unigrams (e.g. nori:mixed)", nameof(name));
            }
        }
        return Create(mode, userDictionary, outputUnknownUnigrams: unigrams);
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

    /// <summary>
    /// Every token the tokenizer produces for <paramref name="text"/>, with what the filters do to it: its final term, or
    /// null when the stop filter drops it. For display (allocates); the tokens kept are exactly those <c>Analyze</c> gives.
    /// </summary>
    public IReadOnlyList<NoriExplanation> Explain(ReadOnlySpan<char> text)
    {
        var explanations = new List<NoriExplanation>();
        var emitter = new FilterEmitter(this, null, null) { Explanations = explanations };
        Tokenizer.Run(text, ref emitter);
        return explanations;
    }

    private struct FilterEmitter(NoriAnalyzer analyzer, ITokenSink? plain, INoriTokenSink? rich) : INoriTokenEmitter
    {
        private int _skippedPositions;

        public List<NoriExplanation>? Explanations { get; init; }

        public void Emit(ReadOnlySpan<char> text, in NoriLattice.PendingToken t, NoriDictionary dictionary)
        {
            bool stopped = analyzer._stop[(int)t.LeftTag];
            ReadOnlySpan<char> term = stopped ? default : ToLower(t.Reading >= 0 ? dictionary.String(t.Reading) : text, dictionary.Characters);
            Explanations?.Add(new NoriExplanation(text.ToString(), stopped ? null : term.ToString(), t.StartOffset, t.EndOffset,
                t.PositionIncrement, t.PositionLength, t.Type, t.LeftTag, t.RightTag, t.Reading >= 0 ? dictionary.String(t.Reading).ToString() : null, t.Source));
            if (stopped)
            {
                _skippedPositions += t.PositionIncrement;
                return;
            }
            if (plain is not null) plain.Add(term);
            else if (rich is not null)
            {
                rich.Add(new NoriToken(term, t.StartOffset, t.EndOffset, t.PositionIncrement + _skippedPositions, t.PositionLength, t.Type,
                    t.LeftTag, t.RightTag, t.Reading >= 0 ? dictionary.String(t.Reading) : default, t.Reading >= 0, t.Source));
            }
            _skippedPositions = 0;
        }

        private ReadOnlySpan<char> ToLower(ReadOnlySpan<char> term, NoriCharacterTable characters)
        {
            int i = 0;
            while (i < term.Length && !char.IsSurrogate(term[i]) && characters.LowerBmp[term[i]] == term[i]) i++;
            if (i == term.Length) return term; // nothing to change: most Korean tokens
            var lower = t_lower is { } scratch && scratch.Length >= term.Length ? scratch : t_lower = new char[Math.Max(64, term.Length * 2)];
            term.CopyTo(lower);
            for (int j = i; j < term.Length; j++)
            {
                if (char.IsHighSurrogate(term[j]) && j + 1 < term.Length && char.IsLowSurrogate(term[j + 1]))
                {
                    int mapped = characters.ToLower(char.ConvertToUtf32(term[j], term[j + 1]));
                    if (mapped >= 0x10000)
                    {
                        lower[j] = (char)(((mapped - 0x10000) >> 10) + 0xD800);
                        lower[j + 1] = (char)(((mapped - 0x10000) & 0x3FF) + 0xDC00);
                    }
                    j++;
                }
                else lower[j] = characters.LowerBmp[term[j]];
            }
            return lower.AsSpan(0, term.Length);
        }
    }
}

/// <summary>One tokenizer token and what the <c>nori</c> analyzer's filters make of it (see <c>NoriAnalyzer.Explain</c>).</summary>
/// <param name="Surface">The token as the tokenizer gives it (a slice of the input or a dictionary morpheme).</param>
/// <param name="Term">The indexed term (reading form, lower-cased), or null when the part-of-speech stop filter drops the token.</param>
/// <param name="StartOffset">Start offset in the input (UTF-16 units).</param>
/// <param name="EndOffset">End offset (exclusive).</param>
/// <param name="PositionIncrement">Position increment from the tokenizer.</param>
/// <param name="PositionLength">Positions spanned.</param>
/// <param name="Type">Morpheme, compound, inflect or pre-analysis.</param>
/// <param name="LeftTag">Part of speech of the first morpheme.</param>
/// <param name="RightTag">Part of speech of the last morpheme.</param>
/// <param name="Reading">The reading form, if the dictionary has one.</param>
/// <param name="Source">System dictionary, unknown word or user dictionary.</param>
public sealed record NoriExplanation(string Surface, string? Term, int StartOffset, int EndOffset, int PositionIncrement, int PositionLength,
    NoriWordType Type, NoriTag LeftTag, NoriTag RightTag, string? Reading, NoriWordSource Source);
