using System.Globalization;

namespace LmToLlm.Evaluation;

internal enum ParameterKind { None, LongCutoffs, FloatCutoffs, FloatList, GainPairs }

internal enum ValueKind { Integer, Real, RunId, RelString }

internal enum Aggregation { None, Mean, Sum, GeometricMean, QueryCount, RelevantCount }

internal delegate void ComputeMeasure(JudgedRanking ranking, MeasureInstance measure, Span<double> values, TrecEvalOptions options);

/// <summary>One trec_eval measure family: name, parameters, how it is printed and averaged (a <c>TREC_MEAS</c>).</summary>
internal sealed record MeasureDefinition(
    string Name,
    ParameterKind Parameters,
    string? DefaultParameters,
    ValueKind Kind,
    Aggregation Aggregate,
    bool PerQuery,
    ComputeMeasure Compute);

/// <summary>A selected measure with its parameters resolved and the names of its printed values.</summary>
internal sealed class MeasureInstance
{
    internal MeasureInstance(MeasureDefinition definition, string? parameterText)
    {
        Definition = definition;
        ParameterText = parameterText;
        string? text = parameterText ?? definition.DefaultParameters;
        switch (definition.Parameters)
        {
            case ParameterKind.LongCutoffs:
                LongCutoffs = ParseLongCutoffs(definition.Name, text!);
                ValueNames = LongCutoffs.Select(c => $"{definition.Name}_{c.ToString(CultureInfo.InvariantCulture)}").ToArray();
                break;
            case ParameterKind.FloatCutoffs:
                Reals = ParseReals(definition.Name, text!);
                Array.Sort(Reals);
                for (int i = 1; i < Reals.Length; i++)
                    if (Reals[i - 1] == Reals[i]) throw new ArgumentException($"measure '{definition.Name}': duplicate cutoff {Reals[i]}");
                ValueNames = Reals.Select(c => $"{definition.Name}_{CFormat.Fixed(c, 2, 3)}").ToArray();
                break;
            case ParameterKind.FloatList:
                Reals = ParseReals(definition.Name, text!);
                ValueNames = [parameterText is null ? definition.Name : $"{definition.Name}_{parameterText}"];
                break;
            case ParameterKind.GainPairs:
                double? persistence = null;
                bool[] integer = [];
                Pairs = text is null ? [] : ParsePairs(definition.Name, text, out persistence, out integer);
                IntegerPairs = Pairs.Where((_, i) => integer[i]).ToArray();
                PersistenceParameter = persistence;
                ValueNames = [parameterText is null ? definition.Name : $"{definition.Name}_{parameterText}"];
                break;
            default:
                if (parameterText is not null) throw new ArgumentException($"measure '{definition.Name}' takes no parameters (got '{parameterText}')");
                ValueNames = definition.Kind is ValueKind.RunId or ValueKind.RelString ? [] : [definition.Name];
                break;
        }
        if (definition.Kind == ValueKind.RelString) ValueNames = [];
    }

    internal MeasureDefinition Definition { get; }

    internal string? ParameterText { get; }

    internal long[] LongCutoffs { get; } = [];

    internal double[] Reals { get; } = [];

    internal (long Level, double Gain)[] Pairs { get; } = [];

    /// <summary>The pairs whose level is an integer: trec_eval 10.0 ignores the others (9.0.8 reads them with atol).</summary>
    private (long Level, double Gain)[] IntegerPairs { get; } = [];

    /// <summary>The gain pairs as the evaluated trec_eval version reads them.</summary>
    internal (long Level, double Gain)[] PairsFor(JudgedRanking ranking) =>
        ranking.RoundRecallCutoffs ? IntegerPairs : Pairs;

    /// <summary>rbp's persistence: the value of a <c>p=</c> pair, else 0.9.</summary>
    internal double Persistence => PersistenceParameter ?? 0.9;

    private double? PersistenceParameter { get; }

    /// <summary>The names of the numeric values this measure prints (empty for runid and relstring).</summary>
    internal string[] ValueNames { get; }

    /// <summary>The name printed for relstring (with its parameter when given).</summary>
    internal string PrintName => ParameterText is null ? Definition.Name : $"{Definition.Name}_{ParameterText}";

    private static long[] ParseLongCutoffs(string name, string text)
    {
        var values = text.Split(',').Select(p => long.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
            ? v : throw new ArgumentException($"measure '{name}': cutoff '{p}' is not an integer")).ToArray();
        Array.Sort(values);
        if (values[0] <= 0) throw new ArgumentException($"measure '{name}': cutoffs must be positive");
        for (int i = 1; i < values.Length; i++)
            if (values[i - 1] == values[i]) throw new ArgumentException($"measure '{name}': duplicate cutoff {values[i]}");
        return values;
    }

