using ScottPlot;

namespace LmToLlm.Samples.Subwords;

/// <summary>Pieces per word against vocabulary size: one line per language and algorithm.</summary>
internal static class FertilityChart
{
    public static void Write(string path, IReadOnlyList<FertilityRow> rows, int[] sizes)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int color = 0;
        foreach (var group in rows.GroupBy(r => (r.Language, r.Model)))
        {
            var line = plot.Add.Scatter(group.Select(r => Math.Log2(r.Vocabulary)).ToArray(), group.Select(r => r.PiecesPerWord).ToArray());
            line.LegendText = $"{group.Key.Language} {group.Key.Model}";
            line.Color = palette.GetColor(color++);
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            sizes.Select(s => Math.Log2(s)).ToArray(), sizes.Select(s => s.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Title("Pieces per held-out word, LibreOffice help");
        plot.XLabel("vocabulary size (pieces)");
        plot.YLabel("pieces per word");
        plot.Axes.SetLimitsY(0, rows.Max(r => r.PiecesPerWord) * 1.1);
        plot.ShowLegend(Alignment.UpperRight);
        byte[] png = plot.GetImageBytes(900, 540, ImageFormat.Png);
        SampleFiles.Write(path, stream => stream.Write(png));
    }
}
