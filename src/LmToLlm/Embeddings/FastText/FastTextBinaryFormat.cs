using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace LmToLlm.Embeddings.FastText;

/// <summary>
/// The reference's <c>.bin</c> model file (<c>FastText::saveModel</c>, little-endian). Input: the file. Output: a
/// <see cref="FastTextModel"/>; writing gives the layout the reference reads:
/// <c>int32 magic 793712314, int32 version 12</c>; arguments <c>dim ws epoch minCount neg wordNgrams loss model bucket
/// minn maxn lrUpdateRate</c> (int32 each) and <c>t</c> (float64); dictionary <c>int32 size, int32 nwords, int32 nlabels,
/// int64 ntokens, int64 pruneidx_size</c>, then per entry the UTF-8 word, a 0 byte, <c>int64 count</c>, <c>int8 type</c>;
/// <c>bool quantized</c>, input matrix <c>int64 rows, int64 cols, float32[rows·cols]</c>; <c>bool quantized</c>, output matrix.
/// </summary>
internal static class FastTextBinaryFormat
{
    internal const int Magic = 793712314;
    internal const int Version = 12;
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    internal static bool HasMagic(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) return false;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16);
        Span<byte> head = stackalloc byte[4];
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && BinaryPrimitives.ReadInt32LittleEndian(head) == Magic;
    }

    internal static FastTextModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads a model from the rest of <paramref name="source"/> (copied into memory first).</summary>
    internal static FastTextModel Load(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var stream = new MemoryStream();
        source.CopyTo(stream);
        stream.Position = 0;
        return Read(stream, "(stream)");
    }

    /// <summary>Reads one model that fills the rest of a seekable stream; errors name <paramref name="path"/>.</summary>
    private static FastTextModel Read(Stream stream, string path)
    {
        var r = new Reader(stream, path);
        int magic = r.Int32("magic number");
        if (magic != Magic) r.Fail($"not a fastText model (magic number {magic}, expected {Magic}); for a .vec text file use the vector loader");
        int version = r.Int32("version");
        if (version is not (11 or 12)) r.Fail($"fastText model format version {version}; only versions 11 and 12 are supported");

        int dim = r.Int32("dim"), ws = r.Int32("ws"), epoch = r.Int32("epoch"), minCount = r.Int32("minCount"), neg = r.Int32("neg");
        int wordNgrams = r.Int32("wordNgrams"), loss = r.Int32("loss"), model = r.Int32("model"), bucket = r.Int32("bucket");
        int minn = r.Int32("minn"), maxn = r.Int32("maxn"), lrUpdateRate = r.Int32("lrUpdateRate");
        double t = r.Float64("t");
        if (dim <= 0 || dim > 1 << 20) r.Fail($"dim {dim} is not a plausible vector size");
        if (loss is < 1 or > 4) r.Fail($"unknown loss {loss} (1 hs, 2 ns, 3 softmax, 4 ova)");
        if (model is < 1 or > 3) r.Fail($"unknown model {model} (1 cbow, 2 skipgram, 3 supervised)");
        if (model == 3) r.Fail("a supervised (classification) model; only skipgram and cbow word-vector models are supported");
        if (bucket < 0 || minn < 0 || maxn < 0 || (maxn > 0 && minn > maxn) || maxn > 1000) r.Fail($"bad subword settings bucket {bucket}, minn {minn}, maxn {maxn}");
        var options = new FastTextOptions
        {
            Architecture = (FastTextArchitecture)model, Dimensions = dim, Window = ws, Epochs = epoch, MinCount = minCount, Negative = neg,
            WordNGrams = wordNgrams, Loss = (FastTextLoss)loss, Bucket = bucket, MinN = minn, MaxN = maxn, LearningRateUpdateRate = lrUpdateRate, Sample = t,
        };

        int size = r.Int32("dictionary size"), nwords = r.Int32("nwords"), nlabels = r.Int32("nlabels");
        long ntokens = r.Int64("ntokens"), pruneSize = r.Int64("pruneidx_size");
        if (size < 0 || nwords < 0 || nlabels < 0 || (long)nwords + nlabels != size)
            r.Fail($"dictionary sizes do not add up (size {size}, nwords {nwords}, nlabels {nlabels})");
        if (nlabels != 0) r.Fail($"the dictionary has {nlabels} labels; only unsupervised models are supported");
        if (pruneSize > 0) r.Fail("a pruned (quantized) model; only models saved without -qnorm/quantize are supported");
        // Each entry takes at least 10 bytes (empty word, 0, count, type): check before allocating.
        r.Need((long)size * 10, $"{size} dictionary entries");
        var words = new string[size];
        var counts = new long[size];
        var types = new byte[size];
        var wordBytes = new List<byte>(64);
        for (int i = 0; i < size; i++)
        {
            wordBytes.Clear();
            int b;
            while ((b = r.Byte($"word {i + 1}")) != 0)
            {
                wordBytes.Add((byte)b);
                if (wordBytes.Count > 1 << 16) r.Fail($"dictionary entry {i + 1}: no end of word within 65536 bytes");
            }
            try { words[i] = StrictUtf8.GetString(CollectionsMarshal.AsSpan(wordBytes)); }
            catch (DecoderFallbackException e) { throw new LmToLlmFormatException(path, 0, $"dictionary entry {i + 1}: the word is not valid UTF-8", e); }
            if (words[i].Length == 0) r.Fail($"dictionary entry {i + 1} is an empty word");
            counts[i] = r.Int64("count");
            if (counts[i] < 0) r.Fail($"dictionary entry {i + 1} ('{words[i]}') has a negative count {counts[i]}");
            types[i] = (byte)r.Byte("entry type");
            if (types[i] != 0) r.Fail($"dictionary entry {i + 1} ('{words[i]}') has type {types[i]}; only words (type 0) are supported");
        }
        float[] input = ReadMatrix(r, "input", (long)nwords + bucket, dim);
        float[] output = ReadMatrix(r, "output", -1, dim);
        if (output.Length / dim != nwords && loss == (int)FastTextLoss.NegativeSampling)
            r.Fail($"the output matrix has {output.Length / dim} rows, expected one per word ({nwords})");
        if (stream.Position != stream.Length) r.Fail($"{stream.Length - stream.Position} bytes after the output matrix; the file is not a single fastText model");
        return new FastTextModel(options, words, counts, types, ntokens, input, output, output.Length / dim);
    }

    private static float[] ReadMatrix(Reader r, string name, long expectedRows, int dim)
    {
        if (r.Byte($"{name} quantization flag") != 0) r.Fail($"the {name} matrix is quantized (.ftz); only full models are supported");
        long rows = r.Int64($"{name} rows"), cols = r.Int64($"{name} columns");
        if (cols != dim) r.Fail($"the {name} matrix has {cols} columns, but dim is {dim}");
        if (rows < 0 || (expectedRows >= 0 && rows != expectedRows))
            r.Fail($"the {name} matrix has {rows} rows, expected {(expectedRows >= 0 ? expectedRows : "a non-negative count")} (nwords + bucket for the input)");
        if (rows > Array.MaxLength / cols) r.Fail($"the {name} matrix ({rows} × {cols}) is larger than one array can hold");
        r.Need(rows * cols * sizeof(float), $"the {name} matrix ({rows} × {cols} floats)");
        var matrix = new float[rows * cols];
        r.Floats(matrix);
        return matrix;
    }

    internal static void Save(FastTextModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, stream => Write(model, stream));
    }

    internal static void Write(FastTextModel model, Stream destination)
    {
        var stream = new BufferedStream(destination, 1 << 16);
        var o = model.Options;
        byte[] buffer = new byte[8];
        void I32(int v) { BinaryPrimitives.WriteInt32LittleEndian(buffer, v); stream.Write(buffer, 0, 4); }
        void I64(long v) { BinaryPrimitives.WriteInt64LittleEndian(buffer, v); stream.Write(buffer, 0, 8); }
        I32(Magic);
        I32(Version);
        foreach (int v in (int[])[o.Dimensions, o.Window, o.Epochs, o.MinCount, o.Negative, o.WordNGrams, (int)o.Loss, (int)o.Architecture, o.Bucket, o.MinN, o.MaxN, o.LearningRateUpdateRate]) I32(v);
        BinaryPrimitives.WriteDoubleLittleEndian(buffer, o.Sample);
        stream.Write(buffer);
        I32(model.Count);
        I32(model.Count);
        I32(0);
        I64(model.Tokens);
        I64(-1); // pruneidx_size: -1 = never pruned, as the reference writes for a trained model
        for (int i = 0; i < model.Count; i++)
        {
            stream.Write(Encoding.UTF8.GetBytes(model.Words[i]));
            stream.WriteByte(0);
            I64(model.Counts[i]);
            stream.WriteByte(model.Types[i]);
        }
        stream.WriteByte(0);
        I64(model.InputRows);
        I64(model.Dimensions);
        stream.Write(MemoryMarshal.AsBytes(model.InputMatrix));
        stream.WriteByte(0);
        I64(model.OutputRows);
        I64(model.Dimensions);
        stream.Write(MemoryMarshal.AsBytes(model.OutputMatrix));
        stream.Flush();
    }

    /// <summary>Little-endian reads that name the file and the field on a short read.</summary>
    private sealed class Reader(Stream stream, string path)
    {
        private readonly byte[] _buffer = new byte[8];

        public void Fail(string problem) => ThrowHelper.Format(path, 0, problem + " (offset " + stream.Position + ")");

        public void Need(long bytes, string what)
        {
            long left = stream.Length - stream.Position;
            if (bytes > left) Fail($"{what}: {bytes} bytes needed, but only {left} are left; the file is truncated or its header is wrong");
        }

        private void Fill(int count, string what)
        {
            if (stream.ReadAtLeast(_buffer.AsSpan(0, count), count, throwOnEndOfStream: false) < count)
                Fail($"the file ends inside {what}; it is truncated or not a fastText model");
        }

        public int Byte(string what)
        {
            int b = stream.ReadByte();
            if (b < 0) Fail($"the file ends inside {what}; it is truncated or not a fastText model");
            return b;
        }

        public int Int32(string what) { Fill(4, what); return BinaryPrimitives.ReadInt32LittleEndian(_buffer); }

        public long Int64(string what) { Fill(8, what); return BinaryPrimitives.ReadInt64LittleEndian(_buffer); }

        public double Float64(string what) { Fill(8, what); return BinaryPrimitives.ReadDoubleLittleEndian(_buffer); }

        /// <summary>Raw float32 values; the library runs on little-endian machines only, as the file is little-endian.</summary>
        public void Floats(float[] destination)
        {
            Span<byte> bytes = MemoryMarshal.AsBytes(destination.AsSpan());
            if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length) Fail("the file ends inside a matrix");
        }
    }
}
