using Spectre.Console;

namespace LmToLlm.Cli;

/// <summary>
/// Shows library progress reports of the shape (stage, done, total) as one Spectre progress bar on an interactive
/// terminal, redrawn at once whenever the bar reaches a further whole percent (besides Spectre's timed refresh);
/// silent (no reporter at all) when stderr is redirected or captured, so scripted output stays clean.
/// </summary>
internal static class StageProgressBar
{
    public static TResult Run<TProgress, TResult>(TextWriter stderr, string title, Func<TProgress, (string Stage, long Done, long Total)> read,
        Func<IProgress<TProgress>?, TResult> work)
    {
        if (!Terminal.CanDrawOn(stderr)) return work(null);
        var console = Terminal.LiveConsole(stderr);
        TResult result = default!;
        console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(title, maxValue: 1.0);
                result = work(new Reporter<TProgress>(context, task, read));
                task.Value = 1.0;
            });
        return result;
    }

    private sealed class Reporter<TProgress>(ProgressContext context, ProgressTask task, Func<TProgress, (string Stage, long Done, long Total)> read)
        : IProgress<TProgress>
    {
        private int _percent = -1;

        public void Report(TProgress value)
        {
            var (stage, done, total) = read(value);
            task.Description = stage;
            if (total <= 0)
            {
                task.IsIndeterminate = true; // the count in the description still moves
                return;
            }
            double fraction = Math.Clamp((double)done / total, 0, 1);
            task.Value = fraction;
            int percent = (int)(fraction * 100);
            if (percent == _percent) return;
            _percent = percent;
            context.Refresh();
        }
    }
}
