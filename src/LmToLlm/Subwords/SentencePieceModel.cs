using LmToLlm.Primitives;
using System.Globalization;
using System.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// A SentencePiece model (<c>.model</c>, the <c>ModelProto</c> message of <c>sentencepiece_model.proto</c>): the
/// pieces in id order, the trainer options and the normaliser. Reads what <c>spm_train</c> writes and writes what
/// <c>spm_encode</c> and Microsoft.ML.Tokenizers read; a model read and written back keeps its bytes.
/// </summary>
internal sealed class SentencePieceModel
{
    private const int PiecesField = 1, TrainerSpecField = 2, NormalizerSpecField = 3;

    private readonly ProtoMessage _proto;
    private readonly SentencePiece[] _pieces;

    private SentencePieceModel(ProtoMessage proto, SentencePiece[] pieces, SubwordTrainerSpec trainer, SubwordNormalizerSpec normalizer)
    {
        _proto = proto;
        _pieces = pieces;
        TrainerSpec = trainer;
        NormalizerSpec = normalizer;
    }

    /// <summary>The pieces in id order.</summary>
    internal IReadOnlyList<SentencePiece> Pieces => _pieces;

    /// <summary>The training options stored with the model.</summary>
    internal SubwordTrainerSpec TrainerSpec { get; }

    /// <summary>The normalisation stored with the model.</summary>
    internal SubwordNormalizerSpec NormalizerSpec { get; }

    /// <summary>The algorithm the pieces are for.</summary>
    internal SubwordModelType ModelType => TrainerSpec.ModelType;

