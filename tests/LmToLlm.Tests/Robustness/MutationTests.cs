using System.Text;
using LmToLlm.Corpora;
using LmToLlm.Embeddings;
using LmToLlm.Evaluation;
using LmToLlm.NGrams;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Text;
using Xunit.Abstractions;

namespace LmToLlm.Tests.Robustness;

// Seeded mutation tests: valid file (written by our own writers) -> mutated bytes -> reader.
// Contract: the reader either loads or throws an LmToLlmException naming the file; nothing else, no hang.
[Trait("Category", "Robustness")]
public sealed class MutationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-mut").FullName;

    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("LMTOLLM_MUTATION_CASES"), out int n) && n > 0 ? n : 300;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string Arpa =
        "\\data\\\nngram 1=4\nngram 2=2\n\n\\1-grams:\n-1.0\t<s>\t-0.5\n-0.5\t</s>\n-0.6\ta\t-0.3\n-0.7\tb\t-0.2\n\n\\2-grams:\n-0.3\t<s> a\n-0.2\ta b\n\n\\end\\\n";

    private string Seed(string name, Action<string> write)
    {
        string path = Path.Combine(_dir, name);
        write(path);
        return path;
    }

    private static Document[] Docs => [new("d1", "T1", "the cat sat"), new("d2", "", "a dog, \"quoted\"\tran"), new("d3", "x", "the cat ran")];

    public static TheoryData<string> Formats => new()
    {
        "beir-corpus", "beir-queries", "beir-qrels", "trec-qrels", "trec-run", "csv", "tsv", "plain", "arpa", "ngram-binary",
        "w2v-text", "w2v-binary", "inverted-index", "dense-index", "vocabulary", "fasttext-bin", "fasttext-vec",
    };

    private (string Seed, Action<string> Load) Setup(string format)
    {
        switch (format)
        {
            case "beir-corpus": return (Seed("c.jsonl", p => BeirJsonl.WriteCorpus(p, Docs)), p => BeirJsonl.ReadCorpus(p).ToList());
            case "beir-queries": return (Seed("q.jsonl", p => BeirJsonl.WriteQueries(p, [new Query("q1", "cat"), new Query("q2", "dog ran")])), p => BeirJsonl.ReadQueries(p).ToList());
            case "beir-qrels": return (Seed("qrels.tsv", p => File.WriteAllText(p, "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\nq2\td3\t2\n")), p => Qrels.ReadBeir(p));
            case "trec-qrels": return (Seed("qrels.trec", p => File.WriteAllText(p, "q1 0 d1 1\nq1 0 d2 0\nq2 0 d3 2\n")), p => Qrels.ReadTrec(p));
            case "trec-run": return (Seed("run.trec", p => TrecRunWriter.Write(p, [new RunQuery("q1", [new RunEntry("d1", 1.5), new RunEntry("d2", 0.5)]), new RunQuery("q2", [new RunEntry("d3", 2.0)])], "t")), p => Run.ReadTrec(p));
            case "csv": return (Seed("docs.csv", p => DelimitedCorpus.Write(p, Docs)), p => DelimitedCorpus.Read(p).ToList());
            case "tsv": return (Seed("docs.tsv", p => DelimitedCorpus.Write(p, [new("d1", "T1", "the cat sat"), new("d2", "", "a dog ran")])), p => DelimitedCorpus.Read(p).ToList());
            case "plain": return (Seed("plain.txt", p => PlainTextCorpus.Write(p, ["the cat sat", "a dog ran", ""])), p => PlainTextCorpus.Read(p).ToList());
            case "arpa": return (Seed("m.arpa", p => File.WriteAllText(p, Arpa)), p => BackoffModel.ReadArpa(p));
            case "ngram-binary":
                string arpa = Seed("m2.arpa", p => File.WriteAllText(p, Arpa));
                return (Seed("m.bin", p => BackoffModel.ReadArpa(arpa).Save(p)), p => BackoffModel.Load(p));
            case "w2v-text": return (Seed("v.txt", p => Vectors().Save(p, WordVectorFileFormat.Text)), p => WordVectors.Load(p, WordVectorFileFormat.Text));
            case "w2v-binary": return (Seed("v.bin", p => Vectors().Save(p, WordVectorFileFormat.Binary)), p => WordVectors.Load(p, WordVectorFileFormat.Binary));
            case "inverted-index": return (Seed("i.idx", p => InvertedIndex.Build(Docs, Analyzer.Simple).Save(p)), p => InvertedIndex.Load(p));
            case "dense-index": return (Seed("d.idx", p => DenseIndex.Create([1f, 0f, 0f, 0.6f, 0.8f, 0f, 0f, 0f, 1f], 3).Save(p)), p => DenseIndex.Load(p));
            case "vocabulary":
                return (Seed("v.vocab", p => Vocabulary.FromCounts([new("the", 3), new("cat", 2), new("dog", 1)]).Save(p)), p => Vocabulary.Load(p));
            case "fasttext-bin": return (Seed("m.bin", p => LmToLlm.Tests.Embeddings.FastText.FastTextSubwordTests.Tiny().Save(p)), p => LmToLlm.Embeddings.FastText.FastTextModel.Load(p));
            case "fasttext-vec": return (Seed("v.vec", p => LmToLlm.Embeddings.FastText.FastTextVecFormat.Save(Vectors(), p)), p => LmToLlm.Embeddings.FastText.FastTextVecFormat.Load(p));
            default: throw new ArgumentException(format);
        }
    }

    private static WordVectors Vectors() => WordVectors.Create(["</s>", "cat", "dog"], [0.1f, 0.2f, -0.3f, 1f, 2f, 3f, -1e-3f, 5.5f, 0f], 3);

    internal static byte[] Mutate(byte[] seed, Random rng, int kind)
    {
        var b = new List<byte>(seed);
        int At(int extra = 0) => rng.Next(b.Count + extra);
        switch (kind)
        {
            case 0: return seed.AsSpan(0, rng.Next(seed.Length + 1)).ToArray(); // truncation
            case 1: if (b.Count > 0) { int i = At(); b[i] ^= (byte)(1 << rng.Next(8)); } break; // bit flip
            case 2: b.Insert(At(1), (byte)rng.Next(256)); break; // insertion
            case 3: if (b.Count > 0) b.RemoveAt(At()); break; // deletion
            case 4: b.InsertRange(At(1), new byte[] { 0xC3, 0x28, 0xFF }); break; // invalid UTF-8
            case 5: b.InsertRange(At(1), Encoding.ASCII.GetBytes(rng.Next(5) switch { 0 => "99999999999999999999", 1 => "NaN", 2 => "-Infinity", 3 => "-7", _ => "2147483647" })); break;
            case 6: // duplicate or drop a line
                string text = Encoding.Latin1.GetString(seed);
                var lines = text.Split('\n').ToList();
                int l = rng.Next(lines.Count);
                if (rng.Next(2) == 0) lines.Insert(l, lines[l]); else lines.RemoveAt(l);
                return Encoding.Latin1.GetBytes(string.Join('\n', lines));
            case 7: b.InsertRange(At(1), Enumerable.Repeat((byte)'x', 100_000)); break; // very long line
            case 8: return []; // empty
            default: // overwrite 4 bytes with a huge/negative int32
                if (b.Count >= 4) { int i = rng.Next(b.Count - 3); byte[] v = BitConverter.GetBytes(rng.Next(3) switch { 0 => int.MaxValue, 1 => -1, _ => int.MinValue }); for (int k = 0; k < 4; k++) b[i + k] = v[k]; }
                break;
        }
        return [.. b];
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Mutated_input_loads_or_throws_the_documented_exception(string format)
    {
        var (seed, load) = Setup(format);
        load(seed); // the seed itself must load
        byte[] original = File.ReadAllBytes(seed);
        var rng = new Random(1234 + format.Length * 31 + format[0]);
        string target = Path.Combine(_dir, "mutant" + Path.GetExtension(seed));
        int loaded = 0, rejected = 0;
        var failures = new List<string>();
        for (int c = 0; c < Cases; c++)
        {
            int kind = c % 10;
            byte[] mutant = Mutate(original, rng, kind);
            File.WriteAllBytes(target, mutant);
            var task = Task.Run(() => load(target));
            bool done = true;
            try { await task.WaitAsync(TimeSpan.FromSeconds(10)); }
            catch (TimeoutException) { done = false; }
            catch (Exception ex)
            {
                if (ex is LmToLlmException && ex.Message.Contains(Path.GetFileName(target), StringComparison.Ordinal)) { rejected++; continue; }
                failures.Add($"case {c} kind {kind}: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
                continue;
            }
            if (!done) { failures.Add($"case {c} kind {kind}: timeout"); break; }
            loaded++;
        }
        output.WriteLine($"{format}: {Cases} cases, {loaded} loaded, {rejected} rejected, {failures.Count} failures");
        Assert.True(failures.Count == 0, $"{format}: {failures.Count} failures\n" + string.Join('\n', failures.Take(15)));
    }
}

[Trait("Category", "Robustness")]
public sealed class MutationRegressionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-reg").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Found by the mutation test: relevance 2147483647 overflowed (new long[max + 1]) and larger values meant a huge allocation.
    [Theory]
    [InlineData("q1 0 d1 2147483647\n")]
    [InlineData("q1 0 d1 1000001\n")]
    public void Trec_qrels_with_a_huge_relevance_level_is_a_format_error_naming_the_file(string content)
    {
        string path = Path.Combine(_dir, "huge.qrels");
        File.WriteAllText(path, content);
        var e = Assert.Throws<LmToLlmFormatException>(() => Qrels.ReadTrec(path));
        Assert.Contains("huge.qrels:1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Beir_qrels_with_a_huge_relevance_level_is_a_format_error_naming_the_file()
    {
        string path = Path.Combine(_dir, "huge.tsv");
        File.WriteAllText(path, "query-id\tcorpus-id\tscore\nq1\td1\t2147483647\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => Qrels.ReadBeir(path));
        Assert.Contains("huge.tsv:2", e.Message, StringComparison.Ordinal);
    }
}
