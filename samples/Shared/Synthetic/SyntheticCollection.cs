using System.Globalization;
using System.Text;
using LmToLlm.Samples;
using LmToLlm.Corpora;
using LmToLlm.Primitives;

namespace LmToLlm.Samples.Synthetic;

/// <summary>A topic of a synthetic lexicon: its name and its concepts, each a (document word, query synonym) pair.</summary>
/// <param name="Name">The topic name (not used as a token).</param>
/// <param name="Concepts">Pairs of words with one meaning: documents use the first, semantic queries the second.</param>
public sealed record SyntheticTopic(string Name, IReadOnlyList<(string DocumentWord, string QueryWord)> Concepts);

/// <summary>The word lists a collection is generated from (hand-written in this repository).</summary>
/// <param name="Language">"en" or "ko".</param>
/// <param name="Topics">The topics; every word appears once in the whole lexicon.</param>
/// <param name="Fillers">Topic-neutral words that pad sentences.</param>
/// <param name="QueryGlue">Words that may join the two concept words of a query (empty: none).</param>
public sealed record SyntheticLexicon(string Language, IReadOnlyList<SyntheticTopic> Topics, IReadOnlyList<string> Fillers, IReadOnlyList<string> QueryGlue);

/// <summary>The kind of a query of a built-in collection.</summary>
public enum QueryKind
{
    /// <summary>The query uses the very words its relevant documents use.</summary>
    Lexical,

    /// <summary>The query uses synonyms that no document of the collection contains.</summary>
    Semantic,
}

/// <summary>A judged query of a built-in collection with its kind.</summary>
/// <param name="Query">Id and text.</param>
/// <param name="Kind">Lexical or semantic.</param>
/// <param name="Topic">The topic the query asks about.</param>
public sealed record TaggedQuery(Query Query, QueryKind Kind, string Topic);

/// <summary>A graded relevance judgment (BEIR qrels row).</summary>
/// <param name="QueryId">The query id.</param>
/// <param name="DocumentId">The document id.</param>
/// <param name="Grade">2 = about both concepts of the query, 1 = about one of them.</param>
public readonly record struct Judgment(string QueryId, string DocumentId, int Grade);

/// <summary>A generated test collection: documents, tagged queries and graded judgments.</summary>
/// <param name="Lexicon">The word lists it was generated from.</param>
/// <param name="Corpus">The documents.</param>
/// <param name="Queries">The queries, lexical and semantic interleaved.</param>
/// <param name="Judgments">Graded judgments (only grades ≥ 1 are listed).</param>
public sealed record SyntheticCollection(SyntheticLexicon Lexicon, IReadOnlyList<Document> Corpus, IReadOnlyList<TaggedQuery> Queries, IReadOnlyList<Judgment> Judgments);

/// <summary>Sizes and seed of a generated collection; the defaults give the committed built-in collections.</summary>
public sealed record SyntheticCollectionOptions
{
    /// <summary>Documents per topic (default 22: 24 English topics → 528 documents).</summary>
    public int DocumentsPerTopic { get; init; } = 22;

    /// <summary>Queries of each kind (default 32 → 64 queries).</summary>
    public int QueriesPerKind { get; init; } = 32;

    /// <summary>Concepts a document is about (default 3 of the topic's concepts).</summary>
    public int FocusConcepts { get; init; } = 3;

    /// <summary>The generator seed (default 7).</summary>
    public ulong Seed { get; init; } = 7;
}

/// <summary>
/// The project's own test collections and training texts, generated deterministically from hand-written lexicons
/// (<c>corpora/README.md</c> describes the design). Input: a lexicon and a seed. Output: the same documents, queries,
/// judgments and training text on every machine and run (a SplitMix64 generator, invariant formatting).
/// </summary>
public static class BuiltInCollections
{
    /// <summary>The languages with a built-in collection.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "ko"];

