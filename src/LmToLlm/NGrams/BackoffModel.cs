using System.Globalization;
using System.Text;

namespace LmToLlm.NGrams;

/// <summary>
/// A backoff n-gram model as an ARPA file holds it: for each stored n-gram a log10 probability, and for each n-gram below
/// the highest order a log10 backoff weight. Query (Katz form, as KenLM): with w_i..w_n the longest stored n-gram ending in
/// the word, log10 p(w_n | w_1..w_{n−1}) = log10 p(w_i..w_n) + Σ_{j&lt;i} log10 bo(w_j..w_{n−1}) over the stored contexts
/// longer than the one matched. (Modified) Kneser-Ney estimation produces this form; ARPA files from KenLM or SRILM load into it.
/// </summary>
public sealed class BackoffModel : LanguageModel
{
    private readonly NGramVocabulary _vocabulary;
    private readonly NGramTable?[] _tables;
    private readonly float[][] _probs;
    private readonly float[][] _backoffs;

    internal BackoffModel(NGramVocabulary vocabulary, NGramTable?[] tables, float[][] probs, float[][] backoffs, IReadOnlyList<OrderStatistics>? statistics, string name = "modified Kneser-Ney")
    {
        _vocabulary = vocabulary;
        _tables = tables;
        _probs = probs;
        _backoffs = backoffs;
        Statistics = statistics;
        Name = name;
    }

    /// <inheritdoc/>
    public override int Order => _probs.Length;

    /// <inheritdoc/>
    public override NGramVocabulary Vocabulary => _vocabulary;

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>Per order: counts-of-counts and discounts, when this model was estimated here (null when read from a file).</summary>
    public IReadOnlyList<OrderStatistics>? Statistics { get; }

    /// <summary>Number of n-grams stored for <paramref name="order"/>.</summary>
    internal int NGramCount(int order) => _probs[order - 1].Length;

    /// <summary>The stored log10 probability and backoff (0 at the highest order) of an n-gram, or null when it is not stored.</summary>
    internal (float Log10Prob, float Log10Backoff)? Find(params ReadOnlySpan<string> words)
    {
        if (words.Length == 0 || words.Length > Order) return null;
        Span<int> ids = stackalloc int[words.Length];
        for (int i = 0; i < words.Length; i++)
        {
            if (!_vocabulary.TryFind(words[i], out ids[i])) return null;
        }
        int id = NGramCounts.Find(_tables, ids);
        if (id < 0) return null;
        int k = words.Length;
        return (_probs[k - 1][id], k < Order ? _backoffs[k - 1][id] : 0f);
    }

