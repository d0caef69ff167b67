using System.Globalization;
using LmToLlm.NGrams;

namespace LmToLlm.Tests.NGrams;

/// <summary>The KenLM reference of ../shared/reference/ptb, and our models of the same text, built once per test run.</summary>
public static class PtbReference
{
    public static string File(string name) => SharedData.File("reference", "ptb", name);

    private static readonly Lazy<NGramCounts> Counts5 = new(() => NGramCounts.FromFile(File("ptb.train.UNK.txt"), new NGramCountOptions { Order = 5 }));
    private static readonly Lazy<NGramCounts> Counts3 = new(() => NGramCounts.FromFile(File("ptb.train.UNK.txt"), new NGramCountOptions { Order = 3 }));
    private static readonly Lazy<BackoffModel> Ours5 = new(() => NGramTrainer.ModifiedKneserNey(Counts5.Value));
    private static readonly Lazy<BackoffModel> Ours3 = new(() => NGramTrainer.ModifiedKneserNey(Counts3.Value));
    private static readonly Lazy<BackoffModel> KenLm5 = new(() => BackoffModel.ReadArpa(File("ptb.o5.arpa.gz")));
    private static readonly Lazy<BackoffModel> KenLm3 = new(() => BackoffModel.ReadArpa(File("ptb.o3.arpa.gz")));

    public static NGramCounts Counts(int order) => order == 5 ? Counts5.Value : Counts3.Value;
    public static BackoffModel Ours(int order) => order == 5 ? Ours5.Value : Ours3.Value;
    public static BackoffModel KenLm(int order) => order == 5 ? KenLm5.Value : KenLm3.Value;

    /// <summary>Rows of a reference TSV (header dropped), split on tabs.</summary>
    public static IEnumerable<string[]> Tsv(string name) =>
        System.IO.File.ReadLines(File(name)).Skip(1).Select(line => line.Split('\t'));

    public static float F(string s) => float.Parse(s, CultureInfo.InvariantCulture);
    public static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
