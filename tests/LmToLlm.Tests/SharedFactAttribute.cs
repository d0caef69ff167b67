using Xunit.Abstractions;
using Xunit.Sdk;

namespace LmToLlm.Tests;

/// <summary>
/// A fact that reads files under ../shared (paths relative to it, '/'-separated, files or folders). Skipped on a bare
/// clone, with a reason naming the first missing file; run (and failing) when <c>CI=true</c> or
/// <c>LMTOLLM_REQUIRE_SHARED=1</c>. Carries the trait Category=SharedData.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[TraitDiscoverer(SharedDataTraitDiscoverer.TypeName, SharedDataTraitDiscoverer.AssemblyName)]
public sealed class SharedFactAttribute : FactAttribute, ITraitAttribute
{
    public SharedFactAttribute(params string[] paths)
    {
        Paths = paths;
        Skip = SharedData.SkipReason(paths);
    }

    /// <summary>The files or folders under ../shared this test reads.</summary>
    public IReadOnlyList<string> Paths { get; }
}

/// <summary>A theory that reads files under ../shared; see <see cref="SharedFactAttribute"/>. A skipped theory
/// enumerates no data, so member data may read the shared files.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[TraitDiscoverer(SharedDataTraitDiscoverer.TypeName, SharedDataTraitDiscoverer.AssemblyName)]
public sealed class SharedTheoryAttribute : TheoryAttribute, ITraitAttribute
{
    public SharedTheoryAttribute(params string[] paths)
    {
        Paths = paths;
        Skip = SharedData.SkipReason(paths);
    }

    /// <summary>The files or folders under ../shared this test reads.</summary>
    public IReadOnlyList<string> Paths { get; }
}

/// <summary>Gives <see cref="SharedFactAttribute"/> and <see cref="SharedTheoryAttribute"/> tests the trait
/// Category=SharedData, so <c>--filter Category=SharedData</c> selects them.</summary>
public sealed class SharedDataTraitDiscoverer : ITraitDiscoverer
{
    public const string TypeName = "LmToLlm.Tests.SharedDataTraitDiscoverer";
    public const string AssemblyName = "LmToLlm.Tests";

    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new("Category", SharedData.Trait)];
}
