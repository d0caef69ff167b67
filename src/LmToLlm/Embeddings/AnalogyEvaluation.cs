using System.Numerics.Tensors;
using LmToLlm.Corpora;

namespace LmToLlm.Embeddings;

/// <summary>
/// Analogy accuracy exactly as word2vec.c's <c>compute-accuracy</c> computes it. Input: vectors (file order, most
/// frequent first) and a <c>questions-words.txt</c> file (<c>: section</c> lines, then <c>a b c d</c> lines).
/// Output: correct / seen / total per section, semantic (the first five sections), syntactic (the rest) and overall.
/// </summary>
/// <remarks>
/// Only the first <c>restrict</c> vectors are used (<c>compute-accuracy FILE 30000</c>); words are compared upper-cased
/// (ASCII); vectors are unit-normalised. A question is <em>seen</em> when its four words are all among those vectors,
/// otherwise skipped (and counted in <see cref="AnalogyReport.QuestionsTotal"/>). The answer is the word maximising
/// <c>(b − a + c)·w</c> over the vectors other than a, b and c; it counts only if that dot product is positive.
/// </remarks>
public static class AnalogyEvaluation
{
    /// <summary>The frequency restriction word2vec.c's demo scripts use.</summary>
    internal const int DefaultRestriction = 30_000;

    /// <summary>Evaluates <paramref name="vectors"/> on the questions in <paramref name="questionsPath"/>; <paramref name="restrict"/> 0 uses every vector.</summary>
    public static AnalogyReport Evaluate(WordVectors vectors, string questionsPath, int restrict = DefaultRestriction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(questionsPath);
        ArgumentOutOfRangeException.ThrowIfNegative(restrict);
        var questions = ReadQuestions(questionsPath);
        WordVectors used = restrict > 0 ? vectors.RestrictToFirst(restrict) : vectors;
        int dim = used.Dimensions, n = used.Count;
        var index = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (int i = 0; i < n; i++) index.TryAdd(Upper(used.Word(i)), i);
        // compute-accuracy divides by the length in float; a zero row becomes NaN there and never wins; here it stays 0.
        var unit = used.Normalized().Matrix.ToArray();

        var seen = new int[questions.Sections.Count];
        var correct = new int[questions.Sections.Count];
        var found = new (int A, int B, int C, int D, int Section)[questions.Items.Count];
        int count = 0;
        foreach (var q in questions.Items)
        {
            if (index.TryGetValue(q.A, out int a) && index.TryGetValue(q.B, out int b) && index.TryGetValue(q.C, out int c) && index.TryGetValue(q.D, out int d))
                found[count++] = (a, b, c, d, q.Section);
        }
        var answers = new int[count];
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, () => new float[dim], (i, _, target) =>
        {
            var (a, b, c, _, _) = found[i];
            ReadOnlySpan<float> all = unit;
            TensorPrimitives.Subtract(all.Slice(b * dim, dim), all.Slice(a * dim, dim), target);
            TensorPrimitives.Add(target, all.Slice(c * dim, dim), target);
            int best = -1;
            float bestScore = 0;
            for (int row = 0; row < n; row++)
            {
                if (row == a || row == b || row == c) continue;
                float score = TensorPrimitives.Dot(target, all.Slice(row * dim, dim));
                if (score > bestScore) (best, bestScore) = (row, score);
            }
            answers[i] = best;
            return target;
        }, _ => { });
        for (int i = 0; i < count; i++)
        {
            int section = found[i].Section;
            seen[section]++;
            // compute-accuracy compares the upper-cased strings, not the rows.
            if (answers[i] >= 0 && Upper(used.Word(answers[i])) == Upper(used.Word(found[i].D))) correct[section]++;
        }
        var sections = new List<AnalogySection>();
        for (int s = 0; s < questions.Sections.Count; s++)
            sections.Add(new AnalogySection(questions.Sections[s], s < 5, correct[s], seen[s], questions.PerSection[s]));
        return new AnalogyReport(sections, restrict);
    }

    /// <summary>ASCII upper case, as C <c>toupper</c> in the "C" locale.</summary>
    private static string Upper(string word)
    {
        foreach (char ch in word)
        {
            if (ch is >= 'a' and <= 'z') return string.Create(word.Length, word, static (span, w) =>
            {
                for (int i = 0; i < w.Length; i++) span[i] = w[i] is >= 'a' and <= 'z' ? (char)(w[i] - 32) : w[i];
            });
        }
        return word;
    }

    private sealed record Question(string A, string B, string C, string D, int Section);

    private sealed record QuestionSet(List<string> Sections, List<int> PerSection, List<Question> Items);

    private static QuestionSet ReadQuestions(string path)
    {
        var sections = new List<string>();
        var perSection = new List<int>();
        var items = new List<Question>();
        long last = 0;
        foreach (var (number, text) in TextLines.Read(path))
        {
            last = number;
            string[] parts = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            if (parts[0] == ":")
            {
                if (parts.Length != 2) ThrowHelper.Format(path, number, "a section line is ': name' (one word after the colon)");
                sections.Add(parts[1]);
                perSection.Add(0);
                continue;
            }
            if (parts.Length != 4) ThrowHelper.Format(path, number, $"{parts.Length} words; an analogy question is four words 'a b c d' (a is to b as c is to d)");
            if (sections.Count == 0) ThrowHelper.Format(path, number, "a question before the first ': section' line; start the file with a section name");
            items.Add(new Question(Upper(parts[0]), Upper(parts[1]), Upper(parts[2]), Upper(parts[3]), sections.Count - 1));
            perSection[^1]++;
        }
        if (items.Count == 0) ThrowHelper.Format(path, Math.Max(1, last), "no questions; expected ': section' lines followed by 'a b c d' lines");
        return new QuestionSet(sections, perSection, items);
    }
}

