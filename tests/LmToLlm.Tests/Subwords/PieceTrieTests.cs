using LmToLlm.Subwords;

namespace LmToLlm.Tests.Subwords;

/// <summary>The packed (double-array) trie answers every lookup as the hashed one it is packed from.</summary>
public sealed class PieceTrieTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 256)]
    [InlineData(3, 4)]
    public void Packed_and_hashed_tries_find_the_same_pieces_and_reject_the_same_keys(int seed, int alphabet)
    {
        var random = new Random(seed);
        byte[] Word() => Enumerable.Range(0, random.Next(1, 9)).Select(_ => (byte)random.Next(alphabet)).ToArray();
        var pieces = Enumerable.Range(0, 3000).Select(_ => Word()).DistinctBy(Convert.ToHexString).Select((w, i) => (w, i)).ToList();
        var hashed = new PieceTrie(pieces);
        var packed = new PieceTrie(pieces, packed: true);
        foreach (var (piece, id) in pieces) Assert.Equal(id, packed.Find(piece));
        for (int i = 0; i < 20_000; i++)
        {
            byte[] key = Word();
            Assert.Equal(hashed.Find(key), packed.Find(key));
            // Walking byte by byte reports the same ids on the way and stops at the same byte.
            int a = 0, b = 0;
            foreach (byte x in key)
            {
                bool stepA = hashed.Step(ref a, x), stepB = packed.Step(ref b, x);
                Assert.Equal(stepA, stepB);
                if (!stepA) break;
                Assert.Equal(hashed.ValueAt(a), packed.ValueAt(b));
            }
        }
        Assert.Equal(hashed.Find([]), packed.Find([]));
    }
}
