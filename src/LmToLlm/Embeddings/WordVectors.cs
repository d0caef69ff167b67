using System.Numerics.Tensors;

namespace LmToLlm.Embeddings;

/// <summary>
/// An immutable table of word vectors: <see cref="Count"/> words, each with a <see cref="Dimensions"/>-long float
/// vector, in the order of the file or of training (word2vec.c writes <c>&lt;/s&gt;</c> first, then words by
/// descending frequency). Thread-safe: every member may be called from many threads at once.
/// </summary>
/// <remarks>
/// Similarities are cosines, <c>cos(u, v) = u·v / (‖u‖‖v‖)</c>, computed on unit-normalised copies of the rows
/// (made once, on first use). A row of zeros has cosine 0 with everything.
/// </remarks>
public sealed class WordVectors
{
    private readonly string[] _words;
    private readonly System.Collections.ObjectModel.ReadOnlyCollection<string> _readOnlyWords;
    private readonly float[] _matrix;
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanIndex;
    private float[]? _unit;

    private WordVectors(string[] words, float[] matrix, int dimensions)
    {
        _words = words;
        _readOnlyWords = Array.AsReadOnly(words);
        _matrix = matrix;
        Dimensions = dimensions;
        _index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) _index.TryAdd(words[i], i); // a duplicate keeps its first (most frequent) row
        _spanIndex = _index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Length of every vector.</summary>
    public int Dimensions { get; }

    /// <summary>Number of words (rows).</summary>
    public int Count => _words.Length;

    /// <summary>The words in row order.</summary>
    internal IReadOnlyList<string> Words => _readOnlyWords;

    /// <summary>The word of row <paramref name="index"/>.</summary>
    public string Word(int index) => _words[index];

    /// <summary>Finds the row of <paramref name="word"/> (exact, case-sensitive match) without allocating.</summary>
    public bool TryGetIndex(ReadOnlySpan<char> word, out int index) => _spanIndex.TryGetValue(word, out index);

    /// <summary>True when <paramref name="word"/> has a vector.</summary>
    public bool Contains(ReadOnlySpan<char> word) => _spanIndex.ContainsKey(word);

    /// <summary>The raw vector of row <paramref name="index"/>, as stored (not normalised).</summary>
    public ReadOnlySpan<float> Vector(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return new ReadOnlySpan<float>(_matrix, index * Dimensions, Dimensions);
    }

    /// <summary>The raw vector of <paramref name="word"/>; throws <see cref="KeyNotFoundException"/> when it is unknown.</summary>
    public ReadOnlySpan<float> Vector(ReadOnlySpan<char> word) => Vector(IndexOf(word));

    /// <summary>The unit-length vector of row <paramref name="index"/> (<c>v / ‖v‖</c>; zeros stay zeros).</summary>
    internal ReadOnlySpan<float> UnitVector(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return new ReadOnlySpan<float>(Unit, index * Dimensions, Dimensions);
    }

    /// <summary>The whole row-major matrix (<see cref="Count"/> × <see cref="Dimensions"/>), as stored.</summary>
    internal ReadOnlySpan<float> Matrix => _matrix;