/// <summary>Analogy results of one section of the question file.</summary>
internal sealed record AnalogySection
{
    internal AnalogySection(string Name, bool Semantic, int Correct, int Seen, int Total)
    {
        this.Name = Name; this.Semantic = Semantic; this.Correct = Correct; this.Seen = Seen; this.Total = Total;
    }

    /// <summary>Section name (after the colon).</summary>
    public string Name { get; }

    /// <summary>True for the first five sections (word2vec.c's split into semantic and syntactic).</summary>
    public bool Semantic { get; }

    /// <summary>Questions answered correctly.</summary>
    public int Correct { get; }

    /// <summary>Questions whose four words are among the vectors used.</summary>
    public int Seen { get; }

    /// <summary>Questions in the section.</summary>
    public int Total { get; }

    /// <summary>Correct / seen in percent (0 when nothing was seen).</summary>
    public double Accuracy => Seen == 0 ? 0 : 100.0 * Correct / Seen;
}

/// <summary>The outcome of <see cref="AnalogyEvaluation.Evaluate"/>.</summary>
public sealed record AnalogyReport
{
    internal AnalogyReport(IReadOnlyList<AnalogySection> Sections, int Restriction)
    {
        this.Sections = Sections; this.Restriction = Restriction;
    }

    /// <summary>Per-section results in file order.</summary>
    internal IReadOnlyList<AnalogySection> Sections { get; }

    /// <summary>How many of the first vectors were used (0 = all).</summary>
    internal int Restriction { get; }

    /// <summary>Correct answers in the semantic sections.</summary>
    internal int SemanticCorrect => Sections.Where(s => s.Semantic).Sum(s => s.Correct);

    /// <summary>Seen questions in the semantic sections.</summary>
    internal int SemanticSeen => Sections.Where(s => s.Semantic).Sum(s => s.Seen);

    /// <summary>Correct answers in the syntactic sections.</summary>
    internal int SyntacticCorrect => Sections.Where(s => !s.Semantic).Sum(s => s.Correct);

    /// <summary>Seen questions in the syntactic sections.</summary>
    internal int SyntacticSeen => Sections.Where(s => !s.Semantic).Sum(s => s.Seen);

    /// <summary>All correct answers.</summary>
    internal int Correct => SemanticCorrect + SyntacticCorrect;

    /// <summary>All seen questions.</summary>
    public int QuestionsSeen => SemanticSeen + SyntacticSeen;

    /// <summary>All questions in the file.</summary>
    internal int QuestionsTotal => Sections.Sum(s => s.Total);

    /// <summary>Semantic accuracy in percent.</summary>
    public double SemanticAccuracy => Percent(SemanticCorrect, SemanticSeen);

    /// <summary>Syntactic accuracy in percent.</summary>
    public double SyntacticAccuracy => Percent(SyntacticCorrect, SyntacticSeen);

    /// <summary>Total accuracy (correct / seen) in percent.</summary>
    public double TotalAccuracy => Percent(Correct, QuestionsSeen);

    private static double Percent(int correct, int seen) => seen == 0 ? 0 : 100.0 * correct / seen;
}
