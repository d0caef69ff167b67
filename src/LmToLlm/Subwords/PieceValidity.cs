namespace LmToLlm.Subwords;

/// <summary>
/// Which character sequences may become a piece (<c>TrainerInterface::IsValidSentencePiece</c>): not too long, no
/// reserved characters, the word-boundary mark only at the word edge, no change of script (Hiragana and Katakana
/// count as Han, combining marks take the script before them, digits form their own unless splitting by number is off).
/// </summary>
internal sealed class PieceValidity(SubwordTrainerOptions options)
{
    private const int AnyScript = -1;

    internal bool IsValid(ReadOnlySpan<int> piece)
    {
        if (piece.IsEmpty || piece.Length > options.MaxSentencePieceLength) return false;
        int prevScript = AnyScript;
        bool allSpace = true;
        foreach (int c in piece) if (c != TrainingCorpus.SpaceChar) { allSpace = false; break; }
        for (int pos = 0; pos < piece.Length; pos++)
        {
            int c = piece[pos];
            if (c == TrainingCorpus.UnknownChar || c == 0 || c == TrainingCorpus.BoundaryChar || c == ' ') return false;
            if (!SpmUtf8.IsValidCodepoint(c)) return false;
            if (c == TrainingCorpus.SpaceChar)
            {
                if (!options.AllowWhitespaceOnlyPieces || !allSpace)
                {
                    if (options.TreatWhitespaceAsSuffix)
                    {
                        if ((options.SplitByWhitespace && pos < piece.Length - 1) ||
                            (!options.SplitByWhitespace && pos < piece.Length - 1 && pos == 0)) return false;
                    }
                    else if ((options.SplitByWhitespace && pos > 0) ||
                             (!options.SplitByWhitespace && pos > 0 && pos == piece.Length - 1)) return false;
                }
                continue;
            }
            int s = UnicodeScripts.Of(c);
            if (s == UnicodeScripts.Hiragana || s == UnicodeScripts.Katakana || c == 0x30FC) s = UnicodeScripts.Han;
            else if (s == UnicodeScripts.Inherited) s = prevScript;
            bool digit = c is >= '0' and <= '9' or >= 0xFF10 and <= 0xFF19;
            if (!options.SplitByNumber && digit) s = AnyScript;
            if (options.SplitDigits && digit && piece.Length > 1) return false;
            if (options.SplitByUnicodeScript && s != AnyScript && prevScript != AnyScript && prevScript != s) return false;
            prevScript = s;
        }
        return true;
    }
}
