using System.Globalization;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// Shows a model being built (<c>lsa: building 40%</c>): a moving bar on a terminal, a plain line at the start and at
/// every further tenth when stderr is redirected.
/// </summary>
internal static class ModelBuildDisplay
{
    public static T Run<T>(TextWriter stderr, string model, Func<IProgress<double>?, T> work)
    {
        string title = $"{model}: building";
        if (Terminal.CanDrawOn(stderr))
            return StageProgressBar.Run(stderr, title, (double f) => (title, (long)(f * 1000), 1000L), work);
        stderr.WriteLine(title);
        int shown = 0;
        return work(new SyncProgress<double>(f =>
        {
            int tenth = (int)(Math.Clamp(f, 0, 1) * 10);
            if (tenth <= shown) return;
            shown = tenth;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title} {tenth * 10}%"));
        }));
    }
}