    /// <summary>Every stored n-gram of <paramref name="order"/> with its log10 probability and backoff.</summary>
    internal IEnumerable<(string[] Words, float Log10Prob, float Log10Backoff)> Enumerate(int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, Order);
        int[] ids = new int[order];
        for (int id = 0; id < _probs[order - 1].Length; id++)
        {
            NGramCounts.Words(_tables, order, id, ids);
            var words = new string[order];
            for (int i = 0; i < order; i++) words[i] = _vocabulary[ids[i]];
            yield return (words, _probs[order - 1][id], order < Order ? _backoffs[order - 1][id] : 0f);
        }
    }

    /// <inheritdoc/>
    public override WordProbability Score(ReadOnlySpan<int> context, int word)
    {
        if (context.Length > Order - 1) context = context[^(Order - 1)..];
        if ((uint)word >= (uint)_vocabulary.Count) word = NGramVocabulary.Unknown;
        // Longest match: extend w leftwards one context word at a time.
        int match = word, length = 1;
        for (int i = context.Length - 1; i >= 0; i--)
        {
            int next = _tables[length]!.Find(NGramTable.Key(match, context[i]));
            if (next < 0) break;
            match = next;
            length++;
        }
        float log = _probs[length - 1][match];
        // Backoffs of the stored contexts longer than the matched one (length − 1 words).
        if (context.Length >= length)
        {
            int ctx = context[^1];
            for (int j = 1; j <= context.Length; j++)
            {
                if (j >= length) log += _backoffs[j - 1][ctx];
                if (j == context.Length) break;
                ctx = _tables[j]!.Find(NGramTable.Key(ctx, context[^(j + 1)]));
                if (ctx < 0) break;
            }
        }
        return new WordProbability(log, length);
    }

    // ---------------------------------------------------------------- ARPA

    /// <summary>
    /// Writes the model as an ARPA file (as <c>lmplz</c>: tab-separated, shortest round-trip float32 values, backoff column
    /// on every order below the highest, <c>&lt;s&gt;</c> with probability 0). Atomic: a temp file is moved into place.
    /// </summary>
    internal void WriteArpa(string path, IProgress<NGramProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, stream => WriteArpa(stream, progress), cancellation);
    }

    /// <summary>
    /// Writes the model in ARPA format (UTF-8, LF) to <paramref name="stream"/>. Blocks of n-grams are formatted in
    /// parallel and written in order, so the output is the same for any number of cores.
    /// </summary>
    internal void WriteArpa(Stream stream, IProgress<NGramProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var words = new byte[_vocabulary.Count][];
        for (int i = 0; i < words.Length; i++) words[i] = Encoding.UTF8.GetBytes(_vocabulary[i]);
        var header = new ByteBuffer(256);
        header.Ascii("\\data\\\n");
        for (int k = 1; k <= Order; k++) header.Ascii($"ngram {k}={_probs[k - 1].Length}\n");
        header.WriteTo(stream);
        const int block = 1 << 15;
        int parallel = Math.Max(1, Environment.ProcessorCount) * 2;
        var buffers = new ByteBuffer[parallel];
        for (int i = 0; i < parallel; i++) buffers[i] = new ByteBuffer(block * 48);
        for (int k = 1; k <= Order; k++)
        {
            header.Clear();
            header.Ascii($"\n\\{k}-grams:\n");
            header.WriteTo(stream);
            int count = _probs[k - 1].Length;
            int blocks = (count + block - 1) / block;
            for (int first = 0; first < blocks; first += parallel)
            {
                int batch = Math.Min(parallel, blocks - first);
                int order = k;
                Parallel.For(0, batch, b =>
                {
                    int start = (first + b) * block;
                    FormatBlock(order, start, Math.Min(count, start + block), words, buffers[b]);
                });
                for (int b = 0; b < batch; b++) buffers[b].WriteTo(stream);
            }
            progress?.Report(new NGramProgress($"writing {k}-grams", k, Order));
        }
        header.Clear();
        header.Ascii("\n\\end\\\n");
        header.WriteTo(stream);
    }

    private void FormatBlock(int k, int start, int end, byte[][] words, ByteBuffer output)
    {
        output.Clear();
        Span<int> ids = stackalloc int[k];
        float[] probs = _probs[k - 1];
        float[] backoffs = _backoffs[k - 1];
        for (int id = start; id < end; id++)
        {
            output.Float(probs[id]);
            output.Byte((byte)'\t');
            NGramCounts.Words(_tables, k, id, ids);
            for (int i = 0; i < k; i++)
            {
                if (i > 0) output.Byte((byte)' ');
                output.Bytes(words[ids[i]]);
            }
            if (k < Order)
            {
                output.Byte((byte)'\t');
                output.Float(backoffs[id]);
            }
            output.Byte((byte)'\n');
        }
    }

    /// <summary>A growable UTF-8 byte buffer with float32 formatting as lmplz prints it.</summary>
    private sealed class ByteBuffer(int capacity)
    {
        private byte[] _data = new byte[Math.Max(64, capacity)];
        private int _used;

        public void Clear() => _used = 0;

        public void WriteTo(Stream stream)
        {
            stream.Write(_data, 0, _used);
            _used = 0;
        }

        private void Ensure(int more)
        {
            if (_used + more > _data.Length) Array.Resize(ref _data, Math.Max(_data.Length * 2, _used + more));
        }

        public void Byte(byte b)
        {
            Ensure(1);
            _data[_used++] = b;
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            Ensure(bytes.Length);
            bytes.CopyTo(_data.AsSpan(_used));
            _used += bytes.Length;
        }

        public void Ascii(string text) => Bytes(Encoding.ASCII.GetBytes(text));

        /// <summary>Shortest round-trip float32, as lmplz prints it (see <see cref="FloatFormat"/>).</summary>
        public void Float(float value)
        {
            Ensure(32);
            _used += FloatFormat.Write(value, _data.AsSpan(_used));
        }
    }

    /// <summary>Reads an ARPA file (KenLM, SRILM; <c>.gz</c> transparently).</summary>
    /// <exception cref="LmToLlmFormatException">A missing section, a count that differs from <c>\data\</c>, a non-numeric field, an unknown word, a missing suffix n-gram.</exception>
    internal static BackoffModel ReadArpa(string path, IProgress<NGramProgress>? progress = null, CancellationToken cancellation = default) =>
        ArpaReader.Read(path, progress, cancellation);

    // ---------------------------------------------------------------- binary

    internal const ulong BinaryMagic = 0x314D4C4E4C544D4CUL; // "LMTLNLM1"
    private const int FormatVersion = 1;

    /// <summary>
    /// Saves the model in this library's binary format: magic, format version, order, vocabulary, then per order the n-gram
    /// keys, float32 log10 probabilities and backoffs, and a 64-bit checksum of everything before it. Atomic.
    /// </summary>
    internal void Save(string path, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, stream =>
        {
            var hashing = new ChecksumStream(stream);
            using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(BinaryMagic);
                writer.Write(FormatVersion);
                writer.Write(Order);
                writer.Write(_vocabulary.Count);
                for (int i = 0; i < _vocabulary.Count; i++) writer.Write(_vocabulary[i]);
                for (int k = 1; k <= Order; k++)
                {
                    int count = _probs[k - 1].Length;
                    writer.Write(count);
                    if (k >= 2) writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_tables[k - 1]!.Keys.AsSpan(0, count)));
                    writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_probs[k - 1].AsSpan()));
                    if (k < Order) writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_backoffs[k - 1].AsSpan()));
                }
                writer.Write(Name);
            }
            ulong checksum = hashing.Checksum;
            stream.Write(BitConverter.GetBytes(checksum));
        }, cancellation);
    }

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="LmToLlmFormatException">Not this format, another format version, truncated, or the checksum does not match.</exception>
    internal static BackoffModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 28 || BitConverter.ToUInt64(bytes, 0) != BinaryMagic)
            ThrowHelper.Format(path, 0, "not an LmToLlm binary n-gram model (bad magic); ARPA files load with ReadArpa / --lm model.arpa");
        ulong stored = BitConverter.ToUInt64(bytes, bytes.Length - 8);
        if (ChecksumStream.Compute(bytes.AsSpan(0, bytes.Length - 8)) != stored)
            ThrowHelper.Format(path, 0, "checksum mismatch: the file is corrupt or truncated; save the model again");
        // Every count in the file is checked against the bytes that remain before it sizes an allocation, so a
        // corrupt header (even one whose checksum was recomputed) is a format error, never a huge allocation.
        try
        {
            var body = new MemoryStream(bytes, 0, bytes.Length - 8);
            using var reader = new BinaryReader(body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            long Remaining() => body.Length - body.Position;
            int Count(string what, long bytesEach)
            {
                int n = reader.ReadInt32();
                if (n < 0 || n * bytesEach > Remaining())
                    ThrowHelper.Format(path, 0, $"the file declares {n} {what}, more than its remaining {Remaining()} bytes can hold; the file is corrupt, save the model again");
                return n;
            }
            reader.ReadUInt64();
            int version = reader.ReadInt32();
            if (version != FormatVersion) ThrowHelper.Format(path, 0, $"format version {version} is not supported (this build reads version {FormatVersion})");
            int order = reader.ReadInt32();
            if (order < 1 || order > NGramCounts.MaxOrder)
                ThrowHelper.Format(path, 0, $"order {order} is outside 1..{NGramCounts.MaxOrder} (the supported maximum n-gram order); the file is corrupt");
            int vocabularyCount = Count("vocabulary words", 1);
            var vocabulary = new NGramVocabulary(withMarkers: false);
            for (int i = 0; i < vocabularyCount; i++)
            {
                string word = reader.ReadString();
                if (vocabulary.TryFind(word, out _)) ThrowHelper.Format(path, 0, $"the vocabulary lists '{word}' twice; the file is corrupt");
                vocabulary.Add(word);
            }
            var tables = new NGramTable?[order];
            var probs = new float[order][];
            var backoffs = new float[order][];
            for (int k = 1; k <= order; k++)
            {
                int count = Count($"{k}-grams", (k >= 2 ? 8 : 0) + 4 + (k < order ? 4 : 0));
                if (k == 1 && count != vocabularyCount)
                    ThrowHelper.Format(path, 0, $"{count} 1-grams for a vocabulary of {vocabularyCount} words; the file is corrupt");
                if (k >= 2)
                {
                    ulong[] keys = new ulong[count];
                    reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(keys.AsSpan()));
                    var table = new NGramTable(count);
                    foreach (ulong key in keys)
                    {
                        table.GetOrAdd(key, out bool added);
                        if (!added) ThrowHelper.Format(path, 0, $"a {k}-gram is stored twice; the file is corrupt");
                    }
                    tables[k - 1] = table;
                }
                probs[k - 1] = new float[count];
                reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(probs[k - 1].AsSpan()));
                backoffs[k - 1] = k < order ? new float[count] : [];
                if (k < order) reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(backoffs[k - 1].AsSpan()));
            }
            string name = reader.ReadString();
            if (Remaining() != 0) ThrowHelper.Format(path, 0, $"{Remaining()} unexpected bytes after the model; the file is corrupt");
            return new BackoffModel(vocabulary, tables, probs, backoffs, null, name);
        }
        catch (EndOfStreamException e)
        {
            throw new LmToLlmFormatException(path, 0, "truncated model file", e);
        }
        catch (FormatException e) // a string length that is not a valid 7-bit encoded integer
        {
            throw new LmToLlmFormatException(path, 0, $"a malformed string ({e.Message}); the file is corrupt", e);
        }
        catch (DecoderFallbackException e)
        {
            throw new LmToLlmFormatException(path, 0, "invalid UTF-8 in a word; the file is corrupt", e);
        }
    }
}

