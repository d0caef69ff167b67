namespace LmToLlm.Samples.Subwords;

/// <summary>Pieces per held-out word and characters per piece for one language, algorithm and vocabulary size.</summary>
internal sealed record FertilityRow(string Language, string Model, int Vocabulary, double PiecesPerWord, double CharsPerPiece);

/// <summary>Tokens of the held-out paragraphs in each language under one shared vocabulary.</summary>
internal sealed record JointRow(string Tokenizer, long EnglishTokens, long KoreanTokens, double EnglishWordsPerWindow, double KoreanWordsPerWindow)
{
    /// <summary>Korean tokens per English token for the same content.</summary>
    public double Ratio => KoreanTokens / (double)EnglishTokens;
}
