using LmToLlm.Corpora;
using LmToLlm.Evaluation;

namespace LmToLlm.Tests.Corpora;

public sealed class RelevanceJudgmentReadersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lmtollm-readers-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static LmToLlmFormatException Malformed(string path, Action read)
    {
        var e = Assert.Throws<LmToLlmFormatException>(read);
        Assert.Equal(path, e.FilePath);
        return e;
    }

    [Fact]
    public void Trec_qrels_are_read_in_file_order_with_any_whitespace()
    {
        string path = Write("q.trec", "1 0 d1 2\n1\t0\td2   0\n2 Q0 d1 -1\n");
        Assert.Equal(
            [new JudgmentLine(1, "1", "d1", 2), new JudgmentLine(2, "1", "d2", 0), new JudgmentLine(3, "2", "d1", -1)],
            TrecQrelsReader.Read(path).ToArray());
    }

    [Theory]
    [InlineData("1 0 d1 1\n1 0 d2\n", 2, "expected 4")]
    [InlineData("1 0 d1 1\n1 0 d2 1 extra\n", 2, "expected 4")]
    [InlineData("1 0 d1 high\n", 1, "relevance 'high' is not an integer")]
    [InlineData("1 0 d1 1.5\n", 1, "not an integer")]
    [InlineData("1 0 d1 1\n\n1 0 d2 1\n", 2, "blank line")]
    public void Malformed_trec_qrels_name_file_and_line(string text, int line, string problem)
    {
        string path = Write("bad.trec", text);
        var e = Malformed(path, () => TrecQrelsReader.Read(path).ToArray());
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(problem, e.Message);
        Assert.StartsWith($"{path}:{line}: ", e.Message);
    }

    [Fact]
    public void Duplicate_judgement_in_qrels_is_an_error()
    {
        string path = Write("dup.trec", "1 0 d1 1\n1 0 d2 0\n1 0 d1 0\n");
        var e = Malformed(path, () => Qrels.ReadTrec(path));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("judged twice", e.Message);
    }

    [Fact]
    public void Beir_qrels_need_the_header_and_three_tab_separated_fields()
    {
        string good = Write("good.tsv", "query-id\tcorpus-id\tscore\n1\td1\t2\n\n1\td2\t0\n");
        Assert.Equal([new JudgmentLine(2, "1", "d1", 2), new JudgmentLine(4, "1", "d2", 0)], BeirQrelsReader.Read(good).ToArray());
        Assert.Equal(2, Qrels.Read(good).Get("1")!.Count); // auto-detected as BEIR

        string noHeader = Write("nohead.tsv", "1\td1\t2\n");
        Assert.Equal(1, Malformed(noHeader, () => BeirQrelsReader.Read(noHeader).ToArray()).LineNumber);
        string fields = Write("fields.tsv", "query-id\tcorpus-id\tscore\n1\td1\n");
        Assert.Contains("expected 3 tab-separated", Malformed(fields, () => BeirQrelsReader.Read(fields).ToArray()).Message);
        string score = Write("score.tsv", "query-id\tcorpus-id\tscore\n1\td1\tx\n");
        Assert.Equal(2, Malformed(score, () => BeirQrelsReader.Read(score).ToArray()).LineNumber);
        string empty = Write("empty.tsv", "");
        Malformed(empty, () => BeirQrelsReader.Read(empty).ToArray());
    }

    [Fact]
    public void Trec_runs_skip_blank_lines_and_keep_the_last_tag()
    {
        string path = Write("r.run", "1 Q0 d1 1 2.5 first\n\n1 Q0 d2 2 1e-3 last\n");
        var lines = TrecRunReader.Read(path).ToArray();
        Assert.Equal([new RunLine(1, "1", "d1", 2.5, "first"), new RunLine(3, "1", "d2", 0.001, "last")], lines);
        Assert.Equal("last", Run.ReadTrec(path).Name);
    }

    [Theory]
    [InlineData("1 Q0 d1 1 2.5\n", 1, "expected 6")]
    [InlineData("1 Q0 d1 1 2.5 tag extra\n", 1, "expected 6")]
    [InlineData("1 Q0 d1 1 2.5 t\n1 Q0 d2 2 abc t\n", 2, "score 'abc' is not a number")]
    public void Malformed_runs_name_file_and_line(string text, int line, string problem)
    {
        string path = Write("bad.run", text);
        var e = Malformed(path, () => TrecRunReader.Read(path).ToArray());
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Duplicate_docno_within_a_query_is_an_error_but_not_across_queries()
    {
        string ok = Write("ok.run", "1 Q0 d1 1 2 t\n2 Q0 d1 1 2 t\n");
        Assert.Equal(2, Run.ReadTrec(ok).QueryCount);
        string dup = Write("dup.run", "1 Q0 d1 1 2 t\n1 Q0 d2 2 1 t\n1 Q0 d1 3 0.5 t\n");
        var e = Malformed(dup, () => Run.ReadTrec(dup));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("listed twice for query '1'", e.Message);
    }

    [Fact]
    public void Duplicate_is_found_when_a_query_comes_back_after_another()
    {
        string dup = Write("back.run", "1 Q0 d1 1 2 t\n2 Q0 d1 1 2 t\n1 Q0 d2 2 1 t\n1 Q0 d1 3 0.5 t\n");
        Assert.Equal(4, Malformed(dup, () => Run.ReadTrec(dup)).LineNumber);
        string ok = Write("back-ok.run", "1 Q0 d1 1 2 t\n2 Q0 d1 1 2 t\n1 Q0 d2 2 1 t\n");
        Assert.Equal(["d1", "d2"], Run.ReadTrec(ok).Get("1")!.DocumentIds);
    }

    [Fact]
    public void Gzip_files_are_read_transparently()
    {
        string path = Path.Combine(_dir, "q.trec.gz");
        using (var gz = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
            gz.Write("7 0 d 1\n"u8);
        Assert.Equal(1, Qrels.ReadTrec(path).RelevantCount("7"));
    }
}
