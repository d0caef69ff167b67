namespace LmToLlm.Nori;

/// <summary>
/// Per UTF-16 unit: the dictionary's character class (with its invoke/group flags), and the Unicode general category
/// and script as the reference's Java runtime reports them, so that unknown-word grouping and punctuation tests give
/// the reference's answers whatever Unicode version .NET ships. Also Java's lower-case mapping.
/// </summary>
internal sealed class NoriCharacterTable
{
    // Java's Character.getType values used by the tokenizer.
    public const byte SpaceSeparator = 12, NonSpacingMark = 6, DecimalDigitNumber = 9;

    // The dictionary's character classes (Lucene CharacterDefinition order) the code names.
    public const byte NGramClass = 0, HangulClass = 11;

    public required byte[] Class { get; init; }
    public required bool[] ClassInvokes { get; init; }
    public required bool[] ClassGroups { get; init; }
    public required byte[] Category { get; init; }
    public required byte[] Script { get; init; }
    public required byte CommonScript { get; init; }
    public required byte InheritedScript { get; init; }
    public required char[] LowerBmp { get; init; }
    public required Dictionary<int, int> LowerSupplementary { get; init; }

    public bool IsInvoke(char c) => ClassInvokes[Class[c]];
    public bool IsGroup(char c) => ClassGroups[Class[c]];
    public bool IsDigit(char c) => Category[c] == DecimalDigitNumber;
    public bool IsCommonOrInherited(byte script) => script == CommonScript || script == InheritedScript;

    /// <summary>Lucene KoreanTokenizer.isPunctuation: separators, controls, format, punctuation and symbols, plus U+318D.</summary>
    public bool IsPunctuation(char c)
    {
        if (c == '\u318D') return true;
        return Category[c] switch
        {
            12 or 13 or 14 or 15 or 16 or 20 or 21 or 22 or 23 or 24 or 25 or 26 or 27 or 28 or 29 or 30 => true,
            _ => false,
        };
    }

    /// <summary>Java's <c>Character.toLowerCase(int)</c>.</summary>
    public int ToLower(int codePoint) =>
        codePoint < 0x10000 ? LowerBmp[codePoint] : LowerSupplementary.TryGetValue(codePoint, out int lower) ? lower : codePoint;
}
