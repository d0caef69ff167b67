using Microsoft.Win32.SafeHandles;

namespace LmToLlm.NGrams;

/// <summary>
/// A scratch file that cleans up after itself: created in <c>directory</c> (default: the system's temporary folder) and
/// unlinked at once (deleted on close on Windows), so neither Ctrl+C nor a crash leaves it behind.
/// </summary>
internal static class TemporaryFile
{
    internal static SafeFileHandle Open(string? directory, string prefix)
    {
        directory = string.IsNullOrEmpty(directory) ? Path.GetTempPath() : directory;
        string path = Path.Combine(directory, $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        var options = OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None;
        var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, options);
        if (!OperatingSystem.IsWindows()) File.Delete(path); // the open handle keeps the data; the name is gone at once
        return file;
    }

    /// <summary>Fills <paramref name="bytes"/> from <paramref name="offset"/>; the file must hold them.</summary>
    internal static void ReadExactly(SafeFileHandle file, Span<byte> bytes, long offset)
    {
        while (bytes.Length > 0)
        {
            int read = RandomAccess.Read(file, bytes, offset);
            if (read <= 0) throw new IOException("a temporary file ended early (was the disk full or the file changed?)");
            bytes = bytes[read..];
            offset += read;
        }
    }
}
