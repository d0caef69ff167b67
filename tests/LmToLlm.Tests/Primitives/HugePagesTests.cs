using LmToLlm.Primitives;

namespace LmToLlm.Tests.Primitives;

public sealed class HugePagesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5 << 20)] // past two 2 MB pages, so that the advice is given
    public void A_file_read_into_advised_memory_has_the_bytes_ReadAllBytes_gives(int length)
    {
        string path = Path.GetTempFileName();
        try
        {
            var bytes = new byte[length];
            new Random(length).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
            Assert.Equal(File.ReadAllBytes(path), HugePages.ReadFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_is_reported_as_missing()
        => Assert.Throws<FileNotFoundException>(() => HugePages.ReadFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".txt")));
}
