using LmToLlm.Data;

namespace LmToLlm.Cli.Commands;

/// <summary>Shows <see cref="DataProgress"/> as a Spectre progress bar on an interactive terminal; silent when stderr is redirected.</summary>
internal static class DataProgressDisplay
{
    public static T Run<T>(TextWriter stderr, string title, Func<IProgress<DataProgress>?, T> work) =>
        StageProgressBar.Run(stderr, title, (DataProgress p) => (p.Stage, p.Done, p.Total), work);

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
}
