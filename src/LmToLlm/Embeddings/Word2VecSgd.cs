using LmToLlm.Primitives;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LmToLlm.Embeddings;

/// <summary>
/// The training loop of word2vec.c. Input: a vocabulary and the text (re-read each epoch). Output:
/// <see cref="InputVectors"/> (<c>syn0</c>, vocabulary order), updated in place by Hogwild workers.
/// </summary>
internal sealed class Word2VecSgd
{
    private const int ExpTableSize = 1000;
    private const float MaxExp = 6;
    /// <summary>word2vec.c indexes its table with <c>EXP_TABLE_SIZE / MAX_EXP / 2</c>, integer division: 83.</summary>
    private const float ExpTableScale = ExpTableSize / 6 / 2;
    /// <summary>word2vec.c's <c>MAX_SENTENCE_LENGTH</c>: longer lines are cut into pieces of this many kept words.</summary>
    private const int Word2VecCSentenceLength = 1000;
    /// <summary>gensim's <c>MAX_SENTENCE_LEN</c>, the default.</summary>
    private const int SentenceLength = 10_000;
    private const int AlphaUpdateInterval = 10_000;
    private const ulong Multiplier = 25214903917UL;

    private readonly Word2VecVocabulary _vocabulary;
    private readonly Word2VecOptions _options;
    private readonly int _dim;
    private readonly float[] _syn0;
    private readonly float[] _syn1Negative;
    private readonly float[] _syn1Tree;
    private readonly float[] _expTable;
    private readonly Word2VecNegatives _negatives;
    private readonly bool _compat;
    private readonly bool _sawtooth;   // skip-gram, gensim schedule: each worker's rate is a sawtooth over its own share
    private readonly int _maxSentence;
    private readonly float[] _keep;
    private readonly HuffmanCodes _huffman;
    private readonly long _totalWords;
    private long _wordsDone;
    private long _lastReportTicks;
    private Stopwatch _clock = new();

    internal Word2VecSgd(Word2VecVocabulary vocabulary, Word2VecOptions options)
    {
        _vocabulary = vocabulary;
        _options = options;
        _dim = options.Dimensions;
        int v = vocabulary.Count;
        _compat = options.Compatibility == Word2VecCompatibility.Word2VecC;
        _syn0 = InitialInputVectors(v, _dim, options.Seed, _compat ? 1 : 2);
        _syn1Negative = options.Negative > 0 ? new float[(long)v * _dim] : [];
        _syn1Tree = options.HierarchicalSoftmax ? new float[(long)v * _dim] : [];
        _huffman = options.HierarchicalSoftmax ? HuffmanCodes.Build(vocabulary.Counts) : HuffmanCodes.Empty;
        _sawtooth = !_compat && options.Architecture == Word2VecArchitecture.SkipGram;
        _maxSentence = _compat ? Word2VecCSentenceLength : SentenceLength;
        _negatives = options.Negative == 0 ? Word2VecNegatives.Alias([1]) : _compat ? Word2VecNegatives.Word2VecC(vocabulary.Counts) : Word2VecNegatives.Alias(vocabulary.Counts);
        _expTable = ExpTable();
        _keep = new float[v];
        // word2vec.c's subsampling total counts line ends (its </s>); gensim's has no line ends, and with it the
        // similarity scores reach gensim's (benchmarks/README.md).
        long sampledTotal = _compat ? vocabulary.TrainingWords : vocabulary.TrainingWords - vocabulary.Counts[0];
        for (int i = 0; i < v; i++) _keep[i] = Word2VecVocabulary.KeepProbability(vocabulary.Counts[i], options.Sample, sampledTotal);
        _totalWords = options.Epochs * vocabulary.TrainingWords;
    }

    internal float[] InputVectors => _syn0;

    internal long WordsProcessed => Interlocked.Read(ref _wordsDone);

    /// <summary>
    /// word2vec.c <c>InitNet</c>: one LCG stream from the seed over all weights, <c>((r &amp; 0xFFFF)/65536 − 0.5)·width/dim</c>;
    /// width 1 is word2vec.c's range [−½/dim, ½/dim), width 2 gensim's [−1/dim, 1/dim) (the default trainer's).
    /// </summary>
    internal static float[] InitialInputVectors(int words, int dim, ulong seed, int width)
    {
        var syn0 = new float[(long)words * dim];
        ulong random = seed;
        for (long i = 0; i < syn0.Length; i++)
        {
            random = random * Multiplier + 11;
            syn0[i] = (float)(((random & 0xFFFF) / 65536f - 0.5) * width / dim);
        }
        return syn0;
    }

