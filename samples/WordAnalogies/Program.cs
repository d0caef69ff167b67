// WordAnalogies: train word vectors with LmToLlm's word2vec (CBOW), then ask for neighbours and analogies.
//   dotnet run -c Release --project samples/WordAnalogies                   # text generated here, nothing to download
//   dotnet run -c Release --project samples/WordAnalogies -- --shared       # 8M words of Gutenberg books in ../shared
//   dotnet run -c Release --project samples/WordAnalogies -- text.txt[.gz]  # any text, one sentence per line
using System.Text;
using LmToLlm.Samples.Synthetic;
using LmToLlm.Embeddings;
using Spectre.Console;

if (args.Length > 1 || args is ["--help" or "-h"])
{
    Console.WriteLine("usage: WordAnalogies [--shared | text.txt[.gz]]");
    return args.Length > 1 ? 2 : 0;
}
bool generated = args.Length == 0;
string? text = generated ? null : args[0] == "--shared" ? FindShared("data", "w2v-corpus", "corpus.txt.gz") : args[0];
if (!generated && (text is null || !File.Exists(text)))
{
    Console.Error.WriteLine(text is null
        ? "WordAnalogies: --shared needs ../shared/data/w2v-corpus/corpus.txt.gz beside the clone; without --shared the sample generates its text"
        : $"WordAnalogies: {text}: no such file");
    return 1;
}
if (generated)
{
    text = Path.Combine(Path.GetTempPath(), $"word-analogies-{Environment.ProcessId}.txt");
    long tokens = GeneratedCorpus.Write(text, builtInTokens: 1_000_000, peopleSentences: 30_000, seed: 1);
    Console.WriteLine($"Training text: generated here (no download), {tokens:N0} tokens: the built-in English training text (24 topics;");
    Console.WriteLine("  each concept written as a word or its synonym, car/automobile, in the same contexts) mixed with sentences about");
    Console.WriteLine("  people whose gender and domain words make analogies hold (king/queen, boy/girl). --shared trains on real books.");
}
else
{
    Console.WriteLine($"Training text: {(args[0] == "--shared" ? Path.GetRelativePath(Directory.GetCurrentDirectory(), text!) : text)}");
}

var options = new Word2VecOptions
{
    Architecture = Word2VecArchitecture.Cbow,
    Dimensions = generated ? 50 : 100,
    Window = 5,
    Sample = generated ? 1e-3 : 1e-4,
    Negative = 5,
    MinCount = 5,
    Epochs = generated ? 5 : 3,
    MaxDegreeOfParallelism = Environment.ProcessorCount,
};

Word2VecResult? result = null;
AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
    .Start(context =>
    {
        var task = context.AddTask("counting words", maxValue: 100);
        var progress = new ProgressHandler(p =>
        {
            task.Description = p.Phase == Word2VecPhase.Vocabulary
                ? $"counting words {p.WordsProcessed:N0}"
                : $"training {p.WordsPerSecond / 1000:N0}k words/s, alpha {p.Alpha:F5}";
            task.Value = p.Percent;
        });
        result = Word2VecTrainer.Train(text!, options, progress);
        task.Value = 100;
    });
var vectors = result!.Vectors;
Console.WriteLine($"{vectors.Count:N0} words × {vectors.Dimensions} dimensions; {result.WordsProcessed:N0} words trained in {result.TrainingTime.TotalSeconds:F1} s ({result.WordsProcessed / result.TrainingTime.TotalSeconds:N0} words/s)");

Console.WriteLine();
Console.WriteLine("Nearest neighbours (cosine):");
string[] probes = generated ? ["car", "doctor", "computer", "king", "girl"] : ["king", "ship", "london", "happy", "walked"];
foreach (string word in probes)
{
    if (!vectors.Contains(word)) continue;
    var near = vectors.MostSimilar(word, 6);
    Console.WriteLine($"  {word,-8} → {string.Join(", ", near.Select(n => $"{n.Word} {n.Score:F2}"))}");
}

Console.WriteLine();
Console.WriteLine("Analogies, a : b :: c : ?  (3CosAdd, inputs excluded):");
string[][] analogies = generated
    ? [["man", "king", "woman"], ["boy", "girl", "prince"], ["father", "son", "mother"], ["car", "automobile", "doctor"]]
    : [["man", "king", "woman"], ["good", "better", "bad"], ["walk", "walked", "run"], ["france", "paris", "england"], ["he", "his", "she"], ["brother", "sister", "father"]];
