// NGramPlayground: what smoothing buys. Trains n-gram models of orders 1–5 on a built-in corpus (sentences drawn from a
// small seeded grammar, so the sample runs anywhere), prints test perplexities side by side, then samples sentences.
using System.Globalization;
using LmToLlm.NGrams;

var train = TinyGrammar.Sentences(seed: 1, count: 4000);
var test = TinyGrammar.Sentences(seed: 2, count: 400);
Console.WriteLine($"Built-in corpus: {train.Count} training sentences ({train.Sum(s => s.Split(' ').Length):N0} words), {test.Count} test sentences.");
Console.WriteLine($"Example: \"{train[0]}\"");
Console.WriteLine();

var smoothings = new (string Name, NGramTrainingOptions Options)[]
{
    ("MLE", new() { Smoothing = Smoothing.MaximumLikelihood }),
    ("add-1", new() { Smoothing = Smoothing.AddK, K = 1 }),
    ("add-0.01", new() { Smoothing = Smoothing.AddK, K = 0.01 }),
    ("KN", new() { Smoothing = Smoothing.KneserNey, DiscountFallback = true }),
    ("modified KN", new() { Smoothing = Smoothing.ModifiedKneserNey, DiscountFallback = true }),
    ("stupid backoff", new() { Smoothing = Smoothing.StupidBackoff }),
};
Console.WriteLine("Test perplexity (KenLM query conventions: </s> counted, <s> not)");
Console.Write($"{"order",-6}");
foreach (var (name, _) in smoothings) Console.Write($"{name,16}");
Console.WriteLine();
var models = new Dictionary<(int, string), LanguageModel>();
for (int order = 1; order <= 5; order++)
{
    var counts = NGramCounts.FromLines(train, new NGramCountOptions { Order = order, MaxDegreeOfParallelism = 1 });
    Console.Write($"{order,-6}");
    foreach (var (name, options) in smoothings)
    {
        var model = NGramTrainer.Train(counts, options);
        models[(order, name)] = model;
        string cell = model.IsNormalized ? Format(model.Perplexity(test).PerplexityIncludingOov) : "n/a";
        Console.Write($"{cell,16}");
    }
    Console.WriteLine();
}
Console.WriteLine("MLE gives unseen test n-grams probability 0 (infinite perplexity); stupid backoff scores are not probabilities.");
Console.WriteLine();

var mkn5 = (BackoffModel)models[(5, "modified KN")];
Console.WriteLine("Modified Kneser-Ney discounts of the order-5 model (as lmplz prints them):");
foreach (var s in mkn5.Statistics!)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {s.Order}-grams {s.NGrams,7:N0}  D1={s.Discount.D1:G6} D2={s.Discount.D2:G6} D3+={s.Discount.D3Plus:G6}{(s.IsFallback ? "  (fallback)" : "")}"));
Console.WriteLine();

Console.WriteLine("Sampled from the order-5 modified Kneser-Ney model (seeds 1–3, temperature 1):");
for (ulong seed = 1; seed <= 3; seed++)
    Console.WriteLine("  " + string.Join(' ', TextGenerator.Continue(mkn5, "", new GenerationOptions { Seed = seed })));
Console.WriteLine("Continuations of \"the old dog\" (top-k 5, temperature 0.7):");
for (ulong seed = 1; seed <= 3; seed++)
    Console.WriteLine("  the old dog " + string.Join(' ', TextGenerator.Continue(mkn5, "the old dog", new GenerationOptions { Seed = seed, Temperature = 0.7, TopK = 5 })));

static string Format(double ppl) => double.IsInfinity(ppl) ? "∞" : ppl.ToString("F2", CultureInfo.InvariantCulture);

/// <summary>A small probabilistic grammar of English-like sentences; the same seed gives the same sentences.</summary>
internal static class TinyGrammar
{
    private static readonly string[] Determiners = ["the", "the", "the", "a", "a", "this", "every", "my"];
    private static readonly string[] Adjectives = ["old", "small", "happy", "red", "quiet", "clever", "lazy", "big"];
    private static readonly string[] Nouns = ["dog", "cat", "bird", "child", "teacher", "farmer", "house", "garden", "river", "book", "tree", "car"];
    private static readonly string[] Names = ["alice", "bob", "carol", "dave"];
    private static readonly string[] Transitive = ["sees", "likes", "finds", "follows", "reads", "paints", "chases"];
    private static readonly string[] Intransitive = ["sleeps", "runs", "sings", "waits", "laughs"];
    private static readonly string[] Prepositions = ["near", "in", "under", "behind", "with"];

    public static List<string> Sentences(int seed, int count)
    {
        var random = new Random(seed);
        var list = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            var words = new List<string>();
            Sentence(random, words, depth: 0);
            list.Add(string.Join(' ', words));
        }
        return list;
    }

    // Zipf-like choice: earlier entries are more frequent.
    private static string Pick(Random random, string[] words)
    {
        double u = random.NextDouble();
        return words[(int)(words.Length * u * u)];
    }

    private static void Sentence(Random random, List<string> words, int depth)
    {
        NounPhrase(random, words);
        VerbPhrase(random, words, depth);
        if (depth == 0 && random.Next(6) == 0)
        {
            words.Add(random.Next(2) == 0 ? "and" : "but");
            Sentence(random, words, depth + 1);
        }
    }

    private static void NounPhrase(Random random, List<string> words)
    {
        if (random.Next(5) == 0) { words.Add(Pick(random, Names)); return; }
        words.Add(Pick(random, Determiners));
        if (random.Next(3) == 0) words.Add(Pick(random, Adjectives));
        words.Add(Pick(random, Nouns));
    }

    private static void VerbPhrase(Random random, List<string> words, int depth)
    {
        int kind = random.Next(10);
        if (kind < 3) words.Add(Pick(random, Intransitive));
        else if (kind < 9 || depth > 0) { words.Add(Pick(random, Transitive)); NounPhrase(random, words); }
        else { words.Add("says"); words.Add("that"); Sentence(random, words, depth + 1); return; }
        if (random.Next(4) == 0) { words.Add(Pick(random, Prepositions)); NounPhrase(random, words); }
    }
}
