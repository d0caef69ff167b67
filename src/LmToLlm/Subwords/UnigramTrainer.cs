using System.Runtime.CompilerServices;
using System.Text;

namespace LmToLlm.Subwords;

/// <summary>
/// Unigram training as SentencePiece 0.1.97's <c>unigram_model_trainer.cc</c> (Kudo 2018, "Subword Regularization").
/// Input: a <see cref="TrainingCorpus"/>. Output: the final pieces with their log probabilities, best first.
/// Stages: seed pieces (every character, then the substrings that are nodes of the corpus's suffix tree, by
/// occurrences × length); EM on the words (forward–backward E-step, M-step with the digamma of the expected counts,
/// a Bayesian EM that acts as a sparse prior); after every <see cref="SubwordTrainerOptions.NumSubIterations"/> EM
/// steps, pruning to <see cref="SubwordTrainerOptions.ShrinkingFactor"/> of the pieces by the loss of likelihood
/// each one's removal would cause; at 1.1 × the vocabulary size, the best pieces plus every required character.
/// </summary>
/// <remarks>
/// Floats are summed in the reference's order and its threads' partition (sentence i goes to thread i mod
/// <see cref="SubwordTrainerOptions.NumThreads"/>, partial sums merged in thread order), so the result does not depend
/// on how many cores run it. As the reference, an unknown node counts for the first piece (its trainer model leaves
/// the unknown id at 0), and the removal loss uses the number of pieces where the number of alternatives was meant.
/// </remarks>
internal sealed class UnigramTrainer
{
    private const float UnknownPenalty = 10f;
    private readonly SubwordTrainerOptions _options;
    private readonly TrainingCorpus _corpus;
    private readonly PieceValidity _validity;
    private byte[][] _words = [];
    private long[] _wordFreq = [];
    private List<byte[]> _pieces = [];
    private float[] _scores = [];
    private PieceTrie _trie = new(Array.Empty<(byte[], int)>());
    private float _minScore;

    private UnigramTrainer(TrainingCorpus corpus, SubwordTrainerOptions options)
    {
        _corpus = corpus;
        _options = options;
        _validity = new PieceValidity(options);
    }

    /// <summary>The learned pieces with their scores, best first.</summary>
    public static List<(string Piece, float Score)> Train(TrainingCorpus corpus, SubwordTrainerOptions options,
        IProgress<SubwordTrainingProgress>? progress, CancellationToken cancellation)
    {
        var trainer = new UnigramTrainer(corpus, options);
        return trainer.Run(progress, cancellation);
    }

