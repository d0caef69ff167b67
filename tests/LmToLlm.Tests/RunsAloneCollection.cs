namespace LmToLlm.Tests;

/// <summary>
/// Tests that run one at a time, after the parallel ones: those that use every core for tens of seconds, and those
/// whose cases are bounded in time (the mutation suite), which a busy machine could otherwise push past their bound.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    public const string Name = "Runs alone";
}
