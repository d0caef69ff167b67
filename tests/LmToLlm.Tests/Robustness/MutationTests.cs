using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
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

/// <summary>One readable format: how to write a valid seed, how to load a file, and how it may be mutated.</summary>
/// <param name="Name">The format's name in test output.</param>
/// <param name="SeedName">File name of the seed (its extension selects the reader's behaviour).</param>
/// <param name="WriteSeed">Writes a valid file.</param>
/// <param name="Load">Reads a file completely.</param>
/// <param name="Text">Line-oriented: a rejection must name the line (<c>file:N: ...</c>, N ≥ 1).</param>
/// <param name="Restamp">For checksummed binaries: recomputes the trailing checksum so mutations reach the parser.</param>
/// <param name="Gzip">The seed is gzip-compressed (<c>.gz</c>) and the reader decompresses it.</param>
public sealed record MutationFormat(string Name, string SeedName, Action<string> WriteSeed, Action<string> Load, bool Text,
    Func<byte[], byte[]>? Restamp = null, bool Gzip = false);

// Seeded mutation tests: valid file (written by our own writers) -> mutated bytes -> reader.
// Contract: the reader either loads or throws an LmToLlmException naming the file (and the line, for text formats);
// nothing else, within a per-case time and allocation budget.
[Trait("Category", "Robustness")]
[Collection(RunsAloneCollection.Name)]   // its cases are bounded in time: they must not share the cores
public sealed class MutationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-mut").FullName;

    /// <summary>
    /// Cases per format: 2,000 by default; <c>LMTOLLM_MUTATION_CASES=100000</c> for the long run
    /// (<c>LMTOLLM_MUTATION_FORMATS=csv,arpa.gz</c> limits a run to some formats).
    /// </summary>
    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("LMTOLLM_MUTATION_CASES"), out int n) && n > 0 ? n : 2000;

    /// <summary>A case may take this long before the test reports a hang.</summary>
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A case may allocate at most this multiple of the bytes it reads plus <see cref="AllocationConstant"/>: readers
    /// must check header-declared sizes against the file before allocating.
    /// </summary>
    internal const long AllocationFactor = 64;

    internal const long AllocationConstant = 4 << 20;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal const string Arpa =
        "\\data\\\nngram 1=4\nngram 2=2\n\n\\1-grams:\n-1.0\t<s>\t-0.5\n-0.5\t</s>\n-0.6\ta\t-0.3\n-0.7\tb\t-0.2\n\n\\2-grams:\n-0.3\t<s> a\n-0.2\ta b\n\n\\end\\\n";

    private static Document[] Docs => [new("d1", "T1", "the cat sat"), new("d2", "", "a dog, \"quoted\"\tran"), new("d3", "x", "the cat ran")];

    private static WordVectors Vectors() => WordVectors.Create(["</s>", "cat", "dog"], [0.1f, 0.2f, -0.3f, 1f, 2f, 3f, -1e-3f, 5.5f, 0f], 3);

    private static IEnumerable<MutationFormat> PlainFormats()
    {
        yield return new("beir-corpus", "c.jsonl", p => BeirJsonl.WriteCorpus(p, Docs), p => BeirJsonl.ReadCorpus(p).ToList(), true);
        yield return new("beir-queries", "q.jsonl", p => BeirJsonl.WriteQueries(p, [new Query("q1", "cat"), new Query("q2", "dog ran")]), p => BeirJsonl.ReadQueries(p).ToList(), true);
        yield return new("beir-qrels", "qrels.tsv", p => File.WriteAllText(p, "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\nq2\td3\t2\n"), p => Qrels.ReadBeir(p), true);
        yield return new("trec-qrels", "qrels.trec", p => File.WriteAllText(p, "q1 0 d1 1\nq1 0 d2 0\nq2 0 d3 2\n"), p => Qrels.ReadTrec(p), true);
        yield return new("trec-run", "run.trec", p => TrecRunWriter.Write(p, [new RunQuery("q1", [new RunEntry("d1", 1.5), new RunEntry("d2", 0.5)]), new RunQuery("q2", [new RunEntry("d3", 2.0)])], "t"), p => Run.ReadTrec(p), true);
        yield return new("csv", "docs.csv", p => DelimitedCorpus.Write(p, Docs), p => DelimitedCorpus.Read(p).ToList(), true);
        yield return new("tsv", "docs.tsv", p => DelimitedCorpus.Write(p, [new("d1", "T1", "the cat sat"), new("d2", "", "a dog ran")]), p => DelimitedCorpus.Read(p).ToList(), true);
        yield return new("plain", "plain.txt", p => PlainTextCorpus.Write(p, ["the cat sat", "a dog ran", ""]), p => PlainTextCorpus.Read(p).ToList(), true);
        // Any text in: the layout is detected from the (mutated) content, so a mutant may be read as another layout.
        yield return new("detected-jsonl", "docs.txt", p => BeirJsonl.WriteCorpus(p, Docs), p => DocumentSource.Open(p).ReadDocuments().ToList(), true);
        yield return new("detected-csv", "docs.dat", p => DelimitedCorpus.Write(p, Docs, new DelimitedCorpusOptions(TitleColumn: "title", Delimiter: ',')), p => DocumentSource.Open(p).ReadDocuments().ToList(), true);
        yield return new("detected-tsv", "docs.data", p => File.WriteAllText(p, "id\ttitle\ttext\nd1\tT1\tthe cat sat\nd2\t\ta dog ran\n"), p => DocumentSource.Open(p).ReadDocuments().ToList(), true);
        // A folder: the mutant is one file of the folder it is written into, next to the valid seed.
        yield return new("folder", "doc.txt", p => File.WriteAllText(p, "the cat sat\non the mat\n"), p => FolderCorpus.ReadRecords(Path.GetDirectoryName(p)!).ToList(), true);
        yield return new("arpa", "m.arpa", p => File.WriteAllText(p, Arpa), p => BackoffModel.ReadArpa(p), true);
        yield return new("vocabulary", "v.vocab", p => Vocabulary.FromCounts([new("the", 3), new("cat", 2), new("dog", 1)]).Save(p), p => Vocabulary.Load(p), true);
        yield return new("w2v-text", "v.txt", p => Vectors().Save(p, WordVectorFileFormat.Text), p => WordVectors.Load(p, WordVectorFileFormat.Text), true);
        yield return new("analogy-questions", "questions.txt", p => File.WriteAllText(p, ": capital\ncat dog dog cat\n: family\ncat </s> dog </s>\n"), p => AnalogyEvaluation.Evaluate(Vectors(), p), true);
        yield return new("nori-userdict", "userdict_ko.txt", p => File.WriteAllText(p, "# nouns\n세종\n세종시 세종 시\nC++  # symbol\n"), p => LmToLlm.Nori.NoriUserDictionary.Load(p), true);
        yield return new("word-similarity", "ws.txt", p => File.WriteAllText(p, "cat dog 7.35\ncat cat 10.00\ndog </s> 1.5\n"), p => WordSimilarityEvaluation.Evaluate(Vectors(), p), true);
        yield return new("glove-text", "v.glove.txt", p => Vectors().Save(p, WordVectorFileFormat.GloVeText), p => WordVectors.Load(p), true);
        yield return new("fasttext-vec", "v.vec", p => LmToLlm.Embeddings.FastText.FastTextVecFormat.Save(Vectors(), p), p => LmToLlm.Embeddings.FastText.FastTextVecFormat.Load(p), true);
        yield return new("fasttext-bin", "m.bin", p => LmToLlm.Tests.Embeddings.FastText.FastTextSubwordTests.Tiny().Save(p), p => LmToLlm.Embeddings.FastText.FastTextModel.Load(p), false);
        yield return new("w2v-binary", "v.bin", p => Vectors().Save(p, WordVectorFileFormat.Binary), p => WordVectors.Load(p, WordVectorFileFormat.Binary), false);
        yield return new("ngram-binary", "m.bin", p => WriteArpaModel(p), p => BackoffModel.Load(p), false, Restamp);
        yield return new("inverted-index", "i.idx", p => InvertedIndex.Build(Docs, Analyzer.Simple).Save(p), p => InvertedIndex.Load(p), false, Restamp);
        yield return new("suffix-array", "s.sa", p => WriteSuffixArray(p, 0, 0), LoadSuffixArray, false, Restamp);
        yield return new("suffix-array-3-byte-ids", "s3.sa", p => WriteSuffixArray(p, 3, 0), LoadSuffixArray, false, Restamp);
        yield return new("suffix-array-5-byte-pointers", "s5.sa", p => WriteSuffixArray(p, 0, 5), LoadSuffixArray, false, Restamp);
        yield return new("spm-model", "m.model", p => TinySubwordModel().Save(p), p => EncodeWith(LmToLlm.Subwords.SentencePieceModel.Load(p)), false);
        // Byte-level BPE: each file of the pair is mutated with a valid companion beside it. A vocab.json mutant that
        // drops a token some merge makes is rejected at that merge's line of merges.txt (naming the mutant), so its
        // rejections must name the file, not necessarily its line; problems inside vocab.json name their line (ByteLevelBpeTests).
        yield return new("bpe-vocab-json", "vocab.json", p => TinyByteLevelBpe().Save(p, Path.Combine(Path.GetDirectoryName(p)!, "merges.txt")),
            p => EncodeWith(LmToLlm.Subwords.ByteLevelBpe.Load(p, Path.Combine(Path.GetDirectoryName(p)!, "merges.txt"))), false);
        yield return new("bpe-merges", "merges.txt", p => TinyByteLevelBpe().Save(Path.Combine(Path.GetDirectoryName(p)!, "vocab.json"), p),
            p => EncodeWith(LmToLlm.Subwords.ByteLevelBpe.Load(Path.Combine(Path.GetDirectoryName(p)!, "vocab.json"), p)), true);
        yield return new("ngram-training-text", "lm.txt", p => File.WriteAllText(p, "the cat sat\non the mat\nthe dog sat on the cat\n"),
            p => NGramCounts.FromFile(p, new NGramCountOptions { Order = 3, MaxDegreeOfParallelism = 1 }), true);
        yield return new("ngram-training-text-on-disk", "lmdisk.txt", p => File.WriteAllText(p, "the cat sat\non the mat\nthe dog sat on the cat\n"),
            p => KneserNeyOnDisk.Train(p, new NGramCountOptions { Order = 3, MemoryBudget = NGramCountOptions.MinimumMemoryBudget, MaximumRunRecords = 64 }, modified: true, discountFallback: true).Dispose(), true);
        yield return new("spm-training-text", "train.txt", p => File.WriteAllText(p, "ab ab ab abc\n학교에서 학교를\n"), p => LmToLlm.Subwords.TrainingText.ReadLines(p), true);
        yield return new("dense-index", "d.idx", p => DenseIndex.Create([1f, 0f, 0f, 0.6f, 0.8f, 0f, 0f, 0f, 1f], 3).Save(p), p => DenseIndex.Load(p), false, Restamp);
        yield return new("embedding-cache", "c.emb", p => new LmToLlm.Contextual.EmbeddingCache("all-MiniLM-L6-v2", 160, 42UL, 3, [1f, 0f, 0f, 0.6f, 0.8f, 0f]).Save(p),
            p => LmToLlm.Contextual.EmbeddingCache.Load(p), false, Restamp);
    }

    /// <summary>Every format, and a <c>.gz</c> variant of each text format whose reader decompresses.</summary>
    public static IReadOnlyList<MutationFormat> All { get; } = BuildAll();

    private static List<MutationFormat> BuildAll()
    {
        var all = PlainFormats().ToList();
        string[] gzipped = ["detected-jsonl", "folder", "beir-corpus", "beir-queries", "beir-qrels", "trec-qrels", "trec-run", "csv", "tsv", "plain", "arpa", "vocabulary", "analogy-questions", "word-similarity", "fasttext-vec", "nori-userdict", "ngram-training-text"];
        foreach (var f in all.Where(f => gzipped.Contains(f.Name)).ToList())
            all.Add(f with { Name = f.Name + ".gz", SeedName = f.SeedName + ".gz", WriteSeed = p => { f.WriteSeed(p[..^3]); File.WriteAllBytes(p, Gzip(File.ReadAllBytes(p[..^3]))); File.Delete(p[..^3]); }, Gzip = true });
        return all;
    }

    public static TheoryData<string> Formats => new(All.Select(f => f.Name));

    private static LmToLlm.Subwords.SentencePieceModel TinySubwordModel() =>
        LmToLlm.Subwords.SubwordTrainer.Train(["ab ab ab abc", "학교에서 학교를"], new LmToLlm.Subwords.SubwordTrainerOptions
        {
            ModelType = LmToLlm.Subwords.SubwordModelType.Bpe, VocabSize = 20, NormalizationRuleName = "identity",
        });

    /// <summary>A model that loads must also encode; WORD and CHAR models load but are refused by the tokenizer.</summary>
    private static LmToLlm.Subwords.ByteLevelBpe TinyByteLevelBpe() =>
        LmToLlm.Subwords.ByteLevelBpe.Train(["ab ab ab abc", "학교에서 학교를 학교가"], new LmToLlm.Subwords.ByteLevelBpeTrainerOptions { VocabSize = 270 });

    private static void EncodeWith(LmToLlm.Subwords.ByteLevelBpe bpe) => bpe.Decode(bpe.EncodeToIds("ab abc 학교를 x 😀"));

    private static void EncodeWith(LmToLlm.Subwords.SentencePieceModel model)
    {
        if (model.ModelType is LmToLlm.Subwords.SubwordModelType.Bpe or LmToLlm.Subwords.SubwordModelType.Unigram)
            LmToLlm.Subwords.SubwordTokenizer.Create(model).EncodeToIds("ab abc 학교를 x");
    }

    private static void WriteArpaModel(string path)
    {
        string arpa = path + ".arpa";
        File.WriteAllText(arpa, Arpa);
        BackoffModel.ReadArpa(arpa).Save(path);
        File.Delete(arpa);
    }

    /// <summary>
    /// A small token index at <paramref name="path"/>; <paramref name="idWidth"/> forces the id width (0: chosen from the
    /// vocabulary, 2 bytes here), <paramref name="pointerWidth"/> the pointer width (0: chosen from the length, 3 bytes here).
    /// </summary>
    private static void WriteSuffixArray(string path, int idWidth, int pointerWidth)
    {
        string text = path + ".txt";
        File.WriteAllText(text, "the cat sat\n\na dog ran\nthe cat ran\n");
        LmToLlm.SuffixArrays.SuffixArrayBuilder.Build(text, path, new LmToLlm.SuffixArrays.SuffixArrayBuildOptions { IdWidth = idWidth, PointerWidth = pointerWidth });
        File.Delete(text);
    }

    private static void LoadSuffixArray(string path)
    {
        using var index = LmToLlm.SuffixArrays.SuffixArrayIndex.Open(path, verify: true);
        index.Count("the cat");
        index.Find("cat", take: 5);
        new LmToLlm.SuffixArrays.InfiniGram(index).NextTokens(["the"]);
    }

    /// <summary>Every checksummed binary shares one frame, so one restamp fits them all.</summary>
    private static byte[] Restamp(byte[] b)
    {
        global::LmToLlm.Primitives.BinaryFormat.Restamp(b);
        return b;
    }

    internal static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data);
        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        var output = new MemoryStream();
        gz.CopyTo(output);
        return output.ToArray();
    }

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
            case 6: // duplicate or drop a line (a section, in a sectioned format)
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

    /// <summary>The int32 values a targeted field mutation writes: 0, -1, huge, and one past the file length.</summary>
    private static int[] FieldValues(int fileLength) => [0, -1, int.MaxValue, fileLength + 1];

    /// <summary>
    /// The mutant for case <paramref name="c"/>. Checksummed binaries: the first cases set each int32 slot of the first
    /// 64 body bytes (the header) to each of <see cref="FieldValues"/>, later cases alternate between a plain mutation,
    /// a restamped one and a targeted field at a random offset (restamped). Gzip: alternately the compressed bytes are
    /// mutated (truncated gzip, flipped bits in the deflate stream) or the text is mutated and recompressed.
    /// </summary>
    private static byte[] MutantFor(MutationFormat format, byte[] original, byte[] plainText, Random rng, int c, out string kind)
    {
        if (format.Restamp is { } restamp)
        {
            int body = original.Length - 8;
            int headerSlots = Math.Min(64, body - 3);
            int[] values = FieldValues(original.Length);
            int targeted = headerSlots * values.Length;
            if (c < targeted)
            {
                kind = $"field@{c / values.Length}={values[c % values.Length]}";
                return restamp(SetInt32((byte[])original.Clone(), c / values.Length, values[c % values.Length]));
            }
            switch (c % 3)
            {
                case 0: kind = $"plain{c % 10}"; return Mutate(original, rng, c % 10);
                case 1: kind = $"restamped{c % 10}"; return restamp(Mutate(original, rng, c % 10));
                default:
                    int at = rng.Next(body - 3), value = values[rng.Next(values.Length)];
                    kind = $"field@{at}={value}";
                    return restamp(SetInt32((byte[])original.Clone(), at, value));
            }
        }
        if (format.Gzip)
        {
            if (c % 2 == 0)
            {
                int k = (c / 2) % 4;
                kind = "gzip-bytes" + k;
                return k switch
                {
                    0 => original.AsSpan(0, rng.Next(original.Length)).ToArray(), // truncated gzip
                    1 => FlipInside(original, rng, 10, original.Length - 8), // a bit flipped inside the deflate stream
                    2 => FlipInside(original, rng, 0, original.Length), // anywhere: header, deflate stream, trailer
                    _ => Mutate(original, rng, (c / 8) % 10),
                };
            }
            kind = "gzip-text" + (c / 2) % 10;
            return Gzip(Mutate(plainText, rng, (c / 2) % 10));
        }
        kind = "plain" + c % 10;
        return Mutate(original, rng, c % 10);
    }

    private static byte[] SetInt32(byte[] b, int at, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(at), value);
        return b;
    }

    private static byte[] FlipInside(byte[] original, Random rng, int from, int to)
    {
        byte[] b = (byte[])original.Clone();
        if (to > from) b[rng.Next(from, to)] ^= (byte)(1 << rng.Next(8));
        return b;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Mutated_input_loads_or_throws_the_documented_exception(string name)
    {
        var format = All.Single(f => f.Name == name);
        if (Environment.GetEnvironmentVariable("LMTOLLM_MUTATION_FORMATS") is { Length: > 0 } only && !only.Split(',').Contains(name)) return;
        string seed = Path.Combine(_dir, format.SeedName);
        format.WriteSeed(seed);
        format.Load(seed); // the seed itself must load
        byte[] original = File.ReadAllBytes(seed);
        byte[] plainText = format.Gzip ? Gunzip(original) : original;
        var rng = new Random(1234 + name.Length * 31 + name[0]);
        string target = Path.Combine(_dir, "mutant" + (format.Gzip ? Path.GetExtension(seed[..^3]) + ".gz" : Path.GetExtension(seed)));
        int loaded = 0, rejected = 0;
        long worstAllocation = 0;
        double worstMs = 0;
        var failures = new List<string>();
        for (int c = 0; c < Cases; c++)
        {
            byte[] mutant = MutantFor(format, original, plainText, rng, c, out string kind);
            File.WriteAllBytes(target, mutant);
            long allocated = 0;
            var clock = Stopwatch.StartNew();
            // A thread of its own: a thread pool starved by tests running in parallel must not read as a hang.
            var task = Task.Factory.StartNew(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                try { format.Load(target); }
                finally { allocated = GC.GetAllocatedBytesForCurrentThread() - before; }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                await task.WaitAsync(CaseTimeout);
                loaded++;
            }
            catch (TimeoutException)
            {
                failures.Add($"case {c} {kind}: no result within {CaseTimeout.TotalSeconds} s (hang)");
                break; // the worker cannot be aborted; stop here
            }
            catch (Exception ex)
            {
                string? problem = CheckRejection(ex, target, format.Text);
                if (problem is null) rejected++;
                else failures.Add($"case {c} {kind}: {problem}");
            }
            worstMs = Math.Max(worstMs, clock.Elapsed.TotalMilliseconds);
            // The budget is against what the reader was given; gzip input may legitimately expand (by at most the seed's ratio here).
            long input = Math.Max(mutant.Length, format.Gzip ? plainText.Length + 100_000 : 0);
            long budget = AllocationFactor * input + AllocationConstant;
            worstAllocation = Math.Max(worstAllocation, allocated);
            if (allocated > budget) failures.Add($"case {c} {kind}: allocated {allocated:N0} bytes for a {mutant.Length:N0}-byte input (budget {budget:N0})");
        }
        output.WriteLine($"| {name} | {Cases} | {loaded} | {rejected} | {failures.Count} | {worstAllocation / 1024.0:F0} KiB | {worstMs:F0} ms |");
        Assert.True(failures.Count == 0, $"{name}: {failures.Count} failures\n" + string.Join('\n', failures.Take(15)));
    }

    /// <summary>Null when <paramref name="ex"/> is the documented rejection of <paramref name="path"/>; else what is wrong with it.</summary>
    internal static string? CheckRejection(Exception ex, string path, bool text)
    {
        string first = ex.Message.Split('\n')[0];
        if (ex is not LmToLlmException) return $"{ex.GetType().Name} (not an LmToLlmException): {first}";
        if (!ex.Message.Contains(Path.GetFileName(path), StringComparison.Ordinal)) return $"message does not name the file: {first}";
        if (text && (ex is not LmToLlmFormatException { LineNumber: > 0 } f || !f.Message.StartsWith($"{path}:{f.LineNumber}: ", StringComparison.Ordinal)))
            return $"message does not name the line: {first}";
        return null;
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

    // Found by the restamped header mutations: the binary n-gram loader trusted the order and counts of a file whose
    // checksum matched (negative order: OverflowException; a count of 2^31-1: an 8 GB allocation or OutOfMemoryException).
    [Theory]
    [InlineData(12, -1, "order -1 is outside 1..15")]
    [InlineData(12, 16, "order 16 is outside 1..15")]
    [InlineData(16, int.MaxValue, "declares 2147483647 vocabulary words")]
    public void Binary_ngram_model_with_a_corrupt_header_and_a_valid_checksum_is_a_format_error(int offset, int value, string expected)
    {
        string arpa = Path.Combine(_dir, "m.arpa");
        File.WriteAllText(arpa, MutationTests.Arpa);
        string path = Path.Combine(_dir, "m.bin");
        BackoffModel.ReadArpa(arpa).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
        global::LmToLlm.Primitives.BinaryFormat.Restamp(bytes);
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.Load(path));
        Assert.Contains("m.bin: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    // Found while bounding allocations: a declared count of 2^31-1 made the ARPA reader allocate 8 GB before reading a line.
    [Fact]
    public void Arpa_count_larger_than_the_file_can_hold_is_a_format_error_before_any_allocation()
    {
        string path = Path.Combine(_dir, "big.arpa");
        File.WriteAllText(path, MutationTests.Arpa.Replace("ngram 2=2", "ngram 2=2147483647", StringComparison.Ordinal));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.ReadArpa(path));
        Assert.StartsWith($"{path}:3: 2147483647 2-grams declared, more than a", e.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void Arpa_order_above_the_maximum_names_the_limit()
    {
        var text = new StringBuilder("\\data\\\n");
        for (int k = 1; k <= 16; k++) text.Append($"ngram {k}=1\n");
        string path = Path.Combine(_dir, "deep.arpa");
        File.WriteAllText(path, text.ToString());
        var e = Assert.Throws<LmToLlmFormatException>(() => BackoffModel.ReadArpa(path));
        Assert.Equal($"{path}:17: order 16 is above the supported maximum n-gram order 15 (a compile-time limit, NGramCounts.MaxOrder)", e.Message);
    }

    // Found while bounding allocations: a word2vec header of 2e9 × 1 made the reader allocate 8 GB for a 20-byte file.
    [Theory]
    [InlineData("v.txt", WordVectorFileFormat.Text)]
    [InlineData("v.bin", WordVectorFileFormat.Binary)]
    public void Word2vec_header_larger_than_the_file_is_a_format_error_before_any_allocation(string name, WordVectorFileFormat format)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "2000000000 1\na 0.5\n");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(path, format));
        Assert.StartsWith($"{path}:1: the header announces 2000000000 vectors of 1 dimensions", e.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void Word2vec_text_with_fewer_vectors_than_announced_names_the_line_where_it_ends()
    {
        string path = Path.Combine(_dir, "short.txt");
        File.WriteAllText(path, "3 2\na 1.5 2.5\nb 3.5 4.5\n");
        var e = Assert.Throws<LmToLlmFormatException>(() => WordVectors.Load(path, WordVectorFileFormat.Text));
        Assert.Equal($"{path}:4: the file ends after 2 vectors, but the header announces 3; the file is truncated or the header is wrong", e.Message);
    }

    // Found while bounding allocations: the vocabulary header's size was trusted with a dictionary capacity.
    [Fact]
    public void Vocabulary_header_size_is_not_trusted_with_an_allocation()
    {
        string path = Path.Combine(_dir, "big.vocab");
        File.WriteAllText(path, "#lmtollm-vocabulary 1 2147483647\nthe\t3\n");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<LmToLlmFormatException>(() => Vocabulary.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Equal($"{path}:2: the header announces 2147483647 tokens but the file has 1; the file is truncated", e.Message);
    }
}
