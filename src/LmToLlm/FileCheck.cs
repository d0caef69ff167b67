using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LmToLlm.Corpora;
using LmToLlm.Embeddings;
using LmToLlm.Evaluation;
using LmToLlm.NGrams;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;

namespace LmToLlm;

/// <summary>The first bytes of a file, as format detection sees them.</summary>
internal sealed class FileSample
{
    internal FileSample(string path, byte[] head, IReadOnlyList<string> lines)
    {
        Path = path;
        Head = head;
        Lines = lines;
    }

    /// <summary>The file as the caller named it.</summary>
    internal string Path { get; }

    /// <summary>Up to the first 4 KiB of the file as stored (still compressed when the name ends in <c>.gz</c>).</summary>
    internal ReadOnlyMemory<byte> Head { get; }

    /// <summary>Up to the first 20 lines of the (decompressed) head decoded as UTF-8 (invalid bytes replaced), without line ends.</summary>
    internal IReadOnlyList<string> Lines { get; }

    /// <summary>The first line that is not blank, or "".</summary>
    internal string FirstLine => Lines.FirstOrDefault(l => l.Trim().Length > 0) ?? "";

    /// <summary>The extension in lower case, ignoring a trailing <c>.gz</c> (<c>corpus.tsv.gz</c> → <c>.tsv</c>).</summary>
    internal string Extension
    {
        get
        {
            string name = System.IO.Path.GetFileName(Path).ToLowerInvariant();
            if (name.EndsWith(".gz", StringComparison.Ordinal)) name = name[..^3];
            return System.IO.Path.GetExtension(name);
        }
    }

    /// <summary>True when the head starts with <paramref name="magic"/>.</summary>
    public bool StartsWith(ReadOnlySpan<byte> magic) => Head.Span.StartsWith(magic);

    /// <summary>True when the head starts like a file of <paramref name="format"/>.</summary>
    internal bool Is(Primitives.BinaryFormat format) => format.Recognizes(Head.Span);
}

/// <summary>
/// One format <see cref="FileCheck"/> knows: a name (for <c>--format</c>), a description, a content sniff, and a
/// validator that reads the whole file with the library's reader and returns what it found (name, value).
/// The validator throws <see cref="LmToLlmFormatException"/> (naming file and line) when the file is invalid.
/// </summary>
/// <param name="Name">Short name, as given to <c>lmtollm check --format</c>.</param>
/// <param name="Description">What the format is, for messages.</param>
/// <param name="Detect">True when a file sample looks like this format.</param>
/// <param name="Validate">Reads and checks the whole file; returns the facts found.</param>
internal sealed record FileFormatCheck(string Name, string Description, Func<FileSample, bool> Detect,
    Func<string, IReadOnlyList<KeyValuePair<string, string>>> Validate);

/// <summary>What <see cref="FileCheck.Check"/> found in a valid file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Format">The format it was checked as.</param>
/// <param name="Facts">Counts, dimensions, checksum status, in reading order.</param>
internal sealed record FileCheckReport(string Path, FileFormatCheck Format, IReadOnlyList<KeyValuePair<string, string>> Facts);

/// <summary>
/// Validates any file this library reads, like Lucene's CheckIndex: detects the format from its content (or takes it
/// by name), reads the whole file with the library's reader and reports counts, dimensions and whether a checksum was
/// verified. Input: a path. Output: a <see cref="FileCheckReport"/>, or an <see cref="LmToLlmFormatException"/>
/// naming the file, the line and the problem. A new <see cref="FileCheck"/> knows the built-in formats; new formats
/// join an instance with <see cref="Register"/> (no process-wide registry: each instance is independent).
/// Not thread-safe while being registered into.
/// </summary>
internal sealed class FileCheck
{
    private readonly List<FileFormatCheck> _formats = BuiltIn();

    /// <summary>Every known format, in detection order (the first whose sniff matches wins).</summary>
    internal IReadOnlyList<FileFormatCheck> Formats => _formats.AsReadOnly();