    /// <summary>The lexicon of a language ("en" or "ko").</summary>
    public static SyntheticLexicon Lexicon(string language) => language switch
    {
        "en" => EnglishLexicon.Create(),
        "ko" => KoreanLexicon.Create(),
        _ => throw new ArgumentException($"no built-in collection for language '{language}'; known: en, ko", nameof(language)),
    };

    /// <summary>The built-in English collection (528 documents, 24 topics, 64 queries).</summary>
    public static SyntheticCollection English() => Generate(Lexicon("en"));

    /// <summary>The built-in Korean collection (306 documents, 17 topics, 40 queries).</summary>
    public static SyntheticCollection Korean() => Generate(Lexicon("ko"), new SyntheticCollectionOptions { DocumentsPerTopic = 18, QueriesPerKind = 20 });

    /// <summary>The built-in collection of a language.</summary>
    public static SyntheticCollection ForLanguage(string language) => language == "ko" ? Korean() : language == "en" ? English() : throw new ArgumentException($"no built-in collection for language '{language}'; known: en, ko", nameof(language));

    /// <summary>
    /// Generates a collection. Each document belongs to one topic and is about <see cref="SyntheticCollectionOptions.FocusConcepts"/>
    /// of its concepts (document words only, repeated over 5–8 sentences, plus fillers and, in a third of the documents,
    /// one sentence borrowed from another topic). A query names two concepts of a topic: with their document words
    /// (lexical) or their query synonyms (semantic). Grade 2: a document of that topic about both; grade 1: about one.
    /// </summary>
    public static SyntheticCollection Generate(SyntheticLexicon lexicon, SyntheticCollectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        options ??= new SyntheticCollectionOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DocumentsPerTopic, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueriesPerKind, 1);
        CheckLexicon(lexicon);
        var random = new SplitMix64(options.Seed);
        var topics = lexicon.Topics;
        var documents = new List<Document>();
        var focus = new List<(int Topic, HashSet<int> Concepts)>();
        var text = new StringBuilder();
        for (int d = 0; d < options.DocumentsPerTopic; d++)
        {
            for (int t = 0; t < topics.Count; t++)
            {
                var concepts = random.Sample(topics[t].Concepts.Count, Math.Min(options.FocusConcepts, topics[t].Concepts.Count));
                text.Clear();
                int sentences = 5 + random.NextSmall(4);
                int borrowed = random.NextSmall(3) == 0 ? random.NextSmall(sentences) : -1;
                for (int s = 0; s < sentences; s++)
                {
                    if (s == borrowed)
                    {
                        int other = (t + 1 + random.NextSmall(topics.Count - 1)) % topics.Count;
                        AppendSentence(text, lexicon, random, [topics[other].Concepts[random.NextSmall(topics[other].Concepts.Count)].DocumentWord]);
                        continue;
                    }
                    int a = concepts[random.NextSmall(concepts.Length)];
                    int b = random.NextSmall(5) == 0 ? random.NextSmall(topics[t].Concepts.Count) : concepts[random.NextSmall(concepts.Length)];
                    AppendSentence(text, lexicon, random, [Attach(lexicon, topics[t].Concepts[a].DocumentWord, random), Attach(lexicon, topics[t].Concepts[b].DocumentWord, random)]);
                }
                string id = string.Create(CultureInfo.InvariantCulture, $"{lexicon.Language}-d{documents.Count + 1:D4}");
                documents.Add(new Document(id, "", text.ToString().TrimEnd()));
                focus.Add((t, [.. concepts]));
            }
        }

