using LmToLlm.Data;

namespace LmToLlm.Cli.Commands;

/// <summary>Shows <see cref="DataProgress"/> as a Spectre progress bar on an interactive terminal; silent when stderr is redirected.</summary>
internal static class DataProgressDisplay
{
    public static T Run<T>(TextWriter stderr, string title, Func<IProgress<DataProgress>?, T> work) =>
        StageProgressBar.Run(stderr, title, (DataProgress p) => (p.Stage, p.Done, p.Total), work);
}
