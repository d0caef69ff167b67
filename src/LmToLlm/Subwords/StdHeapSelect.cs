namespace LmToLlm.Subwords;

/// <summary>
/// The first step of GCC's <c>std::partial_sort</c> (<c>__heap_select</c>: a heap of the first <c>middle</c> items,
/// then each later item that beats the heap's top replaces it). Which of several equal items end up in front is
/// decided here; the sorting of the front part that follows does not change which items are there.
/// </summary>
internal static class StdHeapSelect
{
    /// <summary>Reorders <paramref name="items"/> so that its first <paramref name="middle"/> items are the ones libstdc++ keeps.</summary>
    internal static void Select<T>(Span<T> items, int middle, Func<T, T, bool> less)
    {
        MakeHeap(items, middle, less);
        for (int i = middle; i < items.Length; i++)
            if (less(items[i], items[0]))
            {
                T value = items[i];
                items[i] = items[0];
                AdjustHeap(items, 0, middle, value, less);
            }
    }

    private static void MakeHeap<T>(Span<T> items, int length, Func<T, T, bool> less)
    {
        if (length < 2) return;
        for (int parent = (length - 2) / 2; ; parent--)
        {
            AdjustHeap(items, parent, length, items[parent], less);
            if (parent == 0) return;
        }
    }

    private static void AdjustHeap<T>(Span<T> items, int hole, int length, T value, Func<T, T, bool> less)
    {
        int top = hole, child = hole;
        while (child < (length - 1) / 2)
        {
            child = 2 * (child + 1);
            if (less(items[child], items[child - 1])) child--;
            items[hole] = items[child];
            hole = child;
        }
        if ((length & 1) == 0 && child == (length - 2) / 2)
        {
            child = 2 * (child + 1);
            items[hole] = items[child - 1];
            hole = child - 1;
        }
        int parent = (hole - 1) / 2;
        while (hole > top && less(items[parent], value))
        {
            items[hole] = items[parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        items[hole] = value;
    }
}
