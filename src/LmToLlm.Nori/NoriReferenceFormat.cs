using System.Text;

namespace LmToLlm.Nori;

/// <summary>
/// One line per input line in the reference files' layout: tokens separated by tabs, each
/// <c>term/start-end/increment/length/TYPE/LEFT/RIGHT/reading</c> with <c>\</c>, tab, CR and LF escaped — what the
/// differential tests and the exactness check compare with Lucene's output.
/// </summary>
internal sealed class NoriReferenceFormat : INoriTokenSink
{
    private readonly StringBuilder _text = new();

    public void Clear() => _text.Clear();

    public void Add(NoriToken token)
    {
        if (_text.Length > 0) _text.Append('\t');
        Escape(token.Text);
        _text.Append('/').Append(token.StartOffset).Append('-').Append(token.EndOffset).Append('/')
            .Append(token.PositionIncrement).Append('/').Append(token.PositionLength).Append('/')
            .Append(TypeName(token.Type)).Append('/').Append(token.LeftTag).Append('/').Append(token.RightTag).Append('/');
        if (token.HasReading) Escape(token.Reading);
    }

    /// <summary>Lucene's <c>POS.Type</c> name.</summary>
    public static string TypeName(NoriWordType type) => type switch
    {
        NoriWordType.Morpheme => "MORPHEME",
        NoriWordType.Compound => "COMPOUND",
        NoriWordType.Inflect => "INFLECT",
        _ => "PREANALYSIS",
    };

    private void Escape(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            _ = c switch
            {
                '\\' => _text.Append("\\\\"),
                '\t' => _text.Append("\\t"),
                '\n' => _text.Append("\\n"),
                '\r' => _text.Append("\\r"),
                _ => _text.Append(c),
            };
        }
    }

    public override string ToString() => _text.ToString();
}
