using System.Runtime.InteropServices;

namespace LmToLlm.Cli;

internal static class Program
{
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
        return CliApp.Run(args, null, Console.Out, Console.Error, cancel.Token);
    }
}
