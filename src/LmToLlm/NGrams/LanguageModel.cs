using LmToLlm.Corpora;

namespace LmToLlm.NGrams;

/// <summary>log10 p(word | context) and the length of the n-gram it came from (1 = unigram), as KenLM <c>query</c> reports.</summary>
public readonly record struct WordProbability
{
    internal WordProbability(float Log10Prob, int NGramLength)
    {
        this.Log10Prob = Log10Prob; this.NGramLength = NGramLength;
    }

    /// <summary>log10 p(word | context).</summary>
    public float Log10Prob { get; }

    /// <summary>Length of the n-gram the probability came from (1 = unigram), as KenLM <c>query</c> reports.</summary>
    public int NGramLength { get; }
}

/// <summary>Score of one sentence: float32 running sum of its word log10 probabilities (<c>&lt;/s&gt;</c> last), tokens (words + 1) and OOVs.</summary>
public readonly record struct SentenceScore
{
    internal SentenceScore(float Log10Prob, int Tokens, int Oovs)
    {
        this.Log10Prob = Log10Prob; this.Tokens = Tokens; this.Oovs = Oovs;
    }

    /// <summary>The float32 running sum of the word log10 probabilities.</summary>
    public float Log10Prob { get; }

    /// <summary>Tokens scored: words + 1 for <c>&lt;/s&gt;</c>.</summary>
    public int Tokens { get; }

    /// <summary>Words not in the vocabulary.</summary>
    public int Oovs { get; }
}

/// <summary>
/// Perplexity of a text with KenLM <c>query</c>'s conventions: every word and each sentence's <c>&lt;/s&gt;</c> is a token,
/// <c>&lt;s&gt;</c> is context only; an OOV is scored with the <c>&lt;unk&gt;</c> probability and counted.
/// </summary>
public sealed record PerplexityResult
{
    internal PerplexityResult(double Log10Prob, double OovLog10Prob, long Tokens, long Oovs, long Sentences)
    {
        this.Log10Prob = Log10Prob; this.OovLog10Prob = OovLog10Prob; this.Tokens = Tokens; this.Oovs = Oovs; this.Sentences = Sentences;
    }

    /// <summary>S: the sum (double, in line order) of the sentence totals.</summary>
    public double Log10Prob { get; }

    /// <summary>The sum (double) of the OOV words' log10 probabilities.</summary>
    internal double OovLog10Prob { get; }

    /// <summary>T: words + sentences.</summary>
    public long Tokens { get; }

    /// <summary>Words not in the model's vocabulary (a literal <c>&lt;unk&gt;</c> included).</summary>
    public long Oovs { get; }

    /// <summary>Number of lines scored.</summary>
    public long Sentences { get; }

    /// <summary>10^(−S / T).</summary>
    public double PerplexityIncludingOov => Math.Pow(10.0, -Log10Prob / Tokens);

    /// <summary>10^(−(S − S_oov) / (T − OOVs)).</summary>
    internal double PerplexityExcludingOov => Math.Pow(10.0, -(Log10Prob - OovLog10Prob) / (Tokens - Oovs));
}

/// <summary>
/// An n-gram language model over a <see cref="NGramVocabulary"/>: p(word | up to N−1 previous words).
/// Sentences are scored as KenLM <c>query</c> does: context <c>&lt;s&gt;</c>, each word, then <c>&lt;/s&gt;</c>.
/// </summary>
public abstract class LanguageModel
{
    /// <summary>Only the library's own models derive from this class (their files and trainers live here).</summary>
    internal LanguageModel()
    {
    }

    /// <summary>The highest order N.</summary>
    public abstract int Order { get; }

    /// <summary>The model's words.</summary>
    public abstract NGramVocabulary Vocabulary { get; }

    /// <summary>Short name of the smoothing (for display).</summary>
    public abstract string Name { get; }

    /// <summary>False for scores that do not sum to 1 (stupid backoff): perplexity is refused for those.</summary>
    public virtual bool IsNormalized => true;

