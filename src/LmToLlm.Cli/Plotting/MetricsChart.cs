using LmToLlm.Evaluation;
using LmToLlm.Experiments;
using ScottPlot;

namespace LmToLlm.Cli.Plotting;

/// <summary>The bar chart of a model comparison: one group of bars per measure, one bar (colour) per model, values on top.</summary>
internal static class MetricsChart
{
    /// <summary>
    /// Writes the chart, or says on <paramref name="stderr"/> why not and returns false: the tool ships the chart's
    /// native library only for Linux, macOS and Windows on x64 and arm64 (see LmToLlm.Cli.csproj).
    /// </summary>
    public static bool TryWritePng(string path, IReadOnlyList<ModelResult> results, string title, TextWriter stderr)
    {
        try
        {
            WritePng(path, results, title);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException { InnerException: DllNotFoundException })
        {
            stderr.WriteLine($"lmtollm: {path} not written: the chart library has no native part for {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}");
            return false;
        }
    }

    public static void WritePng(string path, IReadOnlyList<ModelResult> results, string title, int width = 1100, int height = 620)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var columns = ModelComparison.Columns;
        int models = results.Count;
        double barWidth = 0.8 / models;
        var bars = new List<Bar>();
        for (int m = 0; m < models; m++)
        {
            var color = palette.GetColor(m);
            for (int c = 0; c < columns.Count; c++)
            {
                double value = results[m].Evaluation.Summary(columns[c].ValueName);
                bars.Add(new Bar
                {
                    Position = c + (m - (models - 1) / 2.0) * barWidth,
                    Value = value,
                    Size = barWidth * 0.92,
                    FillColor = color,
                    LineWidth = 0,
                    Label = value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture),
                });
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = results[m].Model, FillColor = color });
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = models > 4 ? 9 : 12;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, columns.Count).Select(i => (double)i).ToArray(),
            columns.Select(c => c.Label).ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = 16;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsY(0, Math.Min(1.0, Math.Max(0.1, bars.Max(b => b.Value) * 1.18)));
        plot.Axes.SetLimitsX(-0.6, columns.Count - 0.4);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        plot.Title(title);
        plot.YLabel("score (mean over queries)");
        plot.ShowLegend(Alignment.UpperRight);
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
