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

// A vocabulary (english for the English lines, korean-bigrams for the Korean one): counts per term,
// then frequency order (ties by ordinal) with pruning (count ≥ 2).
string[] corpus =
[
    "Flows over a flat plate; the flow separates.",
    "Separated flows and attached flows over plates.",
    "학교에서 공부했다. 학교를 좋아한다.",
];
var corpusTokens = corpus[..2].SelectMany(line => Analyzer.English.Tokenize(line))
    .Concat(Analyzer.FromName("korean-bigrams").Tokenize(corpus[2])).ToList();
var counts = corpusTokens.CountBy(t => t).ToList();
Console.WriteLine();
Console.WriteLine($"vocabulary: {counts.Count} terms, {corpusTokens.Count} tokens");
var frequent = counts.Where(c => c.Value >= 2).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
Console.WriteLine($"count ≥ 2, by frequency: {string.Join(", ", frequent.Select((c, id) => $"{id}:{c.Key}×{c.Value}"))}");

static void Show(string analyzer, string a, string b)
{
    var shared = Analyzer.FromName(analyzer).Tokenize(a).Intersect(Analyzer.FromName(analyzer).Tokenize(b));
    Console.WriteLine($"  {analyzer,-8} \"{a}\" ∩ \"{b}\" = {{{string.Join(", ", shared)}}}");
}
