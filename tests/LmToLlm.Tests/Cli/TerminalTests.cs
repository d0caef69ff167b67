using System.Text.RegularExpressions;
using LmToLlm.Cli;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary>
/// Terminal manners: on a terminal the progress bar moves, percent by percent; redirected, the stages are plain lines
/// without ANSI codes and tables keep their full width; NO_COLOR turns every code off, even on a terminal.
/// </summary>
public sealed partial class TerminalTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void On_a_terminal_the_bar_is_redrawn_at_every_whole_percent_from_0_to_100()
    {
        var terminal = new StringWriter();
        using (Terminal.StandIn(isTerminal: true, width: 100, terminal))
        {
            // 1,000 steps: ten reports per whole percent, of which only the first may redraw the bar.
            int result = StageProgressBar.Run(terminal, "indexing", (int n) => ("indexing", n, 1000L), progress =>
            {
                for (int n = 0; n <= 1000; n++) progress!.Report(n);
                return 42;
            });
            Assert.Equal(42, result);
        }
        string drawn = terminal.ToString();
        Assert.Contains("\u001b[", drawn, StringComparison.Ordinal); // drawn live, with cursor movements
        // The percentage column of each redraw, in order; Spectre's timed refresh may repeat a frame, never skip one.
        var percents = Percent().Matches(drawn).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        var moves = percents.Where((p, i) => i == 0 || p != percents[i - 1]).ToList();
        Assert.Equal(Enumerable.Range(0, 101), moves);
    }

    [Fact]
    public void Redirected_progress_is_plain_stage_lines_without_ANSI_codes()
    {
        string corpus = _dir.Write("docs.txt", string.Join('\n', Enumerable.Range(0, 50).Select(i => $"document {i} about cats and dogs")) + "\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code;
        using (Terminal.StandIn(isTerminal: false, width: 80, stderr))
            code = CliApp.Run(["index", "--corpus", corpus, "--out", _dir.File("x.lmi")], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        string[] lines = stderr.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("indexing ", StringComparison.Ordinal) && l.Contains("docs.txt"));
        Assert.Contains("indexed 50 documents", lines);
        Assert.DoesNotContain("\u001b", stdout.ToString() + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void NO_COLOR_on_a_terminal_gives_plain_lines_and_no_ANSI_codes()
    {
        string corpus = _dir.Write("docs.txt", string.Join('\n', Enumerable.Range(0, 50).Select(i => $"document {i} about cats and dogs")) + "\n");
        var stderr = new StringWriter();
        int code;
        using (Terminal.StandIn(isTerminal: true, width: 100, stderr, noColor: "1"))
            code = CliApp.Run(["index", "--corpus", corpus, "--out", _dir.File("x.lmi")], new StringWriter(), stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("indexed 50 documents", stderr.ToString());
        Assert.DoesNotContain("\u001b", stderr.ToString(), StringComparison.Ordinal);

        // The comparison table on a terminal stdout: no colour for the best values either.
        var (queries, qrels) = SmallJudgements();
        var stdout = new StringWriter();
        using (Terminal.StandIn(isTerminal: true, width: 100, stdout, noColor: "1"))
            code = CliApp.Run(["compare", "--corpus", SmallCorpus(), "--queries", queries, "--qrels", qrels], stdout, new StringWriter());
        Assert.True(code == 0, stdout.ToString());
        Assert.Contains("*", stdout.ToString()); // the best values are still marked, in plain text
        Assert.DoesNotContain("\u001b", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_redirected_table_is_not_wrapped_at_80_columns()
    {
        var (queries, qrels) = SmallJudgements();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code;
        using (Terminal.StandIn(isTerminal: false, width: 80, stdout))
            code = CliApp.Run(["compare", "--corpus", SmallCorpus(), "--queries", queries, "--qrels", qrels, "--models", "bm25,tfidf-sublinear"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        string[] lines = stdout.ToString().Split(Environment.NewLine);
        string header = lines.Single(l => l.Contains("model") && l.Contains("search s"));
        string row = lines.Single(l => l.Contains(" tfidf-sublinear "));
        Assert.True(row.Length > 80, $"the row is only {row.Length} columns wide: {row}");
        // One line holds the whole row: as many cells as the header, every one a number after the model's name.
        Assert.Equal(header.Count(c => c == '│'), row.Count(c => c == '│'));
        Assert.Equal(header.Count(c => c == '│') - 2, NumberCell().Matches(row).Count);
        Assert.DoesNotContain("\u001b", stdout.ToString(), StringComparison.Ordinal);
    }

    private string SmallCorpus() => _dir.Write("c.jsonl",
        "{\"_id\":\"d1\",\"text\":\"the cat sat on the mat\"}\n{\"_id\":\"d2\",\"text\":\"a dog ran in the park\"}\n{\"_id\":\"d3\",\"text\":\"cats and dogs\"}\n");

    private (string Queries, string Qrels) SmallJudgements() => (
        _dir.Write("q.jsonl", "{\"_id\":\"q1\",\"text\":\"cat\"}\n{\"_id\":\"q2\",\"text\":\"dog park\"}\n"),
        _dir.Write("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n"));

    [GeneratedRegex(@"(?<![\d.])(\d{1,3})%")]
    private static partial Regex Percent();

    [GeneratedRegex(@"│\s*\d+\.\d+\*?\s*(?=│)")]
    private static partial Regex NumberCell();
}
