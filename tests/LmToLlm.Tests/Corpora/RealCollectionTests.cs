using System.Diagnostics;
using LmToLlm.Corpora;

namespace LmToLlm.Tests.Corpora;

/// <summary>
/// The committed collections of <c>corpora/real</c>: well-formed BEIR folders (always checked), and byte-identical
/// to a fresh build from the Debian packages (checked where the packages are extracted, see
/// <see cref="DebianPackagesFactAttribute"/>).
/// </summary>
public sealed class RealCollectionTests
{
    private static readonly string[] Collections = ["en-revdict", "en-help", "ko-help", "en-ko-help"];

    private static string Real(params string[] parts) => Path.Combine([SharedData.RepositoryRoot, "corpora", "real", .. parts]);

    [Theory]
    [InlineData("en-revdict", 20_000)]
    [InlineData("en-help", 2_551)]
    [InlineData("ko-help", 2_551)]
    [InlineData("en-ko-help", 2_551)]
    public void Collection_is_well_formed_with_disjoint_dev_and_test_queries(string name, int documents)
    {
        var docIds = BeirJsonl.ReadCorpus(Real(name, "corpus.jsonl.gz")).Select(d => d.Id).ToList();
        var queryIds = BeirJsonl.ReadQueries(Real(name, "queries.jsonl.gz")).Select(q => q.Id).ToList();
        Assert.Equal(documents, docIds.Count);
        Assert.Equal(docIds.Count, docIds.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(queryIds.Count, queryIds.Distinct(StringComparer.Ordinal).Count());
        var docs = docIds.ToHashSet(StringComparer.Ordinal);

        var splits = new Dictionary<string, HashSet<string>>();
        foreach (string split in new[] { "dev", "test" })
        {
            var lines = BeirQrelsReader.Read(Real(name, "qrels", split + ".tsv")).ToList();
            Assert.All(lines, l => Assert.Contains(l.DocumentId, docs));
            Assert.All(lines, l => Assert.Equal(1, l.Relevance));
            Assert.Equal(lines.Count, lines.Select(l => (l.QueryId, l.DocumentId)).Distinct().Count());
            splits[split] = lines.Select(l => l.QueryId).ToHashSet(StringComparer.Ordinal);
        }
        Assert.Empty(splits["dev"].Intersect(splits["test"]));
        Assert.Equal(500, splits["dev"].Count);
        Assert.Equal(2_000, splits["test"].Count);
        // every query is judged, and every judged query is in queries.jsonl
        Assert.Equal(queryIds.Order(StringComparer.Ordinal), splits["dev"].Concat(splits["test"]).Order(StringComparer.Ordinal));

        var kinds = File.ReadLines(Real(name, "query-kinds.tsv")).Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.All(kinds, k => Assert.Equal(3, k.Length));
        Assert.All(kinds, k => Assert.Contains(k[2], new[] { "overlap", "no-overlap" }));
        Assert.All(kinds, k => Assert.Contains(k[0], splits[k[1]]));
        Assert.Equal(queryIds.Count, kinds.Select(k => k[0]).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Help_collections_share_their_document_ids_and_the_cross_lingual_one_the_english_queries()
    {
        string[] Ids(string name) => BeirJsonl.ReadCorpus(Real(name, "corpus.jsonl.gz")).Select(d => d.Id).ToArray();
        Assert.Equal(Ids("en-help"), Ids("ko-help"));
        Assert.Equal(Ids("ko-help"), Ids("en-ko-help"));
        Assert.Equal(File.ReadAllBytes(Real("en-help", "qrels", "test.tsv")), File.ReadAllBytes(Real("en-ko-help", "qrels", "test.tsv")));
        Assert.Equal(File.ReadAllBytes(Real("en-help", "qrels", "dev.tsv")), File.ReadAllBytes(Real("en-ko-help", "qrels", "dev.tsv")));
        Assert.Equal(BeirJsonl.ReadQueries(Real("en-help", "queries.jsonl.gz")), BeirJsonl.ReadQueries(Real("en-ko-help", "queries.jsonl.gz")));
    }

    [Fact]
    public void Collections_stay_within_15_MB_and_carry_their_licences()
    {
        long bytes = Directory.EnumerateFiles(Real(), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.InRange(bytes, 1, 15L * 1024 * 1024);
        Assert.True(File.Exists(Real("en-revdict", "LICENSE-GPL-2")));
        Assert.True(File.Exists(Real("en-revdict", "COPYRIGHT-WordNet")));
        foreach (string name in new[] { "en-help", "ko-help", "en-ko-help", "en-ko-parallel" })
            Assert.True(File.Exists(Real(name, "LICENSE-MPL-2.0")), name);
    }

    [DebianPackagesFact]
    public void Build_from_the_Debian_packages_equals_the_committed_files_byte_for_byte()
    {
        string packages = DebianPackagesFactAttribute.PackagesFolder;
        string output = Directory.CreateTempSubdirectory("lmtollm-real-").FullName;
        try
        {
            string P(string name) => Path.Combine(packages, name);
            RunBuilder(["revdict", "--gcide", P("dict-gcide"), "--wordnet", P("wordnet-base"), "--out", output]);
            RunBuilder(["help", "--help-en", P("libreoffice-help-en-us"), "--help-ko", P("libreoffice-help-ko"),
                "--l10n-ko", P("libreoffice-l10n-ko"), "--out", output]);
            var built = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(22, built.Count); // 4 collections × 5 files, 2 parallel files
            foreach (string file in built)
                Assert.True(File.ReadAllBytes(Path.Combine(output, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Real(file))),
                    $"corpora/real/{file} differs from a fresh build; rebuild with corpora/real/build/build.py (README)");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static void RunBuilder(string[] arguments)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Real("build", "build.py"));
        foreach (string a in arguments) start.ArgumentList.Add(a);
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEndAsync().Result;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"build.py {string.Join(' ', arguments)} failed: {stderr}");
    }
}

/// <summary>
/// A fact that needs the five Debian packages extracted side by side (<c>dpkg-deb -x P.deb DIR/P</c>) in the folder
/// named by <c>LMTOLLM_DEBIAN_PACKAGES</c> (default <c>../debian-packages</c> beside the repository) and
/// <c>python3</c>; skipped, with the reason, when they are missing, unless <c>LMTOLLM_REQUIRE_PACKAGES=1</c>.
/// </summary>
public sealed class DebianPackagesFactAttribute : FactAttribute
{
    private static readonly string[] Packages = ["dict-gcide", "wordnet-base", "libreoffice-help-en-us", "libreoffice-help-ko", "libreoffice-l10n-ko"];

    public static string PackagesFolder { get; } = Environment.GetEnvironmentVariable("LMTOLLM_DEBIAN_PACKAGES") is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.GetFullPath(Path.Combine(SharedData.RepositoryRoot, "..", "debian-packages"));

    public DebianPackagesFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("LMTOLLM_REQUIRE_PACKAGES") == "1") return;
        string? missing = Packages.Select(p => Path.Combine(PackagesFolder, p)).FirstOrDefault(p => !Directory.Exists(p));
        if (missing is not null)
            Skip = $"Debian package folder missing: {missing} (extract the packages there or set LMTOLLM_DEBIAN_PACKAGES; see corpora/real/README.md)";
        else if (!OnPath("python3"))
            Skip = "python3 is not on PATH (the collection builder is a Python 3 script)";
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, program)));
}
