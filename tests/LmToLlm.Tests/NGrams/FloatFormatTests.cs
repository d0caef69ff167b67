using System.Globalization;
using System.Text;
using FsCheck.Xunit;
using LmToLlm.NGrams;

namespace LmToLlm.Tests.NGrams;

public sealed class FloatFormatTests
{
    private static string Format(float value)
    {
        byte[] buffer = new byte[32];
        return Encoding.ASCII.GetString(buffer, 0, FloatFormat.Write(value, buffer));
    }

    [Theory]
    [InlineData(-5.3312373f, "-5.3312373")]
    [InlineData(-1.0814836f, "-1.0814836")]
    [InlineData(0f, "0")]
    [InlineData(-0.30103f, "-0.30103")]
    [InlineData(-1.8120181e-7f, "-1.8120181e-7")] // as in ptb.o5.arpa.gz
    [InlineData(-100f, "-100")]
    [InlineData(-99f, "-99")]
    [InlineData(0.5f, "0.5")]
    [InlineData(-0.0001234f, "-0.0001234")]
    [InlineData(-5.9613325e-5f, "-0.000059613325")]
    [InlineData(-2.5e-6f, "-0.0000025")]
    public void Prints_like_lmplz(float value, string expected) => Assert.Equal(expected, Format(value));

    [Property(MaxTest = 2000)]
    public void Parses_back_to_the_same_float_with_the_fewest_digits(int bits)
    {
        float value = BitConverter.Int32BitsToSingle(bits);
        if (!float.IsFinite(value)) return;
        string text = Format(value);
        Assert.Equal(value, float.Parse(text, CultureInfo.InvariantCulture));
        // Same number of significant digits as .NET's shortest round-trip form.
        static int Digits(string s) => s.Split('e', 'E')[0].TrimStart('-').Replace(".", "").TrimStart('0').Length;
        Assert.Equal(Digits(value.ToString("R", CultureInfo.InvariantCulture)), Digits(text));
    }

    [Fact]
    public void Log_probabilities_round_trip()
    {
        var random = new Random(5);
        for (int i = 0; i < 200_000; i++)
        {
            float value = (float)(-random.NextDouble() * Math.Pow(10, random.Next(-4, 3)));
            string text = Format(value);
            Assert.Equal(value, float.Parse(text, CultureInfo.InvariantCulture));
            // The same text as .NET's shortest form where .NET writes positionally (|x| ≥ 1e-4); below, lmplz stays positional down to 1e-6.
            if (Math.Abs(value) >= 1e-4f) Assert.Equal(value.ToString("R", CultureInfo.InvariantCulture), text);
        }
    }

    [Fact]
    public void The_cache_of_texts_writes_what_the_formatter_writes()
    {
        // Repeats (hits), many distinct values (slots overwritten) and texts longer than a slot (never kept).
        var random = new Random(7);
        var cache = FloatTextCache.Current;
        float[] repeated = [.. Enumerable.Range(0, 50).Select(_ => (float)-random.NextDouble())];
        byte[] cached = new byte[32], direct = new byte[32];
        for (int i = 0; i < 300_000; i++)
        {
            float value = (i % 3) switch
            {
                0 => repeated[random.Next(repeated.Length)],
                1 => (float)(-random.NextDouble() * Math.Pow(10, random.Next(-6, 3))),
                _ => -1.2345678e-6f * (1 + random.Next(1000)),
            };
            int length = cache.Write(value, cached);
            Assert.Equal(Encoding.ASCII.GetString(direct, 0, FloatFormat.Write(value, direct)), Encoding.ASCII.GetString(cached, 0, length));
        }
    }
}
