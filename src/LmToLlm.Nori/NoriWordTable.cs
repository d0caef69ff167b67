namespace LmToLlm.Nori;

/// <summary>
/// Dictionary entries as parallel arrays (one index per entry): connection ids, word cost, type, tags, reading and
/// the morphemes of compound, inflected and pre-analysed entries. Strings are ids into <see cref="NoriDictionary"/>'s pool.
/// </summary>
internal sealed class NoriWordTable
{
    public required short[] LeftId { get; init; }
    public required short[] RightId { get; init; }
    public required short[] Cost { get; init; }
    public required NoriWordType[] Type { get; init; }
    public required NoriTag[] LeftTag { get; init; }
    public required NoriTag[] RightTag { get; init; }

    /// <summary>String id of the reading (Hangul reading of Hanja entries), or -1.</summary>
    public required int[] Reading { get; init; }

    /// <summary>First morpheme of the entry in <see cref="MorphemeTag"/>/<see cref="MorphemeText"/>, or -1.</summary>
    public required int[] MorphemeStart { get; init; }
    public required byte[] MorphemeCount { get; init; }
    public required NoriTag[] MorphemeTag { get; init; }

    /// <summary>String id of each morpheme's surface form.</summary>
    public required int[] MorphemeText { get; init; }

    public int Count => LeftId.Length;

    /// <summary>What the lattice reads for every candidate, packed in 8 bytes (one cache miss instead of four).</summary>
    internal struct LatticeEntry
    {
        public short LeftId;
        public short RightId;
        public short Cost;
        public NoriTag LeftTag;
    }

    private LatticeEntry[]? _lattice;

    /// <summary>The entries' lattice fields, packed (built on first use).</summary>
    public LatticeEntry[] Lattice => _lattice ??= Pack();

    private LatticeEntry[] Pack()
    {
        var packed = new LatticeEntry[Count];
        for (int i = 0; i < packed.Length; i++)
            packed[i] = new LatticeEntry { LeftId = LeftId[i], RightId = RightId[i], Cost = Cost[i], LeftTag = LeftTag[i] };
        return packed;
    }
}
