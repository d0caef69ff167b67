using System.IO.Compression;
using System.Text;
using LmToLlm.Nori;
using Xunit.Abstractions;

namespace LmToLlm.Tests.Nori;

/// <summary>
/// Differential tests against Lucene 8.8.1's Nori: the reference files beside this test (see Reference/README.md)
/// hold, per input line, every token with offsets, position increment and length, word type, tags and reading.
/// Every line must be identical.
/// </summary>
public sealed class NoriReferenceTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(SharedData.RepositoryRoot, "tests", "LmToLlm.Tests", "Nori", "Reference");

    [Theory]
    [InlineData("help-ko", "analyzer")]
    [InlineData("help-ko", "none")]
    [InlineData("help-ko", "discard")]
    [InlineData("help-ko", "mixed")]
    [InlineData("help-ko", "unigrams")]
    [InlineData("edge-cases", "analyzer")]
    [InlineData("edge-cases", "none")]
    [InlineData("edge-cases", "discard")]
    [InlineData("edge-cases", "mixed")]
    [InlineData("edge-cases", "unigrams")]
    [InlineData("user", "analyzer-user")]
    [InlineData("user", "user-mixed")]
    [InlineData("help-ko", "analyzer-user")]
    [InlineData("help-ko", "user-mixed")]
    public void Tokens_equal_Lucene_on_every_line(string input, string mode)
    {
        string[] lines = ReadLines(Path.Combine(Folder, input + ".txt.gz"));
        string[] expected = ReadLines(Path.Combine(Folder, $"{input}.{mode}.tsv.gz"));
        Assert.Equal(lines.Length, expected.Length);
        var sink = new NoriReferenceFormat();
        int identical = 0;
        var differences = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            sink.Clear();
            Run(mode, lines[i], sink);
            if (sink.ToString() == expected[i]) identical++;
            else if (differences.Count < 5) differences.Add($"line {i + 1}:\n  lucene: {expected[i]}\n  ours:   {sink}");
        }
        output.WriteLine($"{input} {mode}: {identical}/{lines.Length} lines identical");
        Assert.True(identical == lines.Length, $"{identical}/{lines.Length} lines identical\n{string.Join("\n", differences)}");
    }

    private static readonly NoriAnalyzer Analyzer = NoriAnalyzer.Create();
    private static readonly NoriUserDictionary User = NoriUserDictionary.Load(Path.Combine(Folder, "userdict_ko.txt"))!;
    private static readonly Dictionary<string, NoriTokenizer> Tokenizers = new()
    {
        ["none"] = NoriTokenizer.Create(NoriDecompoundMode.None),
        ["discard"] = NoriTokenizer.Create(NoriDecompoundMode.Discard),
        ["mixed"] = NoriTokenizer.Create(NoriDecompoundMode.Mixed),
        ["unigrams"] = NoriTokenizer.Create(NoriDecompoundMode.Discard, outputUnknownUnigrams: true),
        ["user-mixed"] = NoriTokenizer.Create(NoriDecompoundMode.Mixed, User),
    };
    private static readonly NoriAnalyzer UserAnalyzer = NoriAnalyzer.Create(userDictionary: User);

    private static void Run(string mode, string line, NoriReferenceFormat sink)
    {
        if (mode == "analyzer") Analyzer.Analyze(line, sink);
        else if (mode == "analyzer-user") UserAnalyzer.Analyze(line, sink);
        else Tokenizers[mode].Tokenize(line, sink);
    }

    /// <summary>Lines split at '\n' only (as the reference harness), without a final empty line.</summary>
    internal static string[] ReadLines(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, new UTF8Encoding(false, true));
        string all = reader.ReadToEnd();
        var lines = all.Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
