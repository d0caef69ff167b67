using System.Runtime.InteropServices;

namespace LmToLlm.Primitives;

/// <summary>
/// Asks Linux to back large arrays with 2 MB pages (transparent huge pages in madvise mode) before their first touch.
/// Under a hypervisor a 4 KB page costs microseconds at its first touch, even when the kernel has just read a file
/// into it; an array scanned all over also misses the TLB at most of its 4 KB pages. Advice only: elsewhere, or
/// without libc, the arrays are the same.
/// </summary>
internal static unsafe partial class HugePages
{
    private const long Huge = 2 << 20;

    /// <summary>Advises the whole 2 MB pages inside [start, start + bytes); ranges under two of them are left alone.</summary>
    internal static void Advise(void* start, long bytes)
    {
        if (!OperatingSystem.IsLinux() || bytes < 2 * Huge) return;
        long from = ((long)start + Huge - 1) & ~(Huge - 1), to = ((long)start + bytes) & ~(Huge - 1);
        try
        {
            _ = Madvise((void*)from, (nuint)(to - from), MadviseHugePage);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // no libc to ask: 4 KB pages, the same result
        }
    }

    /// <summary>
    /// The bytes of a file, as <see cref="File.ReadAllBytes"/>, read into an array advised before the read touches it
    /// (the array is not zeroed first: the read fills it).
    /// </summary>
    internal static byte[] ReadFile(string path)
    {
        using var handle = File.OpenHandle(path);
        long length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength) throw new IOException($"{path}: the file is larger than {Array.MaxLength:N0} bytes, the most one array holds");
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        fixed (byte* start = bytes) Advise(start, length);
        int done = 0;
        while (done < bytes.Length)
        {
            int read = RandomAccess.Read(handle, bytes.AsSpan(done), done);
            if (read == 0) return bytes[..done]; // the file shrank while it was read
            done += read;
        }
        return bytes;
    }

    private const int MadviseHugePage = 14; // MADV_HUGEPAGE, linux/mman.h

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
