using System.Xml.Linq;
using LmToLlm.Cli;

namespace LmToLlm.Tests.Packaging;

/// <summary>
/// What NuGet shows about the packages covers what they do: every capability folder of the library is named in its
/// description and tags, every command of the tool in its description, and the release notes are there.
/// </summary>
public sealed class PackageMetadataTests
{
    // For each capability folder of src/LmToLlm: words its description must contain, and tags it must carry.
    private static readonly Dictionary<string, (string[] Words, string[] Tags)> Capabilities = new()
    {
        ["Text"] = (["analyzers", "Porter", "Korean", "character n-grams", "vocabularies"], ["tokenizer", "porter-stemmer", "korean"]),
        ["Corpora"] = (["BEIR JSONL", "plain text", "CSV/TSV", "TREC qrels"], ["beir"]),
        ["NGrams"] = (["n-gram", "Kneser-Ney", "ARPA", "perplexity"], ["n-gram", "kneser-ney", "kenlm", "arpa"]),
        ["Retrieval"] = (["TF-IDF", "BM25", "inverted index", "dense", "LSA", "hybrid"], ["bm25", "tf-idf", "inverted-index", "dense-retrieval", "lsa", "hybrid-search"]),
        ["Embeddings"] = (["Word2Vec", "fastText", "GloVe"], ["word2vec", "fasttext", "glove", "embeddings"]),
        ["Evaluation"] = (["trec_eval", "significance"], ["trec_eval", "evaluation"]),
        ["Data"] = (["MinHash near-duplicate", "perplexity filtering"], ["deduplication", "minhash", "data-cleaning", "perplexity"]),
        ["Primitives"] = ([], []),   // internal building blocks, nothing a package user sees
        ["Experiments"] = (["compares retrieval models"], ["evaluation"]),
        ["Subwords"] = (["SentencePiece", "BPE", "Unigram"], ["sentencepiece", "bpe", "subword"]),
        ["SuffixArrays"] = (["suffix arrays", "∞-gram", "exact-substring deduplication", "contamination"], ["suffix-array", "infini-gram", "contamination"]),
    };

    private static string Root => SharedData.RepositoryRoot;

    private static string Property(string file, string name) =>
        XDocument.Load(Path.Combine(Root, file)).Descendants(name).Single().Value;

    [Fact]
    public void The_library_description_and_tags_name_every_capability()
    {
        string description = Property("src/LmToLlm/LmToLlm.csproj", "Description");
        var tags = Property("Directory.Build.props", "PackageTags").Split(';');
        var folders = Directory.GetDirectories(Path.Combine(Root, "src", "LmToLlm")).Select(Path.GetFileName)
            .Where(f => f is not ("bin" or "obj")).ToList();
        foreach (string? folder in folders)
        {
            Assert.True(Capabilities.ContainsKey(folder!), $"src/LmToLlm/{folder} is new: name it in the package description and tags, and here");
            var (words, wantedTags) = Capabilities[folder!];
            foreach (string word in words) Assert.True(description.Contains(word, StringComparison.Ordinal), $"{folder}: the description lacks '{word}'");
            foreach (string tag in wantedTags) Assert.True(tags.Contains(tag), $"{folder}: the tags lack '{tag}'");
        }
    }

    [Fact]
    public void The_tool_description_names_every_command()
    {
        string description = Property("src/LmToLlm.Cli/LmToLlm.Cli.csproj", "Description");
        foreach (var command in CliApp.BuildRoot().Subcommands)
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(description, $@"\b{command.Name}\b"), $"the tool's description lacks the command '{command.Name}'");
    }

    [Fact]
    public void Release_notes_describe_the_current_version()
    {
        Assert.Contains("RELEASE-NOTES.md", Property("Directory.Build.props", "PackageReleaseNotes"));
        string version = Property("Directory.Build.props", "VersionPrefix");
        string notes = File.ReadAllText(Path.Combine(Root, "RELEASE-NOTES.md"));
        Assert.StartsWith(version + " ", notes);
    }

    [Fact]
    public void Every_package_is_declared_aot_compatible()
    {
        foreach (string project in new[] { "src/LmToLlm/LmToLlm.csproj", "src/LmToLlm.ML/LmToLlm.ML.csproj", "src/LmToLlm.Cli/LmToLlm.Cli.csproj" })
            Assert.Equal("true", Property(project, "IsAotCompatible"));
    }
}