    /// <summary>σ(x) = eˣ/(eˣ + 1) at x = (i/1000·2 − 1)·6, i = 0..999, in float as word2vec.c.</summary>
    internal static float[] ExpTable()
    {
        var table = new float[ExpTableSize + 1];
        for (int i = 0; i < ExpTableSize; i++)
        {
            float e = (float)Math.Exp((i / (float)ExpTableSize * 2 - 1) * MaxExp);
            table[i] = e / (e + 1);
        }
        return table;
    }

    public void Run(Func<Stream> openText, IProgress<Word2VecProgress>? progress, CancellationToken cancellationToken)
    {
        _clock = Stopwatch.StartNew();
        int threads = _options.MaxDegreeOfParallelism;
        // With the sawtooth each worker's rate follows its own epoch: the workers meet at every epoch's end, as gensim's do.
        using var epochEnd = _sawtooth && threads > 1 ? new Barrier(threads) : null;
        HogwildThreads.Run(threads, "word2vec", id => Work(id, epochEnd, openText, progress, cancellationToken), cancellationToken);
        progress?.Report(Snapshot(Learning(WordsProcessed), _options.Epochs));
    }

    private float Learning(long done) => _compat ? Word2VecCRate(done) : Word2VecTrainer.LearningRateToHalf(_options.StartingAlpha, done, _totalWords);

    private float Sawtooth(int epoch, long workerWordsDone) =>
        Word2VecTrainer.LearningRateSawtooth(_options.StartingAlpha, epoch, workerWordsDone, _vocabulary.TrainingWords, _options.Epochs);

    private float Word2VecCRate(long done) => Word2VecTrainer.LearningRate(_options.StartingAlpha, done, _vocabulary.TrainingWords, _options.Epochs);

    private Word2VecProgress Snapshot(float alpha, int epoch)
    {
        long done = WordsProcessed;
        return new Word2VecProgress(Word2VecPhase.Training, done, _totalWords, done / Math.Max(1e-9, _clock.Elapsed.TotalSeconds), alpha, epoch);
    }

