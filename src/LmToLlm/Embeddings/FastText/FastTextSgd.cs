using LmToLlm.Primitives;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LmToLlm.Embeddings.FastText;

/// <summary>
/// The unsupervised training loop of the reference fastText (<c>FastText::trainThread</c>, <c>skipgram</c>, <c>cbow</c>,
/// <c>Model::update</c>, <c>NegativeSamplingLoss</c>). Input: a vocabulary (shared with Word2Vec) and the text, re-read
/// each epoch. Output: the input matrix (words, then n-gram buckets) and the output matrix, updated in place by Hogwild workers.
/// </summary>
internal sealed class FastTextSgd
{
    private const int SigmoidTableSize = 512;
    private const float MaxSigmoid = 8;
    private const int NegativeTableSize = 10_000_000;
    private const int MaxLineSize = 1024;
    private const ulong Multiplier = 25214903917UL;

    private readonly Word2VecVocabulary _vocabulary;
    private readonly FastTextOptions _options;
    private readonly int _dim;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly float[] _sigmoid;
    private readonly int[] _negatives;
    private readonly float[] _keep;
    private readonly int[] _subwordStarts;
    private readonly int[] _subwordRows;
    private readonly long _totalTokens;
    private long _tokensDone;
    private long _lastReportTicks;
    private Stopwatch _clock = new();

    internal FastTextSgd(Word2VecVocabulary vocabulary, FastTextOptions options)
    {
        _vocabulary = vocabulary;
        _options = options;
        _dim = options.Dimensions;
        int words = vocabulary.Count;
        _input = InitialInput((long)words + options.Bucket, _dim, options.Seed);
        _output = new float[(long)words * _dim];
        _sigmoid = SigmoidTable();
        _negatives = NegativeTable(vocabulary.Counts);
        Tokens = vocabulary.TrainingWords;
        AllTokens = vocabulary.CorpusTokens + vocabulary.Counts[0];
        _keep = new float[words];
        for (int i = 0; i < words; i++) _keep[i] = KeepProbability(vocabulary.Counts[i], options.Sample, AllTokens);
        (_subwordStarts, _subwordRows) = FastTextModel.BuildSubwords(vocabulary.Words, options);
        _totalTokens = options.Epochs * AllTokens;
    }

    /// <summary>In-vocabulary tokens of one pass, line ends included (what one pass adds to the count of tokens processed).</summary>
    internal long Tokens { get; }

    /// <summary>
    /// All tokens of the text, rare words and line ends included (the reference's <c>ntokens</c>): the frequencies of
    /// subsampling, and the schedule — training runs until <c>epochs · AllTokens</c> in-vocabulary tokens are processed.
    /// </summary>
    internal long AllTokens { get; }

    internal float[] Input => _input;

    internal float[] Output => _output;

    internal long TokensProcessed => Interlocked.Read(ref _tokensDone);

    /// <summary>The reference's <c>pdiscard</c>: keep a word of frequency <c>f = count/tokens</c> with probability <c>√(t/f) + t/f</c>.</summary>
    internal static float KeepProbability(long count, double sample, long tokens)
    {
        if (sample <= 0 || count <= 0) return float.PositiveInfinity;
        double f = count / (double)tokens;
        return (float)(Math.Sqrt(sample / f) + sample / f);
    }

    /// <summary>Input rows uniform in <c>[−1/dim, 1/dim)</c> (the reference's <c>DenseMatrix::uniform</c>), from one seeded stream.</summary>
    internal static float[] InitialInput(long rows, int dim, ulong seed)
    {
        var input = new float[rows * dim];
        ulong random = seed * 2654435761UL + 1;
        float bound = 1f / dim;
        for (long i = 0; i < input.Length; i++)
        {
            random = random * Multiplier + 11;
            input[i] = ((random >> 16 & 0xFFFFFF) / 16777216f * 2 - 1) * bound;
        }
        return input;
    }

    /// <summary>σ at <c>x = i·16/512 − 8</c>, i = 0..512 (the reference's <c>t_sigmoid</c>).</summary>
    internal static float[] SigmoidTable()
    {
        var table = new float[SigmoidTableSize + 1];
        for (int i = 0; i <= SigmoidTableSize; i++)
        {
            float x = i * 2 * MaxSigmoid / SigmoidTableSize - MaxSigmoid;
            table[i] = (float)(1.0 / (1.0 + Math.Exp(-x)));
        }
        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Sigmoid(float x)
    {
        if (x < -MaxSigmoid) return 0;
        if (x > MaxSigmoid) return 1;
        return _sigmoid[(int)((x + MaxSigmoid) * SigmoidTableSize / MaxSigmoid / 2)];
    }

    /// <summary>
    /// The reference's negative table: word i fills <c>⌈√count_i · 10⁷ / Σ√count⌉</c> slots (note √, where word2vec uses
    /// the power 0.75), in word order; a negative is a uniformly random slot (<c>NegativeSamplingLoss::getNegative</c>).
    /// </summary>
    internal static int[] NegativeTable(long[] counts)
    {
        double z = 0;
        foreach (long c in counts) z += Math.Sqrt(c);
        long total = 0;
        for (int i = 0; i < counts.Length; i++) total += (long)Math.Ceiling(Math.Sqrt(counts[i]) * NegativeTableSize / z);
        var result = new int[total];
        long at = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            long slots = (long)Math.Ceiling(Math.Sqrt(counts[i]) * NegativeTableSize / z); // j < slots, j = 0, 1, …
            result.AsSpan((int)at, (int)slots).Fill(i);
            at += slots;
        }
        return result;
    }