    private List<(string, float)> Run(IProgress<SubwordTrainingProgress>? progress, CancellationToken cancellation)
    {
        var seeds = UnigramSeeds.Make(_corpus, _validity, _options.SeedSentencePieceSize, _options.NumThreads, cancellation);
        SetPieces(seeds);
        if (_options.SplitByWhitespace)
        {
            var words = _corpus.CountWords(_options);
            _words = words.Select(w => w.Word).ToArray();
            _wordFreq = words.Select(w => w.Freq).ToArray();
        }
        else
        {
            _words = _corpus.Sentences.Select(s => s.Text).ToArray();
            _wordFreq = _corpus.Sentences.Select(s => s.Freq).ToArray();
        }
        int desired = (int)(_options.VocabSize * 1.1);
        int startSize = _pieces.Count;
        while (true)
        {
            for (int iter = 0; iter < _options.NumSubIterations; iter++)
            {
                cancellation.ThrowIfCancellationRequested();
                var expected = ExpectedCounts(cancellation);
                SetPieces(MaximizationStep(expected));
            }
            progress?.Report(new SubwordTrainingProgress("prune", startSize - _pieces.Count, startSize - desired));
            if (_pieces.Count <= desired) break;
            SetPieces(Prune(desired, cancellation));
        }
        return Finalize();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SetPieces(List<(byte[] Piece, float Score)> pieces)
    {
        if (pieces.Count == 0) throw new LmToLlmException("no piece is left to train on; the text is too small for a unigram model");
        _pieces = pieces.Select(p => p.Piece).ToList();
        _scores = pieces.Select(p => p.Score).ToArray();
        _minScore = float.MaxValue;
        foreach (float s in _scores) _minScore = Math.Min(_minScore, s);
        _trie = new PieceTrie(_pieces.Select((p, i) => (p, i)));
    }

    private float UnknownScore => _minScore - UnknownPenalty;

    /// <summary>The E-step: each piece's expected count over all words (<c>RunEStep</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float[] ExpectedCounts(CancellationToken cancellation)
    {
        int threads = _options.NumThreads;
        var partial = new float[threads][];
        Parallel.For(0, threads, new ParallelOptions { CancellationToken = cancellation }, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (n) =>
        {
            var expected = partial[n] = new float[_pieces.Count];
            var lattice = new UnigramLattice();
            for (int i = n; i < _words.Length; i += threads)
            {
                lattice.Build(_words[i], _trie, _scores, UnknownScore, 0);
                float z = lattice.AddMarginals(_wordFreq[i], expected);
                if (float.IsNaN(z)) throw new LmToLlmException("the likelihood of a sentence is NaN; it may be too long (lower --max_sentence_length)");
            }
        });
        for (int n = 1; n < threads; n++)
        {
            var a = partial[0];
            var b = partial[n];
            for (int k = 0; k < a.Length; k++) a[k] += b[k];
        }
        return partial[0];
    }

    /// <summary>The M-step: drops pieces expected less than half a time and scores the rest by digamma (<c>RunMStep</c>).</summary>
    private List<(byte[], float)> MaximizationStep(float[] expected)
    {
        var kept = new List<(byte[], float)>(_pieces.Count);
        float sum = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float freq = expected[i];
            if (freq < 0.5f) continue;
            kept.Add((_pieces[i], freq));
            sum += freq;
        }
        float logSum = (float)Digamma(sum);
        for (int i = 0; i < kept.Count; i++) kept[i] = (kept[i].Item1, (float)(Digamma(kept[i].Item2) - logSum));
        return kept;
    }

    /// <summary>The digamma function as the reference approximates it.</summary>
    internal static double Digamma(double x)
    {
        double result = 0;
        for (; x < 7; ++x) result -= 1 / x;
        x -= 1.0 / 2.0;
        double xx = 1.0 / x, xx2 = xx * xx, xx4 = xx2 * xx2;
        result += Math.Log(x) + (1.0 / 24.0) * xx2 - (7.0 / 960.0) * xx4 + (31.0 / 8064.0) * xx4 * xx2 - (127.0 / 30720.0) * xx4 * xx4;
        return result;
    }

