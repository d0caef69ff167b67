using System.Text.RegularExpressions;

namespace LmToLlm.Tests.Packaging;

/// <summary>
/// The library's folders are its layers (ARCHITECTURE.md): each capability may name only the capabilities below it.
/// Read from the source files' <c>using</c> directives and qualified names, so a new dependency shows up here first.
/// </summary>
public sealed partial class LayerTests
{
    // Capability → the capabilities it may use (its own sub-namespaces always allowed). The root namespace
    // (AtomicFile, exceptions, FileCheck) is not a capability: every layer may use its base types, and FileCheck,
    // which reads every format, may use all.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Primitives"] = [],   // shared internal building blocks; every layer may use them
        ["Corpora"] = [],
        ["Text"] = [],
        ["NGrams"] = ["Corpora"],
        ["Embeddings"] = ["Corpora", "Text"],
        ["Retrieval"] = ["Corpora", "Text", "Embeddings"],
        ["Evaluation"] = ["Corpora"],
        ["Data"] = ["Corpora", "Text", "NGrams"],
        ["Subwords"] = ["Corpora", "Text", "SuffixArrays"],  // the unigram seeds come from a suffix array
        ["SuffixArrays"] = ["Corpora", "Text", "NGrams"],
        ["Experiments"] = ["Corpora", "Text", "Embeddings", "Retrieval", "Evaluation"],
    };

    [Fact]
    public void Each_capability_uses_only_the_layers_below_it()
    {
        string source = Path.Combine(SharedData.RepositoryRoot, "src", "LmToLlm");
        var violations = new List<string>();
        foreach (string file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal)) continue;
            string[] parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Length == 1) continue;   // root namespace
            string layer = parts[0];
            Assert.True(Allowed.ContainsKey(layer), $"src/LmToLlm/{layer} is a folder the layer table in LayerTests (and ARCHITECTURE.md) does not know");
            foreach (var (line, number) in File.ReadLines(file).Select((l, i) => (l.Trim(), i + 1)))
            {
                if (line.StartsWith("//", StringComparison.Ordinal)) continue;
                foreach (Match m in QualifiedName().Matches(line))
                {
                    string used = m.Groups[1].Value;
                    if (used != layer && used != "Primitives" && Allowed.ContainsKey(used) && !Allowed[layer].Contains(used))
                        violations.Add($"src/LmToLlm/{relative.Replace('\\', '/')}:{number}: {layer} uses {used}");
                }
            }
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [GeneratedRegex(@"\bLmToLlm\.(\w+)")]
    private static partial Regex QualifiedName();
}
