using System.Numerics.Tensors;
using System.Text;

namespace LmToLlm.Embeddings.FastText;

/// <summary>
/// An unsupervised fastText model: dictionary, input matrix (one row per word, then <c>bucket</c> rows for hashed
/// character n-grams) and output matrix, as the reference tool keeps them. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// A word's vector is the mean of the input rows of its subwords (Bojanowski et al. 2017; the reference's
/// <c>getWordVector</c>): <c>v(w) = (1/|S_w|) Σ_{s∈S_w} x_s</c>, where <c>S_w</c> is the word's own row when it is in the
/// dictionary plus the rows <c>nwords + FNV-1a(g) mod bucket</c> of the n-grams g of <c>&lt;w&gt;</c>
/// (see <see cref="FastTextSubwords"/>). A word outside the dictionary gets the mean of its n-gram rows only, and a
/// word without any subword a vector of zeros.
/// </remarks>
public sealed partial class FastTextModel
{
    private readonly string[] _words;
    private readonly long[] _counts;
    private readonly byte[] _types;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly int _outputRows;
    private readonly int[] _subwordStarts;
    private readonly int[] _subwordRows;
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanIndex;
    private WordVectors? _wordVectors;

    internal FastTextModel(FastTextOptions options, string[] words, long[] counts, byte[] types, long tokens, float[] input, float[] output, int outputRows)
    {
        Options = options;
        _words = words;
        _counts = counts;
        _types = types;
        Tokens = tokens;
        _input = input;
        _output = output;
        _outputRows = outputRows;
        _index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) _index.TryAdd(words[i], i);
        _spanIndex = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        (_subwordStarts, _subwordRows) = BuildSubwords(words, options);
    }

    /// <summary>The hyper-parameters stored in the model (learning rate, threads and seed are not stored: defaults).</summary>
    internal FastTextOptions Options { get; }

    /// <summary>Vector size.</summary>
    internal int Dimensions => Options.Dimensions;

    /// <summary>Dictionary size (the reference's <c>nwords</c>): <c>&lt;/s&gt;</c> and the words by descending count.</summary>
    public int Count => _words.Length;

    /// <summary>The dictionary words in row order.</summary>
    internal IReadOnlyList<string> Words => _words;

    /// <summary>Occurrences of each dictionary word in the training text.</summary>
    internal IReadOnlyList<long> Counts => _counts;

    /// <summary>Tokens of the training text, line ends (<c>&lt;/s&gt;</c>) included (the reference's <c>ntokens</c>).</summary>
    public long Tokens { get; }

    /// <summary>Rows of the input matrix: <see cref="Count"/> + <c>bucket</c>.</summary>
    internal int InputRows => _input.Length / Dimensions;

    /// <summary>The input matrix (row-major, <see cref="InputRows"/> × <see cref="Dimensions"/>).</summary>
    internal ReadOnlySpan<float> InputMatrix => _input;

    /// <summary>The output matrix (row-major, one row per dictionary word for negative sampling).</summary>
    internal ReadOnlySpan<float> OutputMatrix => _output;

    internal int OutputRows => _outputRows;

    internal byte[] Types => _types;

    /// <summary>The dictionary id of <paramref name="word"/>, or −1.</summary>
    internal int IndexOf(ReadOnlySpan<char> word) => _spanIndex.TryGetValue(word, out int id) ? id : -1;

    /// <summary>True when <paramref name="word"/> is in the dictionary (every word has a vector anyway, from its n-grams).</summary>
    internal bool Contains(ReadOnlySpan<char> word) => _spanIndex.ContainsKey(word);

    /// <summary>
    /// The input-matrix rows averaged for <paramref name="word"/> (the reference's <c>getSubwords</c>): its own row first
    /// when it is in the dictionary, then its n-gram rows (none for <c>&lt;/s&gt;</c>).
    /// </summary>
    internal IReadOnlyList<int> SubwordRows(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        int id = IndexOf(word);
        if (id >= 0) return _subwordRows[_subwordStarts[id].._subwordStarts[id + 1]];
        var rows = new List<int>();
        if (word != Word2VecVocabulary.SentenceEnd)
            FastTextSubwords.AddNGramRows(Wrap(word), Count, Options.Bucket, Options.MinN, Options.MaxN, rows);
        return rows;
    }

    internal ReadOnlySpan<int> DictionarySubwords(int id) => _subwordRows.AsSpan(_subwordStarts[id], _subwordStarts[id + 1] - _subwordStarts[id]);

    /// <summary>The vector of <paramref name="word"/>, in or out of the dictionary (mean of its subword rows; see remarks).</summary>
    internal float[] WordVector(string word)
    {
        var vector = new float[Dimensions];
        WordVector(word, vector);
        return vector;
    }

    /// <summary>Writes the vector of <paramref name="word"/> into <paramref name="destination"/> (length <see cref="Dimensions"/>).</summary>
    internal void WordVector(string word, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (destination.Length != Dimensions) throw new ArgumentException($"the destination has {destination.Length} floats, the model {Dimensions} dimensions", nameof(destination));
        int id = IndexOf(word);
        if (id >= 0)
        {
            Mean(DictionarySubwords(id), destination);
            return;
        }
        Mean(System.Runtime.InteropServices.CollectionsMarshal.AsSpan((List<int>)SubwordRows(word)), destination);
    }

    private void Mean(ReadOnlySpan<int> rows, Span<float> destination)
    {
        destination.Clear();
        foreach (int row in rows) TensorPrimitives.Add(destination, _input.AsSpan(row * Dimensions, Dimensions), destination);
        if (rows.Length > 0) TensorPrimitives.Multiply(destination, 1f / rows.Length, destination);
    }

    /// <summary>
    /// The dictionary words with their composed vectors, in dictionary order: what the reference writes to the
    /// <c>.vec</c> file, and the table its <c>nn</c> and <c>analogies</c> commands search. Computed once.
    /// </summary>
    private WordVectors DictionaryVectors()
    {
        if (Volatile.Read(ref _wordVectors) is { } ready) return ready;
        var matrix = new float[(long)Count * Dimensions];
        for (int i = 0; i < Count; i++) Mean(DictionarySubwords(i), matrix.AsSpan(i * Dimensions, Dimensions));
        Interlocked.CompareExchange(ref _wordVectors, WordVectors.Wrap(_words, matrix, Dimensions), null);
        return _wordVectors!;
    }

    /// <summary>
    /// The dictionary words with their composed vectors (as above), followed by those of <paramref name="additionalWords"/>
    /// (when given) that are not in the dictionary, each with its n-gram vector (first occurrence order; words that cannot be stored in a
    /// vector file — empty, or with a space, tab or newline — are skipped). This gives a word table that any consumer
    /// of <see cref="WordVectors"/> (e.g. a dense encoder) can use for a collection's unseen and inflected words.
    /// </summary>
    public WordVectors ToWordVectors(IEnumerable<string>? additionalWords = null)
    {
        var baseVectors = DictionaryVectors();
        if (additionalWords is null) return baseVectors;
        var extra = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string word in additionalWords)
        {
            if (string.IsNullOrEmpty(word) || word.AsSpan().IndexOfAny(" \t\n") >= 0 || Contains(word) || !seen.Add(word)) continue;
            extra.Add(word);
        }
        if (extra.Count == 0) return baseVectors;
        var words = new string[Count + extra.Count];
        _words.CopyTo(words, 0);
        extra.CopyTo(words, Count);
        var matrix = new float[(long)words.Length * Dimensions];
        baseVectors.Matrix.CopyTo(matrix);
        for (int i = 0; i < extra.Count; i++) WordVector(extra[i], matrix.AsSpan((Count + i) * Dimensions, Dimensions));
        return WordVectors.Wrap(words, matrix, Dimensions);
    }

    /// <summary>
    /// The <paramref name="topN"/> dictionary words nearest to <paramref name="word"/> (which may be out of the
    /// dictionary) by cosine, the word itself excluded: the reference's <c>nn</c>.
    /// </summary>
    internal IReadOnlyList<WordScore> MostSimilar(string word, int topN = 10)
    {
        ArgumentNullException.ThrowIfNull(word);
        int id = IndexOf(word);
        return ToWordVectors().MostSimilar(WordVector(word), topN, id >= 0 ? [id] : []);
    }

    /// <summary>Reads a fastText <c>.bin</c> model (format version 11 or 12, not quantized) written by the reference tool or by <see cref="Save(string)"/>.</summary>
    public static FastTextModel Load(string path) => FastTextBinaryFormat.Load(path);

    /// <summary>True when <paramref name="path"/> starts with the fastText model magic number (793712314).</summary>
    public static bool IsModelFile(string path) => FastTextBinaryFormat.HasMagic(path);

    /// <summary>Writes the model in the reference's <c>.bin</c> format (version 12), atomically.</summary>
    public void Save(string path) => FastTextBinaryFormat.Save(this, path);

    /// <summary>Writes the model in the reference's <c>.bin</c> format (the bytes <see cref="Save(string)"/> writes) to <paramref name="stream"/>.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        FastTextBinaryFormat.Write(this, stream);
    }

    /// <summary>Reads a model written by <see cref="Save(Stream)"/> (or the reference) from the rest of <paramref name="stream"/>.</summary>
    /// <exception cref="LmToLlmFormatException">The bytes are not a supported fastText model.</exception>
    public static FastTextModel Load(Stream stream) => FastTextBinaryFormat.Load(stream);

    /// <summary>
    /// Writes the dictionary words' vectors as the reference's <c>.vec</c> text file (atomically; gzip when the name ends
    /// in <c>.gz</c>): see <see cref="FastTextVecFormat"/>.
    /// </summary>
    internal void SaveVectors(string path) => FastTextVecFormat.Save(ToWordVectors(), path);

    internal static byte[] Wrap(string word) => Encoding.UTF8.GetBytes(FastTextSubwords.BeginOfWord + word + FastTextSubwords.EndOfWord);

    /// <summary><c>Dictionary::initNgrams</c>: per word its own id, then its n-gram rows (<c>&lt;/s&gt;</c> has none) — CSR arrays.</summary>
    internal static (int[] Starts, int[] Rows) BuildSubwords(string[] words, FastTextOptions options)
    {
        var starts = new int[words.Length + 1];
        var rows = new List<int>(words.Length * 8);
        for (int i = 0; i < words.Length; i++)
        {
            starts[i] = rows.Count;
            rows.Add(i);
            if (words[i] != Word2VecVocabulary.SentenceEnd)
                FastTextSubwords.AddNGramRows(Wrap(words[i]), words.Length, options.Bucket, options.MinN, options.MaxN, rows);
        }
        starts[words.Length] = rows.Count;
        return (starts, rows.ToArray());
    }
}
