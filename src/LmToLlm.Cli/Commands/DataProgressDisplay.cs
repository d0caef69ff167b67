using LmToLlm.Data;

namespace LmToLlm.Cli.Commands;

/// <summary>Shows <see cref="StageProgress"/> as a Spectre progress bar on an interactive terminal; silent when stderr is redirected.</summary>
internal static class DataProgressDisplay
{
    public static T Run<T>(TextWriter stderr, string title, Func<IProgress<StageProgress>?, T> work) =>
        StageProgressBar.Run(stderr, title, (StageProgress p) => (p.Stage, p.Done, p.Total), work);
}
