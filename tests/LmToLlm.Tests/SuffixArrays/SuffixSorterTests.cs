using FsCheck.Xunit;
using LmToLlm.SuffixArrays;

namespace LmToLlm.Tests.SuffixArrays;

public sealed class SuffixSorterTests
{
    /// <summary>The reference: every suffix compared symbol by symbol, a prefix before the longer suffix.</summary>
    internal static int[] NaiveSort(int[] text)
    {
        var order = Enumerable.Range(0, text.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int length = Math.Min(text.Length - a, text.Length - b);
            int c = text.AsSpan(a, length).SequenceCompareTo(text.AsSpan(b, length));
            return c != 0 ? c : b.CompareTo(a); // equal up to the shorter: the shorter (later start) first
        });
        return order;
    }

    /// <summary>Random texts: alphabets of 1 to 65,536 ids, long runs of one symbol, empty documents (runs of the separator 0).</summary>
    internal static int[] RandomText(Random random, out int alphabet)
    {
        alphabet = random.Next(6) switch { 0 => 1, 1 => 2, 2 => 3, 3 => 17, 4 => 256, _ => 65_536 };
        int n = random.Next(8) == 0 ? random.Next(3) : random.Next(1, 400);
        var text = new int[n];
        for (int i = 0; i < n;)
        {
            int symbol = random.Next(alphabet);
            int run = random.Next(5) == 0 ? random.Next(1, 60) : 1; // long runs of one token
            for (int r = 0; r < run && i < n; r++) text[i++] = symbol;
        }
        return text;
    }

    [Property(MaxTest = 500)]
    public bool Equals_a_naive_sort_of_all_suffixes(int seed)
    {
        var text = RandomText(new Random(seed), out int alphabet);
        var sa = new int[text.Length];
        SuffixSorter.Sort<int>(text, sa, alphabet);
        return sa.AsSpan().SequenceEqual(NaiveSort(text));
    }

    [Property(MaxTest = 200)]
    public bool Byte_and_ushort_texts_sort_like_int_texts(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        if (random.Next(2) == 0) for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(bytes[i] % 3); // repetitive
        var expected = NaiveSort([.. bytes.Select(b => (int)b)]);
        var shorts = bytes.Select(b => (ushort)b).ToArray();
        var sa = new int[shorts.Length];
        SuffixSorter.Sort<ushort>(shorts, sa, 256);
        return SuffixSorter.Sort(bytes).AsSpan().SequenceEqual(expected) && sa.AsSpan().SequenceEqual(expected);
    }

    [Property(MaxTest = 300)]
    public bool Threaded_block_scans_sort_like_one_thread(int seed)
    {
        // Blocks of 1 to 40 entries, so texts of a few hundred symbols cross many block edges, and slots land inside
        // the block being scanned as well as beyond it; 2 threads share the passes split by ranges, 3 and 4 the scans too.
        var random = new Random(seed);
        var text = RandomText(random, out int alphabet);
        int threads = random.Next(2, 5), blockSize = random.Next(1, 41);
        var expected = NaiveSort(text);
        var sa = new int[text.Length];
        SuffixSorter.Sort<int>(text, sa, alphabet, threads, blockSize);
        var bytes = text.Select(c => (byte)c).ToArray();
        var byteSa = new int[bytes.Length];
        SuffixSorter.Sort<byte>(bytes, byteSa, 256, threads, blockSize);
        return sa.AsSpan().SequenceEqual(expected) && byteSa.AsSpan().SequenceEqual(NaiveSort([.. bytes.Select(b => (int)b)]));
    }

    /// <summary>A motif repeated with a share of its symbols replaced at random: several recursion levels, with names that occur once beside repeated ones.</summary>
    private static int[] MutatedRepeats(Random random, int length, int alphabet, int motifLength, double mutation)
    {
        var motif = Enumerable.Range(0, motifLength).Select(_ => random.Next(alphabet)).ToArray();
        var text = new int[length];
        for (int i = 0; i < length; i++) text[i] = random.NextDouble() < mutation ? random.Next(alphabet) : motif[i % motifLength];
        return text;
    }

    [Property(MaxTest = 300)]
    public bool Repeats_with_mutations_sort_like_a_naive_sort(int seed)
    {
        // Levels below the top leave their unique names out of the recursion; these texts reach them with every mix of
        // unique and repeated names, on 1 to 4 threads.
        var random = new Random(seed);
        int alphabet = random.Next(4) switch { 0 => 2, 1 => 3, 2 => 4, _ => 17 };
        var text = MutatedRepeats(random, random.Next(300, 1500), alphabet, random.Next(3, 41), random.Next(1, 11) / 100.0);
        var sa = new int[text.Length];
        SuffixSorter.Sort<int>(text, sa, alphabet, threads: random.Next(1, 5), blockSize: random.Next(1, 41));
        return sa.AsSpan().SequenceEqual(NaiveSort(text));
    }

    [Fact]
    public void Names_compared_by_symbols_below_the_top_level_leave_out_unique_names_too()
    {
        // An LMS position at every other symbol (0 between larger ones) leaves no room for the group table at level 1,
        // whose alphabet (some 100,000 names) is too large for one of its own: it names by comparing symbols.
        var random = new Random(3);
        var between = MutatedRepeats(random, 200_000, 300_000, 90_000, 0.05);
        var text = new int[2 * between.Length];
        for (int i = 0; i < between.Length; i++) text[2 * i] = between[i] + 1;
        var sa = new int[text.Length];
        SuffixSorter.Sort<int>(text, sa, 300_001);
        AssertSorted(text, sa);
    }

    /// <summary>Every suffix before the next one, and each position once: the array is the suffix array.</summary>
    private static void AssertSorted(int[] text, int[] sa)
    {
        for (int i = 1; i < sa.Length; i++)
        {
            int a = sa[i - 1], b = sa[i];
            int length = Math.Min(text.Length - a, text.Length - b);
            int c = text.AsSpan(a, length).SequenceCompareTo(text.AsSpan(b, length));
            Assert.True(c < 0 || (c == 0 && a > b), $"suffixes {a} and {b} out of order at rank {i}");
        }
        Assert.Equal(text.Length, sa.Distinct().Count());
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 97)]
    [InlineData(4, 4096)]
    [InlineData(2, SuffixSorter.DefaultBlockSize)]
    [InlineData(3, SuffixSorter.DefaultBlockSize)]
    public void Threaded_sort_of_a_repetitive_text_with_several_recursion_levels_equals_one_thread(int threads, int blockSize)
    {
        var random = new Random(11);
        var text = new int[150_000];
        var motif = Enumerable.Range(0, 29).Select(_ => random.Next(1 << 20)).ToArray();
        for (int i = 0; i < text.Length; i++) text[i] = random.Next(40) == 0 ? random.Next(1 << 20) : motif[i % motif.Length];
        var expected = new int[text.Length];
        SuffixSorter.Sort<int>(text, expected, 1 << 20);
        var sa = new int[text.Length];
        SuffixSorter.Sort<int>(text, sa, 1 << 20, threads, blockSize);
        Assert.Equal(expected, sa);
        var bytes = text.Select(c => (byte)(c % 7)).ToArray();
        Assert.Equal(SuffixSorter.Sort(bytes), Sorted(bytes, threads, blockSize));
    }

    private static int[] Sorted(byte[] text, int threads, int blockSize)
    {
        var sa = new int[text.Length];
        SuffixSorter.Sort<byte>(text, sa, 256, threads, blockSize);
        return sa;
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("banana")]
    [InlineData("mississippi")]
    [InlineData("abababababababababababab")]
    [InlineData("zyxwvutsrqponmlkjihgfedcba")]
    public void Pinned_texts(string text)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        Assert.Equal(NaiveSort([.. bytes.Select(b => (int)b)]), SuffixSorter.Sort(bytes));
    }

    [Fact]
    public void Large_repetitive_text_needs_several_recursion_levels()
    {
        var random = new Random(5);
        var text = new int[200_000];
        var motif = Enumerable.Range(0, 37).Select(_ => random.Next(4)).ToArray();
        for (int i = 0; i < text.Length; i++) text[i] = random.Next(50) == 0 ? random.Next(4) : motif[i % motif.Length];
        var sa = new int[text.Length];
        SuffixSorter.Sort<int>(text, sa, 4);
        AssertSorted(text, sa);
    }
}
