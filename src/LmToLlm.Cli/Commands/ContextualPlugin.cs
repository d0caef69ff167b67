using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using LmToLlm.Experiments;

namespace LmToLlm.Cli.Commands;

/// <summary>
/// The contextual models of <c>compare</c> (<c>contextual</c>, <c>hybrid-contextual</c>) come from the optional
/// LmToLlm.Contextual package (ONNX Runtime and a 91 MB model), which the packed tool does not carry. A tool built with
/// it (<c>dotnet build src/LmToLlm.Cli -p:WithContextual=true</c>) finds it at run time and registers its models;
/// otherwise asking for them is a usage error that says how to get them.
/// </summary>
internal static class ContextualPlugin
{
    public static readonly string[] ModelNames = ["contextual", "hybrid-contextual"];

    private const string EntryType = "LmToLlm.Contextual.ContextualModels, LmToLlm.Contextual";

    /// <summary>Registers the contextual models in <paramref name="catalog"/> when <paramref name="wanted"/> names one; the embeddings are cached in <paramref name="cacheFolder"/> when given.</summary>
    public static void RegisterIfWanted(ModelCatalog catalog, IReadOnlyCollection<string> wanted, string? cacheFolder, string typeName = EntryType)
    {
        if (!wanted.Any(ModelNames.Contains)) return;
        var register = Find(typeName) ?? throw new UsageException(
            $"the model '{wanted.First(ModelNames.Contains)}' needs the LmToLlm.Contextual package (all-MiniLM-L6-v2 through ONNX Runtime), which this lmtollm does not carry; " +
            "build the tool with it (dotnet build src/LmToLlm.Cli -c Release -p:WithContextual=true) or use the library (ContextualModels.Register) or the LexicalVsSemantic sample");
        string? cache = cacheFolder is null ? null : Path.Combine(cacheFolder, "contextual.emb");
        try
        {
            register.Invoke(null, [catalog, cache]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>True when the package is present (for --list-models).</summary>
    public static bool IsAvailable(string typeName = EntryType) => Find(typeName) is not null;

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The optional package is looked up by name; a trimmed tool does not carry it and reports that.")]
    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "As above.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "As above.")]
    private static MethodInfo? Find(string typeName)
    {
        Type? type;
        try
        {
            type = Type.GetType(typeName, throwOnError: false);
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException)
        {
            return null;
        }
        return type?.GetMethod("RegisterMiniLm", BindingFlags.Public | BindingFlags.Static, [typeof(ModelCatalog), typeof(string)]);
    }
}
