namespace LmToLlm.Evaluation;

/// <summary>
/// Which trec_eval measures to compute, from <c>-m</c> style specifications: a measure name (<c>map</c>), a name
/// with parameters after a dot (<c>ndcg_cut.10</c>, <c>P.5,10</c>, <c>ndcg.1=0,2=1</c>) or a nickname
/// (<c>official</c>, <c>set</c>, <c>all_trec</c>). As in trec_eval, measures are always computed and printed in
/// trec_eval's table order, and the first parameter list given for a measure wins.
/// </summary>
internal sealed class MeasureSelection
{
    internal MeasureSelection(IReadOnlyList<MeasureInstance> measures) => Measures = measures;

    internal IReadOnlyList<MeasureInstance> Measures { get; }

    /// <summary>trec_eval's default, <c>official</c>.</summary>
    internal static MeasureSelection Official => Parse((IEnumerable<string>)["official"]);

    /// <summary>Every measure of <c>-m all_trec</c>.</summary>
    internal static MeasureSelection AllTrec => Parse((IEnumerable<string>)["all_trec"]);

    /// <summary>The names of the numeric values the selection produces, in print order (e.g. <c>P_5</c>, <c>ndcg_cut_10</c>).</summary>
    internal IReadOnlyList<string> ValueNames => Measures.SelectMany(m => m.ValueNames).ToArray();

    /// <summary>Parses <c>-m</c> specifications; no specification means <c>official</c>.</summary>
    /// <param name="specifications">Measures, measures with parameters, or set names.</param>
    /// <param name="version">Decides what <c>all_trec</c> holds (10.0 adds rbp, rbp_resid, unj).</param>
    /// <exception cref="ArgumentException">Unknown measure or malformed parameters (the message says which).</exception>
    internal static MeasureSelection Parse(IEnumerable<string> specifications, TrecEvalVersion version)
    {
        ArgumentNullException.ThrowIfNull(specifications);
        var marked = new bool[MeasureCatalog.All.Length];
        var parameters = new string?[MeasureCatalog.All.Length];
        bool any = false;
        foreach (string spec in specifications)
        {
            any = true;
            int dot = spec.IndexOf('.');
            string name = dot < 0 ? spec : spec[..dot];
            string? parameterText = dot < 0 ? null : spec[(dot + 1)..];
            if (parameterText is { Length: 0 }) throw new ArgumentException($"measure '{spec}': empty parameter list after '.'");
            if (MeasureCatalog.Nicknames(version).TryGetValue(name, out var names))
            {
                if (parameterText is not null) throw new ArgumentException($"measure set '{name}' takes no parameters");
                foreach (string n in names) marked[MeasureCatalog.IndexOf(n)] = true;
                continue;
            }
            int index = MeasureCatalog.IndexOf(name);
            if (index < 0)
                throw new ArgumentException($"unknown measure '{name}'; known: {string.Join(", ", MeasureCatalog.All.Select(m => m.Name))} and the sets {string.Join(", ", MeasureCatalog.Nicknames(version).Keys)}");
            marked[index] = true;
            parameters[index] ??= parameterText;
        }
        if (!any) return Parse((IEnumerable<string>)["official"], version);
        var instances = new List<MeasureInstance>();
        for (int i = 0; i < marked.Length; i++)
            if (marked[i]) instances.Add(new MeasureInstance(MeasureCatalog.All[i], parameters[i]));
        return new MeasureSelection(instances);
    }

    /// <summary>Parses <c>-m</c> specifications for trec_eval 9.0.8; no specification means <c>official</c>.</summary>
    /// <exception cref="ArgumentException">Unknown measure or malformed parameters (the message says which).</exception>
    internal static MeasureSelection Parse(IEnumerable<string> specifications) => Parse(specifications, TrecEvalVersion.V9_0_8);

    /// <summary>Parses specifications given as params (trec_eval 9.0.8).</summary>
    internal static MeasureSelection Parse(params string[] specifications) => Parse((IEnumerable<string>)specifications);
}
