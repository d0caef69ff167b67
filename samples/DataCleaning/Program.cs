// DataCleaning: plant exact duplicates, near duplicates and junk into a corpus, clean it with LmToLlm.Data
// (exact dedup → MinHash LSH near dedup → n-gram perplexity filter), and print what each step removed, with
// precision and recall against what was planted.
//   dotnet run -c Release --project samples/DataCleaning                 # text generated here, nothing to download
//   dotnet run -c Release --project samples/DataCleaning -- --shared     # Gutenberg paragraphs of ../shared
//   dotnet run -c Release --project samples/DataCleaning -- corpus.txt   # any text, one paragraph per line (.gz too)
using System.Diagnostics;
using LmToLlm.Corpora;
using LmToLlm.Samples.Synthetic;
using LmToLlm.Data;

if (args.Length > 1 || args is ["--help" or "-h"])
{
    Console.WriteLine("usage: DataCleaning [--shared | corpus.txt[.gz]]");
    return args.Length > 1 ? 2 : 0;
}
var random = new Random(12345);

// 1. Real text: 6,000 paragraphs of 25-150 words; the model for step 3 is trained on 20,000 other lines.
List<string> real, modelText;
if (args.Length == 0)
{
    // The library's built-in English training text (seeded, generated in about a second): one sentence per line
    // about 2-3 concepts of one of 24 topics. Consecutive sentences are joined into paragraphs of 25-150 words.
    var lines = new StringWriter();
    BuiltInCollections.WriteTrainingText(BuiltInCollections.Lexicon("en"), lines, tokens: 800_000);
    var sentences = lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    real = [];
    int next = 0;
    while (real.Count < 6000)
    {
        int target = random.Next(25, 151), words = 0, start = next;
        while (words < target) words += sentences[next++].Split(' ').Length;
        real.Add(string.Join(' ', sentences[start..next]));
    }
    modelText = sentences[next..(next + 20_000)].ToList();
    Console.WriteLine("text: generated here (no download): paragraphs of the built-in English training text, 24 topics of");
    Console.WriteLine("      hand-written words (BuiltInCollections, seed 11); pass --shared for Gutenberg books from ../shared");
}
else
{
    string? corpusPath = args[0] == "--shared" ? FindShared("data", "w2v-corpus", "corpus.txt.gz") : args[0];
    if (corpusPath is null || !File.Exists(corpusPath))
    {
        Console.Error.WriteLine(corpusPath is null
            ? "DataCleaning: --shared needs ../shared/data/w2v-corpus/corpus.txt.gz beside the clone; without --shared the sample generates its text"
            : $"DataCleaning: {corpusPath}: no such file");
        return 1;
    }
    var all = TextLines.Read(corpusPath).Select(l => l.Text).Where(l => l.Length > 0).Take(60_000).ToList();
    real = all.Where(l => l.Split(' ').Length is >= 25 and <= 150).Take(6000).ToList();
    var realSet = real.ToHashSet();
    modelText = all.Where(l => !realSet.Contains(l)).Take(20_000).ToList();
    Console.WriteLine($"text: {corpusPath}");
}

// 2. Plant: 600 exact duplicates (case and spacing changed), 600 near duplicates (one word replaced in a paragraph of
//    60+ words, two in one of 120+: Jaccard ≥ 0.83 on word 5-shingles), 400 junk documents (shuffled words, boilerplate,
//    wrong-language lines). A copy goes somewhere after its source, so the source is the one a cleaner keeps.
var after = new List<(string Text, string Kind)>[real.Count];
void Plant(int source, string text, string kind) => (after[random.Next(source, real.Count)] ??= []).Add((text, kind));
var vocabulary = real.SelectMany(t => t.Split(' ')).Distinct().ToArray();
for (int i = 0; i < 600; i++)
{
    int source = random.Next(real.Count);
    Plant(source, "  " + real[source].ToUpperInvariant().Replace(" ", random.Next(2) == 0 ? "  " : " \t") + " ", "exact");
}
var longEnough = Enumerable.Range(0, real.Count).Where(i => real[i].Split(' ').Length >= 60).ToList();
for (int i = 0; i < 600; i++)
{
    int source = longEnough[random.Next(longEnough.Count)];
    var words = real[source].Split(' ');
    for (int e = words.Length >= 120 ? 2 : 1; e > 0; e--) words[random.Next(words.Length)] = vocabulary[random.Next(vocabulary.Length)];
    Plant(source, string.Join(' ', words), "near");
}
string[] boilerplate = ["click here to subscribe to our newsletter privacy policy terms of use cookie settings",
    "copyright all rights reserved home about contact login register", "share this page on facebook twitter email print"];
