namespace LmToLlm.Nori;

/// <summary>
/// The part-of-speech tags of mecab-ko-dic (Sejong tag set) in Lucene Nori's <c>POS.Tag</c> order; the dictionary file
/// lists the names and the loader checks they match this order.
/// </summary>
public enum NoriTag : byte
{
    /// <summary>Verbal endings.</summary>
    E,
    /// <summary>Interjection.</summary>
    IC,
    /// <summary>Ending particle.</summary>
    J,
    /// <summary>General adverb.</summary>
    MAG,
    /// <summary>Conjunctive adverb.</summary>
    MAJ,
    /// <summary>Determiner.</summary>
    MM,
    /// <summary>General noun.</summary>
    NNG,
    /// <summary>Proper noun.</summary>
    NNP,
    /// <summary>Dependent noun.</summary>
    NNB,
    /// <summary>Dependent noun (counting unit).</summary>
    NNBC,
    /// <summary>Pronoun.</summary>
    NP,
    /// <summary>Numeral.</summary>
    NR,
    /// <summary>Terminal punctuation.</summary>
    SF,
    /// <summary>Chinese characters (Hanja).</summary>
    SH,
    /// <summary>Foreign language.</summary>
    SL,
    /// <summary>Number.</summary>
    SN,
    /// <summary>Space.</summary>
    SP,
    /// <summary>Closing brackets.</summary>
    SSC,
    /// <summary>Opening brackets.</summary>
    SSO,
    /// <summary>Separator.</summary>
    SC,
    /// <summary>Other symbol.</summary>
    SY,
    /// <summary>Ellipsis.</summary>
    SE,
    /// <summary>Adjective.</summary>
    VA,
    /// <summary>Negative designator.</summary>
    VCN,
    /// <summary>Positive designator.</summary>
    VCP,
    /// <summary>Verb.</summary>
    VV,
    /// <summary>Auxiliary verb or adjective.</summary>
    VX,
    /// <summary>Prefix.</summary>
    XPN,
    /// <summary>Root.</summary>
    XR,
    /// <summary>Adjective suffix.</summary>
    XSA,
    /// <summary>Noun suffix.</summary>
    XSN,
    /// <summary>Verb suffix.</summary>
    XSV,
    /// <summary>Unknown.</summary>
    UNKNOWN,
    /// <summary>Unknown (mecab-ko-dic UNA).</summary>
    UNA,
    /// <summary>Unknown (mecab-ko-dic NA).</summary>
    NA,
    /// <summary>Unknown (mecab-ko-dic VSV).</summary>
    VSV,
}

/// <summary>How a dictionary entry is built, in Lucene Nori's <c>POS.Type</c> order.</summary>
public enum NoriWordType : byte
{
    /// <summary>A simple morpheme.</summary>
    Morpheme,
    /// <summary>A compound noun made of several nouns (e.g. 가락지나물 = 가락지 + 나물).</summary>
    Compound,
    /// <summary>An inflected token (e.g. 했 = 하 + 았).</summary>
    Inflect,
    /// <summary>A pre-analysed token (e.g. 은전한닢 = 은전 + 한 + 닢).</summary>
    Preanalysis,
}

/// <summary>Where a token came from, as Lucene's <c>KoreanTokenizer.Type</c>.</summary>
public enum NoriWordSource : byte
{
    /// <summary>The system dictionary.</summary>
    Known,
    /// <summary>An unknown word grouped by character class.</summary>
    Unknown,
    /// <summary>The user dictionary.</summary>
    User,
}

/// <summary>How the tokenizer handles compound, inflected and pre-analysed tokens (Lucene's <c>DecompoundMode</c>).</summary>
public enum NoriDecompoundMode
{
    /// <summary>Keep them whole.</summary>
    None,
    /// <summary>Emit their parts and drop the whole (the default).</summary>
    Discard,
    /// <summary>Emit their parts and the whole (at the position of the first part, spanning them all).</summary>
    Mixed,
}
