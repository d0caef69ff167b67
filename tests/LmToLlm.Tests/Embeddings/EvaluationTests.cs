using LmToLlm.Embeddings;

namespace LmToLlm.Tests.Embeddings;

/// <summary>Analogy accuracy and word-similarity Spearman on tables small enough to check with a pencil.</summary>
public sealed class EvaluationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-w2v-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Unit vectors: man x, woman y, king (0.6, 0, 0.8), queen (0, 0.6, 0.8), apple −z; zebra −x comes last (row 6).</summary>
    internal static WordVectors Royals() => WordVectors.Create(
        ["</s>", "man", "woman", "king", "queen", "apple", "zebra"],
        [0, 0, 0, 1, 0, 0, 0, 1, 0, 0.6f, 0, 0.8f, 0, 0.6f, 0.8f, 0, 0, -1, -1, 0, 0]);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Questions() => Write("q.txt", """
        : s1
        man king woman queen
        king queen man apple
        man king woman princess
        : s2
        MAN WOMAN KING QUEEN
        : s3
        : s4
        : s5
        man zebra woman king
        : s6
        woman queen man king

        """);

    [Fact]
    public void Analogy_accuracy_follows_compute_accuracy()
    {
        // king − man + woman = (−0.4, 1, 0.8): queen 1.24 ✓. queen − king + man = (0.4, 0.6, 0): woman 0.6 beats apple ✗.
        // princess is unknown: skipped. zebra lies beyond the first 6 rows: skipped. queen − woman + man → king ✓ (section 6: syntactic).
        var report = AnalogyEvaluation.Evaluate(Royals(), Questions(), restrict: 6);
        Assert.Equal([(1, 2, 3), (1, 1, 1), (0, 0, 0), (0, 0, 0), (0, 0, 1), (1, 1, 1)], report.Sections.Select(s => (s.Correct, s.Seen, s.Total)));
        Assert.Equal([true, true, true, true, true, false], report.Sections.Select(s => s.Semantic));
        Assert.Equal((2, 3), (report.SemanticCorrect, report.SemanticSeen));
        Assert.Equal((1, 1), (report.SyntacticCorrect, report.SyntacticSeen));
        Assert.Equal(75.0, report.TotalAccuracy, 9);
        Assert.Equal((4, 6), (report.QuestionsSeen, report.QuestionsTotal));
    }

    [Fact]
    public void Without_restriction_every_row_is_used_and_the_best_dot_must_be_positive()
    {
        // zebra − man + woman = (−2, 1, 0): queen 0.6 is the best (not king) ✗; </s> is zero and never wins.
        var report = AnalogyEvaluation.Evaluate(Royals(), Questions(), restrict: 0);
        Assert.Equal((0, 1), (report.Sections[4].Correct, report.Sections[4].Seen));
        Assert.Equal((3, 5), (report.Correct, report.QuestionsSeen));
    }

    [Fact]
    public void Vector_api_answers_analogies_with_both_methods_and_excludes_the_inputs()
    {
        var v = Royals();
        Assert.Equal("queen", v.Analogy("man", "king", "woman")[0].Word);
        // 3CosMul: zebra is opposite to man, s(zebra, man) = 0, so it wins with 0.2·0.5/0.001 = 100 (the ε at work).
        Assert.Equal(("zebra", 100f), v.Analogy("man", "king", "woman", method: AnalogyMethod.CosMul).Select(s => (s.Word, MathF.Round(s.Score, 3))).First());
        // Without zebra: queen, s(q,king)=(0.64+1)/2=0.82, s(q,woman)=(0.6+1)/2=0.8, s(q,man)=0.5 → 0.82·0.8/0.501.
        var cosMul = v.RestrictToFirst(6).Analogy("man", "king", "woman", method: AnalogyMethod.CosMul)[0];
        Assert.Equal("queen", cosMul.Word);
        Assert.Equal(0.82f * 0.8f / 0.501f, cosMul.Score, 5);
        Assert.Equal("zebra", v.DoesNotMatch(["man", "woman", "king", "queen", "zebra"]));
        var near = v.MostSimilar("king", 2);
        Assert.Equal(["queen", "man"], near.Select(s => s.Word));
        Assert.Equal(0.64f, near[0].Score, 6);
        Assert.Equal(0.6f, v.Similarity("king", "man"), 6);
        Assert.Equal(5, v.RestrictToFirst(5).Count);
        Assert.False(v.TryGetIndex("princess", out _));
        Assert.Throws<KeyNotFoundException>(() => v.MostSimilar("princess"));
    }

    [Fact]
    public void Spearman_is_one_for_the_same_order_and_counts_unknown_pairs()
    {
        // cos(a,b) = 0.866, cos(a,c) = 0.5, cos(a,d) = 0 (a at 0°, b 30°, c 60°, d 90°).
        var v = Angles();
        var r = WordSimilarityEvaluation.Evaluate(v, Write("s.txt", "a b 3\nA C 2\n# comment\na d 1\na zzz 5\n"));
        Assert.Equal(1.0, r.Spearman, 12);
        Assert.Equal((3, 1, 4), (r.PairsUsed, r.PairsOutOfVocabulary, r.Pairs));
    }

    [Fact]
    public void Spearman_of_a_shuffled_order_matches_the_pencil_formula()
    {
        // Cosine ranks 3, 2, 1; human ranks 1, 3, 2: Σd² = 4 + 1 + 1 = 6, ρ = 1 − 6·6/(3·(9 − 1)) = −0.5.
        var r = WordSimilarityEvaluation.Evaluate(Angles(), Write("s.txt", "a b 1\na c 3\na d 2\n"));
        Assert.Equal(-0.5, r.Spearman, 12);
    }

    [Fact]
    public void Ties_get_their_average_rank()
    {
        // Cosines 0.866, 0.866 (tie: ranks 2.5, 2.5), 0.5 → ranks [2.5, 2.5, 1]... with human 3, 2, 1:
        // Pearson of (2.5, 2.5, 1) and (3, 2, 1) = 0.8660254.
        var r = WordSimilarityEvaluation.Evaluate(Angles(), Write("t.txt", "a b 3\nb c 2\na c 1\n"));
        Assert.Equal(Math.Sqrt(3) / 2, r.Spearman, 6);
    }

    [Fact]
    public void Malformed_evaluation_files_name_the_line()
    {
        var q = Assert.Throws<LmToLlmFormatException>(() => AnalogyEvaluation.Evaluate(Royals(), Write("bad.txt", ": s\nman king woman\n")));
        Assert.Equal(2, q.LineNumber);
        var first = Assert.Throws<LmToLlmFormatException>(() => AnalogyEvaluation.Evaluate(Royals(), Write("nosection.txt", "man king woman queen\n")));
        Assert.Contains("before the first", first.Message);
        var s = Assert.Throws<LmToLlmFormatException>(() => WordSimilarityEvaluation.Evaluate(Royals(), Write("bad.sim", "man king 3\nman queen high\n")));
        Assert.Equal(2, s.LineNumber);
    }

    private static WordVectors Angles()
    {
        static float[] At(double degrees) => [(float)Math.Cos(degrees * Math.PI / 180), (float)Math.Sin(degrees * Math.PI / 180)];
        return WordVectors.Create(["a", "b", "c", "d"], [.. At(0), .. At(30), .. At(60), .. At(90)]);
    }
}