    /// <summary>Reads the model file <paramref name="path"/>.</summary>
    /// <exception cref="LmToLlmFormatException">The file is not a SentencePiece model.</exception>
    internal static SentencePieceModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a model from <paramref name="stream"/>; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="LmToLlmFormatException">The bytes are not a SentencePiece model.</exception>
    internal static SentencePieceModel Read(Stream stream, string name = "<stream>")
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Parse(BinaryFormat.ReadAll(stream), name);
    }

    /// <summary>Parses model bytes; <paramref name="name"/> names them in errors.</summary>
    internal static SentencePieceModel Parse(byte[] bytes, string name)
    {
        ProtoMessage proto;
        var pieces = new List<SentencePiece>();
        ProtoMessage trainer, normalizer;
        try
        {
            proto = new ProtoMessage(bytes);
            foreach (var f in proto.Fields)
            {
                if (f.Number != PiecesField) continue;
                if (f.WireType != ProtoWire.LengthDelimited) throw new FormatException("a piece is not a message");
                var piece = new ProtoMessage(f.Bytes);
                var text = piece.GetBytes(1);
                pieces.Add(new SentencePiece(DecodeUtf8(text.Span, pieces.Count), piece.GetFloat(2, 0f),
                    (SentencePieceType)piece.GetInt32(3, (int)SentencePieceType.Normal)));
            }
            trainer = new ProtoMessage(proto.GetBytes(TrainerSpecField));
            normalizer = new ProtoMessage(proto.GetBytes(NormalizerSpecField));
        }
        catch (FormatException e)
        {
            throw new LmToLlmFormatException(name, 0, $"not a SentencePiece model ({e.Message}); pass a .model file written by spm_train or lmtollm spm train");
        }
        var model = new SentencePieceModel(proto, pieces.ToArray(), new SubwordTrainerSpec(trainer), new SubwordNormalizerSpec(normalizer));
        string? problem = model.Validate();
        if (problem is not null) throw new LmToLlmFormatException(name, 0, $"not a usable SentencePiece model: {problem}");
        return model;
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, int id)
    {
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw new FormatException($"piece {id} is not valid UTF-8"); }
    }

    /// <summary>The checks SentencePiece's <c>InitializePieces</c> makes, as one sentence, or null when the model is usable.</summary>
    private string? Validate()
    {
        if (_pieces.Length == 0) return "it has no pieces";
        int type = (int)ModelType;
        if (type is < 1 or > 4) return $"model type {type} is unknown";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int unknown = -1;
        var bytes = new bool[256];
        for (int id = 0; id < _pieces.Length; id++)
        {
            var p = _pieces[id];
            if (p.Text.Length == 0) return $"piece {id} is empty";
            if (p.Type is < SentencePieceType.Normal or > SentencePieceType.Byte) return $"piece {id} has the unknown type {(int)p.Type}";
            if (!seen.Add(p.Text)) return $"the piece {p.Text} is defined twice";
            if (p.Type == SentencePieceType.Unknown)
            {
                if (unknown >= 0) return "it defines more than one unknown piece";
                unknown = id;
            }
            if (p.Type == SentencePieceType.Byte)
            {
                if (!TrainerSpec.ByteFallback) return $"the byte piece {p.Text} is present although byte_fallback is false";
                int b = ByteOfPiece(p.Text);
                if (b < 0) return $"the byte piece {p.Text} is not of the form <0xHH>";
                bytes[b] = true;
            }
        }
        if (unknown < 0) return "it defines no unknown piece";
        var charsMap = NormalizerSpec.PrecompiledCharsMap.Span;
        if (!charsMap.IsEmpty && (charsMap.Length <= 4 || System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(charsMap) > (uint)(charsMap.Length - 4)))
            return "its normalisation rules (precompiled_charsmap) are broken";
        if (TrainerSpec.ByteFallback && Array.IndexOf(bytes, false) >= 0) return "byte_fallback is true but not all 256 byte pieces are present";
        return null;
    }

    /// <summary>The byte a <c>&lt;0xHH&gt;</c> piece stands for (upper-case hex, as SentencePiece writes), or -1.</summary>
    internal static int ByteOfPiece(string piece)
    {
        if (piece.Length != 6 || !piece.StartsWith("<0x", StringComparison.Ordinal) || piece[5] != '>') return -1;
        int hi = HexDigit(piece[3]), lo = HexDigit(piece[4]);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    private static int HexDigit(char c) => c is >= '0' and <= '9' ? c - '0' : c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;

    /// <summary>The piece for byte <paramref name="value"/>: <c>&lt;0xHH&gt;</c>.</summary>
    internal static string PieceOfByte(int value) => $"<0x{value:X2}>";

    /// <summary>Builds a model from pieces and spec messages (used by the trainers).</summary>
    internal static SentencePieceModel Create(IReadOnlyList<SentencePiece> pieces, ProtoMessage trainer, ProtoMessage normalizer)
    {
        var proto = new ProtoMessage();
        foreach (var p in pieces)
        {
            var m = new ProtoMessage();
            m.AddString(1, p.Text);
            m.AddFloat(2, p.Score);
            if (p.Type != SentencePieceType.Normal) m.AddInt32(3, (int)p.Type);
            proto.AddBytes(PiecesField, m.ToBytes());
        }
        proto.AddBytes(TrainerSpecField, trainer.ToBytes());
        proto.AddBytes(NormalizerSpecField, normalizer.ToBytes());
        return Parse(proto.ToBytes(), "<trained model>");
    }

    /// <summary>Writes the model in SentencePiece's binary format.</summary>
    internal void WriteTo(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _proto.WriteTo(output);
    }

    /// <summary>Writes the model to <paramref name="path"/> (to a temporary name first, then moved into place).</summary>
    internal void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, WriteTo);
    }

    /// <summary>
    /// Writes the <c>.vocab</c> text: one line per piece, <c>piece TAB score</c>, the score printed as C++'s
    /// <c>ostream &lt;&lt; float</c> prints it (six significant digits, <c>-0</c> kept), as <c>spm_train</c> writes it.
    /// </summary>
    internal void WriteVocab(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var p in _pieces)
        {
            output.Write(p.Text);
            output.Write('\t');
            output.Write(FormatScore(p.Score));
            output.Write('\n');
        }
    }

    /// <summary>A float as C's <c>%g</c> prints it: six significant digits, trailing zeros dropped.</summary>
    internal static string FormatScore(float score)
    {
        double v = score;
        if (v == 0) return double.IsNegative(v) ? "-0" : "0";
        if (double.IsNaN(v)) return double.IsNegative(v) ? "-nan" : "nan";
        if (double.IsInfinity(v)) return v < 0 ? "-inf" : "inf";
        string e = v.ToString("E5", CultureInfo.InvariantCulture); // d.dddddE+xxx, rounded as %g rounds
        int exponent = int.Parse(e.AsSpan(e.IndexOf('E') + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= 6)
        {
            string mantissa = TrimZeros(e[..e.IndexOf('E')]);
            return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }
        return TrimZeros(v.ToString("F" + (5 - exponent).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }

    private static string TrimZeros(string s) => s.Contains('.') ? s.TrimEnd('0').TrimEnd('.') : s;
}
