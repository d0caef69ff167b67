namespace LmToLlm;

/// <summary>
/// Writes a file under a temporary name beside the target and moves it into place only when the writer
/// finished, so a crash or an exception never leaves half a file behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>Creates <paramref name="path"/> by running <paramref name="write"/> on a temporary stream.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: false);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>
    /// Creates the UTF-8 text file <paramref name="path"/> (no BOM, LF line ends) atomically; gzip-compressed when the
    /// name ends in <c>.gz</c>, mirroring <c>TextLines.OpenRead</c>.
    /// </summary>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteMaybeCompressed(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        });
    }

    /// <summary>Like <see cref="Write"/>, with the bytes gzip-compressed when the name ends in <c>.gz</c>.</summary>
    internal static void WriteMaybeCompressed(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            Write(path, write);
            return;
        }
        Write(path, stream =>
        {
            using var compressor = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true);
            write(compressor);
        }); // disposing the compressor before the move writes the gzip trailer
    }
}