    /// <summary>
    /// Creates vectors from <paramref name="words"/> and a row-major <paramref name="matrix"/> of
    /// <c>words.Count × dimensions</c> floats (copied). <paramref name="dimensions"/> defaults to
    /// <c>matrix.Length / words.Count</c>.
    /// </summary>
    public static WordVectors Create(IReadOnlyList<string> words, float[] matrix, int dimensions = 0)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentOutOfRangeException.ThrowIfNegative(dimensions);
        if (dimensions == 0)
        {
            if (words.Count == 0) throw new ArgumentException("cannot infer the dimensions of an empty table; pass dimensions", nameof(dimensions));
            dimensions = matrix.Length / words.Count;
        }
        if (dimensions == 0 || (long)words.Count * dimensions != matrix.Length)
            throw new ArgumentException($"the matrix has {matrix.Length} floats, but {words.Count} words × {dimensions} dimensions need {(long)words.Count * dimensions}", nameof(matrix));
        var copy = new string[words.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            string w = words[i] ?? throw new ArgumentException($"word {i} is null", nameof(words));
            if (w.Length == 0 || w.AsSpan().IndexOfAny(' ', '\n') >= 0 || w.Contains('\t'))
                throw new ArgumentException($"word {i} ('{w}') is empty or contains a space, tab or newline; word2vec files cannot hold it", nameof(words));
            copy[i] = w;
        }
        return new WordVectors(copy, (float[])matrix.Clone(), dimensions);
    }

    /// <summary>Takes ownership of arrays built inside the library (no copy, no checks).</summary>
    internal static WordVectors Wrap(string[] words, float[] matrix, int dimensions) => new(words, matrix, dimensions);

    /// <summary>
    /// The largest vector dimension this library reads or trains: 65,536 (a compile-time limit; word2vec.c has none,
    /// typical models use 50–1,000). A word2vec header above it is an <see cref="LmToLlmFormatException"/>.
    /// </summary>
    internal const int MaxDimensions = 1 << 16;

    /// <summary>
    /// Reads a vector file, detecting its kind from its content: a fastText <c>.bin</c> model (its dictionary words with
    /// their subword vectors, see <see cref="FastText.FastTextModel.ToWordVectors"/>), a gzip-compressed text file
    /// (<c>.vec.gz</c>), or a word2vec binary or text file (see <see cref="WordVectorFileFormat"/>; a fastText <c>.vec</c>
    /// is a word2vec text file), or GloVe's header-less text.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="format">The format to read, or null (default) to detect it.</param>
    public static WordVectors Load(string path, WordVectorFileFormat? format = null) => Word2VecFormat.Load(path, format);

    /// <summary>Reads vectors written in <paramref name="format"/> (as <see cref="Save(Stream, WordVectorFileFormat)"/> writes them) from the rest of <paramref name="stream"/>.</summary>
    /// <exception cref="LmToLlmFormatException">The bytes are not a vector file of that format.</exception>
    public static WordVectors Load(Stream stream, WordVectorFileFormat format) => Word2VecFormat.Load(stream, format);

    /// <summary>
    /// Writes the vectors as word2vec.c does (atomically): header <c>"Count Dimensions\n"</c>, then per row the word,
    /// a space and either <see cref="Dimensions"/> little-endian float32 values and <c>\n</c> (binary), or each value
    /// as C <c>"%lf "</c> (six decimals and a space) and <c>\n</c> (text).
    /// </summary>
    public void Save(string path, WordVectorFileFormat format = WordVectorFileFormat.Binary, CancellationToken cancellationToken = default) => Word2VecFormat.Save(this, path, format, cancellationToken);

    /// <summary>Writes the vectors to <paramref name="stream"/> in the given format (see <see cref="Save(string, WordVectorFileFormat, CancellationToken)"/>).</summary>
    public void Save(Stream stream, WordVectorFileFormat format = WordVectorFileFormat.Binary) => Word2VecFormat.Write(this, stream, format);

    /// <summary>The first <paramref name="count"/> rows (the most frequent words of a word2vec.c file), or all when fewer.</summary>
    internal WordVectors RestrictToFirst(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count >= Count) return this;
        return new WordVectors(_words[..count], _matrix[..(count * Dimensions)], Dimensions);
    }

    /// <summary>A copy whose rows have unit length (<c>v / ‖v‖</c>; zero rows stay zero).</summary>
    internal WordVectors Normalized() => new(_words, (float[])Unit.Clone(), Dimensions);

    /// <summary>Cosine similarity of two rows.</summary>
    public float Similarity(int first, int second) => TensorPrimitives.Dot(UnitVector(first), UnitVector(second));

    /// <summary>Cosine similarity of two words; throws <see cref="KeyNotFoundException"/> when one is unknown.</summary>
    public float Similarity(ReadOnlySpan<char> first, ReadOnlySpan<char> second) => Similarity(IndexOf(first), IndexOf(second));

    /// <summary>The <paramref name="topN"/> words most similar (cosine) to <paramref name="word"/>, the word itself excluded.</summary>
    public IReadOnlyList<WordScore> MostSimilar(ReadOnlySpan<char> word, int topN = 10)
    {
        int index = IndexOf(word);
        ArgumentOutOfRangeException.ThrowIfNegative(topN);
        return Nearest(UnitVector(index), topN, [index]);
    }

    /// <summary>
    /// The <paramref name="topN"/> rows with the highest cosine to <paramref name="vector"/> (best first, ties by row),
    /// skipping the rows in <paramref name="exclude"/>.
    /// </summary>
    public IReadOnlyList<WordScore> MostSimilar(ReadOnlySpan<float> vector, int topN = 10, ReadOnlySpan<int> exclude = default)
    {
        if (vector.Length != Dimensions) throw new ArgumentException($"the query vector has {vector.Length} dimensions, the table {Dimensions}", nameof(vector));
        ArgumentOutOfRangeException.ThrowIfNegative(topN);
        float norm = TensorPrimitives.Norm(vector);
        var query = new float[Dimensions];
        if (norm > 0) TensorPrimitives.Divide(vector, norm, query);
        return Nearest(query, topN, exclude);
    }

    /// <summary>Exhaustive top-N by dot product with a unit-length query.</summary>
    private IReadOnlyList<WordScore> Nearest(ReadOnlySpan<float> query, int topN, ReadOnlySpan<int> exclude)
    {
        var top = new TopN(Math.Min(topN, Count)); // a topN beyond the table means "all", not a 2^31 list
        float[] unit = Unit;
        for (int row = 0; row < Count; row++)
        {
            if (exclude.Contains(row)) continue;
            top.Offer(row, TensorPrimitives.Dot(query, new ReadOnlySpan<float>(unit, row * Dimensions, Dimensions)));
        }
        return top.ToList(_words);
    }

    /// <summary>
    /// Solves <c>a : b :: c : ?</c> (e.g. man : king :: woman : queen), the inputs excluded from the answers.
    /// <see cref="AnalogyMethod.CosAdd"/> ranks <c>w</c> by <c>cos(w, b − a + c)</c> on unit vectors (Mikolov et al. 2013);
    /// <see cref="AnalogyMethod.CosMul"/> by <c>s(w,b)·s(w,c) / (s(w,a) + 0.001)</c> with <c>s = (cos + 1) / 2</c>
    /// (Levy and Goldberg 2014, "Linguistic Regularities in Sparse and Explicit Word Representations").
    /// </summary>
    public IReadOnlyList<WordScore> Analogy(ReadOnlySpan<char> a, ReadOnlySpan<char> b, ReadOnlySpan<char> c, int topN = 1, AnalogyMethod method = AnalogyMethod.CosAdd)
    {
        int ia = IndexOf(a), ib = IndexOf(b), ic = IndexOf(c);
        ReadOnlySpan<int> exclude = [ia, ib, ic];
        if (method == AnalogyMethod.CosAdd)
        {
            var target = new float[Dimensions];
            TensorPrimitives.Subtract(UnitVector(ib), UnitVector(ia), target);
            TensorPrimitives.Add(target, UnitVector(ic), target);
            return MostSimilar(target, topN, exclude);
        }
        ArgumentOutOfRangeException.ThrowIfNegative(topN);
        var top = new TopN(Math.Min(topN, Count)); // a topN beyond the table means "all", not a 2^31 list
        ReadOnlySpan<float> ua = UnitVector(ia), ub = UnitVector(ib), uc = UnitVector(ic);
        for (int row = 0; row < Count; row++)
        {
            if (exclude.Contains(row)) continue;
            ReadOnlySpan<float> w = UnitVector(row);
            float sa = (TensorPrimitives.Dot(w, ua) + 1) / 2, sb = (TensorPrimitives.Dot(w, ub) + 1) / 2, sc = (TensorPrimitives.Dot(w, uc) + 1) / 2;
            top.Offer(row, sb * sc / (sa + 0.001f));
        }
        return top.ToList(_words);
    }

    /// <summary>
    /// The word that fits least with the others: the one whose unit vector has the lowest cosine with the mean of
    /// all the unit vectors (gensim's <c>doesnt_match</c>). Unknown words are ignored; at least one must be known.
    /// </summary>
    public string DoesNotMatch(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var known = new List<int>();
        foreach (string w in words) if (TryGetIndex(w, out int i)) known.Add(i);
        if (known.Count == 0) throw new ArgumentException("none of the words has a vector", nameof(words));
        var mean = new float[Dimensions];
        foreach (int i in known) TensorPrimitives.Add(mean, UnitVector(i), mean);
        TensorPrimitives.Divide(mean, known.Count, mean);
        int worst = known[0];
        float worstScore = float.PositiveInfinity;
        foreach (int i in known)
        {
            float score = TensorPrimitives.Dot(UnitVector(i), mean);
            if (score < worstScore) (worst, worstScore) = (i, score);
        }
        return _words[worst];
    }

    internal int IndexOf(ReadOnlySpan<char> word) =>
        TryGetIndex(word, out int index) ? index : throw new KeyNotFoundException($"'{word}' is not in the vocabulary ({Count} words)");

    private float[] Unit
    {
        get
        {
            if (Volatile.Read(ref _unit) is { } ready) return ready;
            var unit = new float[_matrix.Length];
            for (int row = 0; row < Count; row++)
            {
                var source = new ReadOnlySpan<float>(_matrix, row * Dimensions, Dimensions);
                float norm = TensorPrimitives.Norm(source);
                if (norm > 0) TensorPrimitives.Divide(source, norm, unit.AsSpan(row * Dimensions, Dimensions));
            }
            Interlocked.CompareExchange(ref _unit, unit, null);
            return _unit!;
        }
    }

    /// <summary>Keeps the best <c>n</c> (row, score) pairs: higher score first, lower row on ties.</summary>
    private sealed class TopN(int n)
    {
        private readonly List<(int Row, float Score)> _items = new(n + 1);

        public void Offer(int row, float score)
        {
            if (n == 0 || float.IsNaN(score)) return;
            if (_items.Count == n && score <= _items[^1].Score) return;
            int at = _items.Count;
            while (at > 0 && _items[at - 1].Score < score) at--;
            _items.Insert(at, (row, score));
            if (_items.Count > n) _items.RemoveAt(n);
        }

        public IReadOnlyList<WordScore> ToList(string[] words) => _items.ConvertAll(x => new WordScore(words[x.Row], x.Row, x.Score));
    }
}

