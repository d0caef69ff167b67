namespace LmToLlm.Embeddings;

/// <summary>
/// Runs a training loop on several threads that update shared weights without locks (Hogwild, as word2vec.c and
/// fastText do). A worker's failure is rethrown after all have stopped, as the library's exception.
/// </summary>
internal static class HogwildThreads
{
    /// <summary>Calls <paramref name="work"/>(thread index) on <paramref name="threads"/> threads (inline for one, so a seeded run is reproducible) and waits for all.</summary>
    internal static void Run(int threads, string name, Action<int> work, CancellationToken cancellationToken)
    {
        var errors = new Exception?[threads];
        if (threads == 1)
        {
            work(0);
        }
        else
        {
            var workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                int id = t;
                workers[t] = new Thread(() =>
                {
                    try { work(id); }
                    catch (Exception e) { errors[id] = e; }
                }) { IsBackground = true, Name = $"{name}-{t}" };
                workers[t].Start();
            }
            foreach (var worker in workers) worker.Join();
        }
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var error in errors)
        {
            if (error is OperationCanceledException) throw error;
            if (error is not null) throw error is LmToLlmException or IOException ? error : new LmToLlmException($"training failed: {error.Message}", error);
        }
    }
}
