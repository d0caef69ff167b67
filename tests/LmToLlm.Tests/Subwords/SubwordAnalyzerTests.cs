using LmToLlm.Subwords;
using LmToLlm.Text;

namespace LmToLlm.Tests.Subwords;

/// <summary>The <c>spm:PATH</c> analyzer gives spm_encode's pieces, so BM25, n-grams and Word2Vec run on subwords.</summary>
public sealed class SubwordAnalyzerTests
{
    [Fact]
    public void Tokens_are_the_pieces_spm_encode_gives()
    {
        const string name = "ko-unigram-nmt_nfkc-4000";
        var model = SubwordReference.Model(name);
        Analyzer analyzer = SubwordAnalyzer.Create(model, name + ".model");
        var tokenizer = SubwordTokenizer.Create(model);
        var expected = SubwordReference.Text(name + ".test.ids").TrimEnd('\n').Split('\n');
        var lines = SubwordReference.KoreanTest();
        for (int i = 0; i < lines.Count; i++)
        {
            var tokens = analyzer.Tokenize(System.Text.Encoding.UTF8.GetString(lines[i]));
            Assert.Equal(expected[i], string.Join(' ', tokens.Select(tokenizer.PieceToId)));
        }
        Assert.Equal("spm:" + name + ".model", analyzer.Name);
    }

    [Fact]
    public void The_name_loads_the_model_and_other_names_are_not_ours()
    {
        string path = Path.Combine(Path.GetTempPath(), $"spm-analyzer-{Guid.NewGuid():N}.model");
        try
        {
            File.WriteAllBytes(path, SubwordReference.Bytes("ko-bpe-identity-8000.model"));
            var analyzer = SubwordAnalyzer.TryFromName("spm:" + path);
            Assert.NotNull(analyzer);
            Assert.Equal(["▁", "학", "교", "에서"], analyzer.Tokenize("학교에서")); // spm_encode --model=ko-bpe-identity-8000.model
            Assert.Null(SubwordAnalyzer.TryFromName("simple"));
            Assert.Throws<ArgumentException>(() => SubwordAnalyzer.TryFromName("spm:"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
