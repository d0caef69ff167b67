using System.Globalization;
using System.Text;
using FsCheck.Xunit;
using LmToLlm.Text;

namespace LmToLlm.Tests.Text;

/// <summary>The span-based, buffer-reusing analyzers equal naive string-building definitions on random mixed-script text.</summary>
public sealed class AnalyzerPropertyTests
{
    // Pieces chosen to hit every branch: ASCII, digits, separators, U+0130, Hangul syllables, jamo, combining marks,
    // emoji and Deseret surrogate pairs, and lone high/low surrogates.
    private static readonly string[] Pieces =
    [
        "a", "Z", "7", " ", "-", ".", "\u0130", "ı", "학", "교", "에", "서", "ᄒ", "\u0301", "😀", "𐐀", "𝐀", "\uD800", "\uDC00",
        "é", "Σ", "٣", "½", "\t", "<", ">", "Mach", "flows", "relational",
    ];

    private static string Text(int[] picks)
    {
        var text = new StringBuilder();
        foreach (int p in picks) text.Append(Pieces[(int)((uint)p % Pieces.Length)]);
        return text.ToString();
    }

    /// <summary>The README's definition, written the slow obvious way.</summary>
    private static List<string> NaiveSimple(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        for (int i = 0; i < text.Length;)
        {
            bool isLetter = false;
            string lowered = "";
            int width = 1;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                width = 2;
                var rune = new Rune(text[i], text[i + 1]);
                isLetter = SimpleAnalyzer.IsTokenCategory(Rune.GetUnicodeCategory(rune));
                lowered = Rune.ToLowerInvariant(rune).ToString();
            }
            else if (!char.IsSurrogate(text[i]))
            {
                var rune = new Rune(text[i]);
                isLetter = SimpleAnalyzer.IsTokenCategory(CharUnicodeInfo.GetUnicodeCategory(text[i]));
                lowered = text[i] == '\u0130' ? "i" : Rune.ToLowerInvariant(rune).ToString();
            }
            if (isLetter) current.Append(lowered);
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
            i += width;
        }
        if (current.Length > 0) tokens.Add(current.ToString());
        return tokens;
    }

    [Property(MaxTest = 300)]
    public bool Simple_equals_the_naive_definition(int[] picks)
    {
        string text = Text(picks);
        return Analyzer.Simple.Tokenize(text).SequenceEqual(NaiveSimple(text));
    }

    [Property(MaxTest = 50)]
    public bool Long_texts_on_the_pooled_buffer_equal_the_naive_definition(int[] picks)
    {
        string text = string.Concat(Enumerable.Repeat(Text(picks) + " ", 40)); // usually > 512 chars
        return Analyzer.Simple.Tokenize(text).SequenceEqual(NaiveSimple(text));
    }

    [Property(MaxTest = 300)]
    public bool English_is_simple_minus_stop_words_then_porter(int[] picks)
    {
        string text = Text(picks);
        var expected = NaiveSimple(text).Where(t => !EnglishAnalyzer.StopWords.Contains(t)).Select(PorterStemmer.Stem);
        return Analyzer.English.Tokenize(text).SequenceEqual(expected);
    }

    [Property(MaxTest = 300)]
    public bool Korean_bigrams_only_equals_the_segment_definition(int[] picks)
    {
        string text = Text(picks);
        var expected = new List<string>();
        foreach (string token in NaiveSimple(text))
        {
            foreach (string segment in Segments(token))
            {
                if (KoreanAnalyzer.IsHangulSyllable(segment[0]) && segment.Length >= 2)
                    for (int i = 0; i + 2 <= segment.Length; i++) expected.Add(segment.Substring(i, 2));
                else expected.Add(segment);
            }
        }
        return Analyzer.FromName("korean-bigrams").Tokenize(text).SequenceEqual(expected);
    }

    [Property(MaxTest = 300)]
    public bool Korean_is_each_token_then_its_run_bigrams(int[] picks)
    {
        string text = Text(picks);
        var expected = new List<string>();
        foreach (string token in NaiveSimple(text))
        {
            expected.Add(token);
            foreach (string segment in Segments(token))
            {
                if (!KoreanAnalyzer.IsHangulSyllable(segment[0]) || segment.Length < 2 || segment == token && token.Length == 2) continue;
                for (int i = 0; i + 2 <= segment.Length; i++) expected.Add(segment.Substring(i, 2));
            }
        }
        return Analyzer.Korean.Tokenize(text).SequenceEqual(expected);
    }

    [Property(MaxTest = 300)]
    public bool Char_ngrams_equal_the_code_point_definition(int[] picks, byte low, byte span, bool wrap)
    {
        int min = 1 + low % 5, max = min + span % 4;
        string text = Text(picks);
        var expected = new List<string>();
        foreach (string token in NaiveSimple(text))
        {
            string w = wrap ? "<" + token + ">" : token;
            var points = new List<string>();
            for (int i = 0; i < w.Length; i += char.IsSurrogatePair(w, i) ? 2 : 1) points.Add(char.IsSurrogatePair(w, i) ? w.Substring(i, 2) : w[i].ToString());
            if (points.Count < min)
            {
                expected.Add(w);
                continue;
            }
            for (int s = 0; s < points.Count; s++)
                for (int n = min; n <= max && s + n <= points.Count; n++)
                {
                    if (n == 1 && wrap && (s == 0 || s == points.Count - 1)) continue;
                    expected.Add(string.Concat(points.Skip(s).Take(n)));
                }
        }
        string name = (wrap ? "char:" : "char-nowrap:") + $"{min}-{max}";
        return Analyzer.FromName(name).Tokenize(text).SequenceEqual(expected);
    }

    [Property(MaxTest = 100)]
    public bool Vocabulary_save_load_round_trips(int[] picks)
    {
        var vocabulary = new Vocabulary();
        Analyzer.Simple.Analyze(Text(picks), vocabulary);
        vocabulary.GetOrAdd("with\ttab\\and\nnewline");
        using var dir = new TempDir();
        string path = dir.File("v.vocab");
        vocabulary.Save(path);
        var loaded = Vocabulary.Load(path);
        return loaded.Tokens.SequenceEqual(vocabulary.Tokens) && loaded.Counts.SequenceEqual(vocabulary.Counts);
    }

    private static IEnumerable<string> Segments(string token)
    {
        int i = 0;
        while (i < token.Length)
        {
            int start = i;
            bool hangul = KoreanAnalyzer.IsHangulSyllable(token[i]);
            while (i < token.Length && KoreanAnalyzer.IsHangulSyllable(token[i]) == hangul) i++;
            yield return token[start..i];
        }
    }
}
