namespace LmToLlm.Nori;

/// <summary>
/// One token of Korean analysis with everything Lucene's Nori attributes carry: text, offsets, position increment and
/// length, word type, left and right part-of-speech tags, reading form and source. Valid only during the sink call.
/// </summary>
public readonly ref struct NoriToken
{
    internal NoriToken(ReadOnlySpan<char> text, int startOffset, int endOffset, int positionIncrement, int positionLength,
        NoriWordType type, NoriTag leftTag, NoriTag rightTag, ReadOnlySpan<char> reading, bool hasReading, NoriWordSource source)
    {
        Text = text;
        StartOffset = startOffset;
        EndOffset = endOffset;
        PositionIncrement = positionIncrement;
        PositionLength = positionLength;
        Type = type;
        LeftTag = leftTag;
        RightTag = rightTag;
        Reading = reading;
        HasReading = hasReading;
        Source = source;
    }

    /// <summary>The term (a slice of the input, a morpheme of the dictionary, or after filters the reading, lower-cased).</summary>
    public ReadOnlySpan<char> Text { get; }

    /// <summary>Start offset in the input, in UTF-16 units.</summary>
    public int StartOffset { get; }

    /// <summary>End offset (exclusive) in the input, in UTF-16 units.</summary>
    public int EndOffset { get; }

    /// <summary>Positions advanced since the previous token (0 for a part stacked under its compound in mixed mode).</summary>
    public int PositionIncrement { get; }

    /// <summary>Positions this token spans (the number of parts for a compound kept in mixed mode, else 1).</summary>
    public int PositionLength { get; }

    /// <summary>Morpheme, compound, inflect or pre-analysis (decompounded parts are morphemes).</summary>
    public NoriWordType Type { get; }

    /// <summary>The part of speech of the token's first morpheme (what the stop filter looks at).</summary>
    public NoriTag LeftTag { get; }

    /// <summary>The part of speech of the token's last morpheme.</summary>
    public NoriTag RightTag { get; }

    /// <summary>The reading form (Hangul reading of a Hanja word) when <see cref="HasReading"/>.</summary>
    public ReadOnlySpan<char> Reading { get; }

    /// <summary>True when the dictionary gives a reading form.</summary>
    public bool HasReading { get; }

    /// <summary>System dictionary, unknown word or user dictionary.</summary>
    public NoriWordSource Source { get; }
}

/// <summary>Receives <see cref="NoriToken"/>s in text order.</summary>
public interface INoriTokenSink
{
    /// <summary>Called once per token; the token's spans are valid only during the call.</summary>
    void Add(NoriToken token);
}
