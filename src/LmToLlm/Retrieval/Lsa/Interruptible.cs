namespace LmToLlm.Retrieval.Lsa;

/// <summary>
/// Runs a call that cannot be interrupted (a MathNet factorisation) on a worker thread and waits for it with the
/// cancellation token, so a cancelled caller returns at once; the abandoned call finishes on its own and its result
/// is dropped. Input: a function and a token. Output: the function's result, or <see cref="OperationCanceledException"/>.
/// </summary>
internal static class Interruptible
{
    public static T Run<T>(Func<T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!cancellationToken.CanBeCanceled) return work();
        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            task.Wait(cancellationToken);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException!);
        }
        return task.Result;
    }
}
