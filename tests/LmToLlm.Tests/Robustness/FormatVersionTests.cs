using System.Buffers.Binary;

namespace LmToLlm.Tests.Robustness;

/// <summary>
/// Every framed binary format (the mutation suite's checksummed ones) refuses a file of another format version with
/// one clear line: older files are to be rebuilt, newer ones need a newer LmToLlm.
/// </summary>
public sealed class FormatVersionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> FramedFormats => new(MutationTests.All.Where(f => f.Restamp is not null).Select(f => f.Name));

    [Theory]
    [MemberData(nameof(FramedFormats))]
    public void Another_format_version_is_refused_with_what_to_do(string name)
    {
        var format = MutationTests.All.Single(f => f.Name == name);
        string path = _dir.File(format.SeedName);
        format.WriteSeed(path);
        byte[] current = File.ReadAllBytes(path);
        int version = BinaryPrimitives.ReadInt32LittleEndian(current.AsSpan(8));
        foreach (int other in new[] { version - 1, version + 1 }.Where(v => v >= 1))
        {
            byte[] bytes = (byte[])current.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), other);
            File.WriteAllBytes(path, format.Restamp!(bytes));
            var e = Assert.Throws<LmToLlmFormatException>(() => format.Load(path));
            Assert.Equal(path, e.FilePath);
            Assert.Contains(other < version
                ? $"written by an older version of LmToLlm (format version {other}; this build reads version {version}); "
                : $"written by a newer version of LmToLlm (format version {other}; this build reads version {version}); upgrade LmToLlm or ", e.Message);
        }
    }
}
