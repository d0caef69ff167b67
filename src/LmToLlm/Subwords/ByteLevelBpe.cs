using LmToLlm.Primitives;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LmToLlm.Subwords;

/// <summary>
/// A byte-level BPE vocabulary as GPT-2 ships it: <c>vocab.json</c> (token → id) and <c>merges.txt</c> (one merge per
/// line, by rank). Input: text. Output: ids — the text is split by GPT-2's pre-tokenizer, each pre-token is spelled as
/// UTF-8 bytes in GPT-2's byte alphabet, and merges are applied lowest rank first (leftmost first among equal ranks),
/// as Hugging Face tokenizers and Microsoft.ML.Tokenizers' <c>BpeTokenizer</c> apply them. Any text encodes (every byte
/// has an id), and <c>Decode(EncodeToIds(x)) == x</c> for well-formed UTF-16 text.
/// </summary>
/// <example><code>
/// var bpe = ByteLevelBpe.Train(File.ReadLines("train.txt"), new ByteLevelBpeTrainerOptions { VocabSize = 8000 });
/// bpe.Save("vocab.json", "merges.txt");
/// IReadOnlyList&lt;int&gt; ids = bpe.EncodeToIds("학교에서 it's 42");
/// </code></example>
public sealed class ByteLevelBpe
{
    private readonly string[] _tokens;
    private readonly (int Left, int Right)[] _merges;
    private readonly Dictionary<long, (int Rank, int Merged)> _rankOf;
    private readonly int[] _idOfByte = new int[256];

