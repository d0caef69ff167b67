// InfiniGram: an unbounded n-gram next to a 5-gram Kneser-Ney model on the Penn Treebank (Mikolov split), then a
// contamination check that must find test sentences planted in the training text.
// Usage: dotnet run -c Release --project samples/InfiniGram                # text generated here, nothing to download
//        dotnet run -c Release --project samples/InfiniGram -- --shared    # the Penn Treebank in ../shared/reference/ptb
//        dotnet run -c Release --project samples/InfiniGram -- PTB-DIR     # a folder holding ptb.{train,valid,test}.UNK.txt
using System.Globalization;
using LmToLlm.Samples.Synthetic;
using LmToLlm.NGrams;
using LmToLlm.SuffixArrays;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string work = Directory.CreateTempSubdirectory("infinigram-sample").FullName;
string name, trainPath, validPath, testPath;
if (args.Length == 0)
{
    // A bare clone has no Penn Treebank: generate a text (the built-in English training text) and split it 90/5/5.
    name = "generated";
    using (var writer = new StringWriter())
    {
        BuiltInCollections.WriteTrainingText(BuiltInCollections.Lexicon("en"), writer, tokens: 400_000, seed: 1);
        // Its sentences are short: three to a line give lines as long as PTB's (the checks below need ≥ 13 tokens).
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Chunk(3).Select(c => string.Join(' ', c)).ToArray();
        int valid = lines.Length * 90 / 100, test = lines.Length * 95 / 100;
        (trainPath, validPath, testPath) = (Path.Combine(work, "train.txt"), Path.Combine(work, "valid.txt"), Path.Combine(work, "test.txt"));
        File.WriteAllLines(trainPath, lines[..valid]);
        File.WriteAllLines(validPath, lines[valid..test]);
        File.WriteAllLines(testPath, lines[test..]);
    }
    Console.WriteLine("Text: generated here (no download), the built-in English training text, split 90/5/5 into train, valid and test;");
    Console.WriteLine("  --shared runs the same on the Penn Treebank in ../shared/reference/ptb.");
}
else
{
    name = "PTB";
    string ptb = args[0] == "--shared" ? Path.Combine("..", "shared", "reference", "ptb") : args[0];
    (trainPath, validPath, testPath) = (Path.Combine(ptb, "ptb.train.UNK.txt"), Path.Combine(ptb, "ptb.valid.UNK.txt"), Path.Combine(ptb, "ptb.test.UNK.txt"));
    if (!File.Exists(trainPath))
    {
        Console.Error.WriteLine($"{trainPath}: not found; give the folder holding ptb.{{train,valid,test}}.UNK.txt (or run without arguments on generated text)");
        Directory.Delete(work, recursive: true);
        return 1;
    }
}
try
{
    var train = File.ReadAllLines(trainPath);
    var test = File.ReadAllLines(testPath);
    // Generated text has no singletons, so its discounts fall back to KenLM's --discount-fallback values.
    var counts = NGramCounts.FromLines(train, new NGramCountOptions { Order = 5 });
    var kn5 = NGramTrainer.Train(counts, new NGramTrainingOptions { DiscountFallback = name == "generated" });
    var build = SuffixArrayBuilder.Build(trainPath, Path.Combine(work, "train.sa"));
    Console.WriteLine($"{name} train: {build.Tokens:N0} tokens, {build.Documents:N0} sentences; index {build.FileBytes:N0} bytes ({build.FileBytes / (double)build.Tokens:F2} per token)");
    using var index = SuffixArrayIndex.Open(Path.Combine(work, "train.sa"));
    var infiniGram = new InfiniGram(index);

    // Counts of any length: the suffix array counts every prefix of a sentence; the n-gram counts stop at order 5. The
    // sentence is the first training sentence of 20 words or more that occurs more than once (else the first of 20).
    var long20 = train.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length >= 20).ToList();
    string[] sentence = long20.FirstOrDefault(w => index.Count(w) > 1) ?? long20[0];
    Console.WriteLine();
    Console.WriteLine($"Occurrences in {name} train of the first n words of a training sentence (\"{string.Join(' ', sentence[..6])} …\", {sentence.Length} words, {Times(index.Count(sentence))} in all):");
    Console.WriteLine($"{"n",4} {"suffix array",13} {"5-gram counts",14}");
    foreach (int n in new[] { 1, 2, 3, 4, 5, 8, 13, 20 })
        Console.WriteLine($"{n,4} {index.Count(sentence[..n]),13:N0} {(n <= counts.Order ? counts.Count(sentence[..n]).ToString("N0") : "-"),14}");

    Console.WriteLine();
    Console.WriteLine("Next-word predictions after the first words of test sentences (KN5's best word vs the ∞-gram's):");
    Console.WriteLine($"{"context",-42} {"KN5",-14} {"∞-gram",-14} {"suffix used",11} {"P∞",6}");
    foreach (string line in test.Where(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 12).Take(8))
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..8];
        var context = new List<int> { NGramVocabulary.SentenceStart };
        context.AddRange(words.Select(w => kn5.Vocabulary.Find(w)));
        int best = Enumerable.Range(NGramVocabulary.SentenceEnd, kn5.Vocabulary.Count - NGramVocabulary.SentenceEnd)
            .MaxBy(w => kn5.Score(context.ToArray().AsSpan(Math.Max(0, context.Count - 4)), w).Log10Prob);
        var next = infiniGram.NextTokens(words, sentenceStart: true, limit: 1);
        string top = next.Continuations.Count > 0 ? next.Continuations[0].Token : "-";
        string shown = string.Join(' ', words);
        Console.WriteLine($"{(shown.Length > 42 ? "…" + shown[^41..] : shown),-42} {"[" + kn5.Vocabulary[best] + "]",-14} {"[" + top + "]",-14} {next.SuffixLength,11} {(next.Continuations.Count > 0 ? next.Continuations[0].Probability : 0),6:F3}");
    }

    Console.WriteLine();
    var ppl = infiniGram.Interpolate(kn5, File.ReadLines(validPath), test);
    Console.WriteLine($"Perplexity on {name} test ({ppl.Tokens:N0} tokens, sentence ends included):");
    Console.WriteLine($"  KN5 alone                          {ppl.NGramPerplexity:F2}");
    Console.WriteLine($"  ∞-gram alone                       infinite: it gives {ppl.InfiniGramZeroShare:P1} of the test tokens probability 0");
    Console.WriteLine($"  λ·∞-gram + (1−λ)·KN5, λ = {ppl.Lambda:F2}   {ppl.InterpolatedPerplexity:F2}   (λ chosen on {name} valid: {ppl.HeldOutPerplexity:F2} there)");
    Console.WriteLine(ppl.InterpolatedPerplexity < ppl.NGramPerplexity
        ? "  The ∞-gram lowers the perplexity of KN5."
        : $"  The ∞-gram does not lower the perplexity of KN5 here (both count the same {build.Tokens / 1e6:0.0} M training tokens).");

    // Plant 25 test sentences of ≥ 13 tokens in a copy of the training text, then check the first 1,000 such sentences
    // (a shorter one has no 13-gram: it would count as one whole-sentence match, common for short sentences).
    test = [.. test.Where(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 13)];
    var planted = Enumerable.Range(0, 25).Select(i => i * Math.Min(40, test.Length / 25)).ToHashSet();
    string contaminated = Path.Combine(work, "train+planted.txt");
    File.WriteAllLines(contaminated, train.Concat(planted.Select(i => test[i])));
    SuffixArrayBuilder.Build(contaminated, Path.Combine(work, "planted.sa"));
    using var plantedIndex = SuffixArrayIndex.Open(Path.Combine(work, "planted.sa"));
    var results = Contamination.Check(plantedIndex, test.Take(1000).Select((t, i) => (i.ToString(), t)), n: 13, threshold: 0.5).ToList();
    int found = results.Count(r => r.Contaminated && planted.Contains(int.Parse(r.Id))), flagged = results.Count(r => r.Contaminated);
    Console.WriteLine();
    Console.WriteLine($"Contamination (13-grams, contaminated when ≥ 50% of them occur in training), first 1,000 test sentences of ≥ 13 tokens:");
    Console.WriteLine($"  planted {planted.Count}, flagged {flagged}, planted and flagged {found} (recall {found / (double)planted.Count:P0}, precision {(flagged == 0 ? 0 : found / (double)flagged):P0})");
    foreach (var r in results.Where(r => r.Contaminated != planted.Contains(int.Parse(r.Id))).Take(5))
        Console.WriteLine($"  sentence {r.Id}: {r.Tokens} tokens, longest span in training {r.LongestSpan}, 13-grams found {r.NGramsFound}/{r.NGrams}{(planted.Contains(int.Parse(r.Id)) ? " (planted, missed)" : " (not planted)")}");
    var clean = results.Where(r => !planted.Contains(int.Parse(r.Id))).ToList();
    Console.WriteLine($"  not planted: longest span found in training, median {clean.Select(r => r.LongestSpan).Order().ElementAt(clean.Count / 2)} tokens, max {clean.Max(r => r.LongestSpan)}");
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static string Times(long count) => count == 1 ? "once" : $"{count:N0} times";
