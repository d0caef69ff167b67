using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using LmToLlm.Corpora;
using LmToLlm.Embeddings;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Text;
using Microsoft.ML.Data;

namespace LmToLlm.ML;

/// <summary>What a lexical featurizer weights a term occurrence count with.</summary>
internal enum LexicalWeighting : byte { TermFrequency, TfIdf, Bm25 }

/// <summary>
/// A fitted text → vector function and its state. Input: a text. Output: a vector of <see cref="Length"/> slots
/// (sparse where the weighting is), computed by the core library's own types so that it equals their vectors.
/// The state serialises to a string kept inside the ML.NET model (see <c>Plumbing/FeatureColumns</c>).
/// </summary>
internal abstract class Featurizer
{
    /// <summary>The number of meaningful slots (vocabulary size or dimensions).</summary>
    public abstract int Length { get; }

    /// <summary>Slot names (vocabulary terms), or empty for dense vectors.</summary>
    public abstract IReadOnlyList<string> SlotNames { get; }

    /// <summary>Writes the vector of <paramref name="text"/> into <paramref name="destination"/> (length <paramref name="columnLength"/> ≥ <see cref="Length"/>; extra slots are zero).</summary>
    public abstract void Featurize(string text, ref VBuffer<float> destination, int columnLength);

    protected abstract void WriteState(BinaryWriter writer);

    private static ReadOnlySpan<byte> Magic => "LMTLLMML"u8;
    private const int Version = 2;

    /// <summary>The state as one base-64 string: magic, version, kind, then the kind's fields.</summary>
    public string Serialize()
    {
        var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(this is DenseFeaturizer ? (byte)1 : (byte)0);
            WriteState(w);
        }
        return Convert.ToBase64String(body.GetBuffer(), 0, (int)body.Length);
    }

    public static Featurizer Deserialize(ReadOnlySpan<char> state)
    {
        byte[] bytes = new byte[state.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(state, bytes, out int written))
            throw new InvalidOperationException("the LmToLlm state column of this model is not valid base 64; the model file is damaged");
        using var r = new BinaryReader(new MemoryStream(bytes, 0, written), Encoding.UTF8);
        if (written < Magic.Length + 5 || !r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            throw new InvalidOperationException("the LmToLlm state column of this model does not start with LMTLLMML; the model file is damaged");
        int version = r.ReadInt32();
        if (version != Version)
            throw new InvalidOperationException($"LmToLlm model state version {version} is not supported (this build reads version {Version}); refit the pipeline");
        try
        {
            var featurizer = r.ReadByte() switch
            {
                0 => (Featurizer)LexicalFeaturizer.Read(r),
                1 => DenseFeaturizer.Read(r),
                var kind => throw new InvalidOperationException($"unknown LmToLlm featurizer kind {kind}; the model file is damaged"),
            };
            if (r.BaseStream.Position != r.BaseStream.Length)
                throw new InvalidOperationException("the LmToLlm state column of this model has trailing bytes; the model file is damaged");
            return featurizer;
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or OverflowException or FormatException or LmToLlmFormatException)
        {
            throw new InvalidOperationException($"the LmToLlm state column of this model is truncated or inconsistent ({e.Message}); the model file is damaged", e);
        }
    }

    private static readonly ConditionalWeakTable<string, Featurizer> ByState = new();

    /// <summary>
    /// The featurizer of a state string, decoded once per string instance: ML.NET hands the same string to every
    /// row, so the per-row cost is a table lookup.
    /// </summary>
    public static Featurizer FromState(ReadOnlyMemory<char> state)
    {
        if (MemoryMarshal.TryGetString(state, out string? text, out int start, out int length) && start == 0 && length == text.Length)
            return ByState.GetValue(text, s => Deserialize(s));
        return Deserialize(state.Span);
    }

    /// <summary>Remembers the featurizer of a state string made by <see cref="Serialize"/> (so fitting does not decode it again).</summary>
    public static void Remember(string state, Featurizer featurizer) => ByState.AddOrUpdate(state, featurizer);

    /// <summary>Fills a sparse buffer from ascending slots and their weights.</summary>
    protected static void WriteSparse(ref VBuffer<float> destination, int columnLength, ReadOnlySpan<int> slots, ReadOnlySpan<double> weights)
    {
        var editor = VBufferEditor.Create(ref destination, columnLength, slots.Length);
        for (int i = 0; i < slots.Length; i++)
        {
            editor.Indices[i] = slots[i];
            editor.Values[i] = (float)weights[i];
        }
        destination = editor.Commit();
    }

    /// <summary>Writes what <paramref name="save"/> writes as one length-prefixed block (the core's file layout, frame and checksum included).</summary>
    protected static void WriteBytes(BinaryWriter w, Action<Stream> save)
    {
        using var block = new MemoryStream();
        save(block);
        w.Write(checked((int)block.Length));
        w.Write(block.GetBuffer(), 0, (int)block.Length);
    }

    /// <summary>A block written by <see cref="WriteBytes"/>, as a stream to load from.</summary>
    protected static MemoryStream ReadBytes(BinaryReader r)
    {
        int length = r.ReadInt32();
        byte[] bytes = r.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException($"a block of {length} bytes is cut short at {bytes.Length}");
        return new MemoryStream(bytes, writable: false);
    }
}

/// <summary>
/// Term-frequency, TF-IDF or BM25 vectors over the vocabulary of an <see cref="InvertedIndex"/> of the training
/// texts. Slot s is the s-th vocabulary term in index (ordinal) order; TF-IDF leaves out terms pruned by min/max df.
/// TF-IDF = <see cref="TfIdf.QueryVector"/> (scikit-learn <c>transform</c>), BM25 = <see cref="Bm25.TextVector"/>,
/// term frequency = occurrence counts (the TF-IDF vector without idf and norm, scikit-learn's <c>CountVectorizer</c>);
/// weights computed in double (BM25 float) and stored as float.
/// </summary>
internal sealed class LexicalFeaturizer : Featurizer
{
    /// <summary>TF-IDF options under which a vector holds the raw occurrence counts.</summary>
    private static readonly TfIdfOptions Counts = new() { UseIdf = false, Norm = TfIdfNorm.None };