    private static double[] ParseReals(string name, string text) =>
        text.Split(',').Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v : throw new ArgumentException($"measure '{name}': parameter '{p}' is not a number")).ToArray();

    private static (long, double)[] ParsePairs(string name, string text, out double? persistence, out bool[] integer)
    {
        double? p = null;
        integer = text.Split(',').Select(item => long.TryParse(item.Split('=')[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)).ToArray();
        var pairs = text.Split(',').Select(item =>
        {
            string[] kv = item.Split('=');
            if (kv.Length != 2 || kv[0].Length == 0 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double gain))
                throw new ArgumentException($"measure '{name}': gain parameter '{item}' is not 'level=gain'");
            if (kv[0] == "p") p = gain;
            // trec_eval 9.0.8 reads the level with atol, so a name such as "p" also counts as level 0 there.
            return (AsciiToLong(kv[0]), gain);
        }).ToArray();
        persistence = p;
        return pairs;
    }

    /// <summary>C <c>atol</c>: optional sign and leading digits, 0 when there are none.</summary>
    private static long AsciiToLong(string text)
    {
        int i = 0;
        bool negative = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
        long value = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i])) value = value * 10 + (text[i++] - '0');
        return negative ? -value : value;
    }
}

/// <summary>
/// trec_eval 9.0.8's measure table (<c>measures.c</c>) restricted to the measures of <c>all_trec</c>, in its order,
/// which is also the print order, followed by the three measures trec_eval 10.0 added to all_trec.
/// Nicknames: <c>official</c>, <c>set</c>, <c>all_trec</c>.
/// </summary>
internal static class MeasureCatalog
{
    private const string StandardCutoffs = "5,10,15,20,30,100,200,500,1000";

