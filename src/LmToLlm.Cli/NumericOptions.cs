using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LmToLlm.Cli;

/// <summary>
/// Every numeric option declares its range here, so a number is checked while parsing, before any work or allocation,
/// and a bad one is reported in the user's words: <c>--max-tokens must be ≥ 0 (got -3)</c>, exit 2.
/// </summary>
internal static class NumericOptions
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The range text of each option that has one (help and the test that every numeric option has a range).</summary>
    private static readonly ConditionalWeakTable<Option, string> Ranges = new();

    /// <summary>Accepts only numbers in [<paramref name="min"/>, <paramref name="max"/>] (or (min, max] with <paramref name="minExclusive"/>).</summary>
    public static Option<T> Within<T>(this Option<T> option, T min, T max, bool minExclusive = false) where T : struct, INumber<T>, IMinMaxValue<T>
    {
        string range = Describe(min, max, minExclusive);
        Ranges.AddOrUpdate(option, range);
        option.CustomParser = result => Parse<T>(option.Name, result, range, min, max, minExclusive) ?? default;
        return option;
    }

    /// <summary>As <see cref="Within{T}(Option{T}, T, T, bool)"/> for an option that may be absent.</summary>
    public static Option<T?> Within<T>(this Option<T?> option, T min, T max, bool minExclusive = false) where T : struct, INumber<T>, IMinMaxValue<T>
    {
        string range = Describe(min, max, minExclusive);
        Ranges.AddOrUpdate(option, range);
        option.CustomParser = result => Parse<T>(option.Name, result, range, min, max, minExclusive);
        return option;
    }

    /// <summary>True when the option is numeric (its value type is a number) — such an option must have a range.</summary>
    public static bool IsNumeric(Option option)
    {
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        return type.IsPrimitive && type != typeof(bool) && type != typeof(char) || type == typeof(decimal);
    }

    /// <summary>The declared range ("≥ 1", "in [0, 1]"), or null when the option has none.</summary>
    public static string? RangeOf(Option option) => Ranges.TryGetValue(option, out var range) ? range : null;

    private static T? Parse<T>(string name, ArgumentResult result, string range, T min, T max, bool minExclusive) where T : struct, INumber<T>
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[^1].Value;
        bool integer = T.IsInteger(T.One / (T.One + T.One)); // 1/2 is 0 only for integer types
        if (!T.TryParse(text, integer ? NumberStyles.Integer : NumberStyles.Float, Inv, out T value))
        {
            result.AddError($"{name} must be {(integer ? "a whole number" : "a number")}{(range.Length == 0 ? "" : " " + range)} (got {text})");
            return null;
        }
        bool tooSmall = minExclusive ? value <= min : value < min;
        if (T.IsNaN(value) || tooSmall || value > max)
        {
            result.AddError($"{name} must be {range} (got {text})");
            return null;
        }
        return value;
    }

    /// <summary>"≥ 1", "> 0", "in [0, 1]", "in (0, 1]"; empty for a type's whole range (a seed).</summary>
    private static string Describe<T>(T min, T max, bool minExclusive) where T : struct, INumber<T>, IMinMaxValue<T>
    {
        string lo = Format(min), hi = Format(max);
        if (max == T.MaxValue) return min == T.MinValue && min != T.Zero ? "" : minExclusive ? $"> {lo}" : $"≥ {lo}";
        return $"in {(minExclusive ? "(" : "[")}{lo}, {hi}]";
    }

    private static string Format<T>(T value) where T : INumber<T> => value is IFormattable f ? f.ToString(null, Inv) : value.ToString()!;
}
