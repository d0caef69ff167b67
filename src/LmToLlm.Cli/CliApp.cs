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

    /// <summary>The one default random seed of every command that has a --seed.</summary>
    public const int DefaultSeed = 1;

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
        root.Subcommands.Add(SaCommand.Create());
        root.Subcommands.Add(SpmCommand.Create());
        root.Subcommands.Add(BpeCommand.Create());
        return root;
    }

    /// <summary>Every option and argument of <paramref name="command"/> and its subcommands, depth first.</summary>
    internal static IEnumerable<(Command Command, Option Option)> AllOptions(Command command)
    {
        foreach (var option in command.Options) yield return (command, option);
        foreach (var sub in command.Subcommands)
            foreach (var pair in AllOptions(sub)) yield return pair;
    }

    /// <summary>
    /// Help shows a default as a user would type it (33.3333), not as the double's round-trip digits
    /// (33.333333333333336): numbers with more than six significant digits are shown to six.
    /// </summary>
    internal static string DefaultsAsTyped(string help) =>
        System.Text.RegularExpressions.Regex.Replace(help, @"\[default: (-?\d+\.\d{7,})\]", m =>
            $"[default: {double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}]");

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
        var previousOutput = AtomicFile.StandardOutput.Value;
        CurrentInput.Value = stdin;
        CurrentCancellation.Value = cancellation;
        AtomicFile.StandardOutput.Value = StandardOutputStream.For(stdout); // an output option of "-"
        try
        {
            return RunCore(args, stdout, stderr);
        }
        finally
        {
            CurrentInput.Value = previous;
            CurrentCancellation.Value = previousToken;
            AtomicFile.StandardOutput.Value = previousOutput;
        }
    }

    private static int RunCore(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRoot();
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, in the option's words; the command's --help has the rest.
            stderr.WriteLine($"lmtollm: {string.Join("; ", parsed.Errors.Select(e => OneLine(e.Message)))} (see --help)");
            return Usage;
        }
        bool verbose = parsed.GetValue(Verbose);
        if (parsed.Action is HelpAction)
        {
            var text = new StringWriter();
            int code = parsed.Invoke(new InvocationConfiguration { Output = text, Error = stderr });
            stdout.Write(DefaultsAsTyped(text.ToString()));
            stdout.Flush();
            return code;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e) when (Classify(e) is int code)
        {
            stderr.WriteLine($"lmtollm: {OneLine(MessageOf(e))}");
            if (verbose) stderr.WriteLine(e);
            return code;
        }
    }

    /// <summary>
    /// Where a command prints its summary ("wrote …, 225 queries"): standard output, or standard error when an output
    /// option is <c>-</c>, so the data on standard output stays clean.
    /// </summary>
    public static TextWriter Summary(ParseResult parse) =>
        parse.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>().Any(o => o.Tokens.Any(t => AtomicFile.IsStandardOutput(t.Value)))
            ? parse.InvocationConfiguration.Error
            : parse.InvocationConfiguration.Output;

    /// <summary>A message on one line: an error is one line of stderr, whatever the library's message holds.</summary>
    internal static string OneLine(string message) => string.Join("; ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The message without .NET's " (Parameter 'name')" suffix, which means nothing to a command-line user.</summary>
    private static string MessageOf(Exception e)
    {
        if (e is OperationCanceledException) return "cancelled; no output was left half-written (each is as it was, or complete if finished before the signal)";
        if (e is OutOfMemoryException) return "not enough memory for the sizes asked for; choose smaller sizes (dimensions, buckets, depth) or a smaller input";
        if (e is ArgumentException argument) return ArgumentMessage(argument);
        // .NET says "Access to the path '…' is denied." when a reader is given a folder: say what is wrong.
        if (e is UnauthorizedAccessException or IOException
            && System.Text.RegularExpressions.Regex.Match(e.Message, "'(.+)'") is { Success: true } quoted && Directory.Exists(quoted.Groups[1].Value))
            return $"{quoted.Groups[1].Value}: is a folder; give a file";
        return e.Message;
    }

    /// <summary>An argument problem without .NET's " (Parameter 'x')" and "Actual value was …" decorations.</summary>
    internal static string ArgumentMessage(ArgumentException e) =>
        System.Text.RegularExpressions.Regex.Replace(e.Message.Split('\n')[0].TrimEnd(), @"\s*\(Parameter '[^']*'\)$", "");

    /// <summary>Bad input → 1, usage problems → 2, anything else is a bug and propagates.</summary>
    private static int? Classify(Exception e) => e switch
    {
        OperationCanceledException => Cancelled,
        UsageException => Usage,
        OutOfMemoryException => BadInput,
        ArgumentException => Usage,
        LmToLlmException => BadInput,
        FileNotFoundException or DirectoryNotFoundException => BadInput,
        IOException or UnauthorizedAccessException => BadInput,
        _ => null,
    };
}

/// <summary>A command line that parses but does not make sense (an unknown model name, a bad parameter).</summary>
internal sealed class UsageException(string message) : Exception(message);
