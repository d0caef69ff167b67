using LmToLlm.Embeddings;
using LmToLlm.Embeddings.GloVe;
using Spectre.Console;

/// <summary><c>--embedding glove</c>: the sample's word vectors from GloVe instead of Word2Vec.</summary>
internal static class GloVeEmbedding
{
    /// <summary>
    /// GloVe on the training text: min-count 5, window 10 (the built-in texts are short lines), x_max 10 (the demo
    /// script's value for small corpora), <paramref name="iterations"/> passes, seed 1.
    /// </summary>
    public static WordVectors Train(string text, int dimensions, int iterations, IAnsiConsole console)
    {
        var options = new GloVeOptions { Dimensions = dimensions, Iterations = iterations, Window = 10, MinCount = 5, XMax = 10, Seed = 1, UnknownVector = false };
        GloVeResult trained = null!;
        console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"GloVe {dimensions}d", maxValue: 100);
                trained = GloVeTrainer.Train(text, options, new Progress<GloVeProgress>(p => { if (p.Phase == GloVePhase.Training) task.Value = Math.Min(100, p.Percent); }));
                task.Value = 100;
            });
        console.MarkupLineInterpolated($"GloVe: {trained.Vectors.Count:N0} words × {dimensions}, {trained.CorpusTokens:N0} tokens, {trained.Cooccurrences:N0} cells, {(trained.CountingTime + trained.TrainingTime).TotalSeconds:0.0} s");
        return trained.Vectors;
    }
}
