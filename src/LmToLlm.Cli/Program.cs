using System.Runtime.InteropServices;

namespace LmToLlm.Cli;

internal static class Program
{
    /// <summary>Milliseconds to pause after each write of an output file (a test hook; unset in normal use).</summary>
    internal const string WriteDelayVariable = "LMTOLLM_TEST_WRITE_DELAY_MS";

    /// <summary>
    /// The first Ctrl+C (SIGINT) or SIGTERM cancels the running command, which stops at its next check, deletes its
    /// temporary output and exits 130; a second one ends the process at once.
    /// </summary>
    private static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            if (cancel.IsCancellationRequested) return; // second signal: default handling ends the process
            context.Cancel = true;
            cancel.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        // Tests that signal this process mid-write slow its writes until the signal lands while an output is being
        // written; never set otherwise.
        if (int.TryParse(Environment.GetEnvironmentVariable(WriteDelayVariable), out int delay) && delay > 0)
            AtomicFile.WriteObserver.Value = _ => Thread.Sleep(delay);
        return CliApp.Run(args, null, Console.Out, Console.Error, cancel.Token);
    }
}
