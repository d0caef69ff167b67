namespace LexicalVsSemantic.Real;

/// <summary>
/// Splits the command line between the real-text comparison (no arguments, <c>--full</c>, <c>--collection DIR</c>,
/// <c>--out DIR</c>) and the controlled experiment on generated text (<c>--collection synthetic</c>, or any of its own options).
/// </summary>
internal static class RealArguments
{
    public static bool TryParse(string[] args, out RealOptions options, out string[] rest)
    {
        options = null!;
        var list = args.ToList();
        int at = list.IndexOf("--collection");
        string? collection = at >= 0 && at + 1 < list.Count ? list[at + 1] : null;
        if (at >= 0 && collection is null) throw new ArgumentException("--collection needs a value: synthetic, or a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv)");
        if (collection == "synthetic")
        {
            list.RemoveRange(at, 2);
            rest = [.. list];
            return false;
        }
        rest = args;
        bool full = list.Remove("--full");
        if (collection is not null) list.RemoveRange(list.IndexOf("--collection"), 2);
        string? output = null;
        int o = list.IndexOf("--out");
        if (o >= 0 && o + 1 < list.Count)
        {
            output = list[o + 1];
            list.RemoveRange(o, 2);
        }
        if (list.Count > 0)
        {
            if (full || collection is not null) throw new ArgumentException($"unexpected '{list[0]}' with the real-text comparison; options: --full, --collection DIR|synthetic, --out DIR");
            return false; // the generated collections' own options (--lang, --corpus, ...)
        }
        string[] folders;
        if (collection is not null)
        {
            if (!Directory.Exists(collection)) throw new ArgumentException($"--collection {collection}: no such folder");
            folders = [collection];
        }
        else
        {
            string real = BeirFolder.LocateReal() ?? throw new ArgumentException("corpora/real not found above the working folder; run from the repository, or pass --collection DIR");
            folders = [.. (full ? BeirFolder.Full : BeirFolder.Defaults).Select(n => Path.Combine(real, n))];
        }
        options = new RealOptions(folders, full, output ?? Path.Combine("artifacts", "lexical-vs-semantic-real"));
        return true;
    }
}
