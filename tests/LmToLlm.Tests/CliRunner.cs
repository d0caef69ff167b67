using LmToLlm.Cli;

namespace LmToLlm.Tests;

/// <summary>Runs <c>lmtollm</c> in-process with captured output; test files import it with <c>using static</c>.</summary>
public static class CliRunner
{
    /// <summary>The exit code and everything written to stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The same with <paramref name="stdin"/> as standard input.</summary>
    public static (int Code, string Out, string Err) RunWithInput(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, new StringReader(stdin), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
