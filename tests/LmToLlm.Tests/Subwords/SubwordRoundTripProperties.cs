using System.Text;
using FsCheck.Xunit;
using LmToLlm.Subwords;

namespace LmToLlm.Tests.Subwords;

/// <summary>decode(encode(x)) is the normalised text (▁ back to spaces, the dummy prefix dropped) on random Unicode.</summary>
public sealed class SubwordRoundTripProperties
{
    // Korean, Latin, spaces of several kinds, NFKC-sensitive forms, combining marks, emoji, an unassigned code point
    // (U+0378), a private-use one, and lone surrogates (UTF-8 encoding turns them into U+FFFD).
    private static readonly string[] Pieces =
    [
        "학", "교", "에서", "를", " ", "  ", "\t", "\u3000", "\u00A0", "a", "Z", "7", "ﬁ", "Ａ", "①", "\u0301", "é", "😀",
        "\u0378", "\uE000", "\uD800", "\uDC00", "☃", ".", "\u200B", "\u0001",
    ];

    private static readonly SubwordTokenizer[] Tokenizers =
    [
        SubwordTokenizer.Create(SubwordReference.Model("ko-bpe-nmt_nfkc-2000-bf")),
        SubwordTokenizer.Create(SubwordReference.Model("ko-unigram-identity-2000-bf")),
    ];

    private static string Text(int[] picks)
    {
        var text = new StringBuilder();
        foreach (int p in picks) text.Append(Pieces[(int)((uint)p % Pieces.Length)]);
        return text.ToString();
    }

    private static string Expected(SubwordTokenizer tokenizer, string text)
    {
        string normalized = tokenizer.Normalize(text).Replace('\u2581', ' ');
        return normalized.StartsWith(' ') ? normalized[1..] : normalized;
    }

    [Property(MaxTest = 300)]
    public bool Byte_fallback_bpe_round_trips_to_the_normalised_text(int[] picks)
    {
        string text = Text(picks);
        return Tokenizers[0].Decode(Tokenizers[0].EncodeToIds(text)) == Expected(Tokenizers[0], text);
    }

    [Property(MaxTest = 300)]
    public bool Byte_fallback_unigram_round_trips_to_the_normalised_text(int[] picks)
    {
        string text = Text(picks);
        return Tokenizers[1].Decode(Tokenizers[1].EncodeToIds(text)) == Expected(Tokenizers[1], text);
    }

    [Property(MaxTest = 100)]
    public bool Decoding_pieces_equals_decoding_ids(int[] picks)
    {
        string text = Text(picks);
        var t = Tokenizers[1];
        return t.DecodePieces(t.EncodeToPieces(text)) == t.Decode(t.EncodeToIds(text));
    }
}
