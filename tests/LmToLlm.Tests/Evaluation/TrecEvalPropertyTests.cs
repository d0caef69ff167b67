using FsCheck.Xunit;
using LmToLlm.Evaluation;

namespace LmToLlm.Tests.Evaluation;

/// <summary>What must not change the evaluation: the order of the run's lines (trec_eval ranks by score and docno).</summary>
public sealed class TrecEvalPropertyTests
{
    [Property(MaxTest = 200)]
    public bool Line_order_of_the_run_does_not_matter(int seed)
    {
        var random = new Random(seed);
        var judgments = new List<(string, string, int)>();
        var scores = new List<(string, string, double)>();
        for (int q = 0; q < 4; q++)
        {
            for (int d = 0; d < 12; d++)
            {
                if (random.Next(3) == 0) judgments.Add(($"q{q}", $"d{d}", random.Next(-1, 4)));
                if (random.Next(4) != 0) scores.Add(($"q{q}", $"d{d}", random.Next(5) * 0.5)); // many ties
            }
        }
        judgments.Add(("q0", "z", 1)); // at least one judged query
        scores.Add(("q0", "x", 1.0));
        var qrels = Qrels.FromJudgments(judgments);
        string expected = TrecEval.Evaluate(qrels, Run.FromScores("r", scores), MeasureSelection.AllTrec).ToText(perQuery: true);
        var shuffled = scores.OrderBy(_ => random.Next()).ToList();
        string actual = TrecEval.Evaluate(qrels, Run.FromScores("r", shuffled), MeasureSelection.AllTrec).ToText(perQuery: true);
        return expected == actual;
    }
}