string[] foreign = ["der", "und", "nicht", "ich", "sich", "mit", "auf", "dem", "wird", "auch", "noch", "nach", "werden", "zwischen", "schon", "welche"];
for (int i = 0; i < 400; i++)
{
    string text = (i % 3) switch
    {
        0 => string.Join(' ', real[random.Next(real.Count)].Split(' ').OrderBy(_ => random.Next())),
        1 => boilerplate[random.Next(boilerplate.Length)] + " " + random.Next(1000),
        _ => string.Join(' ', Enumerable.Range(0, random.Next(12, 40)).Select(_ => foreign[random.Next(foreign.Length)])),
    };
    Plant(0, text, "junk");
}
var docs = new List<(string Text, string Kind)>();
for (int i = 0; i < real.Count; i++)
{
    docs.Add((real[i], "real"));
    if (after[i] is { } planted) docs.AddRange(planted);
}
Console.WriteLine($"corpus: {docs.Count:N0} documents = {real.Count:N0} real + 600 exact duplicates + 600 near duplicates + 400 junk (seed 12345)");
Console.WriteLine();

var alive = Enumerable.Range(0, docs.Count).ToList();
var clock = Stopwatch.StartNew();

// Step 1: exact duplicates (NFC, lowercase, white space collapsed).
var exact = ExactDeduplicator.Create();
var removedExact = alive.Where(i => !exact.Add(docs[i].Text, out _)).ToHashSet();
Report("1 exact dedup", removedExact, "exact");
alive = alive.Where(i => !removedExact.Contains(i)).ToList();

// Step 2: near duplicates (word 5-shingles, 128 permutations, Jaccard ≥ 0.8).
var near = NearDuplicates.Find(alive.Select(i => docs[i].Text), new NearDuplicateOptions());
var removedNear = Enumerable.Range(0, alive.Count).Where(k => !near.IsKept(k)).Select(k => alive[k]).ToHashSet();
Report($"2 near dedup ({near.Banding.Bands} bands × {near.Banding.Rows} rows)", removedNear, "near");
alive = alive.Where(i => !removedNear.Contains(i)).ToList();

// Step 3: perplexity filter: 3-gram modified Kneser-Ney on 20,000 other lines of the same text; drop the worst 8 %.
var model = PerplexityFilter.Train(modelText, order: 3);
var filtered = PerplexityFilter.Run(model, alive.Select(i => docs[i].Text), new PerplexityFilterOptions { KeepPercentile = 92 });
var removedJunk = Enumerable.Range(0, alive.Count).Where(k => !filtered.IsKept(k)).Select(k => alive[k]).ToHashSet();
Report($"3 perplexity filter (keep ≤ {filtered.KeepCutoff:F0})", removedJunk, "junk");
alive = alive.Where(i => !removedJunk.Contains(i)).ToList();

Console.WriteLine();
Console.WriteLine($"kept {alive.Count:N0} of {docs.Count:N0} documents in {clock.Elapsed.TotalSeconds:F1} s; kept by kind: " +
    string.Join(", ", alive.GroupBy(i => docs[i].Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
return 0;

void Report(string step, HashSet<int> removed, string target)
{
    int planted = alive.Count(i => docs[i].Kind == target);   // planted items still present before this step
    int hits = removed.Count(i => docs[i].Kind == target);
    string byKind = string.Join(", ", removed.GroupBy(i => docs[i].Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
    Console.WriteLine($"{step,-44} removed {removed.Count,5} ({byKind}); precision {(removed.Count == 0 ? 1 : (double)hits / removed.Count):F3}, recall {(double)hits / planted:F3} of the {planted} planted {target} left");
}

// ../shared/PARTS beside the repository that holds this sample, or null.
static string? FindShared(params string[] parts)
{
    foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.GetFullPath(Path.Combine([dir.FullName, "..", "shared", .. parts]));
            if (File.Exists(Path.Combine(dir.FullName, "LmToLlm.sln")) && File.Exists(candidate)) return candidate;
        }
    }
    return null;
}
