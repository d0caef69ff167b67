using System.Globalization;

namespace LmToLlm.Cli;

/// <summary>What a memory size without a suffix counts.</summary>
internal enum BareNumber
{
    /// <summary>
    /// KiB, as <c>lmplz -S</c> reads it (<c>ngram train --memory</c>): digits and a decimal point, then one optional
    /// suffix b, K or k, M, G, T (powers of 1024) or % (of physical memory); 0 is a size; a size past 2⁶³ bytes is read as
    /// the largest one.
    /// </summary>
    Kibibytes,

    /// <summary>
    /// Bytes (<c>sa build --memory</c>): a number (sign, exponent and surrounding spaces allowed), then one optional
    /// suffix K, M, G or T in either case (powers of 1024); the size must be above 0 and at most 2⁶² bytes.
    /// </summary>
    Bytes,
}

/// <summary>The memory sizes of the command line: one parser, two readings of a bare number (<see cref="BareNumber"/>).</summary>
internal static class MemorySize
{
    /// <summary>The size <paramref name="text"/> gives to <paramref name="flag"/>, in bytes.</summary>
    /// <exception cref="UsageException">Not a size in this reading; the message names <paramref name="flag"/>.</exception>
    public static long Parse(string flag, string text, BareNumber bare)
    {
        string t = text.Trim();
        char last = t.Length > 0 ? t[^1] : '0';
        bool hasSuffix = !char.IsAsciiDigit(last) && last != '.';
        double? unit = hasSuffix ? Unit(last, bare) : bare == BareNumber.Kibibytes ? 1024 : 1;
        var style = bare == BareNumber.Kibibytes ? NumberStyles.AllowDecimalPoint : NumberStyles.Float;
        if (unit is not { } u || !double.TryParse(hasSuffix ? t[..^1] : t, style, CultureInfo.InvariantCulture, out double value))
            throw Invalid(flag, text, bare);
        double bytes = last == '%' ? value / 100 * u : value * u;
        if (bare == BareNumber.Kibibytes)
        {
            if (!double.IsFinite(value)) throw Invalid(flag, text, bare);
            return bytes >= long.MaxValue ? long.MaxValue : (long)bytes;
        }
        if (!(value > 0) || bytes > long.MaxValue / 2) throw Invalid(flag, text, bare);
        return (long)bytes;
    }

    /// <summary>The bytes of one unit of <paramref name="suffix"/> (of % the whole physical memory), or null when this reading has no such suffix.</summary>
    private static double? Unit(char suffix, BareNumber bare) => (suffix, bare) switch
    {
        ('K' or 'k', _) => 1L << 10,
        ('M', _) or ('m', BareNumber.Bytes) => 1L << 20,
        ('G', _) or ('g', BareNumber.Bytes) => 1L << 30,
        ('T', _) or ('t', BareNumber.Bytes) => 1L << 40,
        ('b', BareNumber.Kibibytes) => 1,
        ('%', BareNumber.Kibibytes) => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        _ => null,
    };

    private static UsageException Invalid(string flag, string text, BareNumber bare) => new(bare == BareNumber.Kibibytes
        ? $"{flag} '{text}': give a size such as 1G, 500M or 80% (of physical memory); a bare number is KiB, as in lmplz"
        : $"{flag} '{text}': give a size above 0 such as 2G, 500M or 64K; a bare number is bytes");

    /// <summary>Bytes as lmplz-style text: 16M, 1G, 1536K.</summary>
    public static string Format(long bytes) =>
        bytes % (1L << 30) == 0 ? $"{bytes >> 30}G" : bytes % (1L << 20) == 0 ? $"{bytes >> 20}M" : bytes % 1024 == 0 ? $"{bytes >> 10}K" : $"{bytes}b";
}
