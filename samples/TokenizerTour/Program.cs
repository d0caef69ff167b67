// A tour of the LmToLlm analyzers: the same English and Korean text through each one, then a vocabulary.
// Run: dotnet run --project samples/TokenizerTour
using LmToLlm.Text;

string[] texts =
[
    "The boundary-layer flows were separating at Mach 2.5, İstanbul's engineers noted 😀.",
    "학교에서 공부했다. 학교를 좋아한다. 서울2024년도 회의",
];
string[] analyzers = ["simple", "english", "korean", "korean-bigrams", "char:3-4"];

foreach (string text in texts)
{
    Console.WriteLine($"text: {text}");
    foreach (string name in analyzers)
    {
        var tokens = Analyzer.FromName(name).Tokenize(text);
        Console.WriteLine($"  {name,-15} ({tokens.Count,2}) {string.Join(' ', tokens.Take(16))}{(tokens.Count > 16 ? " …" : "")}");
    }
    Console.WriteLine();
}

// Shared stems: English inflections meet under Porter, Korean ones under syllable bigrams.
Console.WriteLine("shared terms:");
Show("english", "separating flows", "separated flow");
Show("korean", "학교에서", "학교를");

// A vocabulary (english for the English lines, korean-bigrams for the Korean one): ids in first-seen order,
// then frequency order with pruning (count ≥ 2).
var vocabulary = new Vocabulary();
string[] corpus =
[
    "Flows over a flat plate; the flow separates.",
    "Separated flows and attached flows over plates.",
    "학교에서 공부했다. 학교를 좋아한다.",
];
foreach (string line in corpus[..2]) Analyzer.English.Analyze(line, vocabulary);
Analyzer.FromName("korean-bigrams").Analyze(corpus[2], vocabulary);
Console.WriteLine();
Console.WriteLine($"vocabulary: {vocabulary.Count} terms, {vocabulary.TotalCount} tokens");
var frequent = vocabulary.ByFrequency(minCount: 2);
Console.WriteLine($"count ≥ 2, by frequency: {string.Join(", ", frequent.Tokens.Select((t, id) => $"{id}:{t}×{frequent.GetCount(id)}"))}");

static void Show(string analyzer, string a, string b)
{
    var shared = Analyzer.FromName(analyzer).Tokenize(a).Intersect(Analyzer.FromName(analyzer).Tokenize(b));
    Console.WriteLine($"  {analyzer,-8} \"{a}\" ∩ \"{b}\" = {{{string.Join(", ", shared)}}}");
}
