using System.Text;
using FsCheck.Xunit;
using LmToLlm.Embeddings;

namespace LmToLlm.Tests.Embeddings;

/// <summary>The fast paths give exactly what the plain definitions give.</summary>
public sealed class Word2VecPropertyTests
{
    [Property(MaxTest = 300)]
    public bool Byte_reader_splits_like_word2vec_c_read_word(byte[] raw)
    {
        // Map random bytes onto a small alphabet with many separators.
        byte[] text = raw.Select(b => "ab \t\n\r"u8[b % 6]).ToArray();
        var reader = new ByteWordReader(new MemoryStream(text));
        var actual = new List<string>();
        TokenKind kind;
        while ((kind = reader.Next()) != TokenKind.End) actual.Add(kind == TokenKind.LineEnd ? "</s>" : Encoding.ASCII.GetString(reader.Word));
        return actual.SequenceEqual(NaiveTokens(Encoding.ASCII.GetString(text)));
    }

    /// <summary>word2vec.c ReadWord, written plainly: \r dropped, every \n a sentence end, words cut at 98 bytes.</summary>
    private static List<string> NaiveTokens(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        foreach (char ch in text.Replace("\r", ""))
        {
            if (ch is ' ' or '\t' or '\n')
            {
                if (word.Length > 0) tokens.Add(word.ToString()[..Math.Min(98, word.Length)]);
                word.Clear();
                if (ch == '\n') tokens.Add("</s>");
            }
            else
            {
                word.Append(ch);
            }
        }
        if (word.Length > 0) tokens.Add(word.ToString()[..Math.Min(98, word.Length)]);
        return tokens;
    }

    [Property(MaxTest = 200)]
    public bool Skipping_to_a_line_start_lands_after_the_first_newline_at_or_after_offset_minus_one(byte[] raw, int at)
    {
        byte[] text = raw.Select(b => "ab \n"u8[b % 4]).ToArray();
        long offset = text.Length == 0 ? 0 : Math.Abs((long)at) % (text.Length + 1);
        long expected = offset == 0 ? 0 : Array.IndexOf(text, (byte)'\n', (int)offset - 1) is int nl && nl >= 0 ? nl + 1 : text.Length;
        foreach (bool seekable in new[] { true, false })
        {
            Stream stream = seekable ? new MemoryStream(text) : new NonSeekable(text);
            var reader = new ByteWordReader(stream);
            reader.SkipToLineStart(offset);
            if (reader.Position != expected) return false;
        }
        return true;
    }

    [Property(MaxTest = 200)]
    public bool Update_kernel_equals_the_scalar_definition(int[] seeds, short g)
    {
        int n = seeds.Length;
        float[] hidden = seeds.Select(s => (s % 1000) / 997f).ToArray();
        float[] output = seeds.Select(s => (s % 777) / 311f).ToArray();
        float[] error = seeds.Select(s => (s % 555) / 123f).ToArray();
        float rate = g / 4096f;
        float[] expectedError = error.Select((e, i) => MathF.FusedMultiplyAdd(rate, output[i], e)).ToArray();
        float[] expectedOutput = output.Select((o, i) => MathF.FusedMultiplyAdd(rate, hidden[i], o)).ToArray();
        if (n > 0) Word2VecKernels.Update(ref hidden[0], ref output[0], ref error[0], rate, n);
        return expectedError.SequenceEqual(error) && expectedOutput.SequenceEqual(output);
    }

    [Property(MaxTest = 200)]
    public bool Dot_kernel_is_the_dot_product(int[] seeds)
    {
        float[] a = seeds.Select(s => (s % 1000) / 997f).ToArray();
        float[] b = seeds.Select(s => (s % 333) / 101f).ToArray();
        double exact = a.Zip(b, (x, y) => (double)x * y).Sum();
        float dot = a.Length == 0 ? 0 : Word2VecKernels.Dot(ref a[0], ref b[0], a.Length);
        return Math.Abs(dot - exact) <= 1e-5 * (1 + a.Zip(b, (x, y) => Math.Abs((double)x * y)).Sum());
    }

    [Property(MaxTest = 100)]
    public bool MostSimilar_equals_a_full_sort(int[] seeds, byte topN)
    {
        int count = Math.Max(2, seeds.Length / 3);
        var words = Enumerable.Range(0, count).Select(i => "w" + i).ToArray();
        var matrix = Enumerable.Range(0, count * 3).Select(i => seeds.Length == 0 ? 1f : (seeds[i % seeds.Length] % 7 + i % 5) - 3f).ToArray();
        var v = WordVectors.Create(words, matrix, 3);
        int n = topN % (count + 2);
        var actual = v.MostSimilar("w0", n).Select(s => s.Index).ToArray();
        var expected = Enumerable.Range(1, count - 1).Select(i => (Row: i, Score: v.Similarity(0, i)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Row).Take(n).Select(x => x.Row).ToArray();
        return actual.SequenceEqual(expected);
    }

    private sealed class NonSeekable(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
