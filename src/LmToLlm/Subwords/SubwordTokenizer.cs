using System.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// Encodes text to piece ids and decodes ids to text with a <see cref="SentencePieceModel"/>, as
/// <c>spm_encode</c>/<c>spm_decode</c> do: normalise, segment (BPE merges or Unigram Viterbi), join runs of unknown
/// characters into one unknown piece, or spell them as byte pieces when the model has byte fallback.
/// </summary>
/// <example><code>
/// var tokenizer = SubwordTokenizer.Create(SentencePieceModel.Load("ko.model"));
/// int[] ids = tokenizer.EncodeToIds("학교에서 공부합니다");
/// string text = tokenizer.Decode(ids);
/// </code></example>
internal sealed class SubwordTokenizer
{
    private readonly SentencePieceModel _model;
    private readonly SubwordNormalizer _normalizer;
    private readonly ISegmenter _segmenter;
    private readonly SentencePiece[] _pieces;
    private readonly int[] _byteIds = new int[256];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly int _unknownId;

    private SubwordTokenizer(SentencePieceModel model)
    {
        _model = model;
        _pieces = [.. model.Pieces];
        for (int i = 0; i < _pieces.Length; i++)
        {
            _ids[_pieces[i].Text] = i;
            if (_pieces[i].Type == SentencePieceType.Unknown) _unknownId = i;
            if (_pieces[i].Type == SentencePieceType.Byte) _byteIds[SentencePieceModel.ByteOfPiece(_pieces[i].Text)] = i;
        }
        var userSymbols = new PrefixMatcher(_pieces.Where(p => p.Type == SentencePieceType.UserDefined).Select(p => p.Text));
        try
        {
            _normalizer = new SubwordNormalizer(model.NormalizerSpec, model.TrainerSpec.TreatWhitespaceAsSuffix, userSymbols);
        }
        catch (FormatException e)
        {
            throw new LmToLlmException($"the model's normalisation rules are broken ({e.Message})", e);
        }
        _segmenter = model.ModelType switch
        {
            SubwordModelType.Bpe => new BpeEncoder(model, userSymbols, _unknownId),
            SubwordModelType.Unigram => new UnigramEncoder(model, _unknownId),
            _ => throw new LmToLlmException($"{model.ModelType} models are not supported; train a bpe or unigram model"),
        };
    }

    /// <summary>A tokenizer for <paramref name="model"/> (BPE or Unigram).</summary>
    internal static SubwordTokenizer Create(SentencePieceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new SubwordTokenizer(model);
    }

    /// <summary>The model this tokenizer encodes with.</summary>
    internal SentencePieceModel Model => _model;

    /// <summary>The text of piece <paramref name="id"/>.</summary>
    internal string IdToPiece(int id) => _pieces[id].Text;

    /// <summary>The id of <paramref name="piece"/>, or the unknown id.</summary>
    internal int PieceToId(string piece) => _ids.TryGetValue(piece, out int id) ? id : _unknownId;

