namespace LmToLlm.Data;

/// <summary>
/// Streaming exact-duplicate removal: a document is a duplicate when its normalized text (<see cref="TextNormalization"/>)
/// equals that of an earlier document; the first occurrence is kept.
/// Input: documents one at a time, in corpus order. Output: per document, whether it is new, and if not the index of
/// the first document with the same normalized text. Memory: one 128-bit fingerprint and one index per distinct text.
/// </summary>
public sealed class ExactDeduplicator
{
    private readonly Dictionary<UInt128, long> _first = [];
    private char[] _buffer = new char[256];

    private ExactDeduplicator(TextNormalization normalization) => Normalization = normalization;

    /// <summary>A deduplicator with the given normalization (default <see cref="TextNormalization.Default"/>).</summary>
    public static ExactDeduplicator Create(TextNormalization? normalization = null) => new(normalization ?? TextNormalization.Default);

    /// <summary>The normalization applied before fingerprinting.</summary>
    internal TextNormalization Normalization { get; }

    /// <summary>How many documents were offered so far.</summary>
    internal long Seen { get; private set; }

    /// <summary>How many distinct normalized texts were seen so far.</summary>
    internal long Distinct => _first.Count;

    /// <summary>
    /// Offers the next document (index <see cref="Seen"/>). Returns true when its normalized text is new; otherwise false
    /// with <paramref name="firstIndex"/> the 0-based index of the first document that had the same text.
    /// </summary>
    public bool Add(string text, out long firstIndex)
    {
        ArgumentNullException.ThrowIfNull(text);
        int length = Normalization.Apply(text, ref _buffer);
        UInt128 key = System.IO.Hashing.XxHash128.HashToUInt128(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_buffer.AsSpan(0, length)));
        long index = Seen++;
        if (_first.TryGetValue(key, out firstIndex)) return false;
        _first.Add(key, index);
        firstIndex = index;
        return true;
    }
}
