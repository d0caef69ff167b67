using System.Text;

namespace LmToLlm.Embeddings.FastText;

/// <summary>
/// fastText's character n-grams and their hash (Bojanowski et al. 2017, "Enriching Word Vectors with Subword
/// Information"; reference implementation <c>Dictionary::computeSubwords</c> and <c>Dictionary::hash</c>).
/// Input: a word. Output: the n-grams of <c>&lt;word&gt;</c> and the input-matrix rows they hash to.
/// </summary>
internal static class FastTextSubwords
{
    /// <summary>The mark put before a word (fastText's <c>BOW</c>).</summary>
    internal const string BeginOfWord = "<";

    /// <summary>The mark put after a word (fastText's <c>EOW</c>).</summary>
    internal const string EndOfWord = ">";

    /// <summary>
    /// 32-bit FNV-1a over <paramref name="bytes"/> as the reference computes it: <c>h = 2166136261</c>, then per byte
    /// <c>h = (h ^ (uint)(sbyte)b) · 16777619</c>. The byte is <b>sign-extended</b> first (the reference's
    /// <c>uint32_t(int8_t(c))</c>), so bytes ≥ 0x80 (all of non-ASCII UTF-8) flip the top 24 bits as well.
    /// </summary>
    internal static uint Hash(ReadOnlySpan<byte> bytes)
    {
        uint h = 2166136261;
        foreach (byte b in bytes)
        {
            h ^= (uint)(sbyte)b;
            h *= 16777619;
        }
        return h;
    }

    /// <summary>
    /// The character n-grams of <c>&lt;</c> + <paramref name="word"/> + <c>&gt;</c> with
    /// <paramref name="minn"/> ≤ n ≤ <paramref name="maxn"/>, in the reference's order (by start, then by length).
    /// n counts UTF-8 characters (a multi-byte sequence is one character); the 1-grams <c>&lt;</c> and <c>&gt;</c> alone
    /// are never produced; <c>&lt;word&gt;</c> itself is among them when it has at most <paramref name="maxn"/> characters.
    /// </summary>
    internal static IReadOnlyList<string> CharacterNGrams(string word, int minn = 3, int maxn = 6)
    {
        ArgumentNullException.ThrowIfNull(word);
        var result = new List<string>();
        byte[] bytes = Encoding.UTF8.GetBytes(BeginOfWord + word + EndOfWord);
        ForEachNGram(bytes, minn, maxn, (start, length) => result.Add(Encoding.UTF8.GetString(bytes, start, length)));
        return result;
    }

    /// <summary>
    /// The n-gram rows of <paramref name="word"/> in a model with <paramref name="words"/> dictionary words and
    /// <paramref name="bucket"/> hash buckets: <c>words + Hash(ngram) mod bucket</c> for each n-gram of
    /// <see cref="CharacterNGrams"/>, duplicates kept (the reference averages over them too).
    /// </summary>
    internal static IReadOnlyList<int> NGramRows(string word, int words, int bucket, int minn = 3, int maxn = 6)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentOutOfRangeException.ThrowIfNegative(words);
        var rows = new List<int>();
        AddNGramRows(Encoding.UTF8.GetBytes(BeginOfWord + word + EndOfWord), words, bucket, minn, maxn, rows);
        return rows;
    }

    /// <summary>Appends the rows of the n-grams of the already wrapped UTF-8 word <paramref name="wrapped"/>.</summary>
    internal static void AddNGramRows(byte[] wrapped, int words, int bucket, int minn, int maxn, List<int> rows)
    {
        if (bucket <= 0) return;
        ForEachNGram(wrapped, minn, maxn, (start, length) => rows.Add(words + (int)(Hash(wrapped.AsSpan(start, length)) % (uint)bucket)));
    }

    /// <summary><c>Dictionary::computeSubwords</c>: visits (start, byte length) of each n-gram of the wrapped word.</summary>
    private static void ForEachNGram(byte[] wrapped, int minn, int maxn, Action<int, int> visit)
    {
        for (int i = 0; i < wrapped.Length; i++)
        {
            if ((wrapped[i] & 0xC0) == 0x80) continue; // an n-gram never starts inside a character
            int j = i;
            for (int n = 1; j < wrapped.Length && n <= maxn; n++)
            {
                j++;
                while (j < wrapped.Length && (wrapped[j] & 0xC0) == 0x80) j++;
                if (n >= minn && !(n == 1 && (i == 0 || j == wrapped.Length))) visit(i, j - i);
            }
        }
    }
}