    /// <summary>
    /// Adds a format ahead of the built-in ones (so a specific sniff, such as a magic number or an extension, wins
    /// over the generic text heuristics). A format of the same name is replaced.
    /// </summary>
    internal void Register(FileFormatCheck format)
    {
        ArgumentNullException.ThrowIfNull(format);
        _formats.RemoveAll(f => f.Name == format.Name);
        _formats.Insert(0, format);
    }

    /// <summary>The format named <paramref name="name"/>; <see cref="ArgumentException"/> listing the names when unknown.</summary>
    internal FileFormatCheck Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _formats.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"unknown format '{name}'; known formats: {string.Join(", ", _formats.Select(f => f.Name))}", nameof(name));
    }

    /// <summary>The format <paramref name="path"/> looks like; <see cref="LmToLlmFormatException"/> when none matches.</summary>
    internal FileFormatCheck Detect(string path)
    {
        FileSample sample = Sample(path);
        return _formats.FirstOrDefault(f => f.Detect(sample))
            ?? throw new LmToLlmFormatException(path, 0, $"cannot tell the format from the content; give it with --format ({string.Join(", ", _formats.Select(f => f.Name))})");
    }

    /// <summary>Checks <paramref name="path"/> as <paramref name="format"/> (a name from <see cref="Formats"/>), or as the detected format when null.</summary>
    internal FileCheckReport Check(string path, string? format = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileFormatCheck? named = format is null ? null : Find(format); // an unknown name is a usage error, whatever the file
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        FileFormatCheck chosen = named ?? Detect(path);
        return new FileCheckReport(path, chosen, chosen.Validate(path));
    }

    /// <summary>Reads the first 4 KiB and the first lines of the decompressed text.</summary>
    private static FileSample Sample(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        byte[] head = new byte[4096];
        int length;
        using (var stream = File.OpenRead(path)) length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        Array.Resize(ref head, length);
        // The lines come from up to 1 MiB, enough for a whole first line: a BEIR line of 12.9 KB is recognised by its
        // structure, not mistaken for an unknown format because 4 KiB cut it.
        byte[] text;
        try
        {
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(File.OpenRead(path), CompressionMode.Decompress)
                : File.OpenRead(path);
            text = FirstLines(stream);
        }
        catch (InvalidDataException e)
        {
            throw new LmToLlmFormatException(path, 1, $"corrupt gzip data ({e.Message}); the file may be damaged or truncated", e);
        }
        var lines = Encoding.UTF8.GetString(text).Split('\n').Take(20).Select(l => l.TrimEnd('\r')).ToList();
        return new FileSample(path, head, lines);
    }

    /// <summary>The first 64 KiB, extended (up to 1 MiB) until it holds a line end after a non-blank character.</summary>
    private static byte[] FirstLines(Stream stream)
    {
        const int Step = 1 << 16, Limit = 1 << 20;
        var buffer = new byte[Step];
        int length = 0;
        while (true)
        {
            int read = stream.ReadAtLeast(buffer.AsSpan(length), buffer.Length - length, throwOnEndOfStream: false);
            length += read;
            var filled = buffer.AsSpan(0, length);
            int firstText = filled.IndexOfAnyExcept(" \t\r\n"u8);
            bool wholeLine = firstText >= 0 && filled[firstText..].Contains((byte)'\n');
            if (wholeLine || read == 0 || length < buffer.Length || buffer.Length >= Limit) break;
            Array.Resize(ref buffer, buffer.Length * 2);
        }
        Array.Resize(ref buffer, length);
        return buffer;
    }

    private static KeyValuePair<string, string> Fact(string name, object value) =>
        new(name, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

    private static string[] Fields(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    private static bool IsInteger(string s) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static List<FileFormatCheck> BuiltIn() =>
    [
        new("index", "inverted index (InvertedIndex.Save, lmtollm index)", s => s.Is(InvertedIndex.FileFormat), path =>
        {
            var index = InvertedIndex.Load(path);
            return [Fact("analyzer", index.AnalyzerName), Fact("documents", index.DocumentCount), Fact("terms", index.TermCount), Fact("postings", index.PostingCount), Fact("checksum", "verified")];
        }),
        new("suffix-array", "suffix-array index (lmtollm sa build)", s => s.Is(SuffixArrays.SuffixArrayFile.Format), path =>
        {
            using var index = SuffixArrays.SuffixArrayIndex.Open(path, verify: true);
            return [Fact("mode", index.Mode == SuffixArrays.SuffixArrayMode.Bytes ? "bytes" : "tokens (" + index.TokenizerName + ")"), Fact("documents", index.DocumentCount), Fact("symbols", index.StreamLength), Fact("shards", index.ShardCount), Fact("vocabulary", index.VocabularySize), Fact("bytes per id", index.IdWidth), Fact("bytes per pointer", index.PointerWidth), Fact("checksum", "verified")];
        }),
        new("dense-index", "dense vector index (DenseIndex.Save)", s => s.Is(DenseIndex.FileFormat), path =>
        {
            var index = DenseIndex.Load(path);
            return [Fact("vectors", index.Count), Fact("dimensions", index.Dimensions), Fact("checksum", "verified")];
        }),
        new("ngram-binary", "binary n-gram model (BackoffModel.Save, lmtollm ngram train --binary)", s => s.Is(BackoffModel.FileFormat), path => Describe(BackoffModel.Load(path), checksum: true)),
        new("vocabulary", "vocabulary (Vocabulary.Save)", s => s.FirstLine.StartsWith(Text.Vocabulary.Magic, StringComparison.Ordinal), path =>
        {
            var vocabulary = Text.Vocabulary.Load(path);
            return [Fact("tokens", vocabulary.Count), Fact("total count", vocabulary.TotalCount)];
        }),
        new("arpa", "ARPA back-off n-gram model (KenLM, SRILM)", s => s.Lines.Any(l => l.Trim() == "\\data\\"), path => Describe(BackoffModel.ReadArpa(path), checksum: false)),
        new("fasttext-bin", "fastText model (.bin, the reference's format 11/12; lmtollm ft train)", s => s.Head.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(s.Head.Span) == Embeddings.FastText.FastTextBinaryFormat.Magic, path =>
        {
            var model = Embeddings.FastText.FastTextModel.Load(path);
            return [Fact("words", model.Count), Fact("dimensions", model.Dimensions), Fact("n-gram buckets", model.Options.Bucket), Fact("character n-grams", $"{model.Options.MinN}-{model.Options.MaxN}"), Fact("tokens", model.Tokens)];
        }),
        new("fasttext-vec", "fastText .vec text vectors (also .vec.gz)", s => s.Extension == ".vec" && Fields(s.FirstLine) is [var n, var d] && int.TryParse(n, out _) && int.TryParse(d, out _), path =>
        {
            var vectors = Embeddings.FastText.FastTextVecFormat.Load(path);
            return [Fact("words", vectors.Count), Fact("dimensions", vectors.Dimensions)];
        }),
        new("word2vec", "word2vec vectors, text or binary (word2vec.c, gensim)", s => Fields(s.FirstLine) is [var n, var d] && int.TryParse(n, out _) && int.TryParse(d, out _) && !s.Path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase), path =>
        {
            var encoding = Word2VecFormat.Detect(path);
            var vectors = WordVectors.Load(path, encoding);
            return [Fact("encoding", encoding == WordVectorFileFormat.Binary ? "binary" : "text"), Fact("words", vectors.Count), Fact("dimensions", vectors.Dimensions)];
        }),
        new("beir-qrels", "BEIR qrels TSV (query-id, corpus-id, score)", s => s.FirstLine.StartsWith("query-id\t", StringComparison.Ordinal), path => Describe(Qrels.ReadBeir(path))),
        new("beir-corpus", "BEIR corpus JSONL (_id, title, text)", s => IsJsonl(s, "title"), path =>
        {
            long count = 0;
            foreach (var _ in BeirJsonl.ReadCorpus(path)) count++;
            return [Fact("documents", count)];
        }),
        new("beir-queries", "BEIR queries JSONL (_id, text)", s => IsJsonl(s, null), path =>
        {
            long count = 0;
            foreach (var _ in BeirJsonl.ReadQueries(path)) count++;
            return [Fact("queries", count)];
        }),
        new("trec-run", "TREC run (query Q0 document rank score tag)", s => Fields(s.FirstLine) is [_, _, _, var rank, var score, _] && IsInteger(rank) && double.TryParse(score, NumberStyles.Float, CultureInfo.InvariantCulture, out _), path =>
        {
            var run = Run.ReadTrec(path);
            long entries = run.QueryIds.Sum(q => (long)(run.Get(q)?.Count ?? 0));
            return [Fact("name", run.Name), Fact("queries", run.QueryCount), Fact("entries", entries)];
        }),
        new("trec-qrels", "TREC qrels (query iteration document relevance)", s => Fields(s.FirstLine) is [_, _, _, var relevance] && IsInteger(relevance), path => Describe(Qrels.ReadTrec(path))),
        new("csv", "CSV documents with a header (id, title, text)", s => s.Extension == ".csv", path => Documents(path)),
        new("tsv", "TSV documents with a header (id, title, text)", s => s.Extension == ".tsv", path => Documents(path)),
        new("plain", "plain text, one document per line (never detected; give --format plain)", _ => false, path =>
        {
            long count = 0;
            foreach (var _ in PlainTextCorpus.Read(path)) count++;
            return [Fact("documents", count)];
        }),
    ];

    /// <summary>
    /// True when the first line opens a JSON object whose top-level names include <c>_id</c> (and <paramref name="property"/>).
    /// The structure decides, not the length: a first line longer than the sample is read as far as it goes
    /// (a streaming reader over an unfinished block), and a name seen before the cut counts.
    /// </summary>
    private static bool IsJsonl(FileSample sample, string? property)
    {
        string line = sample.FirstLine.Trim();
        if (!line.StartsWith('{')) return false;
        bool id = false, named = property is null, complete = false;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line), isFinalBlock: false, state: default);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    id |= reader.ValueTextEquals("_id"u8);
                    named |= property is not null && reader.ValueTextEquals(property);
                }
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0) { complete = true; break; }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        // A whole object must name both; a cut one (the sample ended inside it, a line of more than 1 MiB) may not have
        // reached a later name, and is taken as a corpus line: queries are never that long.
        return id && (named || !complete);
    }

    private static List<KeyValuePair<string, string>> Describe(BackoffModel model, bool checksum)
    {
        var facts = new List<KeyValuePair<string, string>> { Fact("order", model.Order), Fact("vocabulary", model.Vocabulary.Count) };
        for (int k = 1; k <= model.Order; k++) facts.Add(Fact($"{k}-grams", model.NGramCount(k)));
        if (checksum) facts.Add(Fact("checksum", "verified"));
        return facts;
    }

    private static List<KeyValuePair<string, string>> Describe(Qrels qrels)
    {
        long judgments = 0, relevant = 0;
        foreach (string q in qrels.QueryIds)
        {
            judgments += qrels.Get(q)?.Count ?? 0;
            relevant += qrels.RelevantCount(q);
        }
        return [Fact("queries", qrels.QueryCount), Fact("judgments", judgments), Fact("relevant", relevant)];
    }

    private static List<KeyValuePair<string, string>> Documents(string path)
    {
        long count = 0;
        foreach (var _ in DelimitedCorpus.Read(path)) count++;
        return [Fact("documents", count)];
    }
}
