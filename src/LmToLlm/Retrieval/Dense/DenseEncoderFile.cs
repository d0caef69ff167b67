using System.Text;
using LmToLlm.Embeddings;
using LmToLlm.Primitives;
using LmToLlm.Text;

namespace LmToLlm.Retrieval.Dense;

public sealed partial class DenseEncoder
{
    /// <summary>The file's frame: magic <c>LMTLDENC</c>, format version 1.</summary>
    internal static readonly BinaryFormat FileFormat = new("LMTLDENC", 1, "an LmToLlm dense encoder", "fit the encoder again and save it with DenseEncoder.Save");

    /// <summary>
    /// Writes the fitted encoder to <paramref name="stream"/> (left open), so that <see cref="Load"/> gives back an
    /// encoder whose vectors are bit for bit the same. Layout, little-endian, inside the shared binary frame (magic
    /// <c>LMTLDENC</c>, int32 format version … checksum): byte pooling, float64 SIF a, the analyzer name, int32 word
    /// count, int32 dimensions, the words (length-prefixed UTF-8), the float32 vectors row by row, one float64 weight
    /// per word, int32 length of the removed component (0 or dimensions) and its float32 values.
    /// </summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var hashing = FileFormat.StartWriting(stream);
        using (var w = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
        {
            w.Write((byte)Options.Pooling);
            w.Write(Options.SifA);
            w.Write(Options.Analyzer.Name);
            w.Write(Vectors.Count);
            w.Write(Vectors.Dimensions);
            foreach (string word in Vectors.Words) w.Write(word);
            foreach (float value in Vectors.Matrix) w.Write(value);
            foreach (double weight in _weight) w.Write(weight);
            var component = RemovedComponent;
            w.Write(component.Length);
            foreach (float value in component) w.Write(value);
        }
        hashing.WriteChecksum();
    }

    /// <summary>
    /// Reads an encoder written by <see cref="Save"/> from the rest of <paramref name="stream"/>. An encoder fitted with a
    /// custom analyzer reopens when that analyzer (same <see cref="Analyzer.Name"/>) is passed as
    /// <paramref name="analyzer"/>; null takes the built-in analyzer the file names.
    /// </summary>
    /// <exception cref="LmToLlmFormatException">Not an encoder, another format version, truncated or corrupt.</exception>
    public static DenseEncoder Load(Stream stream, Analyzer? analyzer = null)
    {
        const string path = "(stream)";
        byte[] data = BinaryFormat.ReadAll(stream);
        var body = FileFormat.Open(path, data);
        using var r = new BinaryReader(new MemoryStream(data, BinaryFormat.HeaderBytes, body.Length), Encoding.UTF8);
        try
        {
            var pooling = (Pooling)r.ReadByte();
            double sifA = r.ReadDouble();
            string analyzerName = r.ReadString();
            if (!Enum.IsDefined(pooling)) ThrowHelper.Format(path, 0, $"unknown pooling {(int)pooling}; {FileFormat.Remedy}");
            analyzer = Analyzer.ForSavedFile(path, analyzerName, analyzer, "the encoder was fitted", "DenseEncoder.Load");
            int count = r.ReadInt32(), dimensions = r.ReadInt32();
            // Sizes declared by the header must fit in the file before anything is allocated for them.
            if (count < 0 || dimensions < 1 || (long)count * (4L * dimensions + 9) > body.Length)
                ThrowHelper.Format(path, 0, $"the encoder declares {count} words of {dimensions} dimensions, more than the file holds; {FileFormat.Remedy}");
            var words = new string[count];
            for (int i = 0; i < count; i++) words[i] = r.ReadString();
            var matrix = new float[count * dimensions];
            for (int i = 0; i < matrix.Length; i++) matrix[i] = r.ReadSingle();
            var weight = new double[count];
            for (int i = 0; i < count; i++) weight[i] = r.ReadDouble();
            int componentLength = r.ReadInt32();
            if (componentLength != 0 && componentLength != dimensions)
                ThrowHelper.Format(path, 0, $"a removed component of {componentLength} values for {dimensions} dimensions; {FileFormat.Remedy}");
            var component = new float[componentLength];
            for (int i = 0; i < componentLength; i++) component[i] = r.ReadSingle();
            if (r.BaseStream.Position != r.BaseStream.Length) ThrowHelper.Format(path, 0, $"the encoder file has trailing bytes; {FileFormat.Remedy}");
            var options = new DenseEncoderOptions { Pooling = pooling, SifA = sifA, Analyzer = analyzer };
            return FromParts(WordVectors.Create(words, matrix, dimensions), options, weight, component);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException)
        {
            throw new LmToLlmFormatException(path, 0, $"the encoder is truncated or inconsistent ({e.Message}); {FileFormat.Remedy}", e);
        }
    }
}
