namespace LmToLlm.Corpora;

/// <summary>A document of a collection: its id, an optional title and its text.</summary>
/// <param name="Id">The document id as the collection spells it (BEIR <c>_id</c>).</param>
/// <param name="Title">The title, or the empty string.</param>
/// <param name="Text">The body text.</param>
public sealed record Document(string Id, string Title, string Text)
{
    /// <summary>
    /// The text that is analysed: <c>Title + " " + Text</c> when the title is non-empty, otherwise <c>Text</c>
    /// (the rule every reference in the test data uses).
    /// </summary>
    public string FullText => Title.Length > 0 ? Title + " " + Text : Text;
}

/// <summary>A query of a collection: its id and text.</summary>
/// <param name="Id">The query id (BEIR <c>_id</c>, TREC qid).</param>
/// <param name="Text">The query text.</param>
public sealed record Query(string Id, string Text);