    /// <summary>One worker (<see cref="TrainSlice"/>); if it fails, the others stop waiting for it at <paramref name="epochEnd"/>.</summary>
    private void Work(int thread, Barrier? epochEnd, Func<Stream> openText, IProgress<Word2VecProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            TrainSlice(thread, epochEnd, openText, progress, cancellationToken);
        }
        catch
        {
            epochEnd?.RemoveParticipant();   // the others no longer wait for this worker at the end of an epoch
            throw;
        }
    }

    /// <summary>
    /// Every epoch, reads this worker's slice of the text — the lines that start in bytes [size·t/n, size·(t+1)/n),
    /// as word2vec.c starts thread t at byte size/n·t — and trains on it; then waits for the others at
    /// <paramref name="epochEnd"/> when there is one.
    /// </summary>
    private void TrainSlice(int thread, Barrier? epochEnd, Func<Stream> openText, IProgress<Word2VecProgress>? progress, CancellationToken cancellationToken)
    {
        int threads = _options.MaxDegreeOfParallelism;
        long size = _vocabulary.TextBytes;
        long start = size / threads * thread;
        long end = thread == threads - 1 ? long.MaxValue : size / threads * (thread + 1);
        ulong random = _options.Seed - 1 + (ulong)thread;
        var sentence = new int[_maxSentence + 1];
        var neu1 = new float[_dim];
        var neu1e = new float[_dim];
        bool subsample = _options.Sample > 0;
        ByteStringTable table = _vocabulary.Table;
        float alpha = Learning(0);
        long pending = 0;
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            long epochDone = 0;   // words this worker has read in this epoch (the sawtooth's clock)
            if (_sawtooth) alpha = Sawtooth(epoch, 0);
            using Stream stream = openText();
            var reader = new ByteWordReader(stream);
            reader.SkipToLineStart(start);
            int length = 0;
            bool more = reader.Position < end;
            while (more)
            {
                TokenKind kind = reader.Next();
                int word;
                if (kind == TokenKind.End)
                {
                    if (length > 0) random = TrainSentence(sentence, length, alpha, random, neu1, neu1e);
                    break;
                }
                if (kind == TokenKind.LineEnd)
                {
                    word = 0;
                    more = reader.Position < end;
                }
                else if ((word = table.Find(reader.Word)) < 0)
                {
                    continue;
                }
                if (++pending > AlphaUpdateInterval)
                {
                    long done = Interlocked.Add(ref _wordsDone, pending);
                    epochDone += pending;
                    pending = 0;
                    alpha = _sawtooth ? Sawtooth(epoch, epochDone) : Learning(done);
                    cancellationToken.ThrowIfCancellationRequested();
                    if (progress is not null) MaybeReport(progress, alpha, epoch);
                }
                if (word == 0)
                {
                    if (length > 0) random = TrainSentence(sentence, length, alpha, random, neu1, neu1e);
                    length = 0;
                    continue;
                }
                if (subsample)
                {
                    random = random * Multiplier + 11;
                    if (_keep[word] < (random & 0xFFFF) / 65536f) continue;
                }
                sentence[length++] = word;
                if (length >= _maxSentence)
                {
                    random = TrainSentence(sentence, length, alpha, random, neu1, neu1e);
                    length = 0;
                }
            }
            epochEnd?.SignalAndWait(cancellationToken);
        }
        Interlocked.Add(ref _wordsDone, pending);
    }

    private void MaybeReport(IProgress<Word2VecProgress> progress, float alpha, int epoch)
    {
        long now = _clock.ElapsedTicks;
        long last = Interlocked.Read(ref _lastReportTicks);
        if (now - last < Stopwatch.Frequency / 5) return;
        if (Interlocked.CompareExchange(ref _lastReportTicks, now, last) != last) return;
        progress.Report(Snapshot(alpha, epoch));
    }

    private ulong TrainSentence(int[] sentence, int length, float alpha, ulong random, float[] neu1, float[] neu1e)
    {
        int window = _options.Window, dim = _dim;
        bool cbow = _options.Architecture == Word2VecArchitecture.Cbow;
        ref float hidden = ref MemoryMarshal.GetArrayDataReference(neu1);
        ref float error = ref MemoryMarshal.GetArrayDataReference(neu1e);
        for (int position = 0; position < length; position++)
        {
            int word = sentence[position];
            random = random * Multiplier + 11;
            int b = (int)(random % (ulong)window);
            int first = Math.Max(0, position - window + b), last = Math.Min(length - 1, position + window - b);
            if (cbow)
            {
                Array.Clear(neu1);
                Array.Clear(neu1e);
                int cw = 0;
                for (int c = first; c <= last; c++)
                {
                    if (c == position) continue;
                    Word2VecKernels.Add(ref hidden, ref Row(_syn0, sentence[c]), dim);
                    cw++;
                }
                if (cw == 0) continue;
                float contexts = cw;
                for (int i = 0; i < neu1.Length; i++) neu1[i] /= contexts;
                random = Output(word, ref hidden, ref error, alpha, random);
                for (int c = first; c <= last; c++)
                {
                    if (c == position) continue;
                    Word2VecKernels.Add(ref Row(_syn0, sentence[c]), ref error, dim);
                }
            }
            else
            {
                for (int c = first; c <= last; c++)
                {
                    if (c == position) continue;
                    ref float input = ref Row(_syn0, sentence[c]);
                    Array.Clear(neu1e);
                    random = Output(word, ref input, ref error, alpha, random);
                    Word2VecKernels.Add(ref input, ref error, dim);
                }
            }
        }
        return random;
    }

    /// <summary>
    /// One prediction of <paramref name="word"/> from the hidden vector <paramref name="hidden"/>: updates the output
    /// weights and accumulates the hidden layer's error in <paramref name="error"/> (word2vec.c's <c>neu1e</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Output(int word, ref float hidden, ref float error, float alpha, ulong random)
    {
        int dim = _dim;
        if (_options.HierarchicalSoftmax)
        {
            int start = _huffman.Offsets[word], end = _huffman.Offsets[word + 1];
            for (int d = start; d < end; d++)
            {
                ref float node = ref Row(_syn1Tree, _huffman.Points[d]);
                float f = Word2VecKernels.Dot(ref hidden, ref node, dim);
                if (f <= -MaxExp || f >= MaxExp) continue;
                f = _expTable[(int)((f + MaxExp) * ExpTableScale)];
                float g = (1 - _huffman.Codes[d] - f) * alpha;
                Word2VecKernels.Update(ref hidden, ref node, ref error, g, dim);
            }
        }
        int negative = _options.Negative;
        if (negative > 0)
        {
            Word2VecNegatives negatives = _negatives;
            bool compat = _compat, skipSaturated = _sawtooth;
            for (int d = 0; d <= negative; d++)
            {
                int target;
                float label;
                if (d == 0)
                {
                    target = word;
                    label = 1;
                }
                else
                {
                    random = random * Multiplier + 11;
                    target = compat ? negatives.DrawWord2VecC(random) : negatives.Draw(random);
                    if (target == word) continue;
                    label = 0;
                }
                ref float output = ref Row(_syn1Negative, target);
                float f = Word2VecKernels.Dot(ref hidden, ref output, dim);
                float g;
                if (skipSaturated && (f >= MaxExp || f <= -MaxExp)) continue;   // gensim skips these updates
                if (f > MaxExp) g = (label - 1) * alpha;
                else if (f < -MaxExp) g = label * alpha;
                else g = (label - _expTable[(int)((f + MaxExp) * ExpTableScale)]) * alpha;
                Word2VecKernels.Update(ref hidden, ref output, ref error, g, dim);
            }
        }
        return random;
    }

    /// <summary>Row <paramref name="row"/> of a matrix; rows are vocabulary ids or tree nodes, always in range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref float Row(float[] matrix, int row) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(matrix), (nint)row * _dim);
}

