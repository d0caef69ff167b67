using System.Globalization;

namespace LmToLlm.Cli;

/// <summary>
/// A memory size as <c>lmplz -S</c> reads it: a number and one optional suffix, b, K, M, G or T (powers of 1024) or
/// % (of physical memory); a bare number is KiB, as in lmplz.
/// </summary>
internal static class MemorySize
{
    public static long Parse(string flag, string text)
    {
        string t = text.Trim();
        bool hasSuffix = t.Length > 0 && !char.IsAsciiDigit(t[^1]) && t[^1] != '.';
        char suffix = hasSuffix ? t[^1] : 'K';
        string number = hasSuffix ? t[..^1] : t;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new UsageException($"{flag} must be a size such as 1G, 500M or 80% (got '{text}')");
        double bytes = suffix switch
        {
            'b' => value,
            'k' or 'K' => value * 1024,
            'M' => value * (1L << 20),
            'G' => value * (1L << 30),
            'T' => value * (1L << 40),
            '%' => value / 100 * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            _ => throw new UsageException($"{flag} must end in b, K, M, G, T or % (got '{text}')"),
        };
        return bytes >= long.MaxValue ? long.MaxValue : (long)bytes;
    }

    /// <summary>Bytes as lmplz-style text: 16M, 1G, 1536K.</summary>
    public static string Format(long bytes) =>
        bytes % (1L << 30) == 0 ? $"{bytes >> 30}G" : bytes % (1L << 20) == 0 ? $"{bytes >> 20}M" : bytes % 1024 == 0 ? $"{bytes >> 10}K" : $"{bytes}b";
}
