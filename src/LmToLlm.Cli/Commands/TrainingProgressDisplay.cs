using LmToLlm.Embeddings;
using LmToLlm.Embeddings.FastText;
using Spectre.Console;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// Progress of a Word2Vec-style training (a vocabulary pass, then epochs): a Spectre bar on a terminal, one stderr
/// line per 10 % when the output is redirected (logs stay short and diffable).
/// </summary>
internal static class TrainingProgressDisplay
{
    /// <summary>True when <paramref name="stdout"/> is a terminal that can draw a live bar.</summary>
    public static bool Interactive(TextWriter stdout) =>
        ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && !Terminal.NoColor && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="train"/> with the display that suits <paramref name="stdout"/>; <paramref name="rateName"/> names the learning rate (word2vec.c: alpha, fastText: lr).</summary>
    public static T Run<T>(TextWriter stdout, TextWriter stderr, int epochs, string rateName, Func<IProgress<Word2VecProgress>, T> train) =>
        Interactive(stdout) ? WithBar(epochs, rateName, train) : Plain(stderr, rateName, train);

    /// <summary>The same display for fastText training (its learning rate is <c>lr</c>).</summary>
    public static T Run<T>(TextWriter stdout, TextWriter stderr, int epochs, Func<IProgress<FastTextProgress>, T> train) =>
        Run(stdout, stderr, epochs, "lr", progress => train(new SyncProgress<FastTextProgress>(p => progress.Report(new Word2VecProgress(
            p.Training ? Word2VecPhase.Training : Word2VecPhase.Vocabulary, p.TokensProcessed, p.TotalTokens, p.TokensPerSecond, p.LearningRate, p.Epoch)))));

    private static T WithBar<T>(int epochs, string rateName, Func<IProgress<Word2VecProgress>, T> train)
    {
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("counting words", maxValue: 100);
                var progress = new SyncProgress<Word2VecProgress>(p =>
                {
                    task.Description = p.Phase == Word2VecPhase.Vocabulary
                        ? $"counting words: {p.WordsProcessed:N0}"
                        : $"epoch {Math.Min(p.Epoch + 1, epochs)}/{epochs}  {p.WordsPerSecond / 1000:N0}k words/s  {rateName} {p.Alpha:F6}";
                    task.Value = p.Percent;
                });
                result = train(progress);
                task.Value = 100;
            });
        return result;
    }

    private static T Plain<T>(TextWriter stderr, string rateName, Func<IProgress<Word2VecProgress>, T> train)
    {
        double nextPercent = 0;
        var progress = new SyncProgress<Word2VecProgress>(p =>
        {
            if (p.Phase != Word2VecPhase.Training || p.Percent < nextPercent) return;
            nextPercent = Math.Floor(p.Percent / 10) * 10 + 10;
            lock (stderr) stderr.WriteLine($"progress {p.Percent,5:F1}%  {p.WordsProcessed:N0} words  {p.WordsPerSecond:N0} words/s  {rateName} {p.Alpha:F6}");
        });
        return train(progress);
    }
}
