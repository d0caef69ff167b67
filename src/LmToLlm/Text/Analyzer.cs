namespace LmToLlm.Text;

/// <summary>Receives the tokens an <see cref="Analyzer"/> produces, one span at a time (valid only during the call).</summary>
public interface ITokenSink
{
    /// <summary>Called once per token, in text order.</summary>
    void Add(ReadOnlySpan<char> token);
}

/// <summary>
/// Turns text into tokens. Every analyzer has a stable <see cref="Name"/> and an exact written definition,
/// so that another implementation can reproduce its tokens. Analyzers are immutable and thread-safe.
/// </summary>
public abstract class Analyzer
{
    /// <summary>The stable name, e.g. <c>simple</c>; <see cref="FromName"/> gives the analyzer back.</summary>
    public abstract string Name { get; }

    /// <summary>Feeds the tokens of <paramref name="text"/> to <paramref name="sink"/>; allocation-free.</summary>
    public abstract void Analyze(ReadOnlySpan<char> text, ITokenSink sink);

    /// <summary>Convenience: the tokens of <paramref name="text"/> as strings (allocates; not for hot paths).</summary>
    public IReadOnlyList<string> Tokenize(ReadOnlySpan<char> text)
    {
        var sink = new ListSink();
        Analyze(text, sink);
        return sink.Tokens;
    }

    /// <summary>The <c>simple</c> analyzer (see <see cref="SimpleAnalyzer"/>).</summary>
    public static Analyzer Simple { get; } = new SimpleAnalyzer();

    /// <summary>
    /// The analyzer with the given stable name. Throws <see cref="ArgumentException"/> listing the known names
    /// when the name is unknown.
    /// </summary>
    public static Analyzer FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "simple" => Simple,
            _ => throw new ArgumentException($"unknown analyzer '{name}'; known analyzers: {string.Join(", ", KnownNames)}", nameof(name)),
        };
    }

    /// <summary>The names <see cref="FromName"/> accepts (patterns such as <c>char:3-5</c> shown as such).</summary>
    public static IReadOnlyList<string> KnownNames { get; } = ["simple"];

    private sealed class ListSink : ITokenSink
    {
        public List<string> Tokens { get; } = [];
        public void Add(ReadOnlySpan<char> token) => Tokens.Add(token.ToString());
    }
}
