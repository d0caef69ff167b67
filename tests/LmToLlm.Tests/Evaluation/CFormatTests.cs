using LmToLlm.Evaluation;

namespace LmToLlm.Tests.Evaluation;

/// <summary>printf("%6.4f") as glibc prints: exact binary value, ties to even, sign kept.</summary>
public sealed class CFormatTests
{
    [Theory]
    [InlineData(0.0, "0.0000")]
    [InlineData(0.27213, "0.2721")]
    [InlineData(0.03125, "0.0312")]   // exactly 1/32: a tie, rounded to even (.NET "F4" gives 0.0313)
    [InlineData(0.09375, "0.0938")]   // exactly 3/32: tie, to even
    [InlineData(0.00005, "0.0001")]   // the double is slightly above 5e-5
    [InlineData(-90.47111, "-90.4711")]
    [InlineData(-0.00001, "-0.0000")] // C keeps the sign
    [InlineData(1.0, "1.0000")]
    [InlineData(22500.0, "22500.0000")]
    public void Four_decimals(double value, string expected) => Assert.Equal(expected, CFormat.Fixed(value, 4));

    [Fact]
    public void Width_pads_left_and_two_decimals_name_cutoffs()
    {
        Assert.Equal("  -nan", CFormat.Fixed(BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000000)), 4, 6));
        Assert.Equal("   nan", CFormat.Fixed(BitConverter.Int64BitsToDouble(0x7FF8000000000000), 4, 6));
        Assert.Equal("0.10", CFormat.Fixed(0.1, 2, 3));
        Assert.Equal("0.00", CFormat.Fixed(0.0, 2, 3));
        Assert.Equal("0.12", CFormat.Fixed(0.125, 2));
    }
}
