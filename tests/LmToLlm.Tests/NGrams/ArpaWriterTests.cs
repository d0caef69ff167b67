using System.Text;
using LmToLlm.NGrams;

namespace LmToLlm.Tests.NGrams;

/// <summary>
/// The ARPA writer formats blocks of n-grams in parallel and writes one batch while it formats the next; the estimator
/// reuses the arrays of released counts. Neither may change a byte: both are checked against the plainest rendering.
/// </summary>
public sealed class ArpaWriterTests
{
    /// <summary>The ARPA text of <paramref name="model"/>, one line at a time, single-threaded.</summary>
    private static byte[] RenderedLineByLine(BackoffModel model)
    {
        var text = new MemoryStream();
        void Ascii(string s) => text.Write(Encoding.ASCII.GetBytes(s));
        void Float(float value)
        {
            Span<byte> buffer = stackalloc byte[32];
            text.Write(buffer[..FloatFormat.Write(value, buffer)]);
        }
        Ascii("\\data\\\n");
        for (int k = 1; k <= model.Order; k++) Ascii($"ngram {k}={model.NGramCount(k)}\n");
        // lmplz's order, computed here the slow way: word ids (unigrams come in id order) compared from the last word back.
        var ids = model.Enumerate(1).Select((e, i) => (e.Words[0], i)).ToDictionary(p => p.Item1, p => p.i);
        int Compare(string[] a, string[] b)
        {
            for (int j = a.Length - 1; j >= 0; j--)
            {
                int c = ids[a[j]].CompareTo(ids[b[j]]);
                if (c != 0) return c;
            }
            return 0;
        }
        for (int k = 1; k <= model.Order; k++)
        {
            Ascii($"\n\\{k}-grams:\n");
            var entries = model.Enumerate(k).ToList();
            entries.Sort((x, y) => Compare(x.Words, y.Words));
            foreach (var (words, prob, backoff) in entries)
            {
                Float(prob);
                text.WriteByte((byte)'\t');
                text.Write(Encoding.UTF8.GetBytes(string.Join(' ', words)));
                if (k < model.Order)
                {
                    text.WriteByte((byte)'\t');
                    Float(backoff);
                }
                text.WriteByte((byte)'\n');
            }
        }
        Ascii("\n\\end\\\n");
        return text.ToArray();
    }

    /// <summary>A stream whose writes take a while, so that formatting runs ahead of writing.</summary>
    private sealed class SlowStream : MemoryStream
    {
        public int Writes;

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            Thread.Sleep(1);
            base.Write(buffer, offset, count);
        }
    }

    [SharedFact("reference/ptb/ptb.train.UNK.txt")]
    public void Pipelined_writer_equals_lines_rendered_one_by_one_on_ptb()
    {
        var model = PtbReference.Ours(5);
        var written = new SlowStream();
        model.WriteArpa(written);
        Assert.True(written.Writes > 50, $"{written.Writes} writes: too few blocks to overlap formatting and writing");
        Assert.True(RenderedLineByLine(model).AsSpan().SequenceEqual(written.ToArray()), "the pipelined ARPA differs from the line-by-line rendering");
    }

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public void Released_counts_lend_their_arrays_to_estimation_without_changing_a_byte(int seed)
    {
        var random = new Random(seed);
        string[] corpus = PropertyTests.RandomCorpus(random);
        int order = random.Next(1, 6);
        var kept = NGramTrainer.ModifiedKneserNey(NGramCounts.FromLines(corpus, new NGramCountOptions { Order = order }), discountFallback: true);
        var options = new NGramTrainingOptions { DiscountFallback = true, ReleaseCounts = true };
        var released = (BackoffModel)NGramTrainer.Train(NGramCounts.FromLines(corpus, new NGramCountOptions { Order = order }), options);
        var a = new MemoryStream();
        var b = new MemoryStream();
        kept.WriteArpa(a);
        released.WriteArpa(b);
        Assert.Equal(RenderedLineByLine(kept), a.ToArray());
        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [SharedFact("reference/ptb/ptb.train.UNK.txt")]
    public void Released_counts_give_the_arpa_of_kept_counts_on_ptb()
    {
        var options = new NGramTrainingOptions { ReleaseCounts = true };
        var released = (BackoffModel)NGramTrainer.Train(NGramCounts.FromFile(PtbReference.File("ptb.train.UNK.txt"), new NGramCountOptions { Order = 5 }), options);
        var a = new MemoryStream();
        var b = new MemoryStream();
        PtbReference.Ours(5).WriteArpa(a);
        released.WriteArpa(b);
        Assert.True(a.ToArray().AsSpan().SequenceEqual(b.ToArray()), "estimation with released counts changed the ARPA");
    }
}
