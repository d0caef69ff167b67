namespace LmToLlm;

/// <summary>
/// Writes a file under a temporary name beside the target and moves it into place only when the writer
/// finished, so a crash, an exception or a cancellation never leaves half a file behind: the target holds the
/// previous complete file or does not exist. The temporary file is named <c>.NAME.GUID.tmp</c> in the target's
/// folder; it is deleted on an exception or a cancellation, and only a killed process (SIGKILL, power loss) can leave
/// one behind. Only regular files are replaced so: <c>-</c> means standard output, a device, pipe or FIFO is written in
/// place, and a symbolic link is followed and its target replaced (the link stays); see <see cref="OutputPath"/>.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Test hook: called with the bytes written so far each time a writer hands bytes to the file.</summary>
    internal static readonly AsyncLocal<Action<long>?> WriteObserver = new();

    /// <summary>Where <c>-</c> writes: the command line's standard output (a host such as the CLI may redirect it).</summary>
    internal static readonly AsyncLocal<Func<Stream>?> StandardOutput = new();

    /// <summary>Creates <paramref name="path"/> by running <paramref name="write"/> on a temporary stream.</summary>
    internal static void Write(string path, Action<Stream> write) => Write(path, write, CancellationToken.None);

    /// <summary>
    /// Creates <paramref name="path"/> by running <paramref name="write"/> on a temporary stream that throws
    /// <see cref="OperationCanceledException"/> at its next write once <paramref name="cancellationToken"/> is cancelled;
    /// the temporary file is then deleted and <paramref name="path"/> is left as it was.
    /// </summary>
    internal static void Write(string path, Action<Stream> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        cancellationToken.ThrowIfCancellationRequested();
        if (IsStandardOutput(path))
        {
            WriteInPlace(StandardOutput.Value?.Invoke() ?? Console.OpenStandardOutput(), write, cancellationToken);
            return;
        }
        var target = OutputPath.Resolve(Path.GetFullPath(path));
        if (target.Kind == OutputPath.Kind.Folder) throw new IOException($"{path}: is a folder; give a file name");
        if (target.Kind == OutputPath.Kind.Direct)
        {
            WriteInPlace(new FileStream(target.Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1 << 16), write, cancellationToken);
            return;
        }
        string full = target.Path;
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        string temp = TemporaryName(full);
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using (var guarded = new CancellableWriteStream(file, cancellationToken, WriteObserver.Value)) write(guarded);
                cancellationToken.ThrowIfCancellationRequested();
                file.Flush(flushToDisk: false);
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
    /// True for <c>-</c> and the names of this process's standard output (<c>/dev/stdout</c>): written through the one
    /// standard output stream, so they share its position with what the program prints.
    /// </summary>
    internal static bool IsStandardOutput(string path) => path is "-" or "/dev/stdout" or "/dev/fd/1" or "/proc/self/fd/1";

    /// <summary>Writes to a stream that cannot be replaced (standard output, a device, a pipe): what was written stays written.</summary>
    private static void WriteInPlace(Stream stream, Action<Stream> write, CancellationToken cancellationToken)
    {
        using (stream)
        {
            using (var guarded = new CancellableWriteStream(stream, cancellationToken, WriteObserver.Value)) write(guarded);
            stream.Flush();
        }
    }

    /// <summary>The temporary file beside <paramref name="fullPath"/>: <c>.NAME.GUID.tmp</c>.</summary>
    internal static string TemporaryName(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath) ?? ".", $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Creates the UTF-8 text file <paramref name="path"/> (no BOM, LF line ends) atomically; gzip-compressed when the
    /// name ends in <c>.gz</c>, mirroring <c>TextLines.OpenRead</c>.
    /// </summary>
    internal static void WriteText(string path, Action<TextWriter> write) => WriteText(path, write, CancellationToken.None);

    /// <summary>Like <see cref="WriteText(string, Action{TextWriter})"/>, cancellable as <see cref="Write(string, Action{Stream}, CancellationToken)"/>.</summary>
    internal static void WriteText(string path, Action<TextWriter> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteMaybeCompressed(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        }, cancellationToken);
    }

    /// <summary>Like <see cref="Write(string, Action{Stream}, CancellationToken)"/>, with the bytes gzip-compressed when the name ends in <c>.gz</c>.</summary>
    internal static void WriteMaybeCompressed(string path, Action<Stream> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            Write(path, write, cancellationToken);
            return;
        }
        Write(path, stream =>
        {
            using var compressor = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true);
            write(compressor);
        }, cancellationToken); // disposing the compressor before the move writes the gzip trailer
    }

    /// <summary>Forwards writes, first checking the token (so a cancelled writer stops at its next buffer flush).</summary>
    private sealed class CancellableWriteStream(Stream inner, CancellationToken cancellationToken, Action<long>? observer) : Primitives.WriteOnlyStream
    {
        private long _written;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            cancellationToken.ThrowIfCancellationRequested();
            inner.Write(buffer);
            _written += buffer.Length;
            observer?.Invoke(_written);
        }

        public override void Flush() => inner.Flush();
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }
    }
}
