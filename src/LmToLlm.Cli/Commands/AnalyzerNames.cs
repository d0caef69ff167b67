using LmToLlm.Data;
using LmToLlm.Nori;
using LmToLlm.Text;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// The one place the CLI turns an analyzer name into an analyzer: the built-in ones (<see cref="Analyzer.FromName"/>)
/// and those of the optional packages the tool carries (<c>nori</c>, with its <c>:none</c>/<c>:mixed</c>/<c>:unigrams</c>
/// settings, from LmToLlm.Nori) and <c>spm:PATH</c>, the pieces of a SentencePiece model. Library calls take the <see cref="Analyzer"/> instance this gives.
/// </summary>
internal static class AnalyzerNames
{
    /// <summary>The analyzer <paramref name="name"/> names; a usage error naming <paramref name="flag"/> and the known names otherwise.</summary>
    public static Analyzer Parse(string name, string flag = "--analyzer")
    {
        try
        {
            return Optional(name) ?? Analyzer.FromName(name);
        }
        catch (ArgumentException e)
        {
            string message = CliApp.ArgumentMessage(e);
            if (message.StartsWith("unknown analyzer", StringComparison.Ordinal)) message += ", nori[:none|:mixed][:unigrams], spm:MODEL";
            throw new UsageException($"{flag}: {message}");
        }
    }

    /// <summary>The analyzer an index file names, for the analyzers the library does not build in (nori, spm:PATH); null for the others.</summary>
    public static Analyzer? Optional(string name) => NoriAnalyzer.TryFromName(name) ?? (Analyzer?)Subwords.SubwordAnalyzer.TryFromName(name);

    /// <summary>
    /// The text a trainer that splits on white space (n-gram counts, Word2Vec, fastText) reads: <paramref name="path"/>
    /// itself without an analyzer, else its lines put through the analyzer into a temporary file, deleted on dispose.
    /// </summary>
    public static AnalyzedInput Prepare(string path, string? analyzerName, string flag = "--analyzer")
    {
        if (analyzerName is null) return new AnalyzedInput(path, false);
        var analyzer = Parse(analyzerName, flag);
        string temporary = Path.Combine(Path.GetTempPath(), $"lmtollm-{analyzer.Name.Replace(':', '-')}-{Guid.NewGuid():N}.txt");
        try
        {
            AnalyzedText.Write(path, analyzer, temporary, CliApp.Cancellation);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        return new AnalyzedInput(temporary, true);
    }

    /// <summary>The <c>--analyzer</c> option of the commands whose input is white-space separated words.</summary>
    public static System.CommandLine.Option<string?> TrainingOption(string what) =>
        new("--analyzer") { Description = $"Put {what} through this analyzer first (e.g. nori, korean, english); default: split on white space as given" };
}

/// <summary>A text path for a trainer, deleted on dispose when it is a temporary analyzed copy.</summary>
internal sealed class AnalyzedInput(string path, bool temporary) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        if (temporary) File.Delete(Path);
    }
}
