using LmToLlm.Corpora;
using LmToLlm.Text;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace LmToLlm.Benchmarks.Retrieval;

/// <summary>
/// The three benchmark collections, pre-analysed with the <c>simple</c> analyzer so that both engines see the
/// same tokens: each text is its tokens joined by single spaces (Lucene.Net indexes it through WhitespaceAnalyzer,
/// LmToLlm through <c>simple</c>, which leaves such text unchanged). Queries likewise.
/// </summary>
public sealed class RetrievalData
{
    public required string Name { get; init; }
    public required List<LmToLlm.Corpora.Document> Documents { get; init; }
    public required List<string[]> QueryTokens { get; init; }
    public List<string> QueryTexts => QueryTokens.Select(t => string.Join(' ', t)).ToList();

    private static readonly Dictionary<string, RetrievalData> Cache = [];

    /// <summary>cranfield, cacm (../shared/data/SET/beir) or gcide (artifacts/gcide.txt made by ../shared/data/gcide-text/make.sh).</summary>
    public static RetrievalData Load(string name)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(name, out var cached)) return cached;
            var data = name == "gcide" ? LoadGcide() : LoadBeir(name);
            Cache[name] = data;
            return data;
        }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LmToLlm.sln"))) return dir.FullName;
        // BenchmarkDotNet runs a copy of the project under bin/; fall back to the working directory.
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LmToLlm.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("cannot find the repository root (LmToLlm.sln)");
    }

    private static string Joined(string text) => string.Join(' ', Analyzer.Simple.Tokenize(text));

    private static RetrievalData LoadBeir(string set)
    {
        string beir = Path.Combine(RepositoryRoot(), "..", "shared", "data", set, "beir");
        var docs = BeirJsonl.ReadCorpus(Path.Combine(beir, "corpus.jsonl")).Select(d => new LmToLlm.Corpora.Document(d.Id, "", Joined(d.FullText))).ToList();
        var queries = BeirJsonl.ReadQueries(Path.Combine(beir, "queries.jsonl")).Select(q => Analyzer.Simple.Tokenize(q.Text).ToArray()).Where(t => t.Length > 0).ToList();
        return new RetrievalData { Name = set, Documents = docs, QueryTokens = queries };
    }

    /// <summary>Every line of gcide.txt is a document (id = line number); 500 seeded queries of 2–5 tokens drawn from random documents.</summary>
    private static RetrievalData LoadGcide()
    {
        string path = Path.Combine(RepositoryRoot(), "artifacts", "gcide.txt");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing; run: (cd ../shared && bash data/gcide-text/make.sh ../<worktree>/artifacts/gcide.txt)");
        var docs = new List<LmToLlm.Corpora.Document>();
        foreach (var (number, line) in TextLines.Read(path)) docs.Add(new LmToLlm.Corpora.Document(number.ToString(System.Globalization.CultureInfo.InvariantCulture), "", Joined(line)));
        var random = new Random(42);
        var queries = new List<string[]>();
        while (queries.Count < 500)
        {
            var tokens = docs[random.Next(docs.Count)].Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 5) continue;
            int length = random.Next(2, 6);
            queries.Add(Enumerable.Range(0, length).Select(_ => tokens[random.Next(tokens.Length)]).ToArray());
        }
        return new RetrievalData { Name = "gcide", Documents = docs, QueryTokens = queries };
    }
}

/// <summary>Lucene.Net 4.8 set up as the reference tool sets up Lucene 4.10 (one field, BM25Similarity, corpus order).</summary>
public sealed class LuceneNetIndex : IDisposable
{
    public const string Field = "body";
    public RAMDirectory Directory { get; }
    public DirectoryReader Reader { get; }
    public IndexSearcher Searcher { get; }

    private LuceneNetIndex(RAMDirectory directory, float k1, float b)
    {
        Directory = directory;
        Reader = DirectoryReader.Open(directory);
        Searcher = new IndexSearcher(Reader) { Similarity = new BM25Similarity(k1, b) };
    }

    /// <summary>Adds every document (one reused Document with id and body fields, Lucene's recommended pattern) and commits.</summary>
    public static RAMDirectory BuildDirectory(List<LmToLlm.Corpora.Document> documents, float k1 = 1.2f, float b = 0.75f)
    {
        var directory = new RAMDirectory();
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new Lucene.Net.Analysis.Core.WhitespaceAnalyzer(LuceneVersion.LUCENE_48))
        {
            Similarity = new BM25Similarity(k1, b),
            OpenMode = OpenMode.CREATE,
            RAMBufferSizeMB = 1024,
            MaxBufferedDocs = IndexWriterConfig.DISABLE_AUTO_FLUSH,
            MergePolicy = new LogDocMergePolicy(),
        };
        using var writer = new IndexWriter(directory, config);
        var id = new StringField("id", "", Lucene.Net.Documents.Field.Store.YES);
        var body = new TextField(Field, "", Lucene.Net.Documents.Field.Store.NO);
        var doc = new LuceneDocument { id, body };
        foreach (var d in documents)
        {
            id.SetStringValue(d.Id);
            body.SetStringValue(d.Text);
            writer.AddDocument(doc);
        }
        writer.Commit();
        return directory;
    }

    public static LuceneNetIndex Build(List<LmToLlm.Corpora.Document> documents, float k1 = 1.2f, float b = 0.75f) =>
        new(BuildDirectory(documents, k1, b), k1, b);

    /// <summary>One SHOULD TermQuery per query token occurrence (as the reference tool does).</summary>
    public static Lucene.Net.Search.Query MakeQuery(string[] tokens)
    {
        BooleanQuery.MaxClauseCount = int.MaxValue;
        var query = new BooleanQuery();
        foreach (var t in tokens) query.Add(new TermQuery(new Term(Field, t)), Occur.SHOULD);
        return query;
    }

    public TopDocs Search(string[] tokens, int k) => Searcher.Search(MakeQuery(tokens), k);

    public void Dispose()
    {
        Reader.Dispose();
        Directory.Dispose();
    }
}
