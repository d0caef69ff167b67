namespace LmToLlm.Subwords;

/// <summary>
/// A SentencePiece model ready to encode and decode, named after SentencePiece's own processor: train one with
/// <c>spm_train</c>'s semantics, or load a <c>.model</c> file that <c>spm_train</c> wrote; the ids equal
/// <c>spm_encode</c>'s.
/// </summary>
/// <example>Train on English and Korean text and count pieces per word: <c>samples/Subwords</c>.
/// <code>
/// var spm = SentencePieceProcessor.Train(lines, SentencePieceTrainerOptions.Default with { VocabSize = 8000 });
/// IReadOnlyList&lt;string&gt; pieces = spm.EncodeToPieces("학교에서 공부합니다");
/// string text = spm.Decode(spm.EncodeToIds("학교에서 공부합니다"));
/// </code></example>
public sealed class SentencePieceProcessor
{
    private readonly SubwordTokenizer _tokenizer;

    private SentencePieceProcessor(SentencePieceModel model) => _tokenizer = SubwordTokenizer.Create(model);

    /// <summary>The model behind this processor.</summary>
    internal SentencePieceModel Model => _tokenizer.Model;

    /// <summary>The number of pieces, special and byte pieces included: ids run from 0 to this minus one.</summary>
    public int PieceCount => _tokenizer.Model.Pieces.Count;

    /// <summary>Trains a model on <paramref name="lines"/> (one sentence per line), as <c>spm_train</c> does.</summary>
    /// <exception cref="LmToLlmException">The text cannot give the vocabulary asked for.</exception>
    public static SentencePieceProcessor Train(IEnumerable<string> lines, SentencePieceTrainerOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(options);
        return new SentencePieceProcessor(SubwordTrainer.Train(lines, options.ToTrainerOptions(), cancellationToken));
    }

    /// <summary>Reads a <c>.model</c> file.</summary>
    /// <exception cref="LmToLlmFormatException">The file is not a SentencePiece model.</exception>
    public static SentencePieceProcessor Load(string path) => new(SentencePieceModel.Load(path));

    /// <summary>Reads a model from <paramref name="stream"/>.</summary>
    /// <exception cref="LmToLlmFormatException">The bytes are not a SentencePiece model.</exception>
    public static SentencePieceProcessor Load(Stream stream) => new(SentencePieceModel.Read(stream));

    /// <summary>Writes the <c>.model</c> file (to a temporary name first, then moved into place).</summary>
    public void Save(string path) => _tokenizer.Model.Save(path);

    /// <summary>Writes the model in SentencePiece's binary format to <paramref name="stream"/>.</summary>
    public void Save(Stream stream) => _tokenizer.Model.WriteTo(stream);

    /// <summary>The piece ids of <paramref name="text"/>, as <c>spm_encode --output_format=id</c> prints them.</summary>
    public IReadOnlyList<int> EncodeToIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.EncodeToIds(text);
    }

    /// <summary>The pieces of <paramref name="text"/>, as <c>spm_encode --output_format=piece</c> prints them.</summary>
    public IReadOnlyList<string> EncodeToPieces(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.EncodeToPieces(text);
    }

    /// <summary>The text of piece ids, as <c>spm_decode --input_format=id</c> writes it.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return _tokenizer.Decode([.. ids]);
    }

    /// <summary>The piece with id <paramref name="id"/>.</summary>
    public string IdToPiece(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, PieceCount);
        return _tokenizer.IdToPiece(id);
    }
}
