using LmToLlm.Cli;
using static LmToLlm.Tests.CliRunner;

namespace LmToLlm.Tests.Cli;

/// <summary>
/// One memory-size parser, two readings of a bare number: KiB for <c>ngram train --memory</c> (as <c>lmplz -S</c>),
/// bytes for <c>sa build --memory</c>. Each reading keeps the forms its flag has always accepted and refused.
/// </summary>
public sealed class MemorySizeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("16", 16L * 1024)]            // bare = KiB
    [InlineData("1.5", 1536)]
    [InlineData("0", 0)]                      // a size; the minimum is ngram's own check
    [InlineData("4096b", 4096)]
    [InlineData("64K", 64L * 1024)]
    [InlineData("64k", 64L * 1024)]
    [InlineData("16M", 16L << 20)]
    [InlineData(" 2G ", 2L << 30)]
    [InlineData("0.5G", 512L << 20)]
    [InlineData("3T", 3L << 40)]
    [InlineData("9000000T", long.MaxValue)]   // past 2⁶³ bytes: the largest size
    public void Kibibyte_reading_accepts_the_lmplz_forms(string text, long bytes) =>
        Assert.Equal(bytes, MemorySize.Parse("--memory", text, BareNumber.Kibibytes));

    [Fact]
    public void Kibibyte_reading_takes_a_percentage_of_physical_memory()
    {
        long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Assert.Equal((long)(50.0 / 100 * total), MemorySize.Parse("--memory", "50%", BareNumber.Kibibytes));
        Assert.Equal(total, MemorySize.Parse("--memory", "100%", BareNumber.Kibibytes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("1Q")]
    [InlineData("-1")]
    [InlineData("+1G")]
    [InlineData("1e3")]
    [InlineData("NaN")]
    [InlineData("1 G")]
    [InlineData("16m")]      // lmplz's suffixes are upper case but for k
    [InlineData("1g")]
    [InlineData("G")]
    public void Kibibyte_reading_refuses_other_forms_naming_the_flag(string text)
    {
        var e = Assert.Throws<UsageException>(() => MemorySize.Parse("--memory", text, BareNumber.Kibibytes));
        Assert.StartsWith($"--memory '{text}': ", e.Message);
        Assert.Contains("bare number is KiB", e.Message);
    }

    [Theory]
    [InlineData("4096", 4096)]                // bare = bytes
    [InlineData("1e3", 1000)]
    [InlineData("1.5", 1)]
    [InlineData("+5M", 5L << 20)]
    [InlineData("64K", 64L * 1024)]
    [InlineData("64k", 64L * 1024)]
    [InlineData("500M", 500L << 20)]
    [InlineData("500m", 500L << 20)]
    [InlineData("1.5G", 1536L << 20)]
    [InlineData("2g", 2L << 30)]
    [InlineData("1 G", 1L << 30)]
    [InlineData("4t", 4L << 40)]
    [InlineData("4194304T", long.MaxValue / 2 + 1)] // 2⁶² bytes, the largest accepted
    public void Byte_reading_accepts_byte_counts_and_suffixes_in_either_case(string text, long bytes) =>
        Assert.Equal(bytes, MemorySize.Parse("--memory", text, BareNumber.Bytes));

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("0")]
    [InlineData("0G")]
    [InlineData("-1K")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e308")]
    [InlineData("4194305T")]  // past 2⁶² bytes
    [InlineData("50%")]       // no percentage of physical memory
    [InlineData("4096b")]     // no b suffix
    [InlineData("1Q")]
    public void Byte_reading_refuses_other_forms_naming_the_flag(string text)
    {
        var e = Assert.Throws<UsageException>(() => MemorySize.Parse("--memory", text, BareNumber.Bytes));
        Assert.StartsWith($"--memory '{text}': ", e.Message);
        Assert.Contains("bare number is bytes", e.Message);
    }

    [Fact]
    public void Each_command_reads_its_flag_in_its_own_way()
    {
        string text = _dir.Write("t.txt", "a b a c\nb a c a\n");
        // ngram train: 16384 is KiB (16M, the minimum budget), so it trains; 16M in bytes would be too small.
        var ngram = Run("ngram", "train", "--text", text, "--order", "2", "--arpa", _dir.File("m.arpa"), "--memory", "16384", "--temp-dir", _dir.Path, "--discount-fallback");
        Assert.True(ngram.Code == 0, ngram.Err);
        var refused = Run("ngram", "train", "--text", text, "--order", "2", "--arpa", _dir.File("m.arpa"), "--memory", "16m");
        Assert.Equal(CliApp.Usage, refused.Code);
        Assert.Equal("lmtollm: --memory '16m': give a size such as 1G, 500M or 80% (of physical memory); a bare number is KiB, as in lmplz", refused.Err.Trim());

        // sa build: a bare number is bytes, lower-case suffixes are welcome, a percentage is not.
        var sa = Run("sa", "build", "--text", text, "--out", _dir.File("t.sa"), "--memory", "64m");
        Assert.True(sa.Code == 0, sa.Err);
        var percent = Run("sa", "build", "--text", text, "--out", _dir.File("t.sa"), "--memory", "50%");
        Assert.Equal(CliApp.Usage, percent.Code);
        Assert.Equal("lmtollm: --memory '50%': give a size above 0 such as 2G, 500M or 64K; a bare number is bytes", percent.Err.Trim());
    }
}