    /// <summary>
    /// log10 p(<paramref name="word"/> | <paramref name="context"/>): <paramref name="context"/> holds word ids oldest first
    /// (only the last N−1 matter; start a sentence with <see cref="NGramVocabulary.SentenceStart"/>).
    /// </summary>
    public abstract WordProbability Score(ReadOnlySpan<int> context, int word);

    /// <summary>Scores one line as a sentence: its white-space-split words and <c>&lt;/s&gt;</c>, after <c>&lt;s&gt;</c>.</summary>
    public SentenceScore ScoreSentence(string line) => ScoreSentence(line, null);

    /// <summary>Scores one line as a sentence; <paramref name="words"/> (when not null) receives each word's score, <c>&lt;/s&gt;</c> last.</summary>
    internal SentenceScore ScoreSentence(string line, List<(string Word, int Id, WordProbability Score)>? words)
    {
        ArgumentNullException.ThrowIfNull(line);
        int[] ids = TokenIds(line, out string[] spelled);
        float total = 0f;
        int oovs = 0;
        for (int i = 1; i < ids.Length; i++)
        {
            int start = Math.Max(0, i - (Order - 1));
            WordProbability score = Score(ids.AsSpan(start, i - start), ids[i]);
            total += score.Log10Prob;
            if (ids[i] == NGramVocabulary.Unknown) oovs++;
            words?.Add((spelled[i], ids[i], score));
        }
        return new SentenceScore(total, ids.Length - 1, oovs);
    }

    /// <summary>Perplexity of <paramref name="lines"/> (one sentence each).</summary>
    /// <exception cref="LmToLlmException">The model is not normalized (stupid backoff).</exception>
    public PerplexityResult Perplexity(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (!IsNormalized)
            throw new LmToLlmException($"perplexity is undefined for {Name}: its scores are not probabilities (they do not sum to 1), so a perplexity would be meaningless; use a normalized smoothing such as mkn or kn");
        double sum = 0, oovSum = 0;
        long tokens = 0, oovs = 0, sentences = 0;
        var words = new List<(string, int, WordProbability)>();
        foreach (string line in lines)
        {
            words.Clear();
            SentenceScore s = ScoreSentence(line, words);
            sum += s.Log10Prob;
            tokens += s.Tokens;
            oovs += s.Oovs;
            sentences++;
            if (s.Oovs > 0)
            {
                foreach (var (_, id, score) in words)
                {
                    if (id == NGramVocabulary.Unknown) oovSum += score.Log10Prob;
                }
            }
        }
        return new PerplexityResult(sum, oovSum, tokens, oovs, sentences);
    }

    /// <summary>Perplexity of the text file <paramref name="path"/> (UTF-8, <c>.gz</c> transparently).</summary>
    internal PerplexityResult PerplexityOfFile(string path) => Perplexity(TextLines.Read(path).Select(l => l.Text));

    /// <summary>&lt;s&gt; followed by the ids of the line's words (unknown words → &lt;unk&gt;) and &lt;/s&gt;.</summary>
    internal int[] TokenIds(string line, out string[] spelled)
    {
        var list = new List<int> { NGramVocabulary.SentenceStart };
        var names = new List<string> { NGramVocabulary.SentenceStartWord };
        foreach (var range in SplitWords(line))
        {
            list.Add(Vocabulary.Find(line.AsSpan(range)));
            names.Add(line[range]);
        }
        list.Add(NGramVocabulary.SentenceEnd);
        names.Add(NGramVocabulary.SentenceEndWord);
        spelled = [.. names];
        return [.. list];
    }

    internal static List<Range> SplitWords(string line)
    {
        var ranges = new List<Range>();
        int i = 0;
        while (true)
        {
            while (i < line.Length && IsSpace(line[i])) i++;
            if (i == line.Length) break;
            int start = i;
            while (i < line.Length && !IsSpace(line[i])) i++;
            ranges.Add(start..i);
        }
        return ranges;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v';
}
