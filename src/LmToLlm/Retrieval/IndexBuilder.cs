using LmToLlm.Corpora;
using LmToLlm.Text;
using LmToLlm.Primitives;

namespace LmToLlm.Retrieval;

/// <summary>
/// Accumulates analysed batches into a forward index (per document: temporary term ids with counts), then
/// transposes it into postings with final term ids (terms sorted in code-point order).
/// Each worker thread analyses a fixed slice of every batch with its own <see cref="TermTable"/>; the sequential
/// merge maps each worker's local ids to global temporary ids (one table lookup per new local term, not per token).
/// </summary>
internal sealed class IndexBuilder
{
    internal const int BatchSize = 4096;
    private readonly InvertedIndexOptions _options;
    private readonly Analyzer _analyzer;
    private readonly Worker[] _workers;
    private readonly ParallelOptions _parallel;
    private readonly TermTable _global = new();
    private readonly List<string> _documentIds = [];
    private readonly IntBuffer _documentLengths = new();
    private readonly IntBuffer _forwardStart = new();   // per document start into forward arrays
    private readonly IntBuffer _forwardTerms = new();
    private readonly IntBuffer _forwardFreqs = new();

    internal IndexBuilder(Analyzer analyzer, InvertedIndexOptions options, int parallelism)
    {
        _analyzer = analyzer;
        _options = options;
        int workers = parallelism < 0 ? Environment.ProcessorCount : Math.Max(1, parallelism);
        _workers = new Worker[workers];
        for (int w = 0; w < workers; w++) _workers[w] = new Worker(this);
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = workers };
        _forwardStart.Add(0);
    }

    internal int DocumentCount => _documentIds.Count;

    internal void AddBatch(List<Document> batch)
    {
        int n = batch.Count, workers = _workers.Length;
        if (workers == 1) _workers[0].Process(batch, 0, n);
        else Parallel.For(0, workers, _parallel, w => _workers[w].Process(batch, (int)((long)n * w / workers), (int)((long)n * (w + 1) / workers)));
        foreach (var document in batch) _documentIds.Add(document.Id);
        foreach (var worker in _workers)
        {
            int offset = _forwardTerms.Count;
            var ends = worker.Ends.AsSpan();
            var lengths = worker.Lengths.AsSpan();
            for (int i = 0; i < ends.Length; i++)
            {
                _documentLengths.Add(lengths[i]);
                _forwardStart.Add(offset + ends[i]);
            }
            if (workers == 1)
            {
                _forwardTerms.AddRange(worker.Terms.AsSpan());   // the only worker's table is the global one
            }
            else
            {
                var globalOf = worker.GlobalIds();
                foreach (int local in worker.Terms.AsSpan())
                {
                    int global = globalOf[local];
                    if (global < 0) global = globalOf[local] = _global.GetOrAdd(worker.Table.Term(local));
                    _forwardTerms.Add(global);
                }
            }
            _forwardFreqs.AddRange(worker.Freqs.AsSpan());
        }
        if ((long)_forwardTerms.Count > int.MaxValue - BatchSize * 64L)
            throw new LmToLlmException("the index would exceed 2^31 postings; split the corpus into shards");
    }

    internal InvertedIndex Finish()
    {
        // Final ids: terms sorted in Unicode code-point order (scikit-learn sorts its vocabulary the same way).
        var table = _workers.Length == 1 ? _workers[0].Table : _global;
        int count = table.Count;
        var texts = new string[count];
        for (int i = 0; i < count; i++) texts[i] = table.Term(i).ToString();
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        Array.Sort(order, (a, b) => CodePointComparer.CompareStrings(texts[a], texts[b]));
        var finalOf = new int[count];
        var termTexts = new string[count];
        for (int i = 0; i < count; i++) { finalOf[order[i]] = i; termTexts[i] = texts[order[i]]; }

        var fTerms = _forwardTerms.AsSpan();
        var fFreqs = _forwardFreqs.AsSpan();
        var start = new int[count + 1];
        for (int i = 0; i < fTerms.Length; i++) start[finalOf[fTerms[i]] + 1]++;
        for (int t = 0; t < count; t++) start[t + 1] += start[t];
        var cursor = start.AsSpan(0, count).ToArray();
        var docs = new int[fTerms.Length];
        var freqs = new int[fTerms.Length];
        var fStart = _forwardStart.AsSpan();
        for (int d = 0; d < _documentIds.Count; d++)
        {
            for (int i = fStart[d]; i < fStart[d + 1]; i++)
            {
                int p = cursor[finalOf[fTerms[i]]]++;
                docs[p] = d;
                freqs[p] = fFreqs[i];
            }
        }
        return InvertedIndex.FromCsr(_analyzer, _options, termTexts, start, docs, freqs, _documentIds, _documentLengths.AsSpan().ToArray());
    }

    /// <summary>
    /// One analysis thread: a local term table kept across batches, and for the current batch slice the forward
    /// entries (local term id, tf) of each document in order. Term frequencies are counted with a per-term
    /// "last document seen" stamp instead of sorting.
    /// </summary>
    private sealed class Worker : ITokenSink
    {
        private readonly IndexBuilder _owner;
        private readonly NGramSink _grams;
        private int[] _lastDocument = new int[1024];
        private int[] _count = new int[1024];
        private int[] _globalOf = new int[1024];
        private readonly IntBuffer _documentTerms = new();
        private int _document;   // running document stamp, unique per worker
        private int _tokens;

        public readonly TermTable Table = new();
        public readonly IntBuffer Terms = new();
        public readonly IntBuffer Freqs = new();
        public readonly IntBuffer Ends = new();      // end offset (within this batch slice) of each document
        public readonly IntBuffer Lengths = new();

        public Worker(IndexBuilder owner)
        {
            _owner = owner;
            _grams = new NGramSink(this, owner._options.MinNGram, owner._options.MaxNGram);
            Array.Fill(_globalOf, -1);
        }

        /// <summary>Local id → global temporary id (-1 until the merge resolves it), sized to the local table.</summary>
        public int[] GlobalIds()
        {
            if (_globalOf.Length < Table.Count)
            {
                int old = _globalOf.Length;
                Array.Resize(ref _globalOf, Math.Max(Table.Count, old * 2));
                _globalOf.AsSpan(old).Fill(-1);
            }
            return _globalOf;
        }

        public void Process(List<Document> batch, int from, int to)
        {
            Terms.Clear();
            Freqs.Clear();
            Ends.Clear();
            Lengths.Clear();
            for (int d = from; d < to; d++)
            {
                _document++;
                _tokens = 0;
                _documentTerms.Clear();
                _owner._analyzer.Analyze(batch[d].FullText, _grams.Target);
                _grams.Flush();
                foreach (int id in _documentTerms.AsSpan())
                {
                    Terms.Add(id);
                    Freqs.Add(_count[id]);
                }
                Ends.Add(Terms.Count);
                Lengths.Add(_tokens);
            }
        }

        public void Add(ReadOnlySpan<char> token)
        {
            _tokens++;
            int id = Table.GetOrAdd(token);
            if (id >= _lastDocument.Length)
            {
                Array.Resize(ref _lastDocument, _lastDocument.Length * 2);
                Array.Resize(ref _count, _count.Length * 2);
            }
            if (_lastDocument[id] != _document)
            {
                _lastDocument[id] = _document;
                _count[id] = 1;
                _documentTerms.Add(id);
            }
            else _count[id]++;
        }
    }
}
