using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace LmToLlm.Data;

/// <summary>How candidate pairs from LSH are confirmed before two documents are joined.</summary>
public enum Verification
{
    /// <summary>The fraction of equal signature entries must reach the threshold (memory: signatures only).</summary>
    Estimated,

    /// <summary>The exact Jaccard similarity of the shingle sets must reach the threshold (keeps every shingle set in memory).</summary>
    Exact,

    /// <summary>Every LSH candidate pair is joined (fastest; precision follows the S-curve below the threshold).</summary>
    None,
}

/// <summary>
/// Options of near-duplicate detection. Defaults: Jaccard threshold 0.8, 128 permutations, word 5-shingles,
/// seed 1, false-positive weight 0.05 and false-negative weight 0.95 (banding chosen by <see cref="LshBanding.Optimal"/>:
/// b = 16, r = 8 for t = 0.8 and 128 permutations, P(0.8) = 0.947), estimated verification, all cores.
/// The weights favour recall, unlike datasketch's 0.5/0.5 (b = 9, r = 13, P(0.8) = 0.40): every candidate is verified,
/// so a false candidate costs one signature comparison while a missed pair is lost.
/// </summary>
public sealed record NearDuplicateOptions
{
    /// <summary>Jaccard threshold t in (0, 1].</summary>
    public double Threshold { get; init; } = 0.8;

    /// <summary>MinHash permutations (signature length).</summary>
    public int NumPerm { get; init; } = 128;

    /// <summary>Shingle definition (default <c>word:5</c>).</summary>
    public ShingleOptions? Shingles { get; init; }

    /// <summary>Seed of the hash family.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Weight of the false-positive area when choosing (b, r).</summary>
    internal double FalsePositiveWeight { get; init; } = 0.05;

    /// <summary>Weight of the false-negative area when choosing (b, r).</summary>
    internal double FalseNegativeWeight { get; init; } = 0.95;

    /// <summary>How candidates are confirmed.</summary>
    public Verification Verification { get; init; } = Verification.Estimated;

    /// <summary>Threads for signatures and band sorting (−1: all cores; 1: single thread). Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Explicit (b, r), overriding the optimal choice.</summary>
    public LshBanding? Banding { get; init; }

    /// <summary>The defaults.</summary>
    public static NearDuplicateOptions Default { get; } = new();

    /// <summary>The shingle definition in force.</summary>
    internal ShingleOptions ShingleDefinition => Shingles ?? new ShingleOptions();

    /// <summary>The banding in force: <see cref="Banding"/> or the optimal one for the threshold and weights.</summary>
    internal LshBanding ResolveBanding()
    {
        LshBanding.CheckThreshold(Threshold);
        if (Banding is { } explicitBanding)
        {
            if (explicitBanding.Bands < 1 || explicitBanding.Rows < 1 || (long)explicitBanding.Bands * explicitBanding.Rows > NumPerm)
                throw new ArgumentOutOfRangeException(nameof(Banding), $"bands × rows must be at most num_perm {NumPerm}");
            return explicitBanding;
        }
        return LshBanding.Optimal(Threshold, NumPerm, FalsePositiveWeight, FalseNegativeWeight);
    }
}

/// <summary>
/// The outcome of near-duplicate detection: a cluster per document (the index of its first document) and counts.
/// A document is kept when it is the first (lowest index) of its cluster.
/// </summary>
public sealed class NearDuplicateResult
{
    private readonly int[] _cluster;

    internal NearDuplicateResult(int[] cluster, LshBanding banding, long candidatePairs, long verifiedPairs, int emptyDocuments)
    {
        _cluster = cluster;
        Banding = banding;
        CandidatePairs = candidatePairs;
        VerifiedPairs = verifiedPairs;
        EmptyDocuments = emptyDocuments;
        var hasMember = new bool[cluster.Length];
        for (int i = 0; i < cluster.Length; i++)
        {
            if (cluster[i] == i) Kept++;
            else if (!hasMember[cluster[i]]) { hasMember[cluster[i]] = true; Clusters++; }
        }
    }

    /// <summary>Documents in the corpus.</summary>
    public int Count => _cluster.Length;

    /// <summary>Documents kept (one per cluster, singletons included).</summary>
    public int Kept { get; }

    /// <summary>Documents removed as near duplicates of an earlier one.</summary>
    internal int Removed => Count - Kept;

    /// <summary>Clusters with at least two documents.</summary>
    public int Clusters { get; }

