namespace LmToLlm.Nori;

/// <summary>
/// Korean morphological tokenizer with the semantics of Lucene 8.8.1's <c>KoreanTokenizer</c> (punctuation discarded):
/// the least-cost segmentation over the system dictionary (and an optional user dictionary) with connection costs and
/// mecab-ko-dic's space penalty, unknown words grouped by character class and script, and compound, inflected and
/// pre-analysed words handled as <see cref="Mode"/> says. Immutable and thread-safe; allocation-free per token.
/// </summary>
/// <example><code>
/// var tokenizer = NoriTokenizer.Create(NoriDecompoundMode.Mixed);
/// tokenizer.Tokenize("가락지나물은", sink); // 가락지나물 (NNG, compound), 가락지, 나물, 은 (J)
/// </code></example>
public sealed class NoriTokenizer
{
    private NoriTokenizer(NoriDictionary dictionary, NoriUserDictionary? user, NoriDecompoundMode mode, bool unknownUnigrams)
    {
        Dictionary = dictionary;
        UserDictionary = user;
        Mode = mode;
        OutputUnknownUnigrams = unknownUnigrams;
    }

    /// <summary>
    /// A tokenizer over <paramref name="dictionary"/> (default: the embedded one) in <paramref name="mode"/> (default
    /// <see cref="NoriDecompoundMode.Discard"/>), with an optional user dictionary; <paramref name="outputUnknownUnigrams"/>
    /// splits unknown words into single characters.
    /// </summary>
    public static NoriTokenizer Create(NoriDecompoundMode mode = NoriDecompoundMode.Discard, NoriUserDictionary? userDictionary = null,
        bool outputUnknownUnigrams = false, NoriDictionary? dictionary = null)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown decompound mode");
        return new NoriTokenizer(dictionary ?? NoriDictionary.Default, userDictionary, mode, outputUnknownUnigrams);
    }

    /// <summary>The system dictionary.</summary>
    public NoriDictionary Dictionary { get; }

    /// <summary>The user dictionary, if any.</summary>
    public NoriUserDictionary? UserDictionary { get; }

    /// <summary>How compounds, inflected and pre-analysed words are emitted.</summary>
    public NoriDecompoundMode Mode { get; }

    /// <summary>True when unknown words are emitted one character (code point) per token.</summary>
    public bool OutputUnknownUnigrams { get; }

    /// <summary>Feeds the tokens of <paramref name="text"/> (before any filter) to <paramref name="sink"/> in text order.</summary>
    public void Tokenize(ReadOnlySpan<char> text, INoriTokenSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var emitter = new RawEmitter(sink);
        Run(text, ref emitter);
    }

    internal void Run<TEmitter>(ReadOnlySpan<char> text, ref TEmitter emitter) where TEmitter : struct, INoriTokenEmitter
    {
        var lattice = NoriLattice.Rent();
        try
        {
            lattice.Run(text, Dictionary, UserDictionary, Mode, OutputUnknownUnigrams, ref emitter);
        }
        finally
        {
            NoriLattice.Return(lattice);
        }
    }

    private readonly struct RawEmitter(INoriTokenSink sink) : INoriTokenEmitter
    {
        public void Emit(ReadOnlySpan<char> text, in NoriLattice.PendingToken t, NoriDictionary dictionary) =>
            sink.Add(new NoriToken(text, t.StartOffset, t.EndOffset, t.PositionIncrement, t.PositionLength, t.Type, t.LeftTag, t.RightTag,
                t.Reading >= 0 ? dictionary.String(t.Reading) : default, t.Reading >= 0, t.Source));
    }
}
