using System.Diagnostics;
using LmToLlm.Retrieval;
using LmToLlm.Text;

namespace LmToLlm.Benchmarks.Retrieval;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/LmToLlm.Benchmarks -- retrieval-check [collections...]</c>:
/// checks that Lucene.Net and LmToLlm return the same top-10 and top-1000 (documents and float scores) for every
/// benchmark query, and measures the memory each index retains (GC heap after a full collection).
/// </summary>
public static class RetrievalCheck
{
    public static void Run(string[] collections)
    {
        if (collections.Length == 0) collections = ["cranfield", "cacm", "gcide"];
        Console.WriteLine("| collection | docs | tokens | postings | queries | top-10 identical | top-1000 identical | LmToLlm retained MB | Lucene.Net retained MB (RAMDirectory files) | LmToLlm / Lucene.Net |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (string name in collections) Measure(name);   // one method call per collection: its objects die on return
        Console.WriteLine();
        Console.WriteLine("LmToLlm index arrays, MB: postings (blocks + skip data + term offsets) | terms (UTF-8 + offsets) | document ids | lengths + max tf | BM25 (length factors, norms, term and block maxima)");
        foreach (string line in Breakdowns) Console.WriteLine(line);
    }

    private static readonly List<string> Breakdowns = [];

    private static void Breakdown(string name, InvertedIndex index)
    {
        double mb(long bytes) => bytes / 1e6;
        long lengths = 4L * index.DocumentCount + 4L * index.TermCount;
        long bm25 = 5L * index.DocumentCount + 4L * index.TermCount + 4L * index.Postings.BlockCount;
        Breakdowns.Add($"{name}: {mb(index.Postings.MemoryBytes):F1} | {mb(index.TermTable.MemoryBytes):F1} | {mb(index.DocumentIdTable.MemoryBytes):F1} | {mb(lengths):F1} | {mb(bm25):F1}"
            + $" ({index.TermCount:N0} terms, {index.Postings.BlockCount:N0} blocks, {8.0 * index.Postings.Data.Length / index.PostingCount:F2} bits per posting)");
    }

    private static void Measure(string name)
    {
        {
            var data = RetrievalData.Load(name);
            long before = Retained();
            var index = InvertedIndex.Build(data.Documents, Analyzer.Simple);
            var bm25 = Bm25.Lucene(index);
            foreach (var text in data.QueryTexts) bm25.Search(text, 10);   // per-term bounds are part of the footprint
            long ours = Retained() - before;
            before = Retained();
            var lucene = LuceneNetIndex.Build(data.Documents);
            foreach (var tokens in data.QueryTokens) lucene.Search(tokens, 10);
            long theirs = Retained() - before;
            string Same(int k)
            {
                int same = 0;
                var texts = data.QueryTexts;
                for (int q = 0; q < texts.Count; q++)
                {
                    var a = bm25.Search(texts[q], k);
                    var b = lucene.Search(data.QueryTokens[q], k).ScoreDocs;
                    if (a.Length == b.Length && a.Zip(b).All(p => p.First.Document == p.Second.Doc && (float)p.First.Score == p.Second.Score)) same++;
                }
                return $"{same}/{texts.Count}";
            }
            Console.WriteLine($"| {name} | {index.DocumentCount:N0} | {index.TotalTokens:N0} | {index.PostingCount:N0} | {data.QueryTokens.Count} | {Same(10)} | {Same(1000)} | {ours / 1e6:F1} | {theirs / 1e6:F1} ({lucene.Directory.GetSizeInBytes() / 1e6:F1} in files) | {(double)ours / theirs:F2} |");
            Breakdown(name, index);
            GC.KeepAlive(index);
            lucene.Dispose();
        }
    }

    private static long Retained()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }
}
