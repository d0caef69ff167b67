using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace LmToLlm.ML.Plumbing;

// ML.NET's public API cannot save a user-written transformer (its save/load contexts are internal), so a fitted
// LmToLlm transformer is a chain of ML.NET's own saveable transformers:
//   copy the text column → constant key (stateless custom mapping) → the state string (ValueMapping: the fitted
//   vocabulary/idf/vectors, kept in the model zip) → (text, state) → features (stateless custom mapping) → rename, drop.
// The custom mappings hold no state, so ML.NET reloads them by contract name once the assembly is registered.

/// <summary>The input of the key mapping: the copied text column.</summary>
internal sealed class TextRow
{
    /// <summary>The text.</summary>
    [ColumnName(FeatureColumns.Text)]
    public ReadOnlyMemory<char> Text;
}

/// <summary>The output of the key mapping: a constant key for the state lookup.</summary>
internal sealed class KeyRow
{
    /// <summary>Always 0.</summary>
    [ColumnName(FeatureColumns.Key)]
    public float Key;
}

/// <summary>The input of a feature mapping: the text and the fitted state.</summary>
internal sealed class FeaturizerRow
{
    /// <summary>The text.</summary>
    [ColumnName(FeatureColumns.Text)]
    public string Text = "";

    /// <summary>The fitted state (base 64).</summary>
    [ColumnName(FeatureColumns.State)]
    public ReadOnlyMemory<char> State;
}

/// <summary>An output row of one of the fixed column lengths.</summary>
internal interface IFeatureRow
{
    /// <summary>The vector field.</summary>
    ref VBuffer<float> Vector { get; }
}

/// <summary>Reloads the constant-key mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.KeyContract)]
internal sealed class KeyMapping : CustomMappingFactory<TextRow, KeyRow>
{
    /// <inheritdoc />
    public override Action<TextRow, KeyRow> GetMapping() => FeatureColumns.MapKey;
}

/// <summary>Reloads a feature mapping of a saved model: (text, state) → vector of the row type's length.</summary>
internal abstract class FeatureMappingFactory<TRow>(int columnLength) : CustomMappingFactory<FeaturizerRow, TRow>
    where TRow : class, IFeatureRow, new()
{
    /// <inheritdoc />
    public override Action<FeaturizerRow, TRow> GetMapping() => (input, output) =>
        Featurizer.FromState(input.State).Featurize(input.Text ?? "", ref output.Vector, columnLength);
}

internal static partial class FeatureColumns
{
    public const string Text = "__lmtollm_text";
    public const string Key = "__lmtollm_key";
    public const string State = "__lmtollm_state";
    public const string Features = "__lmtollm_features";
    public const string KeyContract = "LmToLlm.ML.StateKey";
    public const string ContractPrefix = "LmToLlm.ML.Features";

    public static void MapKey(TextRow input, KeyRow output) => output.Key = 0f;

    /// <summary>
    /// The chain that computes <paramref name="outputColumn"/> from <paramref name="inputColumn"/> with the
    /// featurizer serialised in <paramref name="state"/>; its output column has <paramref name="columnLength"/> slots.
    /// </summary>
    public static IEstimator<ITransformer> Chain(MLContext context, string outputColumn, string inputColumn, string state, int columnLength)
    {
        var transforms = context.Transforms;
        return transforms.CopyColumns(Text, inputColumn)
            .Append(transforms.CustomMapping<TextRow, KeyRow>(MapKey, KeyContract))
            .Append(transforms.Conversion.MapValue(State, [new KeyValuePair<float, string>(0f, state)], Key))
            .Append(FeatureMapping(transforms, columnLength))
            .Append(transforms.CopyColumns(outputColumn, Features))
            .Append(transforms.DropColumns(Text, Key, State, Features));
    }

    private static IEstimator<ITransformer> Build<TRow>(TransformsCatalog catalog, int columnLength)
        where TRow : class, IFeatureRow, new()
    {
        var mapping = new FeatureMappingFactoryAccess<TRow>(columnLength).GetMapping();
        return catalog.CustomMapping(mapping, ContractPrefix + columnLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class FeatureMappingFactoryAccess<TRow>(int columnLength) : FeatureMappingFactory<TRow>(columnLength)
        where TRow : class, IFeatureRow, new();
}
