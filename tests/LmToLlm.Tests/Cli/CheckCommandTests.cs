using LmToLlm.Corpora;
using LmToLlm.NGrams;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Text;
using static LmToLlm.Tests.CliRunner;
using LmToLlm.Tests.Robustness;

namespace LmToLlm.Tests.Cli;

/// <summary><c>lmtollm check</c>: every shared reference file is valid, hand-corrupted copies are rejected precisely.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // The shared reference files this library reads, the format check must detect, and one fact it must print.
    public static TheoryData<string, string, string> SharedFiles => new()
    {
        { "data/cranfield/beir/corpus.jsonl", "beir-corpus", "documents: 1400" },
        { "data/cranfield/beir/queries.jsonl", "beir-queries", "queries: 225" },
        { "data/cranfield/beir/qrels/test.tsv", "beir-qrels", "judgments: 1612" },
        { "data/cacm/beir/corpus.jsonl", "beir-corpus", "documents: 3204" },
        { "data/cacm/beir/queries.jsonl", "beir-queries", "queries: 52" },
        { "data/cacm/beir/qrels/test.tsv", "beir-qrels", "judgments: 796" },
        { "reference/cranfield/qrels.trec", "trec-qrels", "judgments: 1612" },
        { "reference/cacm/qrels.trec", "trec-qrels", "queries: 52" },
        { "reference/cranfield/lucene-bm25.run", "trec-run", "entries: 22500" },
        { "reference/cranfield/lucene-bm25-k0.9-b0.4.run", "trec-run", "queries: 225" },
        { "reference/cranfield/sklearn-tfidf.run", "trec-run", "queries: 225" },
        { "reference/cranfield/sklearn-tfidf-sublinear.run", "trec-run", "queries: 225" },
        { "reference/cacm/lucene-bm25.run", "trec-run", "name: lucene-bm25" },
        { "reference/cacm/lucene-bm25-k0.9-b0.4.run", "trec-run", "entries: 5200" },
        { "reference/w2v/brown16.bin", "word2vec", "encoding: binary" },
        { "reference/w2v/brown16.txt", "word2vec", "dimensions: 16" },
        { "reference/fasttext/brown16ft.bin", "fasttext-bin", "dimensions: 16" },
        { "reference/fasttext/brown16ft.vec.gz", "fasttext-vec", "dimensions: 16" },
        { "reference/ptb/ptb.o3.arpa.gz", "arpa", "3-grams: 586558" },
        { "reference/ptb/ptb.o5.arpa.gz", "arpa", "5-grams: 737952" },
    };

    [SharedTheory("data/cranfield/beir", "data/cacm/beir", "reference/cranfield", "reference/cacm", "reference/w2v/brown16.bin", "reference/w2v/brown16.txt", "reference/fasttext/brown16ft.bin", "reference/fasttext/brown16ft.vec.gz", "reference/ptb/ptb.o3.arpa.gz", "reference/ptb/ptb.o5.arpa.gz")]
    [MemberData(nameof(SharedFiles))]
    public void Every_shared_reference_file_is_valid(string file, string format, string fact)
    {
        string path = SharedData.File(file.Split('/'));
        var (code, stdout, stderr) = Run("check", path);
        Assert.True(code == 0, stderr);
        Assert.StartsWith($"{path}: valid {format} (", stdout, StringComparison.Ordinal);
        Assert.Contains($"\n  {fact}\n", stdout, StringComparison.Ordinal);
    }

    [SharedFact("data/cranfield/beir/corpus.jsonl")]
    public void Files_this_library_writes_from_the_shared_data_are_valid()
    {
        var docs = BeirJsonl.ReadCorpus(SharedData.File("data", "cranfield", "beir", "corpus.jsonl")).Take(200).ToList();
        string index = _dir.File("cranfield.idx");
        InvertedIndex.Build(docs, Analyzer.Simple).Save(index);
        string csv = _dir.File("docs.csv"), tsv = _dir.File("docs.tsv.gz");
        DelimitedCorpus.Write(csv, docs);
        DelimitedCorpus.Write(tsv, docs);
        string arpa = _dir.File("tiny.arpa");
        File.WriteAllText(arpa, MutationTests.Arpa);
        string model = _dir.File("tiny.bin");
        BackoffModel.ReadArpa(arpa).Save(model);
        string dense = _dir.File("d.dense");
        DenseIndex.Create([1f, 0f, 0.6f, 0.8f], 2).Save(dense);
        string vocabulary = _dir.File("v.vocab");
        Vocabulary.FromCounts([new("the", 3), new("cat", 2)]).Save(vocabulary);

        AssertValid(index, "index", "documents: 200", "checksum: verified");
        AssertValid(csv, "csv", "documents: 200");
        AssertValid(tsv, "tsv", "documents: 200");
        AssertValid(model, "ngram-binary", "2-grams: 2", "checksum: verified");
        AssertValid(arpa, "arpa", "order: 2", "2-grams: 2");
        AssertValid(dense, "dense-index", "vectors: 2", "dimensions: 2", "checksum: verified");
        AssertValid(vocabulary, "vocabulary", "tokens: 2", "total count: 5");
        string suffixArray = _dir.File("c.sa");
        LmToLlm.SuffixArrays.SuffixArrayBuilder.Build(_dir.Write("c.txt", "the cat sat\na dog\n"), suffixArray);
        AssertValid(suffixArray, "suffix-array", "documents: 2", "symbols: 8", "checksum: verified");
    }

    private static void AssertValid(string path, string format, params string[] facts)
    {
        var (code, stdout, stderr) = Run("check", path);
        Assert.True(code == 0, stderr);
        Assert.StartsWith($"{path}: valid {format} (", stdout, StringComparison.Ordinal);
        foreach (string fact in facts) Assert.Contains($"\n  {fact}\n", stdout, StringComparison.Ordinal);
    }

    /// <summary>Copies a shared file line by line, letting <paramref name="edit"/> change the lines.</summary>
    private string CorruptCopy(string name, string[] shared, Func<List<string>, List<string>> edit)
    {
        var lines = File.ReadAllLines(SharedData.File(shared)).ToList();
        string path = _dir.File(name);
        File.WriteAllLines(path, edit(lines));
        return path;
    }

    private static void AssertInvalid(string path, string expected, params string[] extra)
    {
        var (code, stdout, stderr) = Run(["check", path, .. extra]);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"lmtollm: {path}{expected}\n", stderr);
    }

    [SharedFact("reference/w2v/brown16.txt", "reference/w2v/brown16.bin", "reference/fasttext/brown16ft.bin")]
    public void Hand_corrupted_copies_are_rejected_with_a_precise_message()
    {
        string qrels = CorruptCopy("qrels.trec", ["reference", "cranfield", "qrels.trec"], l => { l[4] = "1 0 16"; return l; });
        AssertInvalid(qrels, ":5: expected 4 whitespace-separated fields 'qid iter docno rel', found 3");

        string run = CorruptCopy("bm25.run", ["reference", "cranfield", "lucene-bm25.run"], l => { l[9] = l[9].Replace(" 10 ", " 10 abc", StringComparison.Ordinal); return l; });
        AssertInvalid(run, ":10: score 'abc12.579498' is not a number");

        string corpus = CorruptCopy("corpus.jsonl", ["data", "cranfield", "beir", "corpus.jsonl"], l => { l[^1] = l[^1][..40]; return l; });
        AssertInvalid(corpus, ":1400: invalid JSON at character 41: Expected end of string, but instead reached end of data.");

        string vectors = CorruptCopy("brown16.txt", ["reference", "w2v", "brown16.txt"], l => { l[100] = string.Join(' ', l[100].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]); return l; });
        AssertInvalid(vectors, ":101: 15 values for '" + File.ReadLines(SharedData.File("reference", "w2v", "brown16.txt")).ElementAt(100).Split(' ')[0] + "', but the header says 16 dimensions");

        string binary = _dir.File("brown16.bin");
        byte[] bytes = File.ReadAllBytes(SharedData.File("reference", "w2v", "brown16.bin"));
        File.WriteAllBytes(binary, bytes[..(bytes.Length / 2)]); // 1040060 / 2 - 9 header bytes = 520021; 14207 × (2 + 16 × 4) = 937662
        AssertInvalid(binary, ":1: the header announces 14207 vectors of 16 dimensions, at least 937662 bytes, but only 520021 bytes follow it; the file is truncated or the header is wrong");

        string fastText = _dir.File("brown16ft.bin");
        File.WriteAllBytes(fastText, File.ReadAllBytes(SharedData.File("reference", "fasttext", "brown16ft.bin"))[..300_000]);
        AssertInvalid(fastText, ": the input matrix (34207 × 16 floats): 2189248 bytes needed, but only 55432 are left; the file is truncated or its header is wrong (offset 244568)");

        string index = _dir.File("flipped.idx");
        InvertedIndex.Build([new Document("d1", "", "the cat sat")], Analyzer.Simple).Save(index);
        byte[] indexBytes = File.ReadAllBytes(index);
        indexBytes[indexBytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(index, indexBytes);
        AssertInvalid(index, ": checksum mismatch: the file is corrupt or truncated; rebuild it with 'lmtollm index'");
    }

    [Fact]
    public void Undetectable_content_asks_for_format_and_an_unknown_format_is_a_usage_error()
    {
        string path = _dir.Write("notes.txt", "just some words\n");
        var (code, _, stderr) = Run("check", path);
        Assert.Equal(1, code);
        Assert.StartsWith($"lmtollm: {path}: cannot tell the format from the content; give it with --format (", stderr, StringComparison.Ordinal);
        Assert.Contains("index, suffix-array, dense-index, ngram-binary, vocabulary, arpa, fasttext-bin, fasttext-vec, word2vec, beir-qrels, beir-corpus, beir-queries, trec-run, trec-qrels, csv, tsv, plain)", stderr, StringComparison.Ordinal);

        Assert.Equal(0, Run("check", path, "--format", "plain").Code);
        Assert.Equal(2, Run("check", path, "--format", "nope").Code);
        Assert.Equal(2, Run("check").Code);
    }

    // The hook a new reader (fastText .bin/.vec, ...) uses: a registered format is tried before the built-in ones,
    // in that FileCheck only.
    [Fact]
    public void A_registered_format_is_detected_before_the_built_in_ones()
    {
        var check = new FileCheck();
        check.Register(new FileFormatCheck("test-lines", "lines of a test format", s => s.Extension == ".testlines",
            path => [new KeyValuePair<string, string>("lines", File.ReadLines(path).Count().ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        string path = _dir.Write("x.testlines", "q1 0 d1 1\nq1 0 d2 0\n"); // would otherwise be detected as TREC qrels
        var report = check.Check(path);
        Assert.Equal("test-lines", report.Format.Name);
        Assert.Equal([new KeyValuePair<string, string>("lines", "2")], report.Facts);
        Assert.Equal("test-lines", check.Formats[0].Name);
        Assert.Equal("trec-qrels", new FileCheck().Detect(path).Name);
    }
}
