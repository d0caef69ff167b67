using System.IO.Compression;

namespace LmToLlm.Samples.Subwords;

/// <summary>One paragraph in both languages.</summary>
internal sealed record ParagraphPair(string Page, string English, string Korean);

/// <summary>The parallel help paragraphs, split by page: one page in ten (by a hash of its name) is held out.</summary>
internal sealed record ParallelText(IReadOnlyList<ParagraphPair> Train, IReadOnlyList<ParagraphPair> HeldOut)
{
    /// <summary>The committed file, searched upwards from the working and program folders.</summary>
    public static string? Locate()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string path = Path.Combine(dir.FullName, "corpora", "real", "en-ko-parallel", "help-paragraphs.tsv.gz");
                if (File.Exists(path)) return path;
            }
        return null;
    }

    /// <summary>Reads a TSV (optionally gzipped) whose header names the columns page, english and korean.</summary>
    public static ParallelText Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        string[] header = (reader.ReadLine() ?? throw new InvalidDataException($"{path}: empty")).Split('\t');
        int page = Column(header, "page", path), english = Column(header, "english", path), korean = Column(header, "korean", path);
        var train = new List<ParagraphPair>();
        var heldOut = new List<ParagraphPair>();
        int lineNumber = 1;
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            lineNumber++;
            string[] fields = line.Split('\t');
            if (fields.Length != header.Length)
                throw new InvalidDataException($"{path}:{lineNumber}: {fields.Length} columns, the header has {header.Length}");
            var pair = new ParagraphPair(fields[page], fields[english], fields[korean]);
            (Stable(pair.Page) % 10 == 0 ? heldOut : train).Add(pair);
        }
        return new ParallelText(train, heldOut);
    }

    private static int Column(string[] header, string name, string path) =>
        Array.IndexOf(header, name) is >= 0 and var i ? i : throw new InvalidDataException($"{path}:1: no column '{name}'");

    // FNV-1a over the page name: the same split on every machine and .NET version (string.GetHashCode is randomised).
    private static uint Stable(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text) hash = (hash ^ c) * 16777619;
        return hash;
    }
}
