using LmToLlm.Nori;

namespace LmToLlm.Tests.Nori;

public sealed class NoriUserDictionaryTests
{
    [Fact]
    public void Parts_longer_than_the_word_name_the_line()
    {
        var e = Assert.Throws<LmToLlmFormatException>(() => NoriUserDictionary.Parse(["# nouns", "세종", "세종시 세종시 시"], "my.txt"));
        Assert.Equal("my.txt", e.FilePath);
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("longer than the word", e.Message);
    }

    [Fact]
    public void Comments_and_blank_lines_only_give_no_dictionary_as_Lucene()
    {
        Assert.Null(NoriUserDictionary.Parse(["# only a comment", "   ", ""]));
    }

    [Fact]
    public void First_line_of_a_duplicated_word_wins_and_splits_the_compound()
    {
        var user = NoriUserDictionary.Parse(["세종시 세종 시", "세종시"])!;
        Assert.Equal(1, user.Count);
        var tokens = NoriAnalyzer.Create(NoriDecompoundMode.Discard, user).Tokenize("세종시에");
        Assert.Equal(["세종", "시"], tokens);
    }

    [Fact]
    public void Invalid_utf8_in_the_file_names_file_and_line()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "userdict_ko.txt");
        File.WriteAllBytes(path, [.. "세종\n"u8, 0xFF, 0xFE, (byte)'\n']);
        var e = Assert.Throws<LmToLlmFormatException>(() => NoriUserDictionary.Load(path));
        Assert.Equal(2, e.LineNumber);
    }
}
