using System.Globalization;

namespace LmToLlm.Retrieval;

/// <summary>Lucene-shaped explanations of BM25 scores.</summary>
public sealed partial class Bm25
{
    /// <summary>
    /// Why <paramref name="document"/> scored what it did for <paramref name="query"/>, shaped like Lucene 4's
    /// <c>IndexSearcher.explain</c> for a BooleanQuery of TermQuery clauses under BM25Similarity.
    /// </summary>
    public Explanation Explain(string query, int document)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(document);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(document, Index.DocumentCount);
        var terms = Index.AnalyzeQuery(query);
        var clauses = new List<Explanation>();
        double sum = 0;
        var clauseWeights = Clauses(terms);
        foreach (var w in clauseWeights)
        {
            int term = w.Term;
            int tf = Index.Frequency(term, document);
            if (tf == 0) continue;
            float score = w.Score(tf, _lengthFactor[document]);
            sum += score;
            clauses.Add(new Explanation(score, $"weight(body:{Index.Term(term)} in {document}) [BM25Similarity/{Bm25Options.VariantName(Options.Variant)}], result of:",
                [ExplainClause(w, tf, document, score)]));
        }
        float total = (float)sum;
        if (clauses.Count == 0) return new Explanation(0f, "no matching term", []);
        // Lucene rewrites a one-clause BooleanQuery to its TermQuery; otherwise the explanation is the clause sum.
        return clauseWeights.Length == 1 ? clauses[0] : new Explanation(total, "sum of:", clauses);
    }

    private Explanation ExplainClause(Bm25TermWeight w, int tf, int document, float score)
    {
        var inv = CultureInfo.InvariantCulture;
        int df = Index.DocumentFrequency(w.Term);
        var idf = new Explanation(w.Idf, string.Create(inv, $"idf(docFreq={df}, {(_formula.CountsNonEmptyDocuments ? "docCount" : "maxDocs")}={CollectionSize})"), []);
        float length = _norms is null ? Index.DocumentLength(document) : _formula.DecodedLengths[_norms[document]];
        var parts = new List<Explanation>
        {
            new(tf, "termFreq=" + Explanation.FormatValue(tf), []),
            new(Options.K1, "parameter k1", []),
            new(Options.B, "parameter b", []),
            new(AverageDocumentLength, "avgFieldLength", []),
            new(length, _norms is null ? "fieldLength" : "fieldLength (quantised norm)", []),
        };
        if (w.Kind is Bm25TermWeight.Shape.Bm25L or Bm25TermWeight.Shape.Bm25Plus) parts.Add(new Explanation(Delta, "parameter delta", []));
        // Lucene's explainScore: tfNorm = freq·(k1 + 1) / (freq + k1·(1 − b + b·fieldLength/avgdl)), score = idf·tfNorm.
        float tfNorm = _formula.ExplainTfNorm(tf, Options.K1, _lengthFactor[document], score, w.Idf, w.Weight);
        return new Explanation(score, string.Create(inv, $"score(doc={document},freq={Explanation.FormatValue(tf)}), product of:"),
            [idf, new Explanation(tfNorm, "tfNorm, computed from:", parts)]);
    }
}
