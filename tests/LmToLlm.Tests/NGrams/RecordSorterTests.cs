using LmToLlm.NGrams;

namespace LmToLlm.Tests.NGrams;

/// <summary>
/// The external sort under on-disk estimation (<see cref="RecordSorter"/>) against a stable sort in memory: keys packed
/// into 128-bit integers, keys too wide or negative for packing (the comparing sort), counts summed, many runs, and
/// runs large enough to be sorted by halves on two threads.
/// </summary>
public sealed class RecordSorterTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<int, int, int, int, bool, int> Shapes() => new()
    {
        // width, key width, smallest key int, largest key int + 1, sum counts, records per run (0: as the budget allows)
        { 3, 2, 0, 50, false, 0 },           // packed, one run
        { 3, 2, 0, 50, false, 7 },           // packed, many runs
        { 6, 5, 0, 90_000, false, 0 },       // packed: 5 × 17 bits and the index
        { 6, 5, 0, int.MaxValue, false, 0 }, // 5 × 31 bits: too wide, compared
        { 4, 3, -5, 5, false, 0 },           // negative ints: compared
        { 4, 3, -5, 5, false, 3 },
        { 3, 2, 0, 30, true, 0 },            // counts summed in the table
        { 3, 2, 0, 30, true, 11 },           // and across runs
        { 6, 5, 0, int.MaxValue, true, 5 },
        { 2, 1, 0, 1 << 20, false, 0 },      // 300,000 records: halves sorted on two threads
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Sorted_file_equals_a_stable_sort_in_memory(int width, int keyWidth, int low, int high, bool sumCounts, int runRecords)
    {
        var random = new Random(width * 1000 + keyWidth * 100 + runRecords);
        int count = width == 2 ? 300_000 : 2_000;
        var records = new List<int[]>(count);
        for (int i = 0; i < count; i++)
        {
            var record = new int[width];
            for (int j = 0; j < keyWidth; j++) record[j] = random.Next(low, high);
            for (int j = keyWidth; j < width; j++) record[j] = sumCounts ? random.Next(1, 4) : i; // the payload says where it came from
            records.Add(record);
        }
        if (high - low > 1000) for (int i = 0; i < 50; i++) records.Add((int[])records[random.Next(count)].Clone()); // repeats

        using var sorter = new RecordSorter(width, keyWidth, sumCounts, 64 << 20, _dir.Path, runRecords);
        foreach (var record in records) sorter.Add(record);
        using var file = sorter.Sort();
        var actual = new List<int[]>();
        var reader = file.Read();
        while (reader.MoveNext()) actual.Add(reader.Current.ToArray());

        var byKey = new KeyOrder(keyWidth);
        IEnumerable<int[]> expected = records.OrderBy(r => r, byKey); // LINQ's OrderBy is stable
        if (sumCounts)
            expected = expected.GroupBy(r => string.Join(' ', r.Take(keyWidth)))
                .Select(g => g.First().Take(keyWidth).Append(g.Sum(r => r[keyWidth])).ToArray());
        var wanted = expected.ToList();
        Assert.Equal(wanted.Count, actual.Count);
        for (int i = 0; i < wanted.Count; i++) Assert.Equal(wanted[i], actual[i]);
    }

    private sealed class KeyOrder(int keyWidth) : IComparer<int[]>
    {
        public int Compare(int[]? x, int[]? y)
        {
            for (int i = 0; i < keyWidth; i++)
            {
                int c = x![i].CompareTo(y![i]);
                if (c != 0) return c;
            }
            return 0;
        }
    }
}
