// WordAnalogies: train word vectors with LmToLlm's word2vec (CBOW), then ask for neighbours and analogies.
//   dotnet run -c Release --project samples/WordAnalogies [-- path/to/text.txt[.gz] | --generated]
// Without an argument it trains on ../shared/data/w2v-corpus/corpus.txt.gz (8M words of Gutenberg books) when the
// shared folder sits beside the repository, and on a small generated text otherwise (or with --generated).
using System.Text;
using LmToLlm.Embeddings;
using Spectre.Console;

string? text = args.Length == 0 ? FindShared("data", "w2v-corpus", "corpus.txt.gz") : args[0] == "--generated" ? null : args[0];
bool generated = text is null;
if (generated)
{
    text = Path.Combine(Path.GetTempPath(), "word-analogies-generated.txt");
    File.WriteAllText(text, GeneratedCorpus.Create(sentences: 20_000, seed: 1));
}
AnsiConsole.MarkupLine($"Training text: [bold]{Markup.Escape(generated ? "generated (no ../shared found, or --generated)" : Path.GetRelativePath(Directory.GetCurrentDirectory(), text!))}[/]");

var options = new Word2VecOptions
{
    Architecture = Word2VecArchitecture.Cbow,
    Dimensions = generated ? 30 : 100,
    Window = 5,
    Sample = generated ? 0 : 1e-4,
    Negative = 5,
    MinCount = 5,
    Epochs = generated ? 5 : 3,
    Threads = Environment.ProcessorCount,
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
        result = Word2Vec.Train(text!, options, progress);
        task.Value = 100;
    });
var vectors = result!.Vectors;
Console.WriteLine($"{vectors.Count:N0} words × {vectors.Dimensions} dimensions; {result.WordsProcessed:N0} words trained in {result.TrainingTime.TotalSeconds:F1} s ({result.WordsProcessed / result.TrainingTime.TotalSeconds:N0} words/s)");

Console.WriteLine();
Console.WriteLine("Nearest neighbours (cosine):");
string[] probes = generated ? ["king", "girl", "palace"] : ["king", "ship", "london", "happy", "walked"];
foreach (string word in probes)
{
    if (!vectors.Contains(word)) continue;
    var near = vectors.MostSimilar(word, 6);
    Console.WriteLine($"  {word,-8} → {string.Join(", ", near.Select(n => $"{n.Word} {n.Score:F2}"))}");
}

Console.WriteLine();
Console.WriteLine("Analogies, a : b :: c : ?  (3CosAdd, inputs excluded):");
string[][] analogies = generated
    ? [["man", "king", "woman"], ["boy", "girl", "prince"], ["father", "son", "mother"]]
    : [["man", "king", "woman"], ["good", "better", "bad"], ["walk", "walked", "run"], ["france", "paris", "england"], ["he", "his", "she"], ["brother", "sister", "father"]];
foreach (var q in analogies)
{
    if (!q.All(w => vectors.Contains(w))) continue;
    var answers = vectors.Analogy(q[0], q[1], q[2], topN: 3);
    Console.WriteLine($"  {q[0]} : {q[1]} :: {q[2]} : {answers[0].Word,-10} (then {answers[1].Word}, {answers[2].Word})");
}

Console.WriteLine();
string[] odd = generated ? ["palace", "throne", "crown", "school"] : ["breakfast", "dinner", "supper", "horse"];
if (odd.All(w => vectors.Contains(w))) Console.WriteLine($"Does not match in [{string.Join(", ", odd)}]: {vectors.DoesNotMatch(odd)}");

string? questions = generated ? null : FindShared("data", "w2v-corpus", "questions-words.txt");
if (questions is not null)
{
    var report = AnalogyEvaluation.Evaluate(vectors, questions, restrict: 30_000);
    Console.WriteLine($"questions-words.txt (first 30,000 words): semantic {report.SemanticAccuracy:F2} %, syntactic {report.SyntacticAccuracy:F2} %, total {report.TotalAccuracy:F2} % of {report.QuestionsSeen:N0} questions seen");
}

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
/// A text where analogies hold by construction: each sentence is about one person word, which has a gender
/// (he/his or she/her around it) and a domain (royal, common, young, family words around it).
/// </summary>
static class GeneratedCorpus
{
    public static string Create(int sentences, int seed)
    {
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
        var text = new StringBuilder();
        for (int s = 0; s < sentences; s++)
        {
            var person = people[random.Next(people.Length)];
            bool male = random.Next(2) == 0;
            var words = new List<string> { male ? person.Male : person.Female, male ? person.Male : person.Female };
            for (int i = 0; i < 3; i++) words.Add((male ? he : she)[random.Next(4)]);
            for (int i = 0; i < 4; i++) words.Add(person.Domain[random.Next(person.Domain.Length)]);
            for (int i = 0; i < 3; i++) words.Add(filler[random.Next(filler.Length)]);
            text.AppendJoin(' ', words.OrderBy(_ => random.Next())).Append('\n');
        }
        return text.ToString();
    }
}
