// One fixed-size output row and one loadable mapping per column length: ML.NET reads a vector column's size from a
// [VectorType] attribute, fixed at compile time, so the lengths are powers of two from 8 to 2^20.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace LmToLlm.ML.Plumbing;

/// <summary>Output row of 8 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow8 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(8)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 8-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "8")]
internal sealed class FeatureMapping8 : FeatureMappingFactory<FeatureRow8>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping8() : base(8) { }
}

/// <summary>Output row of 16 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow16 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(16)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 16-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "16")]
internal sealed class FeatureMapping16 : FeatureMappingFactory<FeatureRow16>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping16() : base(16) { }
}

/// <summary>Output row of 32 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow32 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(32)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 32-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "32")]
internal sealed class FeatureMapping32 : FeatureMappingFactory<FeatureRow32>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping32() : base(32) { }
}

/// <summary>Output row of 64 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow64 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(64)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 64-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "64")]
internal sealed class FeatureMapping64 : FeatureMappingFactory<FeatureRow64>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping64() : base(64) { }
}

/// <summary>Output row of 128 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow128 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(128)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 128-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "128")]
internal sealed class FeatureMapping128 : FeatureMappingFactory<FeatureRow128>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping128() : base(128) { }
}

/// <summary>Output row of 256 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow256 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(256)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 256-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "256")]
internal sealed class FeatureMapping256 : FeatureMappingFactory<FeatureRow256>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping256() : base(256) { }
}

/// <summary>Output row of 512 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow512 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(512)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 512-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "512")]
internal sealed class FeatureMapping512 : FeatureMappingFactory<FeatureRow512>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping512() : base(512) { }
}

/// <summary>Output row of 1024 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow1024 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(1024)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 1024-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "1024")]
internal sealed class FeatureMapping1024 : FeatureMappingFactory<FeatureRow1024>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping1024() : base(1024) { }
}

/// <summary>Output row of 2048 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow2048 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(2048)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 2048-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "2048")]
internal sealed class FeatureMapping2048 : FeatureMappingFactory<FeatureRow2048>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping2048() : base(2048) { }
}

/// <summary>Output row of 4096 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow4096 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(4096)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 4096-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "4096")]
internal sealed class FeatureMapping4096 : FeatureMappingFactory<FeatureRow4096>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping4096() : base(4096) { }
}

/// <summary>Output row of 8192 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow8192 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(8192)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 8192-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "8192")]
internal sealed class FeatureMapping8192 : FeatureMappingFactory<FeatureRow8192>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping8192() : base(8192) { }
}

/// <summary>Output row of 16384 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow16384 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(16384)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 16384-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "16384")]
internal sealed class FeatureMapping16384 : FeatureMappingFactory<FeatureRow16384>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping16384() : base(16384) { }
}

/// <summary>Output row of 32768 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow32768 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(32768)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 32768-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "32768")]
internal sealed class FeatureMapping32768 : FeatureMappingFactory<FeatureRow32768>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping32768() : base(32768) { }
}

/// <summary>Output row of 65536 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow65536 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(65536)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 65536-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "65536")]
internal sealed class FeatureMapping65536 : FeatureMappingFactory<FeatureRow65536>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping65536() : base(65536) { }
}

/// <summary>Output row of 131072 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow131072 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(131072)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 131072-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "131072")]
internal sealed class FeatureMapping131072 : FeatureMappingFactory<FeatureRow131072>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping131072() : base(131072) { }
}

/// <summary>Output row of 262144 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow262144 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(262144)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 262144-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "262144")]
internal sealed class FeatureMapping262144 : FeatureMappingFactory<FeatureRow262144>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping262144() : base(262144) { }
}

/// <summary>Output row of 524288 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow524288 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(524288)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 524288-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "524288")]
internal sealed class FeatureMapping524288 : FeatureMappingFactory<FeatureRow524288>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping524288() : base(524288) { }
}

/// <summary>Output row of 1048576 slots (see <see cref="FeatureColumns"/>).</summary>
internal sealed class FeatureRow1048576 : IFeatureRow
{
    /// <summary>The vector.</summary>
    [ColumnName(FeatureColumns.Features), VectorType(1048576)]
    public VBuffer<float> Features;

    /// <inheritdoc />
    public ref VBuffer<float> Vector => ref Features;
}

/// <summary>Loads the 1048576-slot featurizer mapping of a saved model.</summary>
[CustomMappingFactoryAttribute(FeatureColumns.ContractPrefix + "1048576")]
internal sealed class FeatureMapping1048576 : FeatureMappingFactory<FeatureRow1048576>
{
    /// <summary>Creates the factory.</summary>
    public FeatureMapping1048576() : base(1048576) { }
}

internal static partial class FeatureColumns
{
    /// <summary>The smallest column length ≥ the number of slots.</summary>
    public static int ColumnLength(int length)
    {
        int n = 8;
        while (n < length) n *= 2;
        if (n > 1048576) throw new InvalidOperationException($"{length} slots do not fit in an ML.NET column of this package (at most 1048576); prune the vocabulary (TfIdf MinDf) or use fewer n-grams");
        return n;
    }

    /// <summary>The estimator that maps (text, state) to the fixed-size feature column.</summary>
    public static IEstimator<ITransformer> FeatureMapping(TransformsCatalog catalog, int columnLength) => columnLength switch
    {
            8 => Build<FeatureRow8>(catalog, 8),
            16 => Build<FeatureRow16>(catalog, 16),
            32 => Build<FeatureRow32>(catalog, 32),
            64 => Build<FeatureRow64>(catalog, 64),
            128 => Build<FeatureRow128>(catalog, 128),
            256 => Build<FeatureRow256>(catalog, 256),
            512 => Build<FeatureRow512>(catalog, 512),
            1024 => Build<FeatureRow1024>(catalog, 1024),
            2048 => Build<FeatureRow2048>(catalog, 2048),
            4096 => Build<FeatureRow4096>(catalog, 4096),
            8192 => Build<FeatureRow8192>(catalog, 8192),
            16384 => Build<FeatureRow16384>(catalog, 16384),
            32768 => Build<FeatureRow32768>(catalog, 32768),
            65536 => Build<FeatureRow65536>(catalog, 65536),
            131072 => Build<FeatureRow131072>(catalog, 131072),
            262144 => Build<FeatureRow262144>(catalog, 262144),
            524288 => Build<FeatureRow524288>(catalog, 524288),
            1048576 => Build<FeatureRow1048576>(catalog, 1048576),
        _ => throw new ArgumentOutOfRangeException(nameof(columnLength), columnLength, "not a column length of this package"),
    };
}
