using System.Text.Json;

namespace LmToLlm.Corpora;

/// <summary>
/// Reads the BEIR JSON-lines layout: a corpus file of <c>{"_id", "title", "text"}</c> objects and a queries file
/// of <c>{"_id", "text"}</c> objects, one per line; blank lines are skipped. Streaming: records are yielded as read.
/// </summary>
public static class BeirJsonl
{
    /// <summary>Streams the documents of a BEIR <c>corpus.jsonl</c> (title optional, text required).</summary>
    public static IEnumerable<Document> ReadCorpus(string path)
    {
        foreach (var (number, line) in TextLines.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return ParseCorpusLine(path, number, line);
        }
    }

    /// <summary>One non-blank line of a BEIR corpus as a document; <see cref="LmToLlmFormatException"/> (file:line) when malformed.</summary>
    internal static Document ParseCorpusLine(string path, long number, string line)
    {
        using var json = Parse(path, number, line);
        string id = RequiredString(path, number, json.RootElement, "_id");
        string title = OptionalString(path, number, json.RootElement, "title");
        string text = RequiredString(path, number, json.RootElement, "text");
        return new Document(id, title, text);
    }

    /// <summary>Streams the queries of a BEIR <c>queries.jsonl</c>.</summary>
    public static IEnumerable<Query> ReadQueries(string path)
    {
        foreach (var (number, line) in TextLines.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var json = Parse(path, number, line);
            yield return new Query(RequiredString(path, number, json.RootElement, "_id"), RequiredString(path, number, json.RootElement, "text"));
        }
    }

    /// <summary>Writes documents as BEIR corpus JSON lines, atomically (gzip-compressed when the name ends in <c>.gz</c>).</summary>
    public static void WriteCorpus(string path, IEnumerable<Document> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        AtomicFile.WriteMaybeCompressed(path, stream =>
        {
            var newline = "\n"u8.ToArray();
            foreach (var d in documents)
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    writer.WriteStartObject();
                    writer.WriteString("_id", d.Id);
                    writer.WriteString("title", d.Title);
                    writer.WriteString("text", d.Text);
                    writer.WriteEndObject();
                }
                stream.Write(newline);
            }
        }, cancellationToken);
    }

    /// <summary>Writes queries as BEIR queries JSON lines, atomically (gzip-compressed when the name ends in <c>.gz</c>).</summary>
    public static void WriteQueries(string path, IEnumerable<Query> queries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        AtomicFile.WriteMaybeCompressed(path, stream =>
        {
            var newline = "\n"u8.ToArray();
            foreach (var q in queries)
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    writer.WriteStartObject();
                    writer.WriteString("_id", q.Id);
                    writer.WriteString("text", q.Text);
                    writer.WriteEndObject();
                }
                stream.Write(newline);
            }
        }, cancellationToken);
    }

    private static JsonDocument Parse(string path, long number, string line)
    {
        try
        {
            var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                ThrowHelper.Format(path, number, "expected a JSON object per line");
            }
            return doc;
        }
        catch (JsonException e)
        {
            throw new LmToLlmFormatException(path, number, $"invalid JSON at character {(e.BytePositionInLine ?? 0) + 1}: {JsonProblem(e)}", e);
        }
    }

    /// <summary>System.Text.Json's message without its " LineNumber: 0 | BytePositionInLine: n." tail (the line is ours to name).</summary>
    internal static string JsonProblem(JsonException e)
    {
        string message = e.Message;
        int tail = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (tail >= 0 ? message[..tail] : message).TrimEnd();
    }

    private static string RequiredString(string path, long number, JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
            ThrowHelper.Format(path, number, $"missing \"{name}\"");
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number when name == "_id" => value.GetRawText(),
            _ => ThrowHelper.Format<string>(path, number, $"\"{name}\" must be a string"),
        };
    }

    private static string OptionalString(string path, long number, JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return "";
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : ThrowHelper.Format<string>(path, number, $"\"{name}\" must be a string");
    }
}