/// <summary>Passes writes through and keeps a 64-bit FNV-1a style checksum (over 8-byte words) of them.</summary>
internal sealed class ChecksumStream(Stream inner) : Stream
{
    private readonly List<byte> _pending = new(8);
    private ulong _hash = Seed;
    private const ulong Seed = 0xCBF29CE484222325UL;
    private const ulong Prime = 0x100000001B3UL;

    internal ulong Checksum
    {
        get
        {
            ulong h = _hash;
            foreach (byte b in _pending) h = (h ^ b) * Prime;
            return h;
        }
    }

    internal static ulong Compute(ReadOnlySpan<byte> data)
    {
        var s = new ChecksumStream(Null);
        s.Write(data);
        return s.Checksum;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        ReadOnlySpan<byte> rest = buffer;
        while (_pending.Count > 0 && _pending.Count < 8 && rest.Length > 0) { _pending.Add(rest[0]); rest = rest[1..]; }
        if (_pending.Count == 8)
        {
            Span<byte> word = stackalloc byte[8];
            for (int i = 0; i < 8; i++) word[i] = _pending[i];
            _hash = (_hash ^ BitConverter.ToUInt64(word)) * Prime;
            _pending.Clear();
        }
        int whole = rest.Length / 8 * 8;
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(rest[..whole]);
        ulong h = _hash;
        foreach (ulong w in words) h = (h ^ w) * Prime;
        _hash = h;
        foreach (byte b in rest[whole..]) _pending.Add(b);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void WriteByte(byte value) => Write([value]);
    public override void Flush() => inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>Opens n-gram model files by content: this library's binary format, else ARPA text.</summary>
internal static class LanguageModelFile
{
    /// <summary>Loads <paramref name="path"/>: a binary model saved by <see cref="BackoffModel.Save"/>, or an ARPA file (.gz transparently).</summary>
    internal static BackoffModel Open(string path, IProgress<NGramProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        Span<byte> head = stackalloc byte[4096];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read >= 8 && BitConverter.ToUInt64(head) == BackoffModel.BinaryMagic) return BackoffModel.Load(path);
        // ARPA is text: NUL bytes or broken UTF-8 in the first 4 KiB mean another kind of file (word vectors, an index).
        bool compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        if (!compressed && (head[..read].Contains((byte)0)
            || System.Text.Unicode.Utf8.ToUtf16(head[..read], new char[read], out _, out _, replaceInvalidSequences: false, isFinalBlock: read < head.Length) == System.Buffers.OperationStatus.InvalidData))
            throw new LmToLlmFormatException(path, 0, "not a language model file: neither ARPA text nor this library's binary model; give an ARPA file (KenLM lmplz, 'lmtollm ngram train --arpa') or one saved with 'lmtollm ngram train --binary'");
        return BackoffModel.ReadArpa(path, progress, cancellation);
    }
}
