using System.Text;
using LmToLlm.Corpora;
using LmToLlm.Text;

namespace LmToLlm.Data;

/// <summary>
/// Puts a text through an analyzer into the form the count and vector trainers read (KenLM, word2vec.c, fastText).
/// Input: UTF-8 lines (.gz ok). Output: one line per input line, the analyzer's tokens joined by single spaces (an
/// empty line where the analyzer keeps nothing), exactly what <c>lmtollm tokenize</c> prints.
/// </summary>
internal static class AnalyzedText
{
    /// <summary>Writes the analyzed lines of <paramref name="inputPath"/> to <paramref name="outputPath"/> (atomically); returns the token count.</summary>
    public static long Write(string inputPath, Analyzer analyzer, string outputPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputPath);
        ArgumentNullException.ThrowIfNull(analyzer);
        long tokens = 0;
        var sink = new JoinSink();
        AtomicFile.WriteText(outputPath, w =>
        {
            foreach (var (_, line) in TextLines.Read(inputPath))
            {
                cancellationToken.ThrowIfCancellationRequested();
                sink.Reset();
                analyzer.Analyze(line, sink);
                tokens += sink.Count;
                w.Write(sink.Builder);
                w.Write('\n');
            }
        }, cancellationToken);
        return tokens;
    }

    /// <summary>One line's tokens joined by single spaces.</summary>
    public static string Line(Analyzer analyzer, string line)
    {
        var sink = new JoinSink();
        analyzer.Analyze(line, sink);
        return sink.Builder.ToString();
    }

    private sealed class JoinSink : ITokenSink
    {
        public readonly StringBuilder Builder = new();
        public long Count;

        public void Reset()
        {
            Builder.Clear();
            Count = 0;
        }

        public void Add(ReadOnlySpan<char> token)
        {
            if (Builder.Length > 0) Builder.Append(' ');
            Builder.Append(token);
            Count++;
        }
    }
}