    internal static readonly MeasureDefinition[] All =
    [
        Def("runid", ValueKind.RunId, Aggregation.None, false, (_, _, _, _) => { }),
        Def("num_q", ValueKind.Integer, Aggregation.QueryCount, false, (_, _, v, _) => v[0] = 1),
        Def("num_ret", ValueKind.Integer, Aggregation.Sum, true, (r, _, v, _) => v[0] = r.Retrieved),
        Def("num_rel", ValueKind.Integer, Aggregation.RelevantCount, true, (r, _, v, _) => v[0] = r.Relevant),
        Def("num_rel_ret", ValueKind.Integer, Aggregation.Sum, true, (r, _, v, _) => v[0] = r.RelevantRetrieved),
        Def("map", ValueKind.Real, Aggregation.Mean, true, (r, _, v, _) => v[0] = TrecMeasures.AveragePrecision(r)),
        Def("gm_map", ValueKind.Real, Aggregation.GeometricMean, false, (r, _, v, _) => v[0] = TrecMeasures.LogAveragePrecision(r)),
        Def("Rprec", ValueKind.Real, Aggregation.Mean, true, (r, _, v, _) => v[0] = TrecMeasures.RPrecision(r)),
        Def("bpref", ValueKind.Real, Aggregation.Mean, true, (r, _, v, _) => v[0] = TrecMeasures.Bpref(r)),
        Def("recip_rank", ValueKind.Real, Aggregation.Mean, true, (r, _, v, _) => v[0] = TrecMeasures.ReciprocalRank(r)),
        new("iprec_at_recall", ParameterKind.FloatCutoffs, "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1", ValueKind.Real, Aggregation.Mean, true,
            (r, m, v, _) => TrecMeasures.InterpolatedPrecision(r, m.Reals, v)),
        new("P", ParameterKind.LongCutoffs, StandardCutoffs, ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => TrecMeasures.Precision(r, m.LongCutoffs, v)),
        new("relstring", ParameterKind.FloatList, "10", ValueKind.RelString, Aggregation.None, true, (_, _, _, _) => { }),
        new("recall", ParameterKind.LongCutoffs, StandardCutoffs, ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => TrecMeasures.Recall(r, m.LongCutoffs, v)),
        Def("infAP", ValueKind.Real, Aggregation.Mean, true, (r, _, v, _) => v[0] = TrecMeasures.InferredAveragePrecision(r)),
        Def("gm_bpref", ValueKind.Real, Aggregation.GeometricMean, false, (r, _, v, _) => v[0] = TrecMeasures.LogBpref(r)),
        new("Rprec_mult", ParameterKind.FloatCutoffs, "0.2,0.4,0.6,0.8,1.0,1.2,1.4,1.6,1.8,2.0", ValueKind.Real, Aggregation.Mean, true,
            (r, m, v, _) => TrecMeasures.RPrecisionMultiples(r, m.Reals, v)),
        new("utility", ParameterKind.FloatList, "1,-1,0,0", ValueKind.Real, Aggregation.Mean, true,
            (r, m, v, o) => v[0] = TrecMeasures.Utility(r, m.Reals, o.DocumentsInCollection)),
        new("11pt_avg", ParameterKind.FloatList, "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1", ValueKind.Real, Aggregation.Mean, true,
            (r, m, v, _) => v[0] = TrecMeasures.ElevenPointAverage(r, m.Reals)),
        Def("binG", ValueKind.Real, Aggregation.Mean, true, (r, _, v, _) => v[0] = TrecMeasures.BinaryG(r)),
        new("G", ParameterKind.GainPairs, null, ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => v[0] = GainMeasures.G(r, m.PairsFor(r))),
        new("ndcg", ParameterKind.GainPairs, null, ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => v[0] = GainMeasures.Ndcg(r, m.PairsFor(r))),
        new("ndcg_rel", ParameterKind.GainPairs, null, ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => v[0] = GainMeasures.NdcgRel(r, m.PairsFor(r))),
        new("Rndcg", ParameterKind.GainPairs, null, ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => v[0] = GainMeasures.RNdcg(r, m.PairsFor(r))),
        new("ndcg_cut", ParameterKind.LongCutoffs, StandardCutoffs, ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => TrecMeasures.NdcgAtCutoffs(r, m.LongCutoffs, v)),
        new("map_cut", ParameterKind.LongCutoffs, StandardCutoffs, ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => TrecMeasures.AveragePrecisionAtCutoffs(r, m.LongCutoffs, v)),
        new("relative_P", ParameterKind.LongCutoffs, StandardCutoffs, ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => TrecMeasures.RelativePrecision(r, m.LongCutoffs, v)),
        new("success", ParameterKind.LongCutoffs, "1,5,10", ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => TrecMeasures.Success(r, m.LongCutoffs, v)),
        Def("set_P", ValueKind.Real, Aggregation.Mean, true, (r, _, v, _) => v[0] = TrecMeasures.SetPrecision(r)),
        Def("set_relative_P", ValueKind.Real, Aggregation.Mean, true, (r, _, v, _) => v[0] = TrecMeasures.SetRelativePrecision(r)),
        Def("set_recall", ValueKind.Real, Aggregation.Mean, true, (r, _, v, _) => v[0] = TrecMeasures.SetRecall(r)),
        Def("set_map", ValueKind.Real, Aggregation.Mean, true, (r, _, v, _) => v[0] = TrecMeasures.SetMap(r)),
        new("set_F", ParameterKind.FloatList, "1", ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => v[0] = TrecMeasures.SetF(r, m.Reals[0])),
        Def("num_nonrel_judged_ret", ValueKind.Integer, Aggregation.Sum, true, (r, _, v, _) => v[0] = TrecMeasures.NonRelevantJudgedRetrieved(r)),
        // trec_eval 10.0 additions (in its table after the preference measures, hence printed last).
        new("rbp", ParameterKind.GainPairs, null, ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => v[0] = GainMeasures.Rbp(r, m.PairsFor(r), m.Persistence)),
        new("rbp_resid", ParameterKind.GainPairs, null, ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => v[0] = TrecMeasures.RbpResidual(r, m.Persistence)),
        new("unj", ParameterKind.LongCutoffs, "5,10,20", ValueKind.Real, Aggregation.Mean, true, (r, m, v, _) => TrecMeasures.Unjudged(r, m.LongCutoffs, v)),
    ];

    private static readonly string[] Version10Additions = ["rbp", "rbp_resid", "unj"];

    /// <summary>The measure sets of <c>-m</c>; 10.0's all_trec also holds rbp, rbp_resid and unj.</summary>
    internal static IReadOnlyDictionary<string, string[]> Nicknames(TrecEvalVersion version) => new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["official"] = ["runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map", "Rprec", "bpref", "recip_rank", "iprec_at_recall", "P"],
        ["set"] = ["runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "utility", "set_P", "set_recall", "set_relative_P", "set_map", "set_F"],
        ["all_trec"] = All.Select(m => m.Name).Where(n => version == TrecEvalVersion.V10_0 || !Version10Additions.Contains(n)).ToArray(),
    };

    internal static int IndexOf(string name) => Array.FindIndex(All, m => m.Name == name);

    private static MeasureDefinition Def(string name, ValueKind kind, Aggregation aggregate, bool perQuery, ComputeMeasure compute) =>
        new(name, ParameterKind.None, null, kind, aggregate, perQuery, compute);
}
