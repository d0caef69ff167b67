namespace LmToLlm.Experiments;

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (not posted to a synchronisation context as <see cref="Progress{T}"/> is).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>Maps the progress (0 to 1) of part <c>index</c> of <c>count</c> equal parts onto the whole.</summary>
internal sealed class FractionOf(IProgress<double> whole, int index, int count) : IProgress<double>
{
    public void Report(double value) => whole.Report((index + Math.Clamp(value, 0, 1)) / count);
}
