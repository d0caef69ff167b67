using LmToLlm.Corpora;
using LmToLlm.Evaluation;

namespace LexicalVsSemantic.Real;

/// <summary>What kind of task a collection is: it decides the analyzer, the word vectors and whether MiniLM (English) applies.</summary>
internal enum TaskLanguage { English, Korean, CrossLingual }

/// <summary>
/// One BEIR-layout collection: corpus.jsonl[.gz], queries.jsonl[.gz], qrels/test.tsv, and optionally qrels/dev.tsv
/// and query-kinds.tsv (query-id, [split,] kind). Dev queries choose settings; test queries are reported.
/// </summary>
internal sealed record BeirFolder(string Name, string Folder, TaskLanguage Language, IReadOnlyList<Document> Corpus,
    IReadOnlyList<Query> Dev, IReadOnlyList<Query> Test, Qrels Qrels, IReadOnlyDictionary<string, string> Kinds)
{
    /// <summary>The committed real collections, in the order the sample runs them.</summary>
    public static readonly string[] Defaults = ["en-revdict", "ko-help", "en-ko-help"];

    /// <summary>With --full, also the English help index task.</summary>
    public static readonly string[] Full = ["en-revdict", "en-help", "ko-help", "en-ko-help"];

    /// <summary>The folder <c>corpora/real</c> of the repository, searched upwards from the working and program folders.</summary>
    public static string? LocateReal()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "corpora", "real", "en-revdict")))
                    return Path.Combine(dir.FullName, "corpora", "real");
        return null;
    }

    public static BeirFolder Load(string folder)
    {
        string name = Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        string corpusPath = Existing(folder, "corpus.jsonl");
        string queriesPath = Existing(folder, "queries.jsonl");
        string testPath = Path.Combine(folder, "qrels", "test.tsv");
        if (!File.Exists(testPath)) throw new FileNotFoundException($"{testPath}: missing; a BEIR folder needs qrels/test.tsv (query-id, corpus-id, score)");
        string devPath = Path.Combine(folder, "qrels", "dev.tsv");
        var corpus = BeirJsonl.ReadCorpus(corpusPath).ToArray();
        var queries = BeirJsonl.ReadQueries(queriesPath).ToDictionary(q => q.Id);
        var test = Qrels.Read(testPath);
        var dev = File.Exists(devPath) ? Qrels.Read(devPath) : null;
        var judged = Judged(test, queries).Concat(dev is null ? [] : Judged(dev, queries)).ToArray();
        var qrels = Qrels.FromJudgments(judged.SelectMany(q => (test.Get(q.Id) ?? dev!.Get(q.Id))!.Judgments.Select(j => (q.Id, j.Key, j.Value))));
        var kinds = ReadKinds(Path.Combine(folder, "query-kinds.tsv"));
        var language = name.StartsWith("en-ko", StringComparison.Ordinal) ? TaskLanguage.CrossLingual
            : corpus.Take(200).Any(d => d.FullText.Any(c => c is >= '\uAC00' and <= '\uD7A3')) ? TaskLanguage.Korean : TaskLanguage.English;
        return new BeirFolder(name, folder, language, corpus, dev is null ? [] : Judged(dev, queries), Judged(test, queries), qrels, kinds);
    }

    private static Query[] Judged(Qrels qrels, Dictionary<string, Query> queries) =>
        [.. queries.Values.Where(q => qrels.Get(q.Id)?.RelevantCount() > 0).OrderBy(q => q.Id, StringComparer.Ordinal)];

    private static string Existing(string folder, string name)
    {
        foreach (string candidate in new[] { name, name + ".gz" })
            if (File.Exists(Path.Combine(folder, candidate))) return Path.Combine(folder, candidate);
        throw new FileNotFoundException($"{Path.Combine(folder, name)}: missing (also looked for {name}.gz); a BEIR folder has corpus.jsonl, queries.jsonl and qrels/test.tsv");
    }

    /// <summary>query-kinds.tsv: a header, then query-id and kind as the first and last tab-separated fields.</summary>
    private static Dictionary<string, string> ReadKinds(string path)
    {
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return kinds;
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            if (line == 1 && text.StartsWith("query-id", StringComparison.Ordinal)) continue;
            var fields = text.Split('\t');
            if (fields.Length < 2) throw new LmToLlm.LmToLlmFormatException(path, line, "expected query-id<TAB>[split<TAB>]kind");
            kinds[fields[0]] = fields[^1];
        }
        return kinds;
    }

    /// <summary>
    /// The default run's sample: the first <paramref name="testQueries"/> test and <paramref name="devQueries"/> dev
    /// queries (ids sorted; the splits were drawn by hash, so this is a random sample), and when the corpus is larger
    /// than <paramref name="maxDocuments"/>, every judged document of those queries plus the first other documents
    /// of the corpus up to that size (the corpus order is a hash order too).
    /// </summary>
    public BeirFolder Sample(int testQueries, int devQueries, int maxDocuments)
    {
        var test = Test.Take(testQueries).ToArray();
        var dev = Dev.Take(devQueries).ToArray();
        var corpus = Corpus;
        if (Corpus.Count > maxDocuments)
        {
            var keep = new HashSet<string>(test.Concat(dev).SelectMany(q => Qrels.Get(q.Id)!.Judgments.Select(j => j.Key)), StringComparer.Ordinal);
            foreach (var d in Corpus)
            {
                if (keep.Count >= maxDocuments) break;
                keep.Add(d.Id);
            }
            corpus = [.. Corpus.Where(d => keep.Contains(d.Id))];
        }
        return this with { Corpus = corpus, Test = test, Dev = dev };
    }
}