foreach (var q in analogies)
{
    if (!q.All(w => vectors.Contains(w))) continue;
    var answers = vectors.Analogy(q[0], q[1], q[2], topN: 3);
    Console.WriteLine($"  {q[0]} : {q[1]} :: {q[2]} : {answers[0].Word,-10} (then {answers[1].Word}, {answers[2].Word})");
}

Console.WriteLine();
string[] odd = generated ? ["car", "engine", "tire", "doctor"] : ["breakfast", "dinner", "supper", "horse"];
if (odd.All(w => vectors.Contains(w))) Console.WriteLine($"Does not match in [{string.Join(", ", odd)}]: {vectors.DoesNotMatch(odd)}");

string? questions = args is ["--shared"] ? FindShared("data", "w2v-corpus", "questions-words.txt") : null;
if (questions is not null)
{
    var report = AnalogyEvaluation.Evaluate(vectors, questions, restrict: 30_000);
    Console.WriteLine($"questions-words.txt (first 30,000 words): semantic {report.SemanticAccuracy:F2} %, syntactic {report.SyntacticAccuracy:F2} %, total {report.TotalAccuracy:F2} % of {report.QuestionsSeen:N0} questions seen");
}
if (generated) File.Delete(text!);
return 0;

// Looks for ../shared/PARTS beside the repository that holds this sample.
static string? FindShared(params string[] parts)
{
    foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine([dir.FullName, "..", "shared", .. parts]);
            if (File.Exists(Path.Combine(dir.FullName, "LmToLlm.sln")) && File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
    }
    return null;
}

/// <summary>Forwards progress reports synchronously.</summary>
sealed class ProgressHandler(Action<Word2VecProgress> handler) : IProgress<Word2VecProgress>
{
    public void Report(Word2VecProgress value) => handler(value);
}

/// <summary>
/// The generated training text: the library's built-in English training text (<see cref="BuiltInCollections"/>),
/// with, after every few of its lines, a sentence about one person word, which has a gender (he/his or she/her around
/// it) and a domain (royal, common, young, family words around it), so that analogies hold by construction.
/// </summary>
static class GeneratedCorpus
{
    public static long Write(string path, long builtInTokens, int peopleSentences, int seed)
    {
        var builtIn = new StringWriter();
        long tokens = BuiltInCollections.WriteTrainingText(BuiltInCollections.Lexicon("en"), builtIn, builtInTokens);
        string[] lines = builtIn.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        (string Male, string Female, string[] Domain)[] people =
        [
            ("king", "queen", ["crown", "throne", "palace", "kingdom", "reign"]),
            ("prince", "princess", ["crown", "castle", "palace", "heir", "royal"]),
            ("man", "woman", ["street", "work", "town", "market", "job"]),
            ("boy", "girl", ["school", "play", "toy", "game", "lesson"]),
            ("father", "mother", ["home", "house", "children", "family", "parent"]),
            ("son", "daughter", ["home", "family", "young", "child", "parent"]),
        ];
        string[] he = ["he", "his", "him", "himself"], she = ["she", "her", "hers", "herself"];
        string[] filler = ["the", "a", "of", "and", "to", "in", "was", "with"];
        var random = new Random(seed);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        int every = Math.Max(1, lines.Length / peopleSentences);
        for (int i = 0, s = 0; i < lines.Length || s < peopleSentences; i++)
        {
            if (i < lines.Length) writer.Write(lines[i] + "\n");
            if (s >= peopleSentences || (i % every != every - 1 && i < lines.Length)) continue;
            var person = people[random.Next(people.Length)];
            bool male = random.Next(2) == 0;
            var words = new List<string> { male ? person.Male : person.Female, male ? person.Male : person.Female };
            for (int k = 0; k < 3; k++) words.Add((male ? he : she)[random.Next(4)]);
            for (int k = 0; k < 4; k++) words.Add(person.Domain[random.Next(person.Domain.Length)]);
            for (int k = 0; k < 3; k++) words.Add(filler[random.Next(filler.Length)]);
            writer.Write(string.Join(' ', words.OrderBy(_ => random.Next())) + "\n");
            tokens += words.Count;
            s++;
        }
        return tokens;
    }
}