        var queries = new List<TaggedQuery>();
        var judgments = new List<Judgment>();
        var used = new HashSet<(int, int, int)>();
        for (int q = 0; q < 2 * options.QueriesPerKind; q++)
        {
            var kind = q % 2 == 0 ? QueryKind.Lexical : QueryKind.Semantic;
            int t = (q / 2 + (kind == QueryKind.Semantic ? topics.Count / 2 : 0)) % topics.Count;
            var topic = topics[t];
            while (true)
            {
                int c1 = random.NextSmall(topic.Concepts.Count), c2 = random.NextSmall(topic.Concepts.Count);
                if (c1 == c2 || !used.Add((t, Math.Min(c1, c2), Math.Max(c1, c2)))) continue;
                int best = 0;
                for (int d = 0; d < documents.Count; d++)
                    if (focus[d].Topic == t && focus[d].Concepts.Contains(c1) && focus[d].Concepts.Contains(c2)) best++;
                if (best == 0) continue;
                string id = string.Create(CultureInfo.InvariantCulture, $"{lexicon.Language}-q{q + 1:D3}");
                string w1 = kind == QueryKind.Lexical ? topic.Concepts[c1].DocumentWord : topic.Concepts[c1].QueryWord;
                string w2 = kind == QueryKind.Lexical ? topic.Concepts[c2].DocumentWord : topic.Concepts[c2].QueryWord;
                string glue = lexicon.QueryGlue.Count > 0 ? " " + lexicon.QueryGlue[random.NextSmall(lexicon.QueryGlue.Count)] + " " : " ";
                queries.Add(new TaggedQuery(new Query(id, w1 + glue + w2), kind, topic.Name));
                for (int d = 0; d < documents.Count; d++)
                {
                    if (focus[d].Topic != t) continue;
                    int grade = (focus[d].Concepts.Contains(c1) ? 1 : 0) + (focus[d].Concepts.Contains(c2) ? 1 : 0);
                    if (grade > 0) judgments.Add(new Judgment(id, documents[d].Id, grade));
                }
                break;
            }
        }
        return new SyntheticCollection(lexicon, documents, queries, judgments);
    }

    /// <summary>
    /// Writes a training text of at least <paramref name="tokens"/> whitespace tokens, one sentence per line: each
    /// sentence names two or three concepts of one topic (a concept and its neighbours on the topic's ring of concepts), each written as its document word or its query synonym with
    /// equal chance, among fillers; Korean nouns carry a particle seven times in ten. Synonyms thus share their contexts.
    /// </summary>
    public static long WriteTrainingText(SyntheticLexicon lexicon, TextWriter writer, long tokens = 2_000_000, ulong seed = 11)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        CheckLexicon(lexicon);
        var random = new SplitMix64(seed);
        var line = new StringBuilder();
        long written = 0;
        var words = new List<string>(3);
        while (written < tokens)
        {
            var topic = lexicon.Topics[random.NextSmall(lexicon.Topics.Count)];
            int count = 2 + random.NextSmall(2);
            int centre = random.NextSmall(topic.Concepts.Count);
            words.Clear();
            for (int i = 0; i < count; i++)
            {
                // The centre concept and its ring neighbours (centre ± 1): synonyms share exactly the same contexts,
                // different concepts of a topic only some, so a word's nearest neighbour is its synonym.
                int concept = i == 0 ? centre : (centre + topic.Concepts.Count + random.NextSmall(3) - 1) % topic.Concepts.Count;
                var (document, query) = topic.Concepts[concept];
                string word = random.NextSmall(2) == 0 ? document : query;
                words.Add(lexicon.Language == "ko" && random.NextSmall(10) < 7 ? Attach(lexicon, word, random) : word);
            }
            line.Clear();
            written += AppendSentence(line, lexicon, random, words);
            writer.Write(line.ToString().TrimEnd());
            writer.Write('\n');
        }
        return written;
    }

    /// <summary>Writes the training text of a language to <paramref name="path"/> atomically; returns the token count.</summary>
    public static long WriteTrainingText(string language, string path, long tokens = 2_000_000, ulong seed = 11)
    {
        var lexicon = Lexicon(language);
        long written = 0;
        SampleFiles.WriteText(path, writer => written = WriteTrainingText(lexicon, writer, tokens, seed));
        return written;
    }

    /// <summary>
    /// Writes a collection in BEIR layout into <paramref name="folder"/>: corpus.jsonl, queries.jsonl, qrels/test.tsv
    /// and query-kinds.tsv (query-id, kind, topic).
    /// </summary>
    public static void Export(SyntheticCollection collection, string folder)
    {
        ArgumentNullException.ThrowIfNull(collection);
        Directory.CreateDirectory(Path.Combine(folder, "qrels"));
        BeirJsonl.WriteCorpus(Path.Combine(folder, "corpus.jsonl"), collection.Corpus);
        BeirJsonl.WriteQueries(Path.Combine(folder, "queries.jsonl"), collection.Queries.Select(q => q.Query));
        SampleFiles.WriteText(Path.Combine(folder, "qrels", "test.tsv"), w =>
        {
            w.Write("query-id\tcorpus-id\tscore\n");
            foreach (var j in collection.Judgments) w.Write($"{j.QueryId}\t{j.DocumentId}\t{j.Grade.ToString(CultureInfo.InvariantCulture)}\n");
        });
        SampleFiles.WriteText(Path.Combine(folder, "query-kinds.tsv"), w =>
        {
            w.Write("query-id\tkind\ttopic\n");
            foreach (var q in collection.Queries) w.Write($"{q.Query.Id}\t{KindName(q.Kind)}\t{q.Topic}\n");
        });
    }

    /// <summary>"lexical" or "semantic".</summary>
    public static string KindName(QueryKind kind) => kind == QueryKind.Lexical ? "lexical" : "semantic";

    /// <summary>
    /// Reads a query-kinds.tsv (header, then query-id TAB kind [TAB topic]); kinds are free labels.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadQueryKinds(string path)
    {
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (number, line) in TextLines.Read(path))
        {
            if (number == 1 && line.StartsWith("query-id", StringComparison.Ordinal)) continue;
            if (line.Length == 0) continue;
            var fields = line.Split('\t');
            if (fields.Length < 2 || fields[0].Length == 0 || fields[1].Length == 0)
                throw new LmToLlmFormatException(path, number, "expected 'query-id<TAB>kind'");
            if (!kinds.TryAdd(fields[0], fields[1]))
                throw new LmToLlmFormatException(path, number, $"query '{fields[0]}' is listed twice");
        }
        return kinds;
    }

    private static int AppendSentence(StringBuilder text, SyntheticLexicon lexicon, SplitMix64 random, IReadOnlyList<string> content)
    {
        int fillers = 3 + random.NextSmall(4);
        int total = fillers + content.Count;
        // Content words go to distinct random slots among the fillers.
        Span<int> slots = stackalloc int[content.Count];
        for (int i = 0; i < content.Count; i++)
        {
            int slot;
            do slot = random.NextSmall(total); while (slots[..i].Contains(slot));
            slots[i] = slot;
        }
        for (int position = 0; position < total; position++)
        {
            int at = slots.IndexOf(position);
            text.Append(at >= 0 ? content[at] : lexicon.Fillers[random.NextSmall(lexicon.Fillers.Count)]);
            text.Append(position == total - 1 ? ". " : " ");
        }
        return total;
    }

    /// <summary>Korean: the noun with a particle (chosen by whether its last syllable has a final consonant).</summary>
    private static string Attach(SyntheticLexicon lexicon, string noun, SplitMix64 random)
    {
        if (lexicon.Language != "ko") return noun;
        char last = noun[^1];
        bool batchim = last is >= '\uAC00' and <= '\uD7A3' && (last - 0xAC00) % 28 != 0;
        string[] particles = batchim ? ["이", "을", "은", "과", "에서", "에", "의", "으로", "도"] : ["가", "를", "는", "와", "에서", "에", "의", "로", "도"];
        return noun + particles[random.NextSmall(particles.Length)];
    }

    private static void CheckLexicon(SyntheticLexicon lexicon)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in lexicon.Topics)
            foreach (var (document, query) in topic.Concepts)
                if (!seen.Add(document) || !seen.Add(query))
                    throw new ArgumentException($"lexicon '{lexicon.Language}': a word of topic '{topic.Name}' appears twice", nameof(lexicon));
        if (lexicon.Topics.Count < 2 || lexicon.Fillers.Count == 0)
            throw new ArgumentException("a lexicon needs at least two topics and one filler", nameof(lexicon));
    }
}