    private readonly InvertedIndex _index;
    private readonly LexicalWeighting _weighting;
    private readonly TfIdfOptions _tfIdfOptions;
    private readonly Bm25Options _bm25Options;
    private readonly TfIdf? _tfIdf;
    private readonly Bm25? _bm25;
    private readonly int[] _slot;          // term id → slot, -1 when pruned
    private readonly string[] _slotNames;

    private LexicalFeaturizer(InvertedIndex index, LexicalWeighting weighting, TfIdfOptions tfIdf, Bm25Options bm25)
    {
        _index = index;
        _weighting = weighting;
        _tfIdfOptions = tfIdf;
        _bm25Options = bm25;
        if (weighting == LexicalWeighting.Bm25) _bm25 = Bm25.Create(index, bm25);
        else _tfIdf = TfIdf.Create(index, weighting == LexicalWeighting.TfIdf ? tfIdf : Counts);
        _slot = new int[index.TermCount];
        var names = new List<string>();
        for (int t = 0; t < _slot.Length; t++)
        {
            if (_tfIdf is { } model && !model.InVocabulary(t)) { _slot[t] = -1; continue; }
            _slot[t] = names.Count;
            names.Add(index.Term(t));
        }
        _slotNames = [.. names];
    }

    public static LexicalFeaturizer Fit(IReadOnlyList<string> texts, LexicalWeighting weighting, LexicalVectorOptions options)
    {
        var analyzer = Analyzer.FromName(options.Analyzer);
        var documents = texts.Select((text, i) => new Document(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "", text));
        var index = InvertedIndex.Build(documents, analyzer, options.NGrams);
        return new LexicalFeaturizer(index, weighting, options.TfIdf, options.Bm25);
    }

    public override int Length => _slotNames.Length;

    public override IReadOnlyList<string> SlotNames => _slotNames;

    public override void Featurize(string text, ref VBuffer<float> destination, int columnLength)
    {
        SparseVector vector = _bm25 is { } bm25 ? bm25.TextVector(text) : _tfIdf!.QueryVector(text);
        var slots = vector.Terms.Length <= 256 ? stackalloc int[vector.Terms.Length] : new int[vector.Terms.Length];
        for (int i = 0; i < slots.Length; i++) slots[i] = _slot[vector.Terms[i]];
        WriteSparse(ref destination, columnLength, slots, vector.Weights);
    }

    protected override void WriteState(BinaryWriter w)
    {
        w.Write((byte)_weighting);
        WriteBytes(w, _index.Save);
        var t = _tfIdfOptions;
        w.Write((byte)t.Norm);
        w.Write(t.UseIdf);
        w.Write(t.SmoothIdf);
        w.Write(t.SublinearTf);
        w.Write(t.MinDf.Value);
        w.Write(t.MinDf.IsFraction);
        w.Write(t.MaxDf.Value);
        w.Write(t.MaxDf.IsFraction);
        var b = _bm25Options;
        w.Write((byte)b.Variant);
        w.Write(b.K1);
        w.Write(b.B);
        w.Write(b.Delta.HasValue);
        w.Write(b.Delta ?? 0f);
    }

    public static LexicalFeaturizer Read(BinaryReader r)
    {
        var weighting = (LexicalWeighting)r.ReadByte();
        var index = InvertedIndex.Load(ReadBytes(r));
        var tfIdf = new TfIdfOptions
        {
            Norm = (TfIdfNorm)r.ReadByte(),
            UseIdf = r.ReadBoolean(),
            SmoothIdf = r.ReadBoolean(),
            SublinearTf = r.ReadBoolean(),
            MinDf = ReadLimit(r),
            MaxDf = ReadLimit(r),
        };
        var bm25 = new Bm25Options { Variant = (Bm25Variant)r.ReadByte(), K1 = r.ReadSingle(), B = r.ReadSingle() };
        bool hasDelta = r.ReadBoolean();
        float delta = r.ReadSingle();
        if (hasDelta) bm25 = bm25 with { Delta = delta };
        return new LexicalFeaturizer(index, weighting, tfIdf, bm25);
    }

    private static DocumentFrequencyLimit ReadLimit(BinaryReader r)
    {
        double value = r.ReadDouble();
        return r.ReadBoolean() ? DocumentFrequencyLimit.Fraction(value) : DocumentFrequencyLimit.Count((int)value);
    }
}

/// <summary>
/// Dense document vectors: <see cref="DenseEncoder.Encode"/> of the text, the encoder fitted on the training texts
/// (idf, word frequencies, SIF's removed component). Slot = dimension.
/// </summary>
internal sealed class DenseFeaturizer(DenseEncoder encoder) : Featurizer
{
    public DenseEncoder Encoder { get; } = encoder;

    public override int Length => Encoder.Dimensions;

    public override IReadOnlyList<string> SlotNames => [];

    public override void Featurize(string text, ref VBuffer<float> destination, int columnLength)
    {
        var editor = VBufferEditor.Create(ref destination, columnLength);
        var values = editor.Values;
        values.Clear();
        Encoder.Encode(text).CopyTo(values);
        destination = editor.Commit();
    }

    protected override void WriteState(BinaryWriter w) => WriteBytes(w, Encoder.Save);

    public static DenseFeaturizer Read(BinaryReader r) => new(DenseEncoder.Load(ReadBytes(r)));
}
