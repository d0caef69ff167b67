using System.Text;
using LmToLlm.Embeddings;

namespace LmToLlm.Tests.Embeddings;

public sealed class Word2VecTrainingTests
{
    /// <summary>Three topics of five words; a line draws ten words from one topic, so words of different topics never meet.</summary>
    internal static string TopicCorpus(int lines, int seed)
    {
        string[][] topics =
        [
            ["cat", "dog", "horse", "cow", "sheep"],
            ["car", "bus", "train", "truck", "bike"],
            ["red", "green", "blue", "yellow", "white"],
        ];
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            string[] topic = topics[random.Next(topics.Length)];
            for (int w = 0; w < 10; w++) text.Append(topic[random.Next(topic.Length)]).Append(w == 9 ? '\n' : ' ');
        }
        return text.ToString();
    }

    private static Func<Stream> Open(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return () => new MemoryStream(bytes, writable: false);
    }

    private static readonly Word2VecOptions Small = new()
    {
        Dimensions = 16, Window = 3, MinCount = 1, Sample = 0, Epochs = 5, MaxDegreeOfParallelism = 1, Negative = 5,
    };

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram, false)]
    [InlineData(Word2VecArchitecture.Cbow, false)]
    [InlineData(Word2VecArchitecture.SkipGram, true)]
    [InlineData(Word2VecArchitecture.Cbow, true)]
    public void Nearest_neighbours_are_the_words_of_the_same_topic(Word2VecArchitecture architecture, bool hierarchical)
    {
        var options = Small with { Architecture = architecture, HierarchicalSoftmax = hierarchical, Negative = hierarchical ? 0 : 5 };
        var result = Word2VecTrainer.Train(Open(TopicCorpus(1500, 7)), options);
        var vectors = result.Vectors;
        string[][] groups = [["cat", "dog", "horse", "cow", "sheep"], ["car", "bus", "train", "truck", "bike"], ["red", "green", "blue", "yellow", "white"]];
        foreach (string[] group in groups)
        {
            foreach (string word in group)
            {
                var top = vectors.MostSimilar(word, 4).Select(s => s.Word).ToHashSet();
                Assert.True(top.SetEquals(group.Where(w => w != word)), $"{architecture} hs={hierarchical}: neighbours of {word}: {string.Join(", ", top)}");
            }
        }
    }

    [Fact]
    public void One_thread_and_a_seed_reproduce_the_vectors_bit_for_bit()
    {
        string text = TopicCorpus(500, 3);
        var options = Small with { Sample = 1e-2, Epochs = 3, HierarchicalSoftmax = true };
        float[] first = Word2VecTrainer.Train(Open(text), options).Vectors.Matrix.ToArray();
        float[] second = Word2VecTrainer.Train(Open(text), options).Vectors.Matrix.ToArray();
        float[] otherSeed = Word2VecTrainer.Train(Open(text), options with { Seed = 2 }).Vectors.Matrix.ToArray();
        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void Every_epoch_is_trained_even_after_a_thread_reached_end_of_file()
    {
        // Regression for word2vec.c's eof flag (never reset between epochs, so a thread that reached end-of-file
        // trained no later epoch; with one thread only the first epoch was trained).
        string text = TopicCorpus(300, 5) + "tail without newline";
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var result = Word2VecTrainer.Train(Open(text), Small with { MaxDegreeOfParallelism = threads, Epochs = 4 });
            // 3000 topic words + 3 tail words + 300 line ends, every epoch.
            Assert.Equal(3303, result.TrainingWords);
            Assert.Equal(4 * 3303, result.WordsProcessed);
        }
    }

    [Fact]
    public async Task A_skip_gram_worker_that_fails_mid_training_does_not_leave_the_others_waiting_at_an_epoch_end()
    {
        // Skip-gram workers meet at every epoch's end; a worker whose text fails must not keep the others there.
        byte[] bytes = Encoding.UTF8.GetBytes(TopicCorpus(600, 9));
        int opened = 0;
        Func<Stream> open = () => Interlocked.Increment(ref opened) == 6 ? new FailingStream() : new MemoryStream(bytes, writable: false);
        var options = Small with { Architecture = Word2VecArchitecture.SkipGram, MaxDegreeOfParallelism = 3, Epochs = 4 };
        var training = Task.Run(() => Word2VecTrainer.Train(open, options));
        Assert.Same(training, await Task.WhenAny(training, Task.Delay(TimeSpan.FromSeconds(60))));
        var error = await Assert.ThrowsAsync<IOException>(() => training);
        Assert.Contains("disk went away", error.Message);
    }

    /// <summary>A text whose first read fails, as a file on a vanished disk would.</summary>
    private sealed class FailingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("disk went away");

        public override int Read(Span<byte> buffer) => throw new IOException("disk went away");
    }

    [Fact]
    public void Vocabulary_is_sentence_end_first_then_by_count_with_min_count()
    {
        var result = Word2VecTrainer.Train(Open("a b a\r\nc a b\n\nd d"), Small with { MinCount = 2, Epochs = 1 });
        Assert.Equal(["</s>", "a", "b", "d"], result.Vectors.Words);
        Assert.Equal([3L, 3, 2, 2], result.Counts);
        Assert.Equal(10, result.TrainingWords);
        Assert.Equal(8, result.CorpusTokens);
    }

    [Fact]
    public void Empty_or_all_rare_text_is_a_clear_error()
    {
        var empty = Assert.Throws<LmToLlmException>(() => Word2VecTrainer.Train(Open(" \n\n"), Small));
        Assert.Contains("empty", empty.Message);
        var rare = Assert.Throws<LmToLlmException>(() => Word2VecTrainer.Train(Open("a b c\n"), Small with { MinCount = 5 }));
        Assert.Contains("no word occurs at least 5 times", rare.Message);
    }

    [Fact]
    public void Progress_is_reported_and_cancellation_is_honoured()
    {
        var reports = new List<Word2VecProgress>();
        var progress = new Collect(reports);
        var result = Word2VecTrainer.Train(Open(TopicCorpus(200, 1)), Small, progress);
        Assert.Equal(Word2VecPhase.Training, reports[^1].Phase);
        Assert.Equal(100, reports[^1].Percent, 6);
        Assert.Equal(result.WordsProcessed, reports[^1].WordsProcessed);
        // The default rate ends at α/2; word2vec.c's at its floor α·1e-4.
        Assert.Equal(0.025f, (float)reports[^1].Alpha, 7);
        reports.Clear();
        Word2VecTrainer.Train(Open(TopicCorpus(200, 1)), Small with { Compatibility = Word2VecCompatibility.Word2VecC }, progress);
        Assert.Equal((float)(0.05 * 1e-4), (float)reports[^1].Alpha, 9);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Word2VecTrainer.Train(Open(TopicCorpus(2000, 1)), Small, null, cancelled.Token));
    }

    [Fact]
    public void Subsampling_keep_probability_follows_word2vec_c()
    {
        // t = 1e-3, T = 100,000: tT = 100. A word seen 1,000 times: (√(1000/100) + 1)·100/1000 = 0.4162278.
        Assert.Equal(0.4162278f, Word2VecTrainer.KeepProbability(1000, 1e-3, 100_000), 6);
        // c = tT: (1 + 1)·1 = 2 (always kept); c = 4·tT: (2 + 1)/4 = 0.75.
        Assert.Equal(2f, Word2VecTrainer.KeepProbability(100, 1e-3, 100_000), 6);
        Assert.Equal(0.75f, Word2VecTrainer.KeepProbability(400, 1e-3, 100_000), 6);
        Assert.True(float.IsPositiveInfinity(Word2VecTrainer.KeepProbability(400, 0, 100_000)));
    }

    [Fact]
    public void Learning_rate_falls_linearly_to_a_floor_of_alpha_times_1e_minus_4()
    {
        // 3 epochs of 1,000 words: α·(1 − done/3001).
        Assert.Equal(0.025f, Word2VecTrainer.LearningRate(0.025, 0, 1000, 3));
        Assert.Equal(0.025f * (1 - 1500 / 3001f), Word2VecTrainer.LearningRate(0.025, 1500, 1000, 3));
        Assert.Equal(0.025f * (1 - 3000 / 3001f), Word2VecTrainer.LearningRate(0.025, 3000, 1000, 3), 9);
        Assert.Equal((float)(0.025f * 1e-4), Word2VecTrainer.LearningRate(0.025, 3001, 1000, 3));
        Assert.Equal((float)(0.05f * 1e-4), Word2VecTrainer.LearningRate(0.05, 10_000, 1000, 3));
    }

    /// <summary>word2vec.c's <c>InitUnigramTable</c>, written out in full as the reference for the compact sampler.</summary>
    private static int[] UnigramTable(long[] counts, int size)
    {
        var table = new int[size];
        double total = 0;
        foreach (long c in counts) total += Math.Pow(c, 0.75);
        int i = 0;
        double cumulative = Math.Pow(counts[0], 0.75) / total;
        for (int a = 0; a < size; a++)
        {
            table[a] = i;
            if (a / (double)size > cumulative)
            {
                i++;
                if (i < counts.Length) cumulative += Math.Pow(counts[i], 0.75) / total;
            }
            if (i >= counts.Length) i = counts.Length - 1;
        }
        return table;
    }

    [Fact]
    public void Unigram_table_draws_words_in_proportion_to_count_to_the_three_quarters()
    {
        long[] counts = [10, 1000, 100, 1];
        int[] table = UnigramTable(counts, 1_000_000);
        double total = counts.Sum(c => Math.Pow(c, 0.75));
        for (int w = 0; w < counts.Length; w++)
        {
            double share = table.Count(x => x == w) / (double)table.Length;
            Assert.Equal(Math.Pow(counts[w], 0.75) / total, share, 4);
        }
    }

    [Theory]
    [InlineData(4, 1)]
    [InlineData(300, 2)]
    [InlineData(3000, 3)]
    public void Word2vec_c_sampler_draws_the_word_of_the_full_unigram_table(int words, int seed)
    {
        // Zipf-like counts with ties and a count-1 tail, </s> first as in a vocabulary.
        var random = new Random(seed);
        long[] counts = Enumerable.Range(0, words).Select(i => i == 0 ? 50L : Math.Max(1, 100_000 / (i + random.Next(3)))).ToArray();
        int size = (int)Math.Min(100_000_000L, words * 10_000L);
        int[] table = UnigramTable(counts, size);
        var sampler = Word2VecNegatives.Word2VecC(counts);
        ulong state = (ulong)seed;
        for (int draw = 0; draw < 200_000; draw++)
        {
            state = state * 25214903917UL + 11;
            int expected = table[(int)((state >> 16) % (ulong)size)];
            if (expected == 0) expected = (int)(state % (ulong)(words - 1)) + 1;
            Assert.Equal(expected, sampler.DrawWord2VecC(state));
        }
        // Every slot boundary, not only the drawn ones.
        int[] starts = Word2VecNegatives.UnigramTableStarts(counts, size);
        for (int w = 0; w < words; w++)
        {
            if (starts[w] < starts[w + 1]) Assert.Equal(w, table[starts[w]]);
            if (starts[w] > 0 && starts[w] < size) Assert.NotEqual(w, table[starts[w] - 1]);
        }
    }

    [Fact]
    public void Alias_sampler_draws_words_in_proportion_to_count_to_the_three_quarters_without_the_sentence_end()
    {
        long[] counts = [5000, 1000, 100, 10, 1];
        var sampler = Word2VecNegatives.Alias(counts);
        var seen = new int[counts.Length];
        ulong state = 1;
        const int draws = 1_000_000;
        for (int draw = 0; draw < draws; draw++)
        {
            state = state * 25214903917UL + 11;
            seen[sampler.Draw(state)]++;
        }
        double total = counts.Skip(1).Sum(c => Math.Pow(c, 0.75));
        Assert.Equal(0, seen[0]);
        for (int w = 1; w < counts.Length; w++)
            Assert.Equal(Math.Pow(counts[w], 0.75) / total, seen[w] / (double)draws, 2);
    }

    [Fact]
    public void Default_learning_rate_falls_linearly_to_half_the_starting_rate()
    {
        // 3 epochs of 1,000 words: α·(1 − done/3000·½).
        Assert.Equal(0.025f, Word2VecTrainer.LearningRateToHalf(0.025, 0, 3000));
        Assert.Equal(0.025f * 0.75f, Word2VecTrainer.LearningRateToHalf(0.025, 1500, 3000), 7);
        Assert.Equal(0.0125f, Word2VecTrainer.LearningRateToHalf(0.025, 3000, 3000), 7);
    }

    [Fact]
    public void Skip_gram_learning_rate_is_a_per_worker_sawtooth_as_gensim()
    {
        // 3 epochs of 1,000 words, α = 0.025, α_min = 1e-4: α − (α − α_min)·(epoch + done/1000)/3.
        const double Drop = (0.025 - 0.0001) / 3;
        Assert.Equal(0.025f, Word2VecTrainer.LearningRateSawtooth(0.025, 0, 0, 1000, 3));
        Assert.Equal((float)(0.025 - Drop * 0.5), Word2VecTrainer.LearningRateSawtooth(0.025, 0, 500, 1000, 3));   // one of two workers at the end of its half
        Assert.Equal((float)(0.025 - Drop), Word2VecTrainer.LearningRateSawtooth(0.025, 1, 0, 1000, 3));           // back up at the next epoch's start
        Assert.Equal((float)(0.025 - Drop * 2.5), Word2VecTrainer.LearningRateSawtooth(0.025, 2, 500, 1000, 3));
        Assert.Equal(0.0001f, Word2VecTrainer.LearningRateSawtooth(0.025, 2, 5000, 1000, 3));                      // never below α_min
    }

    [Fact]
    public void Huffman_codes_match_a_hand_built_tree()
    {
        // Counts 5, 3, 2, 1: join 1+2 → node 4 (3), then word 1 (3) with node 4 → node 5 (6), then 5 with node 5 → root 6 (11).
        var codes = HuffmanCodes.Build([5, 3, 2, 1]);
        string Code(int w) => string.Concat(codes.Codes[codes.Offsets[w]..codes.Offsets[w + 1]].Select(c => (char)('0' + c)));
        int[] Points(int w) => codes.Points[codes.Offsets[w]..codes.Offsets[w + 1]];
        Assert.Equal(["0", "11", "101", "100"], Enumerable.Range(0, 4).Select(Code));
        Assert.Equal([2], Points(0));
        Assert.Equal([2, 1], Points(1));
        Assert.Equal([2, 1, 0], Points(2));
        Assert.Equal([2, 1, 0], Points(3));
    }

    [Fact]
    public void Exp_table_is_the_logistic_function_on_minus_6_to_6()
    {
        float[] table = Word2VecSgd.ExpTable();
        Assert.Equal(1001, table.Length);
        Assert.Equal(1 / (1 + Math.Exp(6)), table[0], 6);
        Assert.Equal(0.5, table[500], 6);
        Assert.Equal(1 / (1 + Math.Exp(-6 * 998 / 1000.0)), table[999], 6);
    }

    private sealed class Collect(List<Word2VecProgress> into) : IProgress<Word2VecProgress>
    {
        public void Report(Word2VecProgress value)
        {
            lock (into) into.Add(value);
        }
    }
}