    internal void Run(Func<Stream> openText, IProgress<Word2VecProgress>? progress, CancellationToken cancellationToken)
    {
        _clock = Stopwatch.StartNew();
        HogwildThreads.Run(_options.MaxDegreeOfParallelism, "fasttext", id => Work(id, openText, progress, cancellationToken), cancellationToken);
        progress?.Report(Snapshot(0, _options.Epochs));
    }

    private float LearningRate(long done) => (float)(_options.LearningRate * Math.Max(0, 1 - done / (double)_totalTokens));

    private Word2VecProgress Snapshot(float lr, int epoch)
    {
        long done = TokensProcessed;
        return new Word2VecProgress(Word2VecPhase.Training, done, _totalTokens, done / Math.Max(1e-9, _clock.Elapsed.TotalSeconds), lr, epoch);
    }

    /// <summary>
    /// One worker: every pass it reads the lines starting in its slice [size·t/n, size·(t+1)/n) of the text, until the
    /// shared count of in-vocabulary tokens reaches <c>epochs · ntokens</c> where ntokens counts all tokens, rare words
    /// included (the reference's <c>keepTraining</c>), so training runs slightly past <c>epochs</c> passes. A line is
    /// at most 1024 in-vocabulary tokens or ends with <c>&lt;/s&gt;</c>, which is itself a training word (as the
    /// reference's <c>getLine</c>); the learning rate is recomputed per line from the shared count of tokens, which each
    /// worker publishes every <c>lrUpdateRate</c> tokens.
    /// </summary>
    private void Work(int thread, Func<Stream> openText, IProgress<Word2VecProgress>? progress, CancellationToken cancellationToken)
    {
        int threads = _options.MaxDegreeOfParallelism;
        long size = _vocabulary.TextBytes;
        long start = size / threads * thread;
        long end = thread == threads - 1 ? long.MaxValue : size / threads * (thread + 1);
        ulong random = (_options.Seed + (ulong)thread) * 0x9E3779B97F4A7C15UL + 3;
        var line = new int[MaxLineSize + 2];
        var hidden = new float[_dim];
        var gradient = new float[_dim];
        var bag = new List<int>(256);
        ByteStringTable table = _vocabulary.Table;
        bool cbow = _options.Architecture == FastTextArchitecture.Cbow;
        long pending = 0;
        float lr = LearningRate(0);
        bool finished = _totalTokens == 0;
        for (int pass = 0; !finished; pass++)
        {
            int epoch = Math.Min(pass, _options.Epochs - 1);
            if (pass >= _options.Epochs && TokensProcessed >= _totalTokens) break;
            long passTokens = 0;
            using Stream stream = openText();
            var reader = new ByteWordReader(stream);
            reader.SkipToLineStart(start);
            int length = 0, lineTokens = 0;
            bool more = reader.Position < end;
            while (more)
            {
                TokenKind kind = reader.Next();
                int word;
                if (kind == TokenKind.End) word = -2;
                else if (kind == TokenKind.LineEnd)
                {
                    word = 0;
                    more = reader.Position < end;
                }
                else if ((word = table.Find(reader.Word)) < 0) continue;
                if (word >= 0)
                {
                    lineTokens++;
                    random = random * Multiplier + 11;
                    if ((random >> 16 & 0xFFFF) / 65536f <= _keep[word]) line[length++] = word;
                    if (word != 0 && lineTokens <= MaxLineSize) continue;
                }
                // End of a line: train on it, then publish the tokens.
                if (length > 0)
                {
                    random = cbow
                        ? Cbow(line, length, lr, random, hidden, gradient, bag)
                        : SkipGram(line, length, lr, random, hidden, gradient);
                }
                pending += lineTokens;
                passTokens += lineTokens;
                length = lineTokens = 0;
                if (pending > _options.LearningRateUpdateRate)
                {
                    long done = Interlocked.Add(ref _tokensDone, pending);
                    pending = 0;
                    lr = LearningRate(done);
                    if (done >= _totalTokens) finished = true;
                    cancellationToken.ThrowIfCancellationRequested();
                    if (progress is not null) MaybeReport(progress, lr, epoch);
                }
                if (word == -2 || finished) break;
            }
            if (passTokens == 0 && pass >= _options.Epochs) break; // an empty slice cannot advance the count
        }
        Interlocked.Add(ref _tokensDone, pending);
    }

