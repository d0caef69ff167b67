using System.Globalization;
using System.Text;
using LmToLlm.Corpora;
using LmToLlm.Retrieval;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// Prints the hits of one <c>search --query</c>: rank, id, score and a snippet of the document text (when the texts
/// are at hand: --corpus), and under each hit its explanation when one is given.
/// </summary>
internal static class QueryHits
{
    /// <summary>Characters of document text shown per hit.</summary>
    public const int SnippetLength = 100;

    public static void Print(TextWriter stdout, string query, IReadOnlyList<(string Id, double Score, Explanation? Explanation)> hits, DocumentSource? texts)
    {
        var found = texts is null ? null : Find(texts, hits.Select(h => h.Id).ToHashSet(StringComparer.Ordinal));
        if (hits.Count == 0)
        {
            stdout.WriteLine($"no document matches \"{query}\"");
            return;
        }
        int idWidth = Math.Max(2, hits.Max(h => h.Id.Length));
        stdout.WriteLine($"{"rank",4}  {"id".PadRight(idWidth)}  {"score",10}{(found is null ? "" : "  text")}");
        for (int i = 0; i < hits.Count; i++)
        {
            var (id, score, explanation) = hits[i];
            string snippet = found is null ? "" : "  " + (found.TryGetValue(id, out string? text) ? Snippet(text, query) : "(not in --corpus)");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1,4}  {id.PadRight(idWidth)}  {score,10:F4}{snippet}"));
            if (explanation is not null)
                foreach (string line in explanation.ToString().TrimEnd('\n').Split('\n')) stdout.WriteLine("      " + line);
        }
        if (found is null) stdout.WriteLine("(give --corpus with --index to see the document texts)");
    }

    /// <summary>The texts of the wanted documents, reading the source until all are found.</summary>
    private static Dictionary<string, string> Find(DocumentSource texts, HashSet<string> wanted)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var document in texts.ReadDocuments())
        {
            if (wanted.Contains(document.Id)) found.TryAdd(document.Id, document.FullText);
            if (found.Count == wanted.Count) break;
        }
        return found;
    }

    /// <summary>
    /// About <see cref="SnippetLength"/> characters of <paramref name="text"/> with white space collapsed, starting a
    /// little before the first query word it contains (ignoring case), "…" marking cuts.
    /// </summary>
    internal static string Snippet(string text, string query)
    {
        string flat = Collapse(text);
        int at = -1;
        foreach (string word in query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            string bare = word.Trim('"', '\'', ',', '.', '?', '!');
            if (bare.Length == 0) continue;
            int i = flat.IndexOf(bare, StringComparison.OrdinalIgnoreCase);
            if (i >= 0 && (at < 0 || i < at)) at = i;
        }
        int start = at < 0 ? 0 : Math.Max(0, at - SnippetLength / 4);
        if (start > 0)
        {
            int space = flat.IndexOf(' ', start);
            if (space >= 0 && space < at) start = space + 1;
        }
        int end = Math.Min(flat.Length, start + SnippetLength);
        return (start > 0 ? "…" : "") + flat[start..end] + (end < flat.Length ? "…" : "");
    }

    private static string Collapse(string text)
    {
        var result = new StringBuilder(Math.Min(text.Length, 1 << 16));
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c)) { space = result.Length > 0; continue; }
            if (space) { result.Append(' '); space = false; }
            result.Append(c);
        }
        return result.ToString();
    }
}
