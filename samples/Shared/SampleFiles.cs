using System.Text;

namespace LmToLlm.Samples;

/// <summary>How the samples write their outputs (CSV tables, plots, conclusions): UTF-8 without a byte order mark, LF line ends.</summary>
public static class SampleFiles
{
    /// <summary>Creates or replaces <paramref name="path"/> with what <paramref name="write"/> writes to the stream.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var stream = File.Create(path);
        write(stream);
    }

    /// <summary>Creates or replaces <paramref name="path"/> with the text <paramref name="write"/> writes.</summary>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        write(writer);
    }
}
