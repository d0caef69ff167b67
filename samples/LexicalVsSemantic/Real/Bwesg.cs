using System.IO.Compression;
using LmToLlm.Samples;
using LmToLlm;
using LmToLlm.Text;

namespace LexicalVsSemantic.Real;

/// <summary>
/// BWESG training text (Vulić &amp; Moens 2016, bilingual word embeddings from sentence-aligned text): each
/// translation pair becomes one pseudo-bilingual line, the English and Korean tokens merged and shuffled (seeded),
/// so that word2vec's window sees words of both languages in each other's context.
/// Input: <c>en-ko-parallel/ui-strings.tsv.gz</c> (english, korean) and <c>help-paragraphs.tsv.gz</c>
/// (page, paragraph, english, korean). Output: a text file, one line per pair, tokens as <see cref="Analyzer.Simple"/> gives them.
/// </summary>
internal static class Bwesg
{
    public static long WriteTrainingText(string parallelFolder, string path)
    {
        long tokens = 0;
        var random = new Random(1);
        SampleFiles.WriteText(path, writer =>
        {
            foreach (var (english, korean) in Pairs(parallelFolder))
            {
                var merged = Analyzer.Simple.Tokenize(english).Concat(Analyzer.Simple.Tokenize(korean)).ToArray();
                if (merged.Length < 2) continue;
                random.Shuffle(merged);
                writer.Write(string.Join(' ', merged));
                writer.Write('\n');
                tokens += merged.Length;
            }
        });
        return tokens;
    }

    private static IEnumerable<(string English, string Korean)> Pairs(string folder)
    {
        foreach (var fields in Rows(Path.Combine(folder, "ui-strings.tsv.gz")))
            if (fields.Length >= 2) yield return (fields[0], fields[1]);
        foreach (var fields in Rows(Path.Combine(folder, "help-paragraphs.tsv.gz")))
            if (fields.Length >= 4) yield return (fields[2], fields[3]);
    }

    private static IEnumerable<string[]> Rows(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        reader.ReadLine(); // header
        while (reader.ReadLine() is { } line) yield return line.Split('\t');
    }
}
