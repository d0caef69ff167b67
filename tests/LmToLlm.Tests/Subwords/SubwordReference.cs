using System.IO.Compression;
using LmToLlm.Subwords;

namespace LmToLlm.Tests.Subwords;

/// <summary>The SentencePiece reference files in <c>Subwords/Reference</c> (see its README) and the English text from ../shared.</summary>
internal static class SubwordReference
{
    public static string Folder => Path.Combine(SharedData.RepositoryRoot, "tests", "LmToLlm.Tests", "Subwords", "Reference");

    public static byte[] Bytes(string name)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(Folder, name + ".gz")), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }

    public static string Text(string name) => System.Text.Encoding.UTF8.GetString(Bytes(name));

    /// <summary>The lines of a file as raw bytes (no line ends), as <c>spm_encode</c> reads them.</summary>
    public static List<byte[]> Lines(byte[] all) => TrainingText.SplitLines(all);

    /// <summary>
    /// Trains with <paramref name="options"/> and checks the vocabulary against <c>NAME.vocab</c> line by line, so a
    /// difference shows the piece where it starts; returns the model for further checks.
    /// </summary>
    public static SentencePieceModel TrainAndAssertVocabulary(string name, List<byte[]> lines, SubwordTrainerOptions options)
    {
        var model = SubwordTrainer.Train(lines, options, name);
        var vocab = new StringWriter();
        model.WriteVocab(vocab);
        var expected = Text(name + ".vocab").Split('\n');
        var actual = vocab.ToString().Split('\n');
        int same = expected.Zip(actual).TakeWhile(p => p.First == p.Second).Count();
        Xunit.Assert.True(same == expected.Length, $"{name}: first {same} pieces equal; then ours '{actual.ElementAtOrDefault(same)}' vs spm_train '{expected.ElementAtOrDefault(same)}'");
        return model;
    }

    public static SentencePieceModel Model(string name) => SentencePieceModel.Parse(Bytes(name + ".model"), name + ".model");

    public static List<byte[]> KoreanTrain() => Lines(Bytes("ko.train.txt"));

    /// <summary>The Korean held-out lines (stored here, so tests on them run on a bare clone).</summary>
    public static List<byte[]> KoreanTest() => Lines(Bytes("ko.test.txt"));

    /// <summary>The English split: the first 4,400 non-empty lines of the w2v corpus; every 11th is held out.</summary>
    public static (List<byte[]> Train, List<byte[]> Test) English()
    {
        using var gzip = new GZipStream(File.OpenRead(SharedData.File("data", "w2v-corpus", "corpus.txt.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var train = new List<byte[]>();
        var test = new List<byte[]>();
        int n = 0;
        while (n < 4400 && reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            n++;
            (n % 11 == 0 ? test : train).Add(System.Text.Encoding.UTF8.GetBytes(line));
        }
        return (train, test);
    }

    /// <summary>The held-out lines of a model's language: Korean stored here, English from ../shared.</summary>
    public static List<byte[]> HeldOut(string model) => model.StartsWith("ko", StringComparison.Ordinal) ? Lines(Bytes("ko.test.txt")) : English().Test;
}