    /// <summary>The normalised form of <paramref name="text"/> (with <c>▁</c> for spaces), as <c>spm_normalize</c>.</summary>
    internal string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _normalizer.Normalize(text);
    }

    /// <summary>The piece ids of <paramref name="text"/>.</summary>
    internal int[] EncodeToIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scratch = t_scratch ??= new Scratch();
        Encode(scratch.Utf8(text), scratch.Ids, null, scratch);
        return [.. scratch.Ids];
    }

    /// <summary>The pieces of <paramref name="text"/>, as <c>spm_encode --output_format=piece</c> prints them.</summary>
    internal string[] EncodeToPieces(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scratch = t_scratch ??= new Scratch();
        var pieces = new List<string>();
        Encode(scratch.Utf8(text), scratch.Ids, pieces, scratch);
        return [.. pieces];
    }

    [ThreadStatic] private static Scratch? t_scratch;

    /// <summary>
    /// Encodes raw UTF-8 bytes (one line, malformed bytes allowed: each becomes U+FFFD as in <c>spm_encode</c>) into
    /// <paramref name="ids"/> and, when given, <paramref name="pieces"/>; both are cleared first. Buffers are reused
    /// per thread, so a loop over lines allocates only the piece strings it asks for.
    /// </summary>
    internal void Encode(ReadOnlySpan<byte> utf8, List<int> ids, List<string>? pieces = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        Encode(utf8, ids, pieces, t_scratch ??= new Scratch());
    }

    /// <summary>Buffers reused across calls by one thread.</summary>
    internal sealed class Scratch
    {
        public readonly List<byte> Normalized = [];
        public readonly List<(int Start, int Length, int Id)> Spans = [];
        public readonly UnigramLattice Lattice = new();
        public readonly UnigramPaths Paths = new();
        public readonly List<int> Ids = [];
        private byte[] _utf8 = new byte[256];

        /// <summary>The UTF-8 bytes of <paramref name="text"/> in a buffer this scratch reuses (lone surrogates become U+FFFD).</summary>
        public ReadOnlySpan<byte> Utf8(string text)
        {
            int most = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (_utf8.Length < most) _utf8 = new byte[Math.Max(most, _utf8.Length * 2)];
            return _utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, _utf8));
        }
    }

    /// <summary>
    /// Encodes raw UTF-8 <paramref name="utf8"/> (malformed bytes allowed: they become U+FFFD) into
    /// <paramref name="ids"/> and, when given, <paramref name="pieces"/>; as SentencePiece's
    /// <c>PopulateSentencePieceText</c>.
    /// </summary>
    internal void Encode(ReadOnlySpan<byte> utf8, List<int> ids, List<string>? pieces, Scratch scratch)
    {
        ids.Clear();
        pieces?.Clear();
        _normalizer.Normalize(utf8, scratch.Normalized);
        var normalized = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scratch.Normalized);
        _segmenter.Segment(normalized, scratch.Spans);
        Emit(normalized, scratch.Spans, ids, pieces);
    }

    /// <summary>Turns segment spans into ids and pieces (<c>PopulateSentencePieceText</c>).</summary>
    private void Emit(ReadOnlySpan<byte> normalized, List<(int Start, int Length, int Id)> spans, List<int> ids, List<string>? pieces)
    {
        bool byteFallback = _model.TrainerSpec.ByteFallback;
        bool prevUnknown = false;
        foreach (var (start, length, id) in spans)
        {
            bool unknown = _pieces[id].Type == SentencePieceType.Unknown;
            if (unknown && byteFallback)
            {
                for (int i = 0; i < length; i++)
                {
                    int byteId = _byteIds[normalized[start + i]];
                    ids.Add(byteId);
                    pieces?.Add(_pieces[byteId].Text);
                }
            }
            else if (unknown && prevUnknown)
            {
                // A run of unknown characters is one unknown piece, its text the run's text.
                if (pieces is not null) pieces[^1] += Encoding.UTF8.GetString(normalized.Slice(start, length));
            }
            else
            {
                ids.Add(id);
                pieces?.Add(unknown || _pieces[id].Type != SentencePieceType.Normal && _pieces[id].Type != SentencePieceType.UserDefined
                    ? Encoding.UTF8.GetString(normalized.Slice(start, length))
                    : _pieces[id].Text);
            }
            prevUnknown = unknown;
        }
    }

    /// <summary>
    /// The <paramref name="nbestSize"/> best segmentations of a line (1–1024), best first, as
    /// <c>spm_encode --output_format=nbest_id</c>; Unigram models only.
    /// </summary>
    internal List<(List<int> Ids, List<string>? Pieces, float Score)> EncodeNBest(ReadOnlySpan<byte> utf8, int nbestSize, bool withPieces)
    {
        var unigram = UnigramOnly("n-best segmentation");
        var scratch = t_scratch ??= new Scratch();
        _normalizer.Normalize(utf8, scratch.Normalized);
        var normalized = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scratch.Normalized);
        var results = new List<(List<int>, List<string>?, float)>();
        nbestSize = Math.Clamp(nbestSize, 1, 1024);
        if (normalized.IsEmpty || nbestSize == 1)
        {
            var ids = new List<int>();
            var pieces = withPieces ? new List<string>() : null;
            Encode(utf8, ids, pieces, scratch);
            results.Add((ids, pieces, 0f));
            return results;
        }
        unigram.BuildLattice(normalized, scratch.Lattice);
        foreach (var (nodes, score) in scratch.Paths.NBest(scratch.Lattice, nbestSize))
        {
            var ids = new List<int>();
            var pieces = withPieces ? new List<string>() : null;
            Emit(normalized, Spans(scratch.Lattice, nodes, scratch.Spans), ids, pieces);
            results.Add((ids, pieces, score));
        }
        return results;
    }

    /// <summary>
    /// One segmentation drawn for subword regularisation, as <c>spm_encode --output_format=sample_id</c>: with
    /// <paramref name="nbestSize"/> &lt; 0 from all segmentations with probability ∝ P(x)^<paramref name="alpha"/>
    /// (forward filtering, backward sampling); with 0 or 1 the best one; above 1 from the n best, ∝
    /// exp(<paramref name="alpha"/> × score). Unigram models only.
    /// </summary>
    internal void SampleEncode(ReadOnlySpan<byte> utf8, int nbestSize, float alpha, StdRandom random, List<int> ids, List<string>? pieces)
    {
        var unigram = UnigramOnly("sampling");
        if (nbestSize > 512) throw new ArgumentOutOfRangeException(nameof(nbestSize), $"nbest_size must be <= 512, got {nbestSize}");
        ids.Clear();
        pieces?.Clear();
        var scratch = t_scratch ??= new Scratch();
        if (nbestSize is 0 or 1)
        {
            Encode(utf8, ids, pieces, scratch);
            return;
        }
        if (nbestSize > 1)
        {
            var nbest = EncodeNBest(utf8, nbestSize, pieces is not null);
            Span<float> weights = nbest.Count <= 512 ? stackalloc float[nbest.Count] : new float[nbest.Count];
            for (int i = 0; i < nbest.Count; i++) weights[i] = MathF.Exp(alpha * nbest[i].Score);
            var (chosenIds, chosenPieces, _) = nbest[random.Discrete(weights)];
            ids.AddRange(chosenIds);
            if (chosenPieces is not null) pieces?.AddRange(chosenPieces);
            return;
        }
        _normalizer.Normalize(utf8, scratch.Normalized);
        var normalized = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scratch.Normalized);
        unigram.BuildLattice(normalized, scratch.Lattice);
        var path = new List<int>();
        scratch.Paths.Sample(scratch.Lattice, alpha, random, path);
        Emit(normalized, Spans(scratch.Lattice, [.. path], scratch.Spans), ids, pieces);
    }

    private static List<(int Start, int Length, int Id)> Spans(UnigramLattice lattice, int[] nodes, List<(int Start, int Length, int Id)> spans)
    {
        spans.Clear();
        foreach (int n in nodes)
        {
            int start = lattice.CharOffset[lattice.Start[n]];
            spans.Add((start, lattice.CharOffset[lattice.End[n]] - start, lattice.Id[n]));
        }
        return spans;
    }

    private UnigramEncoder UnigramOnly(string what) =>
        _segmenter as UnigramEncoder ?? throw new LmToLlmException($"{what} needs a unigram model; this model is {_model.ModelType}");

    /// <summary>
    /// The text of <paramref name="ids"/>, as <c>spm_decode --input_format=id</c>: <c>▁</c> becomes a space, the
    /// leading one is dropped, control pieces vanish, the unknown piece reads " ⁇ ", byte pieces are joined into
    /// characters (U+FFFD for a malformed byte).
    /// </summary>
    internal string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (int id in ids)
            if ((uint)id >= (uint)_pieces.Length) throw new ArgumentOutOfRangeException(nameof(ids), $"id {id} is not in the vocabulary of {_pieces.Length} pieces");
        return DecodePieces(ids.Select(id => _pieces[id].Text).ToList(), ids.ToList());
    }

    /// <summary>The text of <paramref name="pieces"/>, as <c>spm_decode --input_format=piece</c>.</summary>
    internal string DecodePieces(IReadOnlyList<string> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        return DecodePieces(pieces, pieces.Select(PieceToId).ToList());
    }

    private string DecodePieces(IReadOnlyList<string> pieces, List<int> ids)
    {
        var spec = _model.NormalizerSpec;
        string unknownSurface = _model.TrainerSpec.HasUnknownSurface ? _model.TrainerSpec.UnknownSurface : " \u2047 ";
        var text = new StringBuilder();
        var bytes = new List<byte>();
        bool isBosSpace = true, bosSpaceSeen = false;
        for (int i = 0; i < pieces.Count; i++)
        {
            var type = _pieces[ids[i]].Type;
            if (type == SentencePieceType.Byte)
            {
                bytes.Add((byte)SentencePieceModel.ByteOfPiece(_pieces[ids[i]].Text));
                continue;
            }
            FlushBytes(bytes, text);
            if (bosSpaceSeen || text.Length > 0) isBosSpace = false;
            string piece = pieces[i];
            string decoded;
            bosSpaceSeen = false;
            if (type == SentencePieceType.Control) decoded = "";
            else if (type == SentencePieceType.Unknown) decoded = _pieces[ids[i]].Text == piece ? unknownSurface : piece;
            else
            {
                if (isBosSpace && (spec.AddDummyPrefix || spec.RemoveExtraWhitespaces) && piece.StartsWith('\u2581'))
                {
                    piece = piece[1..];
                    bosSpaceSeen = !spec.RemoveExtraWhitespaces;
                }
                decoded = piece.Replace('\u2581', ' ');
            }
            text.Append(decoded);
        }
        FlushBytes(bytes, text);
        return text.ToString();
    }

    /// <summary>Appends byte pieces as characters, U+FFFD for each byte that does not start a valid one.</summary>
    private static void FlushBytes(List<byte> bytes, StringBuilder text)
    {
        if (bytes.Count == 0) return;
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        while (!span.IsEmpty)
        {
            if (SpmUtf8.IsValidPrefix(span, out int n)) text.Append(Encoding.UTF8.GetString(span[..n]));
            else text.Append('\uFFFD');
            span = span[n..];
        }
        bytes.Clear();
    }
}
