using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LmToLlm.Corpora;
using LmToLlm.Data;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// <c>lmtollm dedup --in corpus.jsonl|txt|csv|tsv|folder --out kept [--exact] [--threshold 0.8 --shingle word:5 --perm 128] [--report clusters.tsv]</c>:
/// removes exact duplicates (normalized text) or near duplicates (MinHash LSH), keeping the first of each group.
/// </summary>
internal static class DedupCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "Corpus: " + DocumentInputOptions.Layouts + " (.gz read transparently)", Required = true };
        var output = new Option<string>("--out") { Description = "Kept documents, lines (CSV/TSV: header and rows) copied unchanged, written atomically; for a folder, an output folder receiving the kept files", Required = true };
        var exact = new Option<bool>("--exact") { Description = "Exact duplicates of the normalized text only (NFC, lowercase, white space collapsed)" };
        var punctuation = new Option<bool>("--strip-punctuation") { Description = "Exact mode: also delete punctuation before comparing" };
        var threshold = new Option<double>("--threshold") { Description = "Jaccard threshold in (0, 1]", DefaultValueFactory = _ => 0.8 }.Within(0.0, 1.0, minExclusive: true);
        var shingle = new Option<string>("--shingle") { Description = "Shingles: word:N (tokens of --analyzer) or char:N", DefaultValueFactory = _ => "word:5" };
        var analyzer = new Option<string>("--analyzer") { Description = "Analyzer of word shingles (e.g. nori for Korean)", DefaultValueFactory = _ => "simple" };
        var perm = new Option<int>("--perm") { Description = "MinHash permutations", DefaultValueFactory = _ => 128 }.Within(1, 1024);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the MinHash hash family", DefaultValueFactory = _ => (ulong)CliApp.DefaultSeed }.Within(ulong.MinValue, ulong.MaxValue);
        var verify = new Option<string>("--verify") { Description = "Candidate check: estimated (signatures), exact (shingle sets, more memory) or none", DefaultValueFactory = _ => "estimated" };
        var fpWeight = new Option<double>("--fp-weight") { Description = "Weight of false positives when choosing bands × rows", DefaultValueFactory = _ => 0.05 }.Within(0.0, 1.0);
        var fnWeight = new Option<double>("--fn-weight") { Description = "Weight of false negatives when choosing bands × rows", DefaultValueFactory = _ => 0.95 }.Within(0.0, 1.0);
        var threads = new Option<int>("--threads") { Description = "Threads (-1 or 0: all cores; results do not depend on it)", DefaultValueFactory = _ => -1 }.Within(-1, 1024);
        var mode = new Option<string?>("--mode") { Description = "substring: remove every span of ≥ --min-length tokens that occurs earlier (suffix array, Lee et al. 2022); exact and near are --exact and the default" };
        var minLength = new Option<int>("--min-length") { Description = "Substring mode: shortest repeated span removed, in tokens", DefaultValueFactory = _ => SuffixArrays.SubstringDeduplicator.DefaultMinLength }.Within(1, 1_000_000);
        var report = new Option<string?>("--report") { Description = "TSV of every document in a group of two or more: line, first line of its group, kept" };
        var command = new Command("dedup", "Remove exact or near-duplicate documents (MinHash LSH), keeping the first of each group")
        {
            input, output, exact, punctuation, threshold, shingle, analyzer, perm, seed, verify, fpWeight, fnWeight, threads, report, mode, minLength,
        };
        var layout = new DocumentInputOptions();
        layout.AddTo(command);
        command.SetAction(parse =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            string? reportPath = parse.GetValue(report);
            var stdout = CliApp.Summary(parse);
            var stderr = parse.InvocationConfiguration.Error;
            switch (parse.GetValue(mode))
            {
                case "substring":
                    // Substring mode splits on white space; an analyzer it would silently ignore is refused.
                    if (parse.GetResult(analyzer) is { Implicit: false })
                        throw new UsageException("--analyzer does not apply to --mode substring, which splits lines on white space; drop --analyzer (for analyzed tokens, give the text already split, e.g. from 'lmtollm tokenize')");
                    return SaCommand.Deduplicate(inPath, outPath, reportPath, parse.GetValue(minLength), parse.GetValue(threads), stdout, stderr);
                case null or "exact" or "near": break;
                case var other: throw new UsageException($"unknown --mode '{other}'; use substring (or --exact, or the default near-duplicate mode)");
            }
            CheckPaths(inPath, outPath, reportPath);
            var source = layout.Open(parse, inPath);
            var clock = Stopwatch.StartNew();
            var lines = new List<long>();
            int[] groupOf;
            string method;
            if (parse.GetValue(exact) || parse.GetValue(mode) == "exact")
            {
                var dedup = ExactDeduplicator.Create(new TextNormalization { RemovePunctuation = parse.GetValue(punctuation) });
                var first = new List<int>();
                DataProgressDisplay.Run<object?>(stderr, "exact duplicates", progress =>
                {
                    long total = source.EstimateCount();
                    foreach (var doc in source.ReadRecords())
                    {
                        dedup.Add(doc.Document.FullText, out long firstIndex);
                        first.Add((int)firstIndex);
                        lines.Add(doc.Line);
                        if (lines.Count % 8192 == 0) progress?.Report(new StageProgress("exact duplicates", lines.Count, total));
                    }
                    return null;
                });
                groupOf = [.. first];
                method = "exact (normalized text: NFC" + (TextNormalization.NfcAvailable ? "" : " unavailable in this runtime") + ", lowercase, white space collapsed"
                    + (parse.GetValue(punctuation) ? ", punctuation removed)" : ")");
            }
            else
            {
                double t = parse.GetValue(threshold);
                if (!(t > 0 && t <= 1)) throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--threshold {t} is outside (0, 1]; give a Jaccard similarity such as 0.8"));
                var options = new NearDuplicateOptions { Threshold = parse.GetValue(threshold), NumPerm = parse.GetValue(perm), Shingles = ShingleOptions.Parse(parse.GetValue(shingle)!, AnalyzerNames.Parse(parse.GetValue(analyzer)!)), Seed = parse.GetValue(seed), FalsePositiveWeight = parse.GetValue(fpWeight), FalseNegativeWeight = parse.GetValue(fnWeight), Verification = ParseVerification(parse.GetValue(verify)!), MaxDegreeOfParallelism = parse.GetValue(threads) is 0 ? -1 : parse.GetValue(threads) };
                var banding = options.ResolveBanding();   // bad thresholds fail before the corpus is read
                var result = DataProgressDisplay.Run(stderr, "signatures", progress =>
                {
                    long total = source.EstimateCount();
                    return NearDuplicates.Find(Texts(source, lines), options, progress, total, CliApp.Cancellation);
                });
                groupOf = [.. Enumerable.Range(0, result.Count).Select(result.ClusterOf)];
                method = string.Create(CultureInfo.InvariantCulture,
                    $"near (MinHash {options.NumPerm} permutations, {options.ShingleDefinition} shingles, Jaccard ≥ {options.Threshold}, {banding.Bands} bands × {banding.Rows} rows, {options.Verification.ToString().ToLowerInvariant()} verification; {result.CandidatePairs} candidate pairs, {result.VerifiedPairs} joined)");
            }
            if (groupOf.Length == 0) throw new LmToLlmException($"{inPath}: the corpus has no documents; nothing to deduplicate");
            var sizes = new int[groupOf.Length];
            foreach (int g in groupOf) sizes[g]++;
            if (reportPath is not null)
            {
                AtomicFile.WriteText(reportPath, w =>
                {
                    w.WriteLine("line\tgroup_first_line\tkept");
                    for (int i = 0; i < groupOf.Length; i++)
                        if (sizes[groupOf[i]] > 1) w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lines[i]}\t{lines[groupOf[i]]}\t{(groupOf[i] == i ? 1 : 0)}"));
                }, CliApp.Cancellation);
            }
            long kept = source.WriteKept(outPath, i => groupOf[i] == i, CliApp.Cancellation);
            int groups = sizes.Count(s => s > 1);
            stdout.WriteLine($"dedup: {method}");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"read {groupOf.Length}, kept {kept}, removed {groupOf.Length - kept}, clusters {groups}, time {clock.Elapsed.TotalSeconds:F1} s"));
            return CliApp.Ok;
        });
        return command;
    }

    internal static void CheckPaths(string input, string output, string? report)
    {
        if (!File.Exists(input) && !Directory.Exists(input)) throw new FileNotFoundException($"{input}: file or folder not found", input);
        string full = Path.GetFullPath(input);
        if (Path.GetFullPath(output) == full || (report is not null && Path.GetFullPath(report) == full))
            throw new UsageException($"{output}: the output would overwrite the input; the input is never modified — choose another path");
        if (report is not null && Path.GetFullPath(report) == Path.GetFullPath(output))
            throw new UsageException("--report and --out name the same file");
    }

    /// <summary>The texts compared (<see cref="Document.FullText"/>), noting each one's line for the report.</summary>
    internal static IEnumerable<string> Texts(DocumentSource source, List<long> lines)
    {
        foreach (var doc in source.ReadRecords())
        {
            lines.Add(doc.Line);
            yield return doc.Document.FullText;
        }
    }

    private static Verification ParseVerification(string name) => name switch
    {
        "estimated" => Verification.Estimated,
        "exact" => Verification.Exact,
        "none" => Verification.None,
        _ => throw new UsageException($"unknown --verify '{name}'; use estimated, exact or none"),
    };
}