    private ByteLevelBpe(string[] tokens, (int, int)[] merges, string vocabName, string mergesName, Func<int, long> mergeLine)
    {
        _tokens = tokens;
        _merges = merges;
        var ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++) ids[tokens[i]] = i;
        for (int b = 0; b < 256; b++)
        {
            if (!ids.TryGetValue(ByteLevel.ByteToChar[b].ToString(), out _idOfByte[b]))
                ThrowHelper.Format(vocabName, 0, $"byte 0x{b:X2} (spelled '{ByteLevel.ByteToChar[b]}') has no id; a byte-level vocabulary needs all 256 bytes");
        }
        _rankOf = new Dictionary<long, (int, int)>(merges.Length);
        for (int r = 0; r < merges.Length; r++)
        {
            var (left, right) = merges[r];
            string joined = tokens[left] + tokens[right];
            if (!ids.TryGetValue(joined, out int merged))
                ThrowHelper.Format(mergesName, mergeLine(r), $"the merge '{tokens[left]} {tokens[right]}' makes '{joined}', which has no id in {Path.GetFileName(vocabName)}; add it or remove the merge");
            if (!_rankOf.TryAdd(Key(left, right), (r, merged)))
                ThrowHelper.Format(mergesName, mergeLine(r), $"the merge '{tokens[left]} {tokens[right]}' is listed twice; keep its first line");
        }
    }

    /// <summary>The tokens by id, spelled in GPT-2's byte alphabet (a space is <c>Ġ</c>).</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>The merges by rank (rank 0 is applied first), as ids of the two tokens merged.</summary>
    internal IReadOnlyList<(int Left, int Right)> Merges => _merges;

    /// <summary>The regular expression of GPT-2's pre-tokenizer, which splits text before merges apply.</summary>
    internal static string PreTokenizerPattern => ByteLevel.Pattern;

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    internal static ByteLevelBpe Create(string[] tokens, (int, int)[] merges) => new(tokens, merges, "vocab.json", "merges.txt", r => r + 2);

    /// <summary>Trains a vocabulary on <paramref name="lines"/>; see <see cref="ByteLevelBpeTrainerOptions"/> for the rule.</summary>
    public static ByteLevelBpe Train(IEnumerable<string> lines, ByteLevelBpeTrainerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(options);
        var (tokens, merges) = ByteLevelBpeTrainer.Train(lines, options, cancellationToken);
        return Create(tokens, merges);
    }

    /// <summary>The ids of <paramref name="text"/>.</summary>
    public IReadOnlyList<int> EncodeToIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        Encode(text, ids);
        return ids;
    }

    /// <summary>Appends the ids of <paramref name="text"/> to <paramref name="ids"/>.</summary>
    internal void Encode(string text, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ids);
        var symbols = new List<int>();
        byte[] buffer = new byte[64];
        foreach (var match in ByteLevel.PreTokenizer().EnumerateMatches(text))
        {
            var piece = text.AsSpan(match.Index, match.Length);
            int max = Encoding.UTF8.GetMaxByteCount(piece.Length);
            if (buffer.Length < max) buffer = new byte[Math.Max(max, buffer.Length * 2)];
            int count = Encoding.UTF8.GetBytes(piece, buffer);
            symbols.Clear();
            for (int i = 0; i < count; i++) symbols.Add(_idOfByte[buffer[i]]);
            MergeWord(symbols);
            ids.AddRange(symbols);
        }
    }

    /// <summary>The tokens of <paramref name="text"/>, spelled in the byte alphabet.</summary>
    public IReadOnlyList<string> EncodeToTokens(string text) => [.. EncodeToIds(text).Select(id => _tokens[id])];

    /// <summary>Applies the merges to one pre-token: the lowest-ranked adjacent pair first, the leftmost among equals.</summary>
    private void MergeWord(List<int> symbols)
    {
        while (symbols.Count > 1)
        {
            int bestRank = int.MaxValue, bestAt = -1, merged = 0;
            for (int i = 0; i + 1 < symbols.Count; i++)
            {
                if (_rankOf.TryGetValue(Key(symbols[i], symbols[i + 1]), out var m) && m.Rank < bestRank)
                    (bestRank, bestAt, merged) = (m.Rank, i, m.Merged);
            }
            if (bestAt < 0) return;
            symbols[bestAt] = merged;
            symbols.RemoveAt(bestAt + 1);
        }
    }

    /// <summary>
    /// The text of <paramref name="ids"/>: the tokens' bytes concatenated and read as UTF-8 (a byte sequence that is
    /// not UTF-8, as a slice of a character's bytes, reads as U+FFFD).
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(id, nameof(ids));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _tokens.Length, nameof(ids));
            foreach (char c in _tokens[id]) bytes.Add((byte)ByteLevel.ByteOf(c));
        }
        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    /// <summary>
    /// Writes <paramref name="vocabPath"/> (a JSON object, token → id, in id order) and <paramref name="mergesPath"/>
    /// (<c>#version: 0.2</c>, then one merge per line, two tokens separated by a space), each atomically.
    /// </summary>
    public void Save(string vocabPath, string mergesPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vocabPath);
        ArgumentNullException.ThrowIfNull(mergesPath);
        AtomicFile.Write(vocabPath, WriteVocab, cancellationToken);
        AtomicFile.WriteMaybeCompressed(mergesPath, WriteMerges, cancellationToken);
    }

    /// <summary>Writes the two files of <see cref="Save(string, string, CancellationToken)"/> to two streams (left open).</summary>
    public void Save(Stream vocab, Stream merges)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(merges);
        WriteVocab(vocab);
        WriteMerges(merges);
    }

    private void WriteVocab(Stream stream)
    {
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            for (int i = 0; i < _tokens.Length; i++) json.WriteNumber(_tokens[i], i);
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }

    private void WriteMerges(Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write("#version: 0.2\n");
        foreach (var (left, right) in _merges)
        {
            writer.Write(_tokens[left]);
            writer.Write(' ');
            writer.Write(_tokens[right]);
            writer.Write('\n');
        }
    }

    /// <summary>
    /// Reads a <c>vocab.json</c> + <c>merges.txt</c> pair (GPT-2's, or one written by <see cref="Save(string, string, CancellationToken)"/>). The ids must
    /// run 0..N-1, every token must be spelled in the byte alphabet and all 256 bytes must have an id; a malformed file
    /// raises <see cref="LmToLlmFormatException"/> with its line.
    /// </summary>
    public static ByteLevelBpe Load(string vocabPath, string mergesPath)
    {
        ArgumentNullException.ThrowIfNull(vocabPath);
        ArgumentNullException.ThrowIfNull(mergesPath);
        return Read(File.ReadAllBytes(vocabPath), vocabPath, File.ReadAllBytes(mergesPath), mergesPath);
    }

    /// <summary>As <see cref="Load(string, string)"/>, from two streams (read to their end); errors name them <c>&lt;vocab stream&gt;</c> and <c>&lt;merges stream&gt;</c>.</summary>
    public static ByteLevelBpe Load(Stream vocab, Stream merges)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(merges);
        return Read(BinaryFormat.ReadAll(vocab), "<vocab stream>", BinaryFormat.ReadAll(merges), "<merges stream>");
    }

    private static ByteLevelBpe Read(byte[] vocab, string vocabName, byte[] merges, string mergesName)
    {
        var (tokens, ids) = ReadVocab(vocab, vocabName);
        var (pairs, lines) = ReadMerges(merges, mergesName, ids, vocabName);
        return new ByteLevelBpe(tokens, pairs, vocabName, mergesName, r => lines[r]);
    }

    private static long LineAt(byte[] bytes, long offset) => bytes.AsSpan(0, (int)Math.Min(offset, bytes.Length)).Count((byte)'\n') + 1;

    private static (string[] Tokens, Dictionary<string, int> Ids) ReadVocab(byte[] bytes, string path)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineOf = new Dictionary<string, long>(StringComparer.Ordinal);
        long endLine = 1;
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                ThrowHelper.Format(path, LineAt(bytes, reader.TokenStartIndex), "expected a JSON object mapping each token to its id, as GPT-2's vocab.json");
            while (true)
            {
                if (!reader.Read()) ThrowHelper.Format(path, LineAt(bytes, bytes.Length), "the JSON object is not closed");
                if (reader.TokenType == JsonTokenType.EndObject) break;
                long line = LineAt(bytes, reader.TokenStartIndex);
                string token = reader.GetString()!;
                if (token.Length == 0) ThrowHelper.Format(path, line, "a token is empty");
                foreach (char c in token)
                    if (ByteLevel.ByteOf(c) < 0)
                        ThrowHelper.Format(path, line, $"token '{Clip(token)}' has U+{(int)c:X4}, which is not in GPT-2's byte alphabet; a byte-level vocabulary spells bytes only");
                reader.Read();
                int id = -1;
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out id) || id < 0)
                    ThrowHelper.Format(path, line, $"the id of '{Clip(token)}' must be an integer from 0 to {int.MaxValue}");
                if (!ids.TryAdd(token, id)) ThrowHelper.Format(path, line, $"token '{Clip(token)}' is listed twice");
                lineOf[token] = line;
            }
            endLine = LineAt(bytes, reader.TokenStartIndex);
            if (reader.Read()) ThrowHelper.Format(path, LineAt(bytes, reader.TokenStartIndex), "text after the JSON object");
        }
        catch (JsonException e)
        {
            throw new LmToLlmFormatException(path, (e.LineNumber ?? -1) + 1, "not valid JSON: " + e.Message.Split(" LineNumber:")[0].TrimEnd('.', ' '), e);
        }
        catch (InvalidOperationException e)
        {
            throw new LmToLlmFormatException(path, LineAt(bytes, reader.TokenStartIndex), "a token is not valid UTF-8 or not a string: " + e.Message, e);
        }
        var tokens = new string[ids.Count];
        foreach (var (token, id) in ids)
        {
            if (id >= tokens.Length) ThrowHelper.Format(path, lineOf[token], $"token '{Clip(token)}' has id {id}, but the {tokens.Length} ids must run from 0 to {tokens.Length - 1}");
            if (tokens[id] is not null) ThrowHelper.Format(path, Math.Max(lineOf[token], lineOf[tokens[id]]), $"id {id} is given to both '{Clip(tokens[id])}' and '{Clip(token)}'");
            tokens[id] = token;
        }
        for (int b = 0; b < 256; b++)
        {
            if (!ids.ContainsKey(ByteLevel.ByteToChar[b].ToString()))
                ThrowHelper.Format(path, endLine, $"the object ends without byte 0x{b:X2} (spelled '{ByteLevel.ByteToChar[b]}'); a byte-level vocabulary needs all 256 bytes");
        }
        return (tokens, ids);
    }

    private static ((int, int)[] Merges, long[] Lines) ReadMerges(byte[] bytes, string path, Dictionary<string, int> ids, string vocabPath)
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var merges = new List<(int, int)>();
        var lines = new List<long>();
        int start = 0;
        long number = 0;
        string vocabName = Path.GetFileName(vocabPath);
        while (start < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            bool last = end < 0;
            if (last) end = bytes.Length;
            number++;
            var span = bytes.AsSpan(start, end - start);
            start = end + 1;
            if (span.Length > 0 && span[^1] == (byte)'\r') span = span[..^1];
            string text;
            try { text = strict.GetString(span); }
            catch (DecoderFallbackException) { return ThrowHelper.Format<((int, int)[], long[])>(path, number, "not valid UTF-8"); }
            if (number == 1 && text.StartsWith("#version", StringComparison.Ordinal)) continue;
            if (text.Length == 0)
            {
                if (last || start >= bytes.Length) break;
                ThrowHelper.Format(path, number, "an empty line; every line is one merge: two tokens separated by a space");
            }
            int space = text.IndexOf(' ');
            if (space <= 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0)
                ThrowHelper.Format(path, number, $"'{Clip(text)}' is not a merge: two tokens separated by one space");
            string left = text[..space], right = text[(space + 1)..];
            if (!ids.TryGetValue(left, out int l)) ThrowHelper.Format(path, number, $"token '{Clip(left)}' has no id in {vocabName}");
            if (!ids.TryGetValue(right, out int r)) ThrowHelper.Format(path, number, $"token '{Clip(right)}' has no id in {vocabName}");
            merges.Add((l, r));
            lines.Add(number);
        }
        return ([.. merges], [.. lines]);
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
