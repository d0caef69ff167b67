using System.Diagnostics;
using System.Globalization;
using LmToLlm.Corpora;
using LmToLlm.Data;

namespace LmToLlm.Benchmarks.Data;

/// <summary>
/// Command-line harness for long data runs (not BenchmarkDotNet: one run of a million documents is the measurement).
/// <c>dotnet run -c Release --project benchmarks/LmToLlm.Benchmarks -- data [--docs 1000000] [--threads 2] [--gcide artifacts/gcide.txt]</c>
/// 1. builds the benchmark corpus (gcide lines, w2v-corpus paragraphs cut into 20-word sentences, planted edited copies)
///    into artifacts/dedup-bench.txt; 2. times MinHash + LSH dedup on it and prints docs/s and peak memory;
/// 3. prints the S-curve table on a 50,000-document corpus of pairs at known Jaccard; 4. precision/recall vs brute force
///    on the first 5,000 gcide lines.
/// </summary>
internal static class DedupHarness
{
    public static int Run(string[] args)
    {
        int docs = IntArg(args, "--docs", 1_000_000), threads = IntArg(args, "--threads", 2);
        string root = FindRoot();
        string gcide = StringArg(args, "--gcide", Path.Combine(root, "artifacts", "gcide.txt"));
        string w2v = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "w2v-corpus", "corpus.txt.gz"));
        string corpus = Path.Combine(root, "artifacts", "dedup-bench.txt");
        if (!File.Exists(gcide)) { Console.Error.WriteLine($"{gcide} missing: run bash ../shared/data/gcide-text/make.sh artifacts/gcide.txt"); return 1; }
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, threads {threads}, .NET {Environment.Version}");

        var planted = BuildCorpus(gcide, w2v, corpus, docs);
        Console.WriteLine($"corpus: {Path.GetRelativePath(root, corpus)}: {planted.Total:N0} documents ({planted.Gcide:N0} gcide lines, {planted.Sentences:N0} w2v sentences, {planted.Copies:N0} planted copies with 0-6 word edits)");

        // Dedup timing: read + shingles + signatures + LSH + verification + union-find (no output writing).
        GC.Collect();
        var clock = Stopwatch.StartNew();
        var options = new NearDuplicateOptions { MaxDegreeOfParallelism = threads };
        var result = NearDuplicates.Find(CorpusDocuments.Read(corpus).Select(d => d.Text), options);
        double seconds = clock.Elapsed.TotalSeconds;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dedup: {result.Count:N0} docs in {seconds:F1} s = {result.Count / seconds:N0} docs/s; kept {result.Kept:N0}, removed {result.Removed:N0}, clusters {result.Clusters:N0}, candidates {result.CandidatePairs:N0}, joined {result.VerifiedPairs:N0}; bands {result.Banding.Bands} x rows {result.Banding.Rows}; peak working set {peak / 1048576.0:N0} MB"));
        var above = planted.CopyOf.Where(p => p.Jaccard >= 0.8).ToList();
        int recovered = above.Count(p => result.ClusterOf(p.Copy) == result.ClusterOf(p.Source));
        int below = planted.CopyOf.Count(p => p.Jaccard < 0.7 && result.ClusterOf(p.Copy) == result.ClusterOf(p.Source));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"planted copies with exact J >= 0.8 found in their source's cluster: {recovered:N0} / {above.Count:N0} = {recovered / (double)above.Count:F4}; copies with J < 0.7 in their source's cluster: {below:N0} / {planted.CopyOf.Count(p => p.Jaccard < 0.7):N0}"));

        // Signatures alone (single thread and all threads) on the first 200,000 documents.
        var sample = CorpusDocuments.Read(corpus).Take(200_000).Select(d => d.Text).ToList();
        foreach (int t in new[] { 1, threads })
        {
            clock.Restart();
            var r = NearDuplicates.Find(sample, options with { MaxDegreeOfParallelism = t });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dedup of 200,000 in-memory docs, {t} thread(s): {clock.Elapsed.TotalSeconds:F2} s = {sample.Count / clock.Elapsed.TotalSeconds:N0} docs/s (kept {r.Kept:N0})"));
        }

        SCurve(threads);
        BruteForce(gcide, threads);
        return 0;
    }

    private static void SCurve(int threads)
    {
        double[] levels = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0];
        const int perLevel = 1800;   // 14 × 1,800 pairs = 50,400 documents
        var random = new Random(42);
        var docs = new List<string>();
        var pairs = new List<(int A, int B, double J)>();
        int next = 0;
        string Word() => "t" + (next++).ToString(CultureInfo.InvariantCulture);
        foreach (double level in levels)
        {
            int shared = (int)Math.Round(200 * level), own = (200 - shared) / 2;
            for (int p = 0; p < perLevel; p++)
            {
                var common = Enumerable.Range(0, shared).Select(_ => Word()).ToList();
                pairs.Add((docs.Count, docs.Count + 1, shared / (double)(shared + 2 * own)));
                docs.Add(string.Join(' ', common.Concat(Enumerable.Range(0, own).Select(_ => Word())).OrderBy(_ => random.Next())));
                docs.Add(string.Join(' ', common.Concat(Enumerable.Range(0, own).Select(_ => Word())).OrderBy(_ => random.Next())));
            }
        }
        var options = new NearDuplicateOptions { Shingles = new ShingleOptions { Kind = ShingleKind.Word, Size = 1 }, Verification = Verification.None, MaxDegreeOfParallelism = threads };
        var result = NearDuplicates.Find(docs, options);
        var b = result.Banding;
        Console.WriteLine();
        Console.WriteLine($"S-curve: {docs.Count:N0} documents, {perLevel} pairs per Jaccard level, word:1 shingles, 128 permutations, b = {b.Bands}, r = {b.Rows}, verification off");
        Console.WriteLine("| Jaccard s | pairs | observed candidate rate | 1 − (1 − s^r)^b | difference | 4 standard errors |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var g in pairs.GroupBy(p => p.J))
        {
            double observed = g.Count(p => result.ClusterOf(p.A) == result.ClusterOf(p.B)) / (double)g.Count();
            double expected = b.CandidateProbability(g.Key);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {g.Key:F2} | {g.Count()} | {observed:F4} | {expected:F4} | {(observed - expected).ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture)} | {4 * Math.Sqrt(expected * (1 - expected) / g.Count()):F4} |"));
        }
    }

    private static void BruteForce(string gcide, int threads)
    {
        var docs = CorpusDocuments.Read(gcide).Take(5000).Select(d => d.Text).ToList();
        var truth = BruteForceJaccard.Clusters(docs.Count, BruteForceJaccard.Pairs(BruteForceJaccard.ShingleSets(docs, new ShingleOptions()), 0.8));
        Console.WriteLine();
        Console.WriteLine("Precision/recall at t = 0.8 vs brute-force exact Jaccard (word:5), first 5,000 gcide lines (pairs in one cluster):");
        Console.WriteLine("| verification | permutations | bands × rows | precision | recall | predicted pairs | true pairs |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|");
        foreach (var (verification, perm) in new[] { (Verification.Estimated, 128), (Verification.Exact, 128), (Verification.Estimated, 256) })
        {
            var r = NearDuplicates.Find(docs, new NearDuplicateOptions { NumPerm = perm, Verification = verification, MaxDegreeOfParallelism = threads });
            var (p, rec, pp, tp) = BruteForceJaccard.PairAgreement(Enumerable.Range(0, docs.Count).Select(r.ClusterOf).ToArray(), truth);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {verification.ToString().ToLowerInvariant()} | {perm} | {r.Banding.Bands} × {r.Banding.Rows} | {p:F4} | {rec:F4} | {pp:N0} | {tp:N0} |"));
        }
    }

    private sealed record Planted(int Total, int Gcide, int Sentences, int Copies, List<(int Copy, int Source, double Jaccard)> CopyOf);

    /// <summary>Originals (gcide lines, then w2v sentences of 20 words) with planted edited copies at random positions.</summary>
    private static Planted BuildCorpus(string gcide, string w2v, string path, int total)
    {
        var originals = new List<string>();
        foreach (var d in CorpusDocuments.Read(gcide)) originals.Add(d.Text);
        int gcideCount = originals.Count;
        foreach (var (_, line) in TextLines.Read(w2v))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i + 10 <= words.Length; i += 20) originals.Add(string.Join(' ', words.Skip(i).Take(20)));
        }
        int sentences = originals.Count - gcideCount;
        int copies = Math.Max(0, total - originals.Count);
        var random = new Random(7);
        var order = new List<(int Origin, string Text)>(originals.Count + copies);
        for (int i = 0; i < originals.Count; i++) order.Add((i, originals[i]));
        var vocabulary = originals[gcideCount..Math.Min(originals.Count, gcideCount + 20000)].SelectMany(s => s.Split(' ')).Distinct().ToArray();
        var copyItems = new List<(int Source, string Text)>(copies);
        for (int c = 0; c < copies; c++)
        {
            int source = random.Next(originals.Count);
            var words = originals[source].Split(' ').ToList();
            for (int e = random.Next(0, 7); e > 0 && words.Count > 3; e--)
            {
                int at = random.Next(words.Count);
                switch (random.Next(3))
                {
                    case 0: words[at] = vocabulary[random.Next(vocabulary.Length)]; break;
                    case 1: words.RemoveAt(at); break;
                    default: words.Insert(at, vocabulary[random.Next(vocabulary.Length)]); break;
                }
            }
            copyItems.Add((source, string.Join(' ', words)));
        }
        // Interleave: each copy goes after a random position (sources may come later: then the copy is kept instead).
        var slots = new List<(int Origin, string Text)>[order.Count + 1];
        foreach (var (source, text) in copyItems) (slots[random.Next(slots.Length)] ??= []).Add((-1 - source, text));
        var final = new List<(int Origin, string Text)>(order.Count + copies);
        for (int i = 0; i <= order.Count; i++)
        {
            if (slots[i] is { } list) final.AddRange(list);
            if (i < order.Count) final.Add(order[i]);
        }
        var originalAt = new int[originals.Count];
        for (int i = 0; i < final.Count; i++) if (final[i].Origin >= 0) originalAt[final[i].Origin] = i;
        var copyOf = new List<(int, int, double)>(copies);
        var shingler = new Shingler(new ShingleOptions());
        for (int i = 0; i < final.Count; i++)
        {
            if (final[i].Origin >= 0) continue;
            int source = originalAt[-1 - final[i].Origin];
            ulong[] a = shingler.Set(final[i].Text).ToArray();
            copyOf.Add((i, source, NearDuplicates.ExactJaccard(a, shingler.Set(final[source].Text))));
        }
        LmToLlm.AtomicFile.WriteText(path, w => { foreach (var (_, text) in final) { w.Write(text); w.Write('\n'); } });
        return new Planted(final.Count, gcideCount, sentences, copies, copyOf);
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string StringArg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LmToLlm.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
