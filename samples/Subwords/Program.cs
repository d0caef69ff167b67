// Subwords: what a word costs in pieces, in English and in Korean, by vocabulary size and algorithm, and what that
// means for an LLM's context window. The text is the LibreOffice help in both languages, paragraph by paragraph
// (corpora/real/en-ko-parallel, committed), so the two languages say the same things.
// Usage: dotnet run -c Release --project samples/Subwords            # writes artifacts/subwords/
//        dotnet run -c Release --project samples/Subwords -- FILE.tsv[.gz] [OUTPUT-FOLDER]
//        (a TSV with a header and the columns page, english, korean: one parallel paragraph per line)
using System.Diagnostics;
using System.Globalization;
using LmToLlm.Samples;
using LmToLlm.Samples.Subwords;
using LmToLlm.Subwords;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string? input = args.Length > 0 ? args[0] : ParallelText.Locate();
if (input is null || !File.Exists(input))
{
    Console.Error.WriteLine($"{input ?? "corpora/real/en-ko-parallel/help-paragraphs.tsv.gz"}: not found; run from the repository or give a TSV file");
    return 1;
}
string output = args.Length > 1 ? args[1] : Path.Combine("artifacts", "subwords");
Directory.CreateDirectory(output);

ParallelText text;
try
{
    text = ParallelText.Read(input);
}
catch (InvalidDataException e)
{
    Console.Error.WriteLine($"Subwords: {e.Message}");
    return 1;
}
if (text.Train.Count == 0 || text.HeldOut.Count == 0)
{
    Console.Error.WriteLine($"Subwords: {input}: needs pages both to train on and to hold out; it has {text.Train.Count + text.HeldOut.Count} paragraph pairs");
    return 1;
}
Console.WriteLine($"Text: {Path.GetRelativePath(Directory.GetCurrentDirectory(), input)}: {text.Train.Count:N0} training and {text.HeldOut.Count:N0} held-out paragraph pairs (held-out pages never trained on).");
Console.WriteLine($"  held-out words (split at white space): English {text.HeldOut.Sum(p => Words(p.English)):N0}, Korean {text.HeldOut.Sum(p => Words(p.Korean)):N0}");
Console.WriteLine();

// 1. One SentencePiece model per language, algorithm and size, trained on that language's training paragraphs.
// The English help text is too small for Unigram vocabularies much above 7,900 pieces (spm_train says the same).
int[] sizes = [1000, 2000, 4000];
const int JointSize = 8000;
var rows = new List<FertilityRow>();
Console.WriteLine("Pieces per held-out word (SentencePiece, nmt_nfkc, trained on one language):");
Console.WriteLine($"{"language",-9} {"model",-8} {"vocabulary",10} {"pieces/word",12} {"chars/piece",12} {"train s",8}");
var models = new Dictionary<(string Language, string Type, int Size), SentencePieceProcessor>();
foreach (string language in new[] { "English", "Korean" })
{
    var trainLines = text.Train.Select(p => language == "English" ? p.English : p.Korean).ToList();
    var heldOut = text.HeldOut.Select(p => language == "English" ? p.English : p.Korean).ToList();
    foreach (var type in new[] { SentencePieceModelType.Unigram, SentencePieceModelType.Bpe })
    {
        foreach (int size in sizes)
        {
            var clock = Stopwatch.StartNew();
            var spm = SentencePieceProcessor.Train(trainLines, SentencePieceTrainerOptions.Default with { ModelType = type, VocabSize = size });
            double seconds = clock.Elapsed.TotalSeconds;
            long pieces = heldOut.Sum(line => (long)spm.EncodeToIds(line).Count);
            long words = heldOut.Sum(line => (long)Words(line)), chars = heldOut.Sum(line => (long)line.Count(c => !char.IsWhiteSpace(c)));
            var row = new FertilityRow(language, type.ToString().ToLowerInvariant(), size, pieces / (double)words, chars / (double)pieces);
            rows.Add(row);
            models[(language, row.Model, size)] = spm;
            Console.WriteLine($"{language,-9} {row.Model,-8} {size,10:N0} {row.PiecesPerWord,12:F2} {row.CharsPerPiece,12:F2} {seconds,8:F1}");
        }
    }
}

// 2. Segmentations of one short held-out paragraph pair.
var example = text.HeldOut.Where(p => Words(p.English) is >= 6 and <= 12).OrderBy(p => p.English.Length).First();
Console.WriteLine();
Console.WriteLine("One held-out paragraph, segmented (▁ marks a word start):");
foreach (var (language, line) in new[] { ("English", example.English), ("Korean", example.Korean) })
{
    Console.WriteLine($"  {language}: {line}");
    foreach (int size in new[] { sizes[0], sizes[^1] })
    {
        var pieces = models[(language, "unigram", size)].EncodeToPieces(line);
        Console.WriteLine($"    unigram {size,6:N0} ({pieces.Count,2}) {string.Join(' ', pieces)}");
    }
}

