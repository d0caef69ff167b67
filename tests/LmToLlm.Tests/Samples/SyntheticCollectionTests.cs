using LmToLlm.Corpora;
using LmToLlm.Samples.Synthetic;
using LmToLlm.Text;

namespace LmToLlm.Tests.Samples;

public sealed class SyntheticCollectionTests
{
    [Theory]
    [InlineData("en", 528, 24, 64)]
    [InlineData("ko", 306, 17, 40)]
    public void Built_in_collections_have_the_stated_sizes(string language, int documents, int topics, int queries)
    {
        var c = BuiltInCollections.ForLanguage(language);
        Assert.Equal(documents, c.Corpus.Count);
        Assert.Equal(topics, c.Lexicon.Topics.Count);
        Assert.Equal(queries, c.Queries.Count);
        Assert.Equal(queries / 2, c.Queries.Count(q => q.Kind == QueryKind.Semantic));
        Assert.All(c.Queries, q => Assert.Contains(c.Judgments, j => j.QueryId == q.Query.Id && j.Grade == 2));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ko")]
    public void Semantic_queries_share_no_word_with_any_document(string language)
    {
        var c = BuiltInCollections.ForLanguage(language);
        var documentWords = new HashSet<string>(c.Corpus.SelectMany(d => Analyzer.Simple.Tokenize(d.FullText)));
        var glue = new HashSet<string>(c.Lexicon.QueryGlue);
        foreach (var q in c.Queries.Where(q => q.Kind == QueryKind.Semantic))
            foreach (string word in Analyzer.Simple.Tokenize(q.Query.Text).Where(w => !glue.Contains(w)))
                Assert.DoesNotContain(word, documentWords);
    }

    [Fact]
    public void Generation_is_deterministic_and_equals_the_committed_files()
    {
        foreach (string language in BuiltInCollections.Languages)
        {
            var a = BuiltInCollections.ForLanguage(language);
            var b = BuiltInCollections.ForLanguage(language);
            Assert.Equal(a.Corpus, b.Corpus);
            Assert.Equal(a.Judgments, b.Judgments);
            string dir = Directory.CreateTempSubdirectory("lmtollm-corpora-").FullName;
            try
            {
                BuiltInCollections.Export(a, dir);
                string committed = Path.Combine(RepositoryRoot(), "corpora", language);
                foreach (string file in new[] { "corpus.jsonl", "queries.jsonl", "query-kinds.tsv", Path.Combine("qrels", "test.tsv") })
                    Assert.True(File.ReadAllBytes(Path.Combine(dir, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(committed, file))),
                        $"corpora/{language}/{file} differs from the generator's output; regenerate with the sample's --export-corpora");
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void Training_text_is_deterministic_and_long_enough()
    {
        foreach (string language in BuiltInCollections.Languages)
        {
            var lexicon = BuiltInCollections.Lexicon(language);
            var first = new StringWriter();
            long tokens = BuiltInCollections.WriteTrainingText(lexicon, first);
            var second = new StringWriter();
            BuiltInCollections.WriteTrainingText(lexicon, second);
            Assert.True(tokens >= 2_000_000);
            Assert.Equal(first.ToString(), second.ToString());
            long counted = 0;
            bool inToken = false;
            foreach (char c in first.ToString())
            {
                bool separator = c is ' ' or '\n';
                if (!separator && !inToken) counted++;
                inToken = !separator;
            }
            Assert.Equal(tokens, counted);
        }
    }

    [Fact]
    public void Query_kinds_reader_reports_file_and_line()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "query-id\tkind\nq1\tlexical\nq2\n");
            var e = Assert.Throws<LmToLlmFormatException>(() => BuiltInCollections.ReadQueryKinds(path));
            Assert.Equal(3, e.LineNumber);
            File.WriteAllText(path, "q1\tlexical\nq1\tsemantic\n");
            Assert.Contains("twice", Assert.Throws<LmToLlmFormatException>(() => BuiltInCollections.ReadQueryKinds(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LmToLlm.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LmToLlm.sln not found above the test directory");
    }
}
