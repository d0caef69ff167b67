using System.Globalization;

namespace LmToLlm.NGrams;

/// <summary>
/// Shortest round-trip decimal text of a float32, as lmplz writes ARPA values (<c>-0.30103</c>, <c>-1.8120181e-7</c>).
/// Fast path: for P = 1..9 digits take the P-digit decimal nearest to the value and accept it when it lies strictly
/// inside the float's rounding interval (checked in double, whose error is ~10⁻¹⁶ against an interval of ~10⁻⁷);
/// positional from 10⁻⁶ (as KenLM's double-conversion settings), exponent below; anything close to a boundary, tiny, huge or special goes to .NET's shortest formatter. So the text always parses
/// back to the same float.
/// </summary>
internal static class FloatFormat
{
    private static readonly double[] Powers = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    private const double Log10Of2 = 0.30102999566398119521;

    /// <summary>Writes <paramref name="value"/> into <paramref name="target"/> (≥ 32 bytes); returns the byte count.</summary>
    internal static int Write(float value, Span<byte> target)
    {
        if (value == 0f) { target[0] = (byte)'0'; return 1; }
        double abs = Math.Abs((double)value);
        if (!float.IsFinite(value) || abs < 1e-6 || abs >= 1e9) return Fallback(value, target);
        float magnitude = Math.Abs(value);
        double hi = ((double)magnitude + MathF.BitIncrement(magnitude)) / 2;
        double lo = ((double)magnitude + MathF.BitDecrement(magnitude)) / 2;
        // floor(log10 |x|) from the binary exponent (off by at most one below, corrected next): no logarithm per value.
        int exp10 = (int)Math.Floor(Math.ILogB(abs) * Log10Of2);
        if (Pow10(exp10) > abs) exp10--;
        else if (Pow10(exp10 + 1) <= abs) exp10++;
        // The nearest p-digit decimal lies in the interval for every p at or above the shortest one (p-digit decimals
        // are (p+1)-digit decimals too), so the shortest p can be found by search over 1..9. Most float32 values need 8
        // or 9 digits: try 8, then 7 or 9, and bisect what is left only when 7 digits suffice.
        long bestDigits = 0, digits;
        int bestP = 0, low, high;
        int verdict = Nearest(abs, lo, hi, exp10, 8, out digits);
        if (verdict < 0) return Fallback(value, target);
        if (verdict > 0)
        {
            (bestDigits, bestP) = (digits, 8);
            verdict = Nearest(abs, lo, hi, exp10, 7, out digits);
            if (verdict < 0) return Fallback(value, target);
            if (verdict > 0) { (bestDigits, bestP) = (digits, 7); (low, high) = (1, 6); }
            else (low, high) = (1, 0);
        }
        else
        {
            (low, high) = (9, 9);
        }
        while (low <= high)
        {
            int p = (low + high) / 2;
            verdict = Nearest(abs, lo, hi, exp10, p, out digits);
            if (verdict < 0) return Fallback(value, target);
            if (verdict > 0)
            {
                bestDigits = digits;
                bestP = p;
                high = p - 1;
            }
            else
            {
                low = p + 1;
            }
        }
        if (bestP > 0) return Emit(value < 0, bestDigits, bestP, exp10, target);
        return Fallback(value, target);
    }

    /// <summary>
    /// The p-digit decimal nearest to <paramref name="abs"/> (as digits): 1 when it lies strictly inside (lo, hi), 0 when
    /// outside, −1 when too close to a bound to tell in double arithmetic.
    /// </summary>
    private static int Nearest(double abs, double lo, double hi, int exp10, int p, out long digits)
    {
        int scale = p - 1 - exp10; // value · 10^scale has p digits before the point
        double scaled = scale >= 0 ? abs * Powers[scale] : abs / Powers[-scale];
        digits = (long)Math.Round(scaled, MidpointRounding.ToEven);
        double candidate = scale >= 0 ? digits / Powers[scale] : digits * Powers[-scale];
        const double guard = 1e-15;
        if (candidate - lo < guard * candidate && candidate - lo > -guard * candidate) return -1;
        if (hi - candidate < guard * candidate && hi - candidate > -guard * candidate) return -1;
        return candidate > lo && candidate < hi ? 1 : 0;
    }

    private static double Pow10(int e) => e >= 0 ? Powers[e] : 1.0 / Powers[-e];

    /// <summary>Writes ±digits·10^(exp10 − p + 1) positionally, without trailing zeros after the point.</summary>
    private static int Emit(bool negative, long digits, int p, int exp10, Span<byte> target)
    {
        if (digits >= (long)Powers[p]) { digits /= 10; exp10++; } // rounding carried into a new digit (9.99 → 10.0)
        while (p > 1 && digits % 10 == 0) { digits /= 10; p--; }
        Span<byte> d = stackalloc byte[20];
        for (int i = p - 1; i >= 0; i--) { d[i] = (byte)('0' + digits % 10); digits /= 10; }
        int o = 0;
        if (negative) target[o++] = (byte)'-';
        if (exp10 < 0)
        {
            target[o++] = (byte)'0';
            target[o++] = (byte)'.';
            for (int i = 0; i < -exp10 - 1; i++) target[o++] = (byte)'0';
            for (int i = 0; i < p; i++) target[o++] = d[i];
            return o;
        }
        int integer = exp10 + 1;
        for (int i = 0; i < integer; i++) target[o++] = i < p ? d[i] : (byte)'0';
        if (p > integer)
        {
            target[o++] = (byte)'.';
            for (int i = integer; i < p; i++) target[o++] = d[i];
        }
        return o;
    }

    /// <summary>.NET's shortest round-trip text with the exponent written as C does it (<c>1.8120181E-07</c> → <c>1.8120181e-7</c>).</summary>
    private static int Fallback(float value, Span<byte> target)
    {
        value.TryFormat(target, out int written, "R", CultureInfo.InvariantCulture);
        int e = target[..written].IndexOf((byte)'E');
        if (e < 0) return written;
        Span<byte> exponent = stackalloc byte[8];
        int length = written - e - 1;
        target.Slice(e + 1, length).CopyTo(exponent);
        int o = e;
        target[o++] = (byte)'e';
        int i = 0;
        if (exponent[i] == '+') i++;
        else if (exponent[i] == '-') { target[o++] = (byte)'-'; i++; }
        while (i < length - 1 && exponent[i] == '0') i++;
        while (i < length) target[o++] = exponent[i++];
        return o;
    }
}
