using LmToLlm.ML.Plumbing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LmToLlm.ML;

/// <summary>
/// A fitted LmToLlm featurizer: maps the input text column to a known-size float vector column. It is a chain of
/// ML.NET's own transformers carrying the fitted state (see <see cref="Save"/>), so <c>MLContext.Model.Save</c>
/// writes the vocabulary, idf, BM25 statistics or word vectors into the model zip, and <c>MLContext.Model.Load</c>
/// (after <see cref="LmToLlmCatalog.RegisterLmToLlm"/>) gives back a transformer with identical outputs.
/// </summary>
public sealed class TextVectorTransformer : ITransformer
{
    private readonly ITransformer _chain;
    private readonly Featurizer _featurizer;

    private TextVectorTransformer(ITransformer chain, Featurizer featurizer, string outputColumnName, string inputColumnName, int columnLength)
    {
        _chain = chain;
        _featurizer = featurizer;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        ColumnLength = columnLength;
    }

    internal static TextVectorTransformer Create(MLContext context, Featurizer featurizer, string outputColumnName, string inputColumnName, IDataView trainingData)
    {
        string state = featurizer.Serialize();
        Featurizer.Remember(state, featurizer);
        int columnLength = FeatureColumns.ColumnLength(featurizer.Length);
        var chain = FeatureColumns.Chain(context, outputColumnName, inputColumnName, state, columnLength).Fit(trainingData);
        return new TextVectorTransformer(chain, featurizer, outputColumnName, inputColumnName, columnLength);
    }

    internal Featurizer Featurizer => _featurizer;

    /// <summary>The text column read.</summary>
    public string InputColumnName { get; }

    /// <summary>The vector column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>The number of meaningful slots: the vocabulary size (lexical) or the dimensions (dense).</summary>
    public int Length => _featurizer.Length;

    /// <summary>
    /// The column's vector length: the smallest power of two ≥ max(<see cref="Length"/>, 8). ML.NET's public API fixes a
    /// custom column's length at compile time, so the package declares power-of-two lengths; slots from
    /// <see cref="Length"/> on are always zero and do not change what a linear trainer learns.
    /// </summary>
    public int ColumnLength { get; }

    /// <summary>The vocabulary: slot i holds the weight of term <c>SlotNames[i]</c> (empty for document embeddings).</summary>
    public IReadOnlyList<string> SlotNames => _featurizer.SlotNames;

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _chain.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _chain.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Adds the vector column (lazily, as every ML.NET transform). Throws as <see cref="TextVectorEstimator.Fit"/> on a bad input column.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        return _chain.Transform(input);
    }

    /// <summary>Saves the underlying chain of ML.NET transformers, the fitted state included.</summary>
    public void Save(ModelSaveContext ctx) => _chain.Save(ctx);

    private void CheckInput(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(InputColumnName) ?? throw SchemaErrors.Missing(InputColumnName);
        if (column.Type is not TextDataViewType) throw SchemaErrors.WrongType(InputColumnName, column.Type.ToString() ?? "?");
    }
}
