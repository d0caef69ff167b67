using System.Runtime.InteropServices;

namespace LmToLlm;

/// <summary>
/// What an output path names, so <see cref="AtomicFile"/> writes each kind the way users expect: <c>-</c> is standard
/// output; a character device (<c>/dev/null</c>, a terminal), a pipe or FIFO, and anything under <c>/dev</c> or
/// <c>/proc</c> (<c>/dev/stdout</c>) are written in place, never renamed over; a symbolic link is followed and its
/// final target replaced atomically, so the link stays a link; a regular file or a new name is replaced atomically.
/// </summary>
internal static partial class OutputPath
{
    /// <summary>How a path is written.</summary>
    internal enum Kind
    {
        /// <summary>Written under a temporary name beside <see cref="Target.Path"/> and moved into place.</summary>
        Atomic,
        /// <summary>Opened and written in place (a device, pipe, FIFO or socket).</summary>
        Direct,
        /// <summary>An existing folder: not writable as a file.</summary>
        Folder,
    }

    /// <summary>The file to write and how; for a symbolic link <paramref name="Path"/> is its final target.</summary>
    internal readonly record struct Target(Kind Kind, string Path);

    /// <summary>Classifies the absolute path <paramref name="fullPath"/>.</summary>
    internal static Target Resolve(string fullPath)
    {
        if (Directory.Exists(fullPath)) return new(Kind.Folder, fullPath);
        if (OperatingSystem.IsWindows()) return new(Kind.Atomic, fullPath);
        // /dev/stdout → /proc/self/fd/1 → "pipe:[…]" or the shell's log file: the kernel's link, written through as is.
        if (fullPath.StartsWith("/dev/", StringComparison.Ordinal) || fullPath.StartsWith("/proc/", StringComparison.Ordinal))
            return new(Kind.Direct, fullPath);
        if (FileTypeBits(fullPath) is int type && type != RegularFile && type != DirectoryType) return new(Kind.Direct, fullPath);
        string target = fullPath;
        if (new FileInfo(fullPath).LinkTarget is not null)
        {
            target = File.ResolveLinkTarget(fullPath, returnFinalTarget: true)?.FullName ?? fullPath;
            if (Directory.Exists(target)) return new(Kind.Folder, fullPath);
        }
        return new(Kind.Atomic, target);
    }

    // st_mode file-type bits as .NET's System.Native reports them (the same values on every Unix it supports).
    private const int TypeMask = 0xF000, RegularFile = 0x8000, DirectoryType = 0x4000;

    /// <summary>The file-type bits of what <paramref name="path"/> names after following links; null when it does not exist.</summary>
    private static int? FileTypeBits(string path)
    {
        // System.Native's FileStatus starts with two ints, Flags and Mode; the buffer is larger than the whole struct.
        Span<byte> status = stackalloc byte[512];
        try
        {
            if (Stat(path, ref MemoryMarshal.GetReference(status)) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // without the runtime's native shim, treat the path as a regular file (the old behaviour)
        }
        return BitConverter.ToInt32(status[4..8]) & TypeMask;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref byte status);
}
