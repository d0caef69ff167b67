using System.CommandLine;
using System.CommandLine.Help;
using LmToLlm.Cli.Commands;

namespace LmToLlm.Cli;

/// <summary>
/// The frame every command shares: exit 0 on success, 1 on bad input (one "file:line: what" line on stderr),
/// 2 on a usage error, 130 when cancelled (Ctrl+C / SIGINT, SIGTERM: output files are left as they were, no temporary
/// file remains); a stack trace only with --verbose.
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int Usage = 2;
    public const int Cancelled = 130; // 128 + SIGINT, as shells report a process stopped by Ctrl+C

    /// <summary>Shown by every command; prints stack traces of failures.</summary>
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Print stack traces of errors", Recursive = true };

    public static Command BuildRoot()
    {
        // A plain command named "lmtollm" rather than RootCommand, whose name would be the assembly's ("LmToLlm.Cli").
        var root = new Command("lmtollm", "lmtollm: from count-based language models to LLMs — tokenize, index, search, evaluate, n-grams, word vectors")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Options.Add(Verbose);
        // One line per command family; each lives in Commands/.
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(DedupCommand.Create());
        root.Subcommands.Add(FilterCommand.Create());
        root.Subcommands.Add(NGramCommand.Create());
        root.Subcommands.Add(W2vCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(GloveCommand.Create());
        root.Subcommands.Add(FtCommand.Create());
        root.Subcommands.Add(SpmCommand.Create());
        return root;
    }

    /// <summary>Standard input of the running command: Console.In, or the reader a test passed to <see cref="Run(string[], TextReader, TextWriter, TextWriter)"/>.</summary>
    public static TextReader Input => CurrentInput.Value ?? Console.In;

    private static readonly AsyncLocal<TextReader?> CurrentInput = new();

    /// <summary>Cancelled by Ctrl+C / SIGTERM (or by a test); every command passes it to the library's long work and writers.</summary>
    public static CancellationToken Cancellation => CurrentCancellation.Value;

    private static readonly AsyncLocal<CancellationToken> CurrentCancellation = new();

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, null, stdout, stderr);

    /// <summary>Runs a command line with the given standard input (null: Console.In), output and error writers.</summary>
    public static int Run(string[] args, TextReader? stdin, TextWriter stdout, TextWriter stderr) => Run(args, stdin, stdout, stderr, CancellationToken.None);

    /// <summary>Runs a command line that stops (exit <see cref="Cancelled"/>) when <paramref name="cancellation"/> is cancelled.</summary>
    public static int Run(string[] args, TextReader? stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        TextReader? previous = CurrentInput.Value;
        CancellationToken previousToken = CurrentCancellation.Value;
        CurrentInput.Value = stdin;
        CurrentCancellation.Value = cancellation;
        try
        {
            return RunCore(args, stdout, stderr);
        }
        finally
        {
            CurrentInput.Value = previous;
            CurrentCancellation.Value = previousToken;
        }
    }

    private static int RunCore(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRoot();
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) stderr.WriteLine($"lmtollm: {error.Message}");
            stderr.WriteLine("Run 'lmtollm --help' (or the command with --help) for usage.");
            return Usage;
        }
        bool verbose = parsed.GetValue(Verbose);
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e) when (Classify(e) is int code)
        {
            stderr.WriteLine($"lmtollm: {MessageOf(e)}");
            if (verbose) stderr.WriteLine(e);
            return code;
        }
    }

    /// <summary>The message without .NET's " (Parameter 'name')" suffix, which means nothing to a command-line user.</summary>
    private static string MessageOf(Exception e)
    {
        if (e is OperationCanceledException) return "cancelled; output files were left as they were (the previous version, or none)";
        if (e is ArgumentException { ParamName: { } name } argument)
        {
            string suffix = $" (Parameter '{name}')";
            if (argument.Message.EndsWith(suffix, StringComparison.Ordinal)) return argument.Message[..^suffix.Length];
        }
        return e.Message;
    }

    /// <summary>Bad input → 1, usage problems → 2, anything else is a bug and propagates.</summary>
    private static int? Classify(Exception e) => e switch
    {
        OperationCanceledException => Cancelled,
        UsageException => Usage,
        ArgumentException => Usage,
        LmToLlmException => BadInput,
        FileNotFoundException or DirectoryNotFoundException => BadInput,
        IOException or UnauthorizedAccessException => BadInput,
        _ => null,
    };
}

/// <summary>A command line that parses but does not make sense (an unknown model name, a bad parameter).</summary>
internal sealed class UsageException(string message) : Exception(message);
