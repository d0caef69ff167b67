using System.Globalization;
using System.Text;

namespace LmToLlm.Retrieval;

/// <summary>
/// A score explanation tree shaped like Lucene's <c>org.apache.lucene.search.Explanation</c>: a value, what it is,
/// and the values it was computed from. <see cref="ToString"/> prints Lucene's layout, one node per line,
/// <c>value = description</c>, children indented by two spaces.
/// </summary>
/// <param name="Value">The value of this node.</param>
/// <param name="Description">What the value is.</param>
/// <param name="Details">The values it was computed from.</param>
public sealed record Explanation(float Value, string Description, IReadOnlyList<Explanation> Details)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        Append(text, 0);
        return text.ToString();
    }

    /// <summary>A float as Java's <c>Float.toString</c> prints ordinary values: shortest round-trip digits, at least one decimal (<c>1.0</c>).</summary>
    internal static string FormatValue(float value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return float.IsFinite(value) && text.IndexOfAny(['.', 'E']) < 0 ? text + ".0" : text;
    }

    private void Append(StringBuilder text, int depth)
    {
        text.Append(' ', 2 * depth).Append(FormatValue(Value)).Append(" = ").Append(Description).Append('\n');
        foreach (var detail in Details) detail.Append(text, depth + 1);
    }
}
