using System.Diagnostics;
using System.Text;
using LmToLlm.Subwords;
using MlSentencePiece = Microsoft.ML.Tokenizers.SentencePieceTokenizer;

namespace LmToLlm.Benchmarks.Subwords;

/// <summary>
/// In-process encoding of a SentencePiece model, ours against Microsoft.ML.Tokenizers' <c>SentencePieceTokenizer</c> on
/// the same model and lines (.NET strings to ids for both), alternated pass by pass:
/// <c>subwords encode MODEL TEXT [PASSES]</c>. One warm-up pass each, then the median pass and its CPU time.
/// </summary>
internal static class SubwordHarness
{
    public static int Run(string[] args)
    {
        if (args is not ["encode", var modelPath, var textPath, ..])
        {
            Console.Error.WriteLine("usage: subwords encode MODEL TEXT [PASSES]");
            return 2;
        }
        int passes = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var ours = SentencePieceProcessor.Load(modelPath);
        using var modelStream = File.OpenRead(modelPath);
        var ml = MlSentencePiece.Create(modelStream, false, false);
        var lines = TrainingText.SplitLines(File.ReadAllBytes(textPath)).Select(l => Encoding.UTF8.GetString(l)).ToList();
        long chars = lines.Sum(l => (long)l.Length);
        var runs = new (string Name, Func<string, int> Encode, List<(double Wall, double Cpu)> Times)[]
        {
            ("LmToLlm SentencePieceProcessor", line => ours.EncodeToIds(line).Count, []),
            ("Microsoft.ML.Tokenizers", line => ml.EncodeToIds(line).Count, []),
        };
        var process = Process.GetCurrentProcess();
        for (int pass = 0; pass <= passes; pass++)
            foreach (var run in runs)
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                long ids = 0;
                foreach (var line in lines) ids += run.Encode(line);
                double wall = clock.Elapsed.TotalSeconds;
                process.Refresh();
                if (pass > 0) run.Times.Add((wall, (process.TotalProcessorTime - cpu).TotalSeconds));
                if (pass == passes) Console.WriteLine($"{run.Name}: {ids:N0} ids");
            }
        Console.WriteLine($"{lines.Count:N0} lines, {chars:N0} characters, {passes} passes after one warm-up each, alternated");
        foreach (var run in runs)
        {
            var wall = run.Times.Select(t => t.Wall).Order().ToList();
            var cpu = run.Times.Select(t => t.Cpu).Order().ToList();
            Console.WriteLine($"{run.Name,-32} median wall {wall[wall.Count / 2]:F3} s, cpu {cpu[cpu.Count / 2]:F3} s ({chars / wall[wall.Count / 2] / 1e6:F2} M chars/s)");
        }
        return 0;
    }
}