    /// <summary>
    /// Keeps the pieces whose removal would cost most (<c>PruneSentencePieces</c>): a piece that its own Viterbi path
    /// splits goes; one with no alternative stays; the others are ranked by the likelihood lost when their
    /// occurrences are re-spelled by their second-best segmentation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<(byte[], float)> Prune(int desired, CancellationToken cancellation)
    {
        int size = _pieces.Count;
        var alwaysKeep = new bool[size];
        var alternatives = new int[size][];
        var lattice = new UnigramLattice();
        var path = new List<int>();
        for (int i = 0; i < size; i++)
        {
            alwaysKeep[i] = true;
            alternatives[i] = [];
            lattice.Build(_pieces[i], _trie, _scores, UnknownScore, 0);
            if (lattice.NodeCount == 1) continue; // a single path: no second best
            lattice.Viterbi(path);
            if (path.Count >= 2) alwaysKeep[i] = false;
            else if (lattice.Viterbi(path, excludeWhole: true)) alternatives[i] = path.Select(n => lattice.Id[n]).ToArray();
        }

        int threads = _options.NumThreads;
        var freqs = new float[threads][];
        var vsums = new float[threads];
        var tokens = new List<int>[threads]; // per thread: the Viterbi ids of its words in order, for the loss's F
        Parallel.For(0, threads, new ParallelOptions { CancellationToken = cancellation }, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (n) =>
        {
            var f = freqs[n] = new float[size];
            var t = tokens[n] = [];
            var lat = new UnigramLattice();
            var p = new List<int>();
            float vsum = 0;
            for (int w = n; w < _words.Length; w += threads)
            {
                lat.Build(_words[w], _trie, _scores, UnknownScore, 0);
                lat.Viterbi(p);
                vsum += _wordFreq[w];
                foreach (int node in p)
                {
                    int id = lat.Id[node];
                    if (id < 0) continue;
                    f[id] += _wordFreq[w];
                    t.Add(id);
                    t.Add(w);
                }
            }
            vsums[n] = vsum;
        });
        var freq = new float[size];
        var occurrence = new float[size]; // F before normalising: the reference sums its inverted lists in thread order
        float vsumAll = 0;
        for (int n = 0; n < threads; n++)
        {
            vsumAll += vsums[n];
            for (int i = 0; i < size; i++) freq[i] += freqs[n][i];
            var t = tokens[n];
            for (int k = 0; k < t.Count; k += 2) occurrence[t[k]] += _wordFreq[t[k + 1]];
        }

        double sumAll = 0;
        foreach (float f in freq) sumAll += f;
        float sum = (float)sumAll;
        float logSum = (float)Math.Log(sum);
        var candidates = new List<(int Index, float Loss)>();
        var pruned = new List<(byte[], float)>();
        for (int i = 0; i < size; i++)
        {
            if (freq[i] == 0 || !alwaysKeep[i]) continue;
            if (alternatives[i].Length == 0)
            {
                pruned.Add((_pieces[i], _scores[i]));
                continue;
            }
            float occurrences = occurrence[i] / vsumAll;
            float logProbPiece = (float)(Math.Log(freq[i]) - logSum);
            // The reference multiplies by the number of pieces minus one here (alternatives.size() of the outer vector).
            float logSumAlt = (float)Math.Log(sum + freq[i] * (float)(size - 1));
            float logProbAlt = 0;
            foreach (int n in alternatives[i]) logProbAlt = (float)(logProbAlt + (Math.Log(freq[n] + freq[i]) - logSumAlt));
            candidates.Add((i, occurrences * (logProbPiece - logProbAlt)));
        }
        int prunedSize = Math.Max(desired, (int)(_options.ShrinkingFactor * size));
        candidates.Sort((a, b) => a.Loss != b.Loss ? b.Loss.CompareTo(a.Loss) : a.Index.CompareTo(b.Index));
        foreach (var (index, _) in candidates)
        {
            if (pruned.Count == prunedSize) break;
            pruned.Add((_pieces[index], _scores[index]));
        }
        return pruned;
    }

    /// <summary>Every required character, then the best other pieces up to the vocabulary size (<c>FinalizeSentencePieces</c>).</summary>
    private List<(string, float)> Finalize()
    {
        var byText = new Dictionary<string, float>(StringComparer.Ordinal);
        for (int i = 0; i < _pieces.Count; i++) byText[Encoding.UTF8.GetString(_pieces[i])] = _scores[i];
        var final = new Dictionary<string, float>(StringComparer.Ordinal);
        float penalty = 0;
        foreach (var (c, _) in _corpus.RequiredChars.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key))
        {
            string s = char.ConvertFromUtf32(c);
            if (byText.TryGetValue(s, out float score)) final[s] = score;
            else
            {
                final[s] = _minScore + penalty; // distinct scores for characters no piece kept, frequent ones higher
                penalty += 0.0001f;
            }
        }
        int size = _options.VocabSize - _corpus.MetaPieces.Count;
        foreach (var (piece, score) in Sorted(byText))
        {
            if (final.ContainsKey(piece)) continue;
            if (final.Count == size) break;
            final[piece] = score;
        }
        return Sorted(final);
    }

    /// <summary>By score, highest first, then by UTF-8 bytes (SentencePiece's <c>Sorted</c>).</summary>
    private static List<(string, float)> Sorted(Dictionary<string, float> pieces)
    {
        var list = pieces.Select(kv => (Piece: kv.Key, Utf8: Encoding.UTF8.GetBytes(kv.Key), Score: kv.Value)).ToList();
        list.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Utf8.AsSpan().SequenceCompareTo(b.Utf8));
        return list.Select(p => (p.Piece, p.Score)).ToList();
    }
}