    private void MaybeReport(IProgress<Word2VecProgress> progress, float lr, int epoch)
    {
        long now = _clock.ElapsedTicks;
        long last = Interlocked.Read(ref _lastReportTicks);
        if (now - last < Stopwatch.Frequency / 5) return;
        if (Interlocked.CompareExchange(ref _lastReportTicks, now, last) != last) return;
        progress.Report(Snapshot(lr, epoch));
    }

    private ReadOnlySpan<int> Subwords(int word) => _subwordRows.AsSpan(_subwordStarts[word], _subwordStarts[word + 1] - _subwordStarts[word]);

    /// <summary>The reference's <c>skipgram</c>: window b ∈ 1..ws per position; the centre's subwords predict each context word.</summary>
    private ulong SkipGram(int[] line, int length, float lr, ulong random, float[] hidden, float[] gradient)
    {
        int window = _options.Window;
        for (int w = 0; w < length; w++)
        {
            random = random * Multiplier + 11;
            int boundary = 1 + (int)((random >> 16) % (ulong)window);
            ReadOnlySpan<int> subwords = Subwords(line[w]);
            for (int c = -boundary; c <= boundary; c++)
            {
                if (c == 0 || w + c < 0 || w + c >= length) continue;
                Update(subwords, line[w + c], lr, hidden, gradient, ref random);
            }
        }
        return random;
    }

    /// <summary>The reference's <c>cbow</c>: the subwords of all context words in the window, pooled, predict the middle word.</summary>
    private ulong Cbow(int[] line, int length, float lr, ulong random, float[] hidden, float[] gradient, List<int> bag)
    {
        int window = _options.Window;
        for (int w = 0; w < length; w++)
        {
            random = random * Multiplier + 11;
            int boundary = 1 + (int)((random >> 16) % (ulong)window);
            bag.Clear();
            for (int c = -boundary; c <= boundary; c++)
            {
                if (c == 0 || w + c < 0 || w + c >= length) continue;
                foreach (int row in Subwords(line[w + c])) bag.Add(row);
            }
            Update(CollectionsMarshal.AsSpan(bag), line[w], lr, hidden, gradient, ref random);
        }
        return random;
    }

    /// <summary>
    /// <c>Model::update</c> with negative sampling: hidden = mean of the input rows; for the target (label 1) and
    /// <c>neg</c> negatives (label 0, never the target) <c>α = lr·(label − σ(out·hidden))</c>, <c>grad += α·out</c>,
    /// <c>out += α·hidden</c>; then every input row gets <c>+= grad</c> (not divided by the row count, as the reference).
    /// </summary>
    private void Update(ReadOnlySpan<int> inputs, int target, float lr, float[] hiddenArray, float[] gradientArray, ref ulong random)
    {
        if (inputs.IsEmpty) return;
        int dim = _dim;
        ref float hidden = ref MemoryMarshal.GetArrayDataReference(hiddenArray);
        ref float gradient = ref MemoryMarshal.GetArrayDataReference(gradientArray);
        // Draw the negatives first (the same draws, in the same order, as drawing them one by one) so that their
        // output rows and every input row can be fetched from memory while the sums run: the input matrix is
        // buckets × dim floats (800 MB by default), so its rows are cache misses.
        int negatives = _options.Negative;
        Span<int> drawn = negatives <= 64 ? stackalloc int[negatives] : new int[negatives];
        for (int n = 0; n < negatives; n++)
        {
            int negative;
            do
            {
                random = random * Multiplier + 11;
                negative = _negatives[(int)((random >> 16) % (ulong)_negatives.Length)];
            }
            while (negative == target);
            drawn[n] = negative;
        }
        foreach (int row in inputs) Prefetch(ref Row(_input, row));
        Prefetch(ref Row(_output, target));
        foreach (int negative in drawn) Prefetch(ref Row(_output, negative));
        Array.Clear(hiddenArray);
        foreach (int row in inputs) Word2VecKernels.Add(ref hidden, ref Row(_input, row), dim);
        float scale = 1f / inputs.Length;
        for (int i = 0; i < dim; i++) hiddenArray[i] *= scale;
        Array.Clear(gradientArray);
        Binary(target, 1, lr, ref hidden, ref gradient);
        foreach (int negative in drawn) Binary(negative, 0, lr, ref hidden, ref gradient);
        foreach (int row in inputs) Word2VecKernels.Add(ref Row(_input, row), ref gradient, dim);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Binary(int target, float label, float lr, ref float hidden, ref float gradient)
    {
        ref float output = ref Row(_output, target);
        float score = Sigmoid(Word2VecKernels.Dot(ref hidden, ref output, _dim));
        Word2VecKernels.Update(ref hidden, ref output, ref gradient, lr * (label - score), _dim);
    }

    /// <summary>Asks the CPU to start loading a row (every 64-byte line of it) into the cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void Prefetch(ref float row)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        byte* start = (byte*)Unsafe.AsPointer(ref row);
        for (int offset = 0; offset < _dim * sizeof(float); offset += 64) System.Runtime.Intrinsics.X86.Sse.Prefetch0(start + offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref float Row(float[] matrix, int row) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(matrix), (nint)row * _dim);
}
