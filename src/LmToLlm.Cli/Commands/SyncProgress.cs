namespace LmToLlm.Cli.Commands;

/// <summary>Calls the handler on the reporting thread (no synchronisation-context hop, unlike <see cref="Progress{T}"/>).</summary>
internal sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