/// <summary>A word, its row and a score (cosine or 3CosMul value).</summary>
public readonly record struct WordScore
{
    internal WordScore(string Word, int Index, float Score)
    {
        this.Word = Word; this.Index = Index; this.Score = Score;
    }

    /// <summary>The word.</summary>
    public string Word { get; }

    /// <summary>Its row in the vectors.</summary>
    public int Index { get; }

    /// <summary>Cosine similarity (or the 3CosMul score).</summary>
    public float Score { get; }
}

/// <summary>How <see cref="WordVectors.Analogy"/> ranks candidates.</summary>
public enum AnalogyMethod
{
    /// <summary>3CosAdd: <c>cos(w, b − a + c)</c> (Mikolov et al. 2013; word2vec.c <c>word-analogy</c>).</summary>
    CosAdd,

    /// <summary>3CosMul: <c>s(w,b)·s(w,c) / (s(w,a) + ε)</c>, <c>s = (cos + 1)/2</c>, <c>ε = 0.001</c> (Levy and Goldberg 2014).</summary>
    CosMul,
}

/// <summary>The two word2vec.c vector file formats.</summary>
public enum WordVectorFileFormat
{
    /// <summary><c>-binary 1</c>: the word, a space, raw little-endian float32 values, <c>\n</c>.</summary>
    Binary,

    /// <summary><c>-binary 0</c>: the word and the values printed with C <c>"%lf "</c>.</summary>
    Text,

    /// <summary>
    /// GloVe's text output (<c>glove -binary 0</c>): no header line; each line is the word and the values printed with
    /// C <c>" %lf"</c>. <see cref="WordVectors.Load(string, WordVectorFileFormat?)"/> recognises it when the first line is a word followed by
    /// numbers rather than a <c>"count dimensions"</c> header.
    /// </summary>
    GloVeText,
}
