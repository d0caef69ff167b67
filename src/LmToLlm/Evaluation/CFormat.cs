using System.Numerics;

namespace LmToLlm.Evaluation;

/// <summary>
/// C <c>printf("%.Nf")</c> formatting: the exact binary value of the double rounded half-to-even to N decimals,
/// as glibc does (so 0.03125 prints as 0.0312, where .NET's "F4" would give 0.0313). Negative values that round
/// to zero keep their sign ("-0.0000"), NaN prints as "nan"/"-nan".
/// </summary>
internal static class CFormat
{
    private static readonly BigInteger[] PowersOfTen = Enumerable.Range(0, 10).Select(i => BigInteger.Pow(10, i)).ToArray();

    /// <summary><c>%W.Nf</c>: <see cref="Fixed(double, int)"/> right-aligned in <paramref name="width"/> characters.</summary>
    internal static string Fixed(double value, int decimals, int width) => Fixed(value, decimals).PadLeft(width);

    /// <summary><c>%.Nf</c> for 0 ≤ N ≤ 9.</summary>
    internal static string Fixed(double value, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 9);
        bool negative = double.IsNegative(value);
        if (double.IsNaN(value)) return negative ? "-nan" : "nan";
        if (double.IsInfinity(value)) return negative ? "-inf" : "inf";

        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent = 1; else mantissa |= 1L << 52;
        exponent -= 1075; // value = mantissa · 2^exponent

        BigInteger scaled = mantissa * PowersOfTen[decimals];
        BigInteger units;
        if (exponent >= 0)
        {
            units = scaled << exponent;
        }
        else
        {
            int shift = -exponent;
            units = scaled >> shift;
            BigInteger remainder = scaled - (units << shift);
            BigInteger half = BigInteger.One << (shift - 1);
            int c = remainder.CompareTo(half);
            if (c > 0 || (c == 0 && !units.IsEven)) units += 1;
        }

        string digits = units.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        string text = decimals == 0 ? digits : digits[..^decimals] + "." + digits[^decimals..];
        return negative ? "-" + text : text;
    }
}
