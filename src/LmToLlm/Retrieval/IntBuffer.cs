using LmToLlm.Corpora;
using LmToLlm.Text;

namespace LmToLlm.Retrieval;

/// <summary>A growable int array without per-item overhead.</summary>
internal sealed class IntBuffer
{
    private int[] _items = new int[64];

    internal int Count { get; private set; }

    public void Add(int value)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = value;
    }

    internal void AddRange(ReadOnlySpan<int> values)
    {
        if (Count + values.Length > _items.Length) Array.Resize(ref _items, Math.Max(_items.Length * 2, Count + values.Length));
        values.CopyTo(_items.AsSpan(Count));
        Count += values.Length;
    }

    internal Span<int> AsSpan() => _items.AsSpan(0, Count);

    internal void Clear() => Count = 0;
}