    /// <summary>The banding used.</summary>
    public LshBanding Banding { get; }

    /// <summary>Distinct candidate pairs compared (pairs already in one cluster are not compared again).</summary>
    internal long CandidatePairs { get; }

    /// <summary>Candidate pairs that passed verification and joined two clusters.</summary>
    internal long VerifiedPairs { get; }

    /// <summary>Documents without any shingle (never near duplicates; exact deduplication handles them).</summary>
    internal int EmptyDocuments { get; }

    /// <summary>The index of the first document of <paramref name="document"/>'s cluster (itself when kept).</summary>
    public int ClusterOf(int document) => _cluster[document];

    /// <summary>True when <paramref name="document"/> is the first of its cluster.</summary>
    public bool IsKept(int document) => _cluster[document] == document;
}

/// <summary>
/// MinHash + LSH near-duplicate detection.
/// Input: document texts in corpus order (streamed once). Output: clusters of documents whose shingle sets have Jaccard
/// similarity ≥ t (as verified), joined by union–find, the first document of each cluster kept.
/// Stages: shingles → MinHash signatures (parallel over documents, kept in flat arrays: 4·num_perm bytes a document) →
/// per band, (band hash, document) pairs sorted → equal-hash buckets → candidate verification → union–find.
/// </summary>
/// <example>
/// <code>
/// var result = NearDuplicates.Find(texts, new NearDuplicateOptions { Threshold = 0.8 });
/// var kept = texts.Where((_, i) => result.IsKept(i)).ToList();
/// </code>
/// The sample <c>samples/DataCleaning</c> removes exact and near duplicates, then filters by perplexity.
/// </example>
public static class NearDuplicates
{
    private const int BatchSize = 4096;

    /// <summary>Finds the near-duplicate clusters of <paramref name="documents"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Threshold outside (0, 1] or a bad option.</exception>
    public static NearDuplicateResult Find(IEnumerable<string> documents, NearDuplicateOptions? options = null,
        IProgress<StageProgress>? progress = null, long totalHint = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        options ??= new NearDuplicateOptions();
        LshBanding banding = options.ResolveBanding();
        var store = SignatureStore.Build(documents, options, progress, cancellationToken, totalHint);
        return Cluster(store, options, banding, progress, cancellationToken);
    }

    /// <summary>Signatures (and shingle sets when verification is exact) of all documents, in flat chunks.</summary>
    internal sealed class SignatureStore
    {
        public readonly int NumPerm;
        public readonly List<uint[]> Chunks = [];
        public readonly List<ulong[]> ShingleChunks = [];
        public readonly List<long> ShingleStarts = [0];
        public readonly List<bool> Empty = [];
        public int Count;
        private long _shingleTotal;

        private SignatureStore(int numPerm) => NumPerm = numPerm;

        public ReadOnlySpan<uint> Signature(int doc) => Chunks[doc / BatchSize].AsSpan(doc % BatchSize * NumPerm, NumPerm);

        public ReadOnlySpan<ulong> ShingleSet(int doc)
        {
            long start = ShingleStarts[doc], end = ShingleStarts[doc + 1];
            return ShingleChunks[doc / BatchSize].AsSpan((int)(start - ShingleStarts[doc / BatchSize * BatchSize]), (int)(end - start));
        }

        public static SignatureStore Build(IEnumerable<string> documents, NearDuplicateOptions options, IProgress<StageProgress>? progress, CancellationToken cancellationToken, long totalHint)
        {
            var hasher = MinHasher.Create(options.NumPerm, options.Seed);
            var store = new SignatureStore(options.NumPerm);
            bool keepSets = options.Verification == Verification.Exact;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
            var batch = new string[BatchSize];
            var emptyFlags = new bool[BatchSize];
            var sets = keepSets ? new ulong[BatchSize][] : null;
            using var e = documents.GetEnumerator();
            while (true)
            {
                int n = 0;
                while (n < BatchSize && e.MoveNext()) batch[n++] = e.Current ?? throw new ArgumentException("a document is null", nameof(documents));
                if (n == 0) break;
                cancellationToken.ThrowIfCancellationRequested();
                var chunk = new uint[BatchSize * options.NumPerm];
                Parallel.For(0, n, parallel, () => new Shingler(options.ShingleDefinition), (i, _, shingler) =>
                {
                    ReadOnlySpan<ulong> shingles = keepSets ? shingler.Set(batch[i]) : shingler.Hash(batch[i]);
                    emptyFlags[i] = shingles.IsEmpty;
                    hasher.Compute(shingles, chunk.AsSpan(i * options.NumPerm, options.NumPerm));
                    if (sets is not null) sets[i] = shingles.ToArray();
                    return shingler;
                }, _ => { });
                store.Chunks.Add(chunk);
                for (int i = 0; i < n; i++) store.Empty.Add(emptyFlags[i]);
                if (sets is not null)
                {
                    long batchTotal = 0;
                    for (int i = 0; i < n; i++) batchTotal += sets[i].Length;
                    var flat = new ulong[batchTotal];
                    long offset = 0;
                    for (int i = 0; i < n; i++)
                    {
                        sets[i].CopyTo(flat, offset);
                        offset += sets[i].Length;
                        store._shingleTotal += sets[i].Length;
                        store.ShingleStarts.Add(store._shingleTotal);
                        sets[i] = [];
                    }
                    store.ShingleChunks.Add(flat);
                }
                Array.Clear(batch, 0, n);
                store.Count += n;
                progress?.Report(new StageProgress("signatures", store.Count, totalHint));
            }
            return store;
        }
    }