// 3. One vocabulary for both languages, as an LLM has: the same content, counted in each language.
Console.WriteLine();
Console.WriteLine($"One vocabulary for both languages ({JointSize:N0} pieces, trained on both), held-out paragraphs that say the same thing:");
var both = text.Train.SelectMany(p => new[] { p.English, p.Korean }).ToList();
var joint = new List<JointRow>
{
    Joint("SentencePiece unigram", SentencePieceProcessor.Train(both, SentencePieceTrainerOptions.Default with { VocabSize = JointSize }).EncodeToIds),
    Joint("SentencePiece bpe", SentencePieceProcessor.Train(both, SentencePieceTrainerOptions.Default with { ModelType = SentencePieceModelType.Bpe, VocabSize = JointSize }).EncodeToIds),
    Joint("byte-level BPE (GPT-2)", ByteLevelBpe.Train(both, new ByteLevelBpeTrainerOptions { VocabSize = JointSize }).EncodeToIds),
    // GPT-2's vocabulary was learned from mostly English text: a byte-level BPE that saw no Korean still encodes it,
    // byte by byte where it has no merges (a Hangul syllable is three UTF-8 bytes).
    Joint("byte-level BPE, English only", ByteLevelBpe.Train(text.Train.Select(p => p.English), new ByteLevelBpeTrainerOptions { VocabSize = JointSize }).EncodeToIds),
};
Console.WriteLine($"{"tokenizer",-30} {"English tokens",15} {"Korean tokens",14} {"Korean/English",15} {"English words in 4,096",23} {"Korean words in 4,096",22}");
foreach (var j in joint)
    Console.WriteLine($"{j.Tokenizer,-30} {j.EnglishTokens,15:N0} {j.KoreanTokens,14:N0} {j.Ratio,15:F2} {j.EnglishWordsPerWindow,23:N0} {j.KoreanWordsPerWindow,22:N0}");

// 4. What the measurements say, computed from them.
var enTop = rows.Single(r => r.Language == "English" && r.Model == "unigram" && r.Vocabulary == sizes[^1]);
var koTop = rows.Single(r => r.Language == "Korean" && r.Model == "unigram" && r.Vocabulary == sizes[^1]);
var enLow = rows.Single(r => r.Language == "English" && r.Model == "unigram" && r.Vocabulary == sizes[0]);
var koLow = rows.Single(r => r.Language == "Korean" && r.Model == "unigram" && r.Vocabulary == sizes[0]);
var shared = joint.Take(3).ToList();
var costliest = shared.MaxBy(j => j.Ratio)!;
var cheapest = shared.MinBy(j => j.Ratio)!;
var englishOnly = joint[^1];
Console.WriteLine();
Console.WriteLine("What it shows:");
Console.WriteLine($"  A {sizes[^1] / sizes[0]}× larger vocabulary cuts pieces per word from {enLow.PiecesPerWord:F2} to {enTop.PiecesPerWord:F2} in English and from {koLow.PiecesPerWord:F2} to {koTop.PiecesPerWord:F2} in Korean (unigram, {sizes[0]:N0} → {sizes[^1]:N0}).");
Console.WriteLine($"  A Korean word (eojeol: a stem with its particles or endings) takes {koTop.PiecesPerWord / enTop.PiecesPerWord:F2}× the pieces of an English word at {sizes[^1]:N0};");
Console.WriteLine($"  but Korean needs fewer words for the same paragraph ({text.HeldOut.Sum(p => Words(p.Korean)) / (double)text.HeldOut.Sum(p => Words(p.English)):F2} Korean words per English word), so compare the same content:");
Console.WriteLine(costliest.Ratio > 1.05
    ? $"  with one shared vocabulary, Korean costs {cheapest.Ratio:F2}–{costliest.Ratio:F2}× the tokens of the English it translates ({cheapest.Tokenizer} cheapest, {costliest.Tokenizer} costliest): a 4,096-token window holds that much less Korean."
    : $"  with one vocabulary learned from both languages, Korean costs no more tokens than the English it translates ({cheapest.Ratio:F2}–{costliest.Ratio:F2}×);");
Console.WriteLine($"  learned from English alone (as GPT-2's mostly was), the same byte-level BPE spends {englishOnly.Ratio:F2}× the tokens on Korean:");
Console.WriteLine($"  a 4,096-token window then holds {englishOnly.KoreanWordsPerWindow:N0} Korean words against {englishOnly.EnglishWordsPerWindow:N0} English ones. The cost of a language is set by the training mix, not by the language.");

string csv = Path.Combine(output, "fertility.csv");
SampleFiles.WriteText(csv, w =>
{
    w.WriteLine("language,model,vocabulary,pieces_per_word,chars_per_piece");
    foreach (var r in rows) w.WriteLine($"{r.Language},{r.Model},{r.Vocabulary},{r.PiecesPerWord:F4},{r.CharsPerPiece:F4}");
});
string png = Path.Combine(output, "fertility.png");
FertilityChart.Write(png, rows, sizes);
Console.WriteLine();
Console.WriteLine($"Wrote {csv} and {png}.");
return 0;

JointRow Joint(string name, Func<string, IReadOnlyList<int>> encode)
{
    long en = text.HeldOut.Sum(p => (long)encode(p.English).Count), ko = text.HeldOut.Sum(p => (long)encode(p.Korean).Count);
    double enWords = text.HeldOut.Sum(p => Words(p.English)), koWords = text.HeldOut.Sum(p => Words(p.Korean));
    return new JointRow(name, en, ko, 4096 * enWords / en, 4096 * koWords / ko);
}

static int Words(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
