using LmToLlm.Data;
using Spectre.Console;

namespace LmToLlm.Cli.Commands;

/// <summary>Shows <see cref="DataProgress"/> as a Spectre progress bar on an interactive terminal; silent when stderr is redirected.</summary>
internal static class DataProgressDisplay
{
    public static T Run<T>(TextWriter stderr, string title, Func<IProgress<DataProgress>?, T> work)
    {
        if (!ReferenceEquals(stderr, Console.Error) || Console.IsErrorRedirected) return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(title, maxValue: 1.0);
                result = work(new Reporter(task));
                task.Value = 1.0;
            });
        return result;
    }

    /// <summary>Documents in a plain file (its line count, or non-blank lines of JSON lines); 0 for gzip (not worth a pass).</summary>
    public static long CountDocuments(string path)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || !File.Exists(path)) return 0;
        long lines = 0;
        var buffer = new byte[1 << 16];
        using var stream = File.OpenRead(path);
        int read;
        bool pending = false;
        while ((read = stream.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            pending = buffer[read - 1] != '\n';
        }
        return lines + (pending ? 1 : 0);
    }

    private sealed class Reporter(ProgressTask task) : IProgress<DataProgress>
    {
        public void Report(DataProgress value)
        {
            task.Description = value.Stage;
            if (value.Total > 0) task.Value = Math.Min(1.0, (double)value.Done / value.Total);
        }
    }
}