    internal static NearDuplicateResult Cluster(SignatureStore store, NearDuplicateOptions options, LshBanding banding, IProgress<StageProgress>? progress, CancellationToken cancellationToken)
    {
        int n = store.Count;
        var parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        int emptyCount = store.Empty.Count(x => x);
        var active = new List<int>(n);
        for (int i = 0; i < n; i++) if (!store.Empty[i]) active.Add(i);
        int m = active.Count;
        long candidates = 0, verified = 0;
        int minEqual = (int)Math.Ceiling(options.Threshold * options.NumPerm - 1e-9);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        var keys = new ulong[m];
        var ids = new int[m];
        var reps = new List<int>();
        for (int band = 0; band < banding.Bands; band++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int offset = band * banding.Rows;
            Parallel.For(0, m, parallel, k =>
            {
                int doc = active[k];
                keys[k] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(store.Signature(doc).Slice(offset, banding.Rows)), band);
                ids[k] = doc;
            });
            Array.Sort(keys, ids);
            int start = 0;
            while (start < m)
            {
                int end = start + 1;
                while (end < m && keys[end] == keys[start]) end++;
                if (end - start > 1)
                {
                    Array.Sort(ids, start, end - start);   // members in corpus order: deterministic joins
                    // Each member is compared with one representative of every cluster already met in this bucket,
                    // so a bucket of k copies of one text costs k comparisons, not k²/2.
                    reps.Clear();
                    for (int j = start; j < end; j++)
                    {
                        int doc = ids[j];
                        bool joined = false;
                        foreach (int rep in reps)
                        {
                            if (Find(parent, rep) == Find(parent, doc)) { joined = true; continue; }
                            candidates++;
                            if (Accept(store, options, rep, doc, minEqual))
                            {
                                verified++;
                                Union(parent, rep, doc);
                                joined = true;
                            }
                        }
                        if (!joined) reps.Add(doc);
                    }
                }
                start = end;
            }
            progress?.Report(new StageProgress("bands", band + 1, banding.Bands));
        }
        for (int i = 0; i < n; i++) parent[i] = Find(parent, i);
        return new NearDuplicateResult(parent, banding, candidates, verified, emptyCount);
    }

    private static bool Accept(SignatureStore store, NearDuplicateOptions options, int a, int b, int minEqual) => options.Verification switch
    {
        Verification.None => true,
        Verification.Estimated => MinHasher.EqualCount(store.Signature(a), store.Signature(b)) >= minEqual,
        _ => ExactJaccard(store.ShingleSet(a), store.ShingleSet(b)) >= options.Threshold - 1e-12,
    };

    /// <summary>|A ∩ B| / |A ∪ B| of two sorted distinct hash sets (0 when both are empty).</summary>
    internal static double ExactJaccard(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { common++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        int union = a.Length + b.Length - common;
        return union == 0 ? 0 : (double)common / union;
    }

    /// <summary>The root of <paramref name="x"/> (path halving). Roots are always the smallest index of their set.</summary>
    internal static int Find(int[] parent, int x)
    {
        while (parent[x] != x)
        {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    internal static void Union(int[] parent, int x, int y)
    {
        int rx = Find(parent, x), ry = Find(parent, y);
        if (rx == ry) return;
        if (rx < ry) parent[ry] = rx; else parent[rx] = ry;
    }
}
