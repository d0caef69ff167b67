using LmToLlm.ML.Plumbing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LmToLlm.ML;

/// <summary>
/// Fits a text → vector featurizer of this library on a text column (vocabulary, idf, BM25 statistics or pooling
/// weights) and gives a <see cref="TextVectorTransformer"/>. Input: a scalar text column. Output: a known-size
/// vector column of float (see <see cref="TextVectorTransformer.ColumnLength"/>). Create it through
/// <see cref="LmToLlmCatalog"/>.
/// </summary>
public sealed class TextVectorEstimator : IEstimator<TextVectorTransformer>
{
    private readonly MLContext _context;
    private readonly Func<IReadOnlyList<string>, Featurizer> _fit;

    internal TextVectorEstimator(MLContext context, string outputColumnName, string inputColumnName, Func<IReadOnlyList<string>, Featurizer> fit)
    {
        _context = context;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        _fit = fit;
    }

    /// <summary>The text column read.</summary>
    public string InputColumnName { get; }

    /// <summary>The vector column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>
    /// Reads every text of <paramref name="input"/>'s input column (a missing value counts as an empty text), fits
    /// the featurizer on them and returns the transformer. Throws <see cref="ArgumentOutOfRangeException"/> (parameter
    /// <c>inputSchema</c>, as ML.NET does) when the column is missing or not text.
    /// </summary>
    public TextVectorTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        var texts = new List<string>();
        foreach (var text in input.GetColumn<ReadOnlyMemory<char>>(InputColumnName)) texts.Add(text.ToString());
        if (texts.Count == 0) throw new InvalidOperationException($"the training data has no rows: there is nothing to fit the '{InputColumnName}' vocabulary on");
        var featurizer = _fit(texts);
        return TextVectorTransformer.Create(_context, featurizer, OutputColumnName, InputColumnName, input);
    }

    /// <summary>The input schema with the vector column added; throws as <see cref="Fit"/> does on a bad input column.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var column = inputSchema.FirstOrDefault(c => c.Name == InputColumnName);
        if (column.Name is null) throw SchemaErrors.Missing(InputColumnName);
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType || column.IsKey)
            throw SchemaErrors.WrongType(InputColumnName, TypeString(column));
        // Every column length gives the same shape (a known-size float vector); the smallest stands in before fitting.
        return FeatureColumns.Chain(_context, OutputColumnName, InputColumnName, "", 8).GetOutputSchema(inputSchema);
    }

    /// <summary>A column shape written as ML.NET writes it in schema errors: <c>Single</c>, <c>Vector&lt;Single&gt;</c>, <c>VarVector&lt;String&gt;</c>, <c>Key&lt;UInt32&gt;</c>.</summary>
    private static string TypeString(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType.RawType.Name}>" : column.ItemType.ToString() ?? "?";
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item,
        };
    }

    private void CheckInput(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(InputColumnName) ?? throw SchemaErrors.Missing(InputColumnName);
        if (column.Type is not TextDataViewType) throw SchemaErrors.WrongType(InputColumnName, column.Type.ToString() ?? "?");
    }
}

/// <summary>The schema errors ML.NET raises (<c>Contracts.ExceptSchemaMismatch</c>), with the same wording and parameter.</summary>
internal static class SchemaErrors
{
    public static ArgumentOutOfRangeException Missing(string column) =>
        new("inputSchema", $"Could not find input column '{column}'");

    public static ArgumentOutOfRangeException WrongType(string column, string actual) =>
        new("inputSchema", $"Schema mismatch for input column '{column}': expected String, got {actual}");
}
