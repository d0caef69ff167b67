using System.Text;
using LmToLlm.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// The <c>spm:PATH</c> analyzer: the pieces a SentencePiece model (BPE or Unigram) cuts text into, as
/// <c>spm_encode --output_format=piece</c> prints them, so that BM25, TF-IDF, n-grams and Word2Vec can run on
/// subwords. Input: text. Output: its pieces, <c>▁</c> marking a word start. Thread-safe.
/// </summary>
internal sealed class SubwordAnalyzer : Analyzer
{
    private const string Prefix = "spm:";
    private readonly SubwordTokenizer _tokenizer;

    [ThreadStatic] private static (List<int> Ids, List<string> Pieces)? t_buffers;

    private SubwordAnalyzer(SubwordTokenizer tokenizer, string name)
    {
        _tokenizer = tokenizer;
        Name = name;
    }

    /// <summary>The analyzer of <c>spm:PATH</c> (the model loaded from PATH), or null when the name does not start with <c>spm:</c>.</summary>
    /// <exception cref="ArgumentException">No path follows <c>spm:</c>.</exception>
    public static SubwordAnalyzer? TryFromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        string path = name[Prefix.Length..];
        if (path.Length == 0) throw new ArgumentException("analyzer 'spm:' needs a model path, e.g. spm:ko.model", nameof(name));
        return new SubwordAnalyzer(SubwordTokenizer.Create(SentencePieceModel.Load(path)), name);
    }

    /// <summary>An analyzer over an already loaded model, named <c>spm:</c> + <paramref name="path"/>.</summary>
    public static SubwordAnalyzer Create(SentencePieceModel model, string path) =>
        new(SubwordTokenizer.Create(model), Prefix + path);

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override void Analyze(ReadOnlySpan<char> text, ITokenSink sink)
    {
        var (ids, pieces) = t_buffers ??= ([], []);
        int length = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int n = Encoding.UTF8.GetBytes(text, rented);
            _tokenizer.Encode(rented.AsSpan(0, n), ids, pieces);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
        foreach (string piece in pieces) sink.Add(piece);
    }
}