/// <summary>
/// The Huffman tree of word2vec.c's <c>CreateBinaryTree</c> in flat arrays. Input: counts sorted descending.
/// Output: per word, its inner nodes from the root (<see cref="Points"/>) and the branch taken at each (<see cref="Codes"/>).
/// </summary>
internal sealed class HuffmanCodes(int[] offsets, byte[] codes, int[] points)
{
    internal static readonly HuffmanCodes Empty = new([0], [], []);

    /// <summary>Word w's path is entries Offsets[w] .. Offsets[w+1]−1.</summary>
    internal int[] Offsets { get; } = offsets;

    internal byte[] Codes { get; } = codes;

    /// <summary>Inner node numbers 0..V−2 (the root is V−2).</summary>
    internal int[] Points { get; } = points;

    internal static HuffmanCodes Build(long[] counts)
    {
        int v = counts.Length;
        var count = new long[v * 2 + 1];
        var binary = new byte[v * 2 + 1];
        var parent = new int[v * 2 + 1];
        counts.CopyTo(count, 0);
        for (int a = v; a < v * 2; a++) count[a] = (long)1e15;
        // Two cursors: leaves from the rarest up (pos1), new inner nodes in creation order (pos2).
        int pos1 = v - 1, pos2 = v;
        for (int a = 0; a < v - 1; a++)
        {
            int min1, min2;
            if (pos1 >= 0 && count[pos1] < count[pos2]) min1 = pos1--; else min1 = pos2++;
            if (pos1 >= 0 && count[pos1] < count[pos2]) min2 = pos1--; else min2 = pos2++;
            count[v + a] = count[min1] + count[min2];
            parent[min1] = v + a;
            parent[min2] = v + a;
            binary[min2] = 1;
        }
        int root = v * 2 - 2;
        var offsets = new int[v + 1];
        var codes = new List<byte>();
        var points = new List<int>();
        var pathCodes = new List<byte>();
        var pathNodes = new List<int>();
        for (int a = 0; a < v; a++)
        {
            pathCodes.Clear();
            pathNodes.Clear();
            for (int node = a; node != root && v > 1; node = parent[node])
            {
                pathCodes.Add(binary[node]);
                pathNodes.Add(parent[node] - v);
            }
            offsets[a] = codes.Count;
            for (int i = pathCodes.Count - 1; i >= 0; i--)
            {
                codes.Add(pathCodes[i]);
                points.Add(pathNodes[i]);
            }
        }
        offsets[v] = codes.Count;
        return new HuffmanCodes(offsets, [.. codes], [.. points]);
    }
}
