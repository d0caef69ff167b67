using LmToLlm.Corpora;
using LmToLlm.Embeddings;
using LmToLlm.ML;
using LmToLlm.Retrieval;
using LmToLlm.Retrieval.Dense;
using LmToLlm.Text;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LmToLlm.Tests.ML;

/// <summary>
/// The ML.NET estimators give exactly the core library's vectors for the same texts (TF-IDF, term frequency,
/// BM25, pooled word vectors), survive a save/load round trip with identical outputs and predictions, and report
/// schema errors as ML.NET does.
/// </summary>
public sealed class TextVectorEstimatorTests
{
    private static readonly string[] Train =
    [
        "The cat sat on the mat.",
        "A dog chased the cat; the cat ran.",
        "Dogs and cats are pets",
        "Stock markets fell as bond yields rose",
        "The market rallied, stocks rose and bonds fell",
        "",
    ];

    private static readonly string[] Unseen = ["the cat and the unicorn", "zebra", "bond market cat cat cat"];

    public sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private static IDataView View(MLContext context, IEnumerable<string> texts) =>
        context.Data.LoadFromEnumerable(texts.Select((t, i) => new Row { Text = t, Label = i < 3 ? "pets" : "money" }).ToArray());

    private static float[][] Column(IDataView view, string column) =>
        view.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();

    private static float[] Dense(SparseVector vector, Func<int, int> slot, int length)
    {
        var result = new float[length];
        for (int i = 0; i < vector.Terms.Length; i++) result[slot(vector.Terms[i])] = (float)vector.Weights[i];
        return result;
    }

    private static InvertedIndex Index(string analyzer = "simple", InvertedIndexOptions? ngrams = null) =>
        InvertedIndex.Build(Train.Select((t, i) => new Document(i.ToString(), "", t)), Analyzer.FromName(analyzer), ngrams);

    [Theory]
    [InlineData("simple")]
    [InlineData("english")]
    [InlineData("char:2-3")]
    public void TfIdf_vectors_equal_the_library_tfidf_for_training_and_unseen_texts(string analyzer)
    {
        var context = new MLContext(seed: 1);
        var model = context.Transforms.Text.TfIdfVectors("Features", "Text", new LexicalVectorOptions { Analyzer = analyzer }).Fit(View(context, Train));
        var tfIdf = TfIdf.Create(Index(analyzer));
        Assert.Equal(tfIdf.Index.TermCount, model.Length);
        Assert.Equal(Enumerable.Range(0, tfIdf.Index.TermCount).Select(tfIdf.Index.Term), model.SlotNames);

        var train = Column(model.Transform(View(context, Train)), "Features");
        for (int d = 0; d < Train.Length; d++)
            Assert.Equal(Dense(tfIdf.DocumentVector(d), t => t, model.ColumnLength), train[d]);
        var unseen = Column(model.Transform(View(context, Unseen)), "Features");
        for (int q = 0; q < Unseen.Length; q++)
            Assert.Equal(Dense(tfIdf.QueryVector(Unseen[q]), t => t, model.ColumnLength), unseen[q]);
    }

    [Fact]
    public void TfIdf_vectors_follow_min_df_pruning_and_bigrams()
    {
        var context = new MLContext(seed: 1);
        var options = new LexicalVectorOptions { NGrams = new InvertedIndexOptions { MinNGram = 1, MaxNGram = 2 }, TfIdf = new TfIdfOptions { MinDf = DocumentFrequencyLimit.Count(2), SublinearTf = true } };
        var model = context.Transforms.Text.TfIdfVectors("Features", "Text", options).Fit(View(context, Train));
        var tfIdf = TfIdf.Create(Index(ngrams: options.NGrams), options.TfIdf);
        var kept = Enumerable.Range(0, tfIdf.Index.TermCount).Where(tfIdf.InVocabulary).ToArray();
        Assert.Equal(kept.Select(tfIdf.Index.Term), model.SlotNames);
        int Slot(int term) => Array.IndexOf(kept, term);
        var train = Column(model.Transform(View(context, Train)), "Features");
        for (int d = 0; d < Train.Length; d++)
            Assert.Equal(Dense(tfIdf.DocumentVector(d), Slot, model.ColumnLength), train[d]);
    }

    [Fact]
    public void Term_frequency_vectors_are_the_index_counts()
    {
        var context = new MLContext(seed: 1);
        var model = context.Transforms.Text.TermFrequencyVectors("Features", "Text").Fit(View(context, Train));
        var index = Index();
        var expected = new float[Train.Length][];
        for (int d = 0; d < Train.Length; d++) expected[d] = new float[model.ColumnLength];
        for (int t = 0; t < index.TermCount; t++)
        {
            ReadOnlySpan<int> docs = index.PostingDocuments(t), freqs = index.PostingFrequencies(t); // each call decodes
            for (int p = 0; p < docs.Length; p++) expected[docs[p]][t] = freqs[p];
        }
        Assert.Equal(expected, Column(model.Transform(View(context, Train)), "Features"));
        // "cat" appears 3 times in the last unseen text, "bond" and "market" once.
        var unseen = Column(model.Transform(View(context, Unseen)), "Features")[2];
        Assert.Equal(3f, unseen[index.TermId("cat")]);
        Assert.Equal(1f, unseen[index.TermId("bond")]);
        Assert.Equal(5f, unseen.Sum());
    }

    [Theory]
    [InlineData(Bm25Variant.Lucene)]
    [InlineData(Bm25Variant.Robertson)]
    [InlineData(Bm25Variant.Bm25Plus)]
    public void Bm25_vectors_equal_the_library_term_weights(Bm25Variant variant)
    {
        var context = new MLContext(seed: 1);
        var options = new LexicalVectorOptions { Bm25 = new Bm25Options { Variant = variant } };
        var model = context.Transforms.Text.Bm25Vectors("Features", "Text", options).Fit(View(context, Train));
        var bm25 = Bm25.Create(Index(), options.Bm25);
        var expected = new float[Train.Length][];
        for (int d = 0; d < Train.Length; d++) expected[d] = new float[model.ColumnLength];
        for (int t = 0; t < bm25.Index.TermCount; t++)
        {
            var weight = bm25.Weight(t);
            var docs = bm25.Index.PostingDocuments(t);
            var freqs = bm25.Index.PostingFrequencies(t);
            for (int p = 0; p < docs.Length; p++) expected[docs[p]][t] = weight.Score(freqs[p], bm25.LengthFactor(docs[p]));
        }
        Assert.Equal(expected, Column(model.Transform(View(context, Train)), "Features"));
        var unseen = Column(model.Transform(View(context, Unseen)), "Features");
        for (int q = 0; q < Unseen.Length; q++)
            Assert.Equal(Dense(bm25.TextVector(Unseen[q]), t => t, model.ColumnLength), unseen[q]);
    }

    [Fact]
    public void Korean_tfidf_vectors_use_syllable_bigrams()
    {
        string[] texts = ["학교에서 공부를 했다", "학교가 크다", "시장에서 주식을 샀다"];
        var context = new MLContext(seed: 1);
        var model = context.Transforms.Text.TfIdfVectors("Features", "Text", new LexicalVectorOptions { Analyzer = "korean" }).Fit(View(context, texts));
        var tfIdf = TfIdf.Create(InvertedIndex.Build(texts.Select((t, i) => new Document(i.ToString(), "", t)), Analyzer.Korean));
        Assert.Contains("학교", model.SlotNames);   // the bigram shared by 학교에서 and 학교가
        var rows = Column(model.Transform(View(context, texts)), "Features");
        for (int d = 0; d < texts.Length; d++) Assert.Equal(Dense(tfIdf.DocumentVector(d), t => t, model.ColumnLength), rows[d]);
    }

    internal static WordVectors SmallVectors()
    {
        string[] words = ["the", "cat", "dog", "cats", "dogs", "pets", "market", "stock", "bond", "rose", "fell"];
        var random = new Random(5);
        var matrix = new float[words.Length * 6];
        for (int i = 0; i < matrix.Length; i++) matrix[i] = (float)(random.NextDouble() * 2 - 1);
        return WordVectors.Create(words, matrix, 6);
    }

    [Theory]
    [InlineData(Pooling.Mean)]
    [InlineData(Pooling.TfIdf)]
    [InlineData(Pooling.Sif)]
    public void Document_embeddings_equal_the_dense_encoder(Pooling pooling)
    {
        var context = new MLContext(seed: 1);
        var vectors = SmallVectors();
        var options = new DenseEncoderOptions { Pooling = pooling };
        var model = context.Transforms.Text.DocumentEmbeddings("Features", vectors, "Text", options).Fit(View(context, Train));
        var encoder = DenseEncoder.Fit(vectors, Train, options);
        Assert.Equal(6, model.Length);
        Assert.Equal(8, model.ColumnLength);
        var rows = Column(model.Transform(View(context, Train.Concat(Unseen))), "Features");
        var texts = Train.Concat(Unseen).ToArray();
        for (int i = 0; i < texts.Length; i++)
            Assert.Equal([.. encoder.Encode(texts[i]), 0f, 0f], rows[i]);
    }

    public sealed class Prediction
    {
        public uint PredictedLabel { get; set; }
        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void A_saved_pipeline_loads_with_the_fitted_state_and_predicts_identically()
    {
        var context = new MLContext(seed: 1);
        var data = View(context, Train);
        var pipeline = context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.Transforms.Text.TfIdfVectors("Lexical", "Text", new LexicalVectorOptions { Analyzer = "english" }))
            .Append(context.Transforms.Text.DocumentEmbeddings("Dense", SmallVectors(), "Text"))
            .Append(context.Transforms.Concatenate("Features", "Lexical", "Dense"))
            .Append(context.MulticlassClassification.Trainers.SdcaMaximumEntropy(new Microsoft.ML.Trainers.SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1, MaximumNumberOfIterations = 10 }));
        var model = pipeline.Fit(data);
        var test = View(context, Unseen.Concat(Train));
        var before = context.Data.CreateEnumerable<Prediction>(model.Transform(test), reuseRowObject: false).ToArray();
        var lexicalBefore = Column(model.Transform(test), "Lexical");

        var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var fresh = new MLContext(seed: 2).RegisterLmToLlm();
        var loaded = fresh.Model.Load(stream, out var schema);
        Assert.Equal(data.Schema.Select(c => c.Name), schema.Select(c => c.Name));
        var freshTest = View(fresh, Unseen.Concat(Train));
        var after = fresh.Data.CreateEnumerable<Prediction>(loaded.Transform(freshTest), reuseRowObject: false).ToArray();
        Assert.Equal(before.Select(p => p.PredictedLabel), after.Select(p => p.PredictedLabel));
        Assert.Equal(before.Select(p => p.Score), after.Select(p => p.Score));
        Assert.Equal(lexicalBefore, Column(loaded.Transform(freshTest), "Lexical"));
        Assert.NotEqual(0f, lexicalBefore.Sum(r => r.Sum()));
    }

    [Theory]
    [InlineData("tf")]
    [InlineData("tfidf")]
    [InlineData("bm25")]
    [InlineData("mean")]
    [InlineData("sif")]
    public void Every_estimator_round_trips_with_identical_vectors_on_random_texts(string kind)
    {
        // Seeded random texts over the training words plus unseen ones, with punctuation and case changes.
        var random = new Random(17);
        string[] words = ["the", "cat", "Cat", "dogs", "bond", "market", "rose", "fell", "unicorn", "zebra", "pets", "a", "and", "ran;", "mat."];
        var texts = Enumerable.Range(0, 200).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(0, 12)).Select(_ => words[random.Next(words.Length)]))).ToArray();
        var context = new MLContext(seed: 1);
        var text = context.Transforms.Text;
        IEstimator<ITransformer> estimator = kind switch
        {
            "tf" => text.TermFrequencyVectors("Features", "Text", new LexicalVectorOptions { NGrams = new InvertedIndexOptions { MinNGram = 1, MaxNGram = 2 } }),
            "tfidf" => text.TfIdfVectors("Features", "Text", new LexicalVectorOptions { Analyzer = "char:2-4" }),
            "bm25" => text.Bm25Vectors("Features", "Text", new LexicalVectorOptions { Analyzer = "english" }),
            "mean" => text.DocumentEmbeddings("Features", SmallVectors(), "Text", new DenseEncoderOptions { Pooling = Pooling.Mean }),
            _ => text.DocumentEmbeddings("Features", SmallVectors(), "Text"),
        };
        var model = estimator.Fit(View(context, Train.Concat(texts.Take(100))));
        var expected = Column(model.Transform(View(context, texts)), "Features");
        var stream = new MemoryStream();
        context.Model.Save(model, null, stream);
        stream.Position = 0;
        var loaded = new MLContext(seed: 3).RegisterLmToLlm().Model.Load(stream, out _);
        Assert.Equal(expected, Column(loaded.Transform(View(context, texts)), "Features"));
        Assert.Contains(expected, row => row.Any(v => v != 0));
    }

    [Fact]
    public void The_fitted_state_is_inside_the_model_zip()
    {
        var context = new MLContext(seed: 1);
        var model = context.Transforms.Text.TfIdfVectors("Features", "Text").Fit(View(context, Train));
        var stream = new MemoryStream();
        context.Model.Save(model, null, stream);
        stream.Position = 0;
        using var zip = new System.IO.Compression.ZipArchive(stream);
        // ML.NET keeps the value map's data (our fitted state) as a binary data view inside the zip.
        var entry = Assert.Single(zip.Entries, e => e.FullName.EndsWith("DefaultMap.idv", StringComparison.Ordinal));
        using var temp = new TempDir();
        string idv = Path.Combine(temp.Path, "map.idv");
        using (var source = entry.Open()) using (var target = File.Create(idv)) source.CopyTo(target);
        var values = context.Data.LoadFromBinary(idv);
        string state = values.GetColumn<string>(values.Schema[1]).Single();
        var fromZip = Featurizer.Deserialize(state);
        Assert.Equal(model.SlotNames, fromZip.SlotNames);
        Assert.Equal(model.Featurizer.Serialize(), state);
        var loaded = new MLContext().RegisterLmToLlm().Model.Load(new MemoryStream(stream.ToArray()), out _);
        Assert.Equal(Column(model.Transform(View(context, Unseen)), "Features"), Column(loaded.Transform(View(context, Unseen)), "Features"));
    }

    [Fact]
    public void A_damaged_model_state_is_reported_not_misread()
    {
        var context = new MLContext(seed: 1);
        var tfIdf = context.Transforms.Text.TfIdfVectors("Features", "Text").Fit(View(context, Train)).Featurizer.Serialize();
        var dense = context.Transforms.Text.DocumentEmbeddings("Features", SmallVectors(), "Text").Fit(View(context, Train)).Featurizer.Serialize();
        Assert.Equal(tfIdf, Featurizer.Deserialize(tfIdf).Serialize());
        Assert.Equal(dense, Featurizer.Deserialize(dense).Serialize());
        byte[] bytes = Convert.FromBase64String(tfIdf);
        string Damaged(Action<byte[]> damage)
        {
            var copy = (byte[])bytes.Clone();
            damage(copy);
            return Convert.ToBase64String(copy);
        }
        var cases = new Dictionary<string, string>
        {
            ["not base 64"] = "!!" + tfIdf,
            ["magic"] = Damaged(b => b[0] = (byte)'X'),
            ["version"] = Damaged(b => b[8] = 9),
            ["kind"] = Damaged(b => b[12] = 7),
            ["truncated"] = Convert.ToBase64String(bytes[..(bytes.Length / 2)]),
            ["trailing"] = Convert.ToBase64String([.. bytes, 1, 2, 3]),
            ["empty"] = "",
        };
        foreach (var (name, state) in cases)
        {
            var e = Assert.Throws<InvalidOperationException>(() => Featurizer.Deserialize(state));
            // Each message says what is wrong and what to do: the model is damaged, or was made by another version (refit).
            Assert.True(e.Message.Contains("LmToLlm", StringComparison.Ordinal) && (e.Message.Contains("damaged", StringComparison.Ordinal) || e.Message.Contains("refit", StringComparison.Ordinal)), $"{name}: {e.Message}");
        }
    }

    /// <summary>ML.NET's own <c>SchemaShape.Create</c> (internal; pipelines call it before fitting).</summary>
    private static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, [typeof(DataViewSchema)])!
            .Invoke(null, [schema])!;

    public sealed class NumberRow
    {
        public float Text { get; set; }
    }

    [Fact]
    public void The_output_schema_shape_adds_a_known_size_float_vector_and_drops_the_helper_columns()
    {
        var context = new MLContext(seed: 1);
        var data = View(context, Train);
        var shape = context.Transforms.Text.Bm25Vectors("Features", "Text").GetOutputSchema(ShapeOf(data.Schema));
        var features = Assert.Single(shape, c => c.Name == "Features");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, features.Kind);
        Assert.Equal(NumberDataViewType.Single, features.ItemType);
        Assert.Equal(["Features", "Label", "Text"], shape.Select(c => c.Name).Order(StringComparer.Ordinal));
        var fitted = context.Transforms.Text.Bm25Vectors("Features", "Text").Fit(data);
        var schema = fitted.GetOutputSchema(data.Schema);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, fitted.ColumnLength), schema["Features"].Type);
        Assert.DoesNotContain(schema, c => c.Name.StartsWith("__lmtollm", StringComparison.Ordinal) && !c.IsHidden);
    }

    [Fact]
    public void A_missing_column_is_reported_as_ml_net_reports_it()
    {
        var context = new MLContext(seed: 1);
        var data = View(context, Train);
        var ours = Assert.Throws<ArgumentOutOfRangeException>(() => context.Transforms.Text.TfIdfVectors("Features", "Body").Fit(data));
        var theirs = Assert.Throws<ArgumentOutOfRangeException>(() => context.Transforms.Text.FeaturizeText("Features", "Body").Fit(data));
        Assert.Equal(theirs.ParamName, ours.ParamName);
        Assert.Equal("inputSchema", ours.ParamName);
        Assert.Equal(theirs.Message, ours.Message);
        Assert.Contains("'Body'", ours.Message);
        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => context.Transforms.Text.Bm25Vectors("Features", "Body").GetOutputSchema(ShapeOf(data.Schema)));
        Assert.Equal(ours.Message, shape.Message);
    }

    [Fact]
    public void A_column_of_the_wrong_type_is_reported_as_ml_net_reports_it()
    {
        var context = new MLContext(seed: 1);
        var numbers = context.Data.LoadFromEnumerable(new[] { new NumberRow { Text = 1 } });
        var ours = Assert.Throws<ArgumentOutOfRangeException>(() => context.Transforms.Text.TermFrequencyVectors("Features", "Text").Fit(numbers));
        Assert.Equal("inputSchema", ours.ParamName);
        Assert.StartsWith("Schema mismatch for input column 'Text': expected String, got Single", ours.Message);
        // ML.NET: "Schema mismatch for input column 'Text': expected String or vector of String, got Single" (it also takes token vectors).
        var theirs = Assert.Throws<ArgumentOutOfRangeException>(() => context.Transforms.Text.FeaturizeText("Features", "Text").Fit(numbers));
        Assert.Equal(theirs.ParamName, ours.ParamName);
        Assert.StartsWith("Schema mismatch for input column 'Text': expected String", theirs.Message);
        Assert.Contains("got Single", theirs.Message);
        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => context.Transforms.Text.TfIdfVectors("Features", "Text").GetOutputSchema(ShapeOf(numbers.Schema)));
        Assert.Equal(ours.Message, shape.Message);
        // A fitted transformer applied to the wrong data says the same.
        var model = context.Transforms.Text.TfIdfVectors("Features", "Text").Fit(View(context, Train));
        Assert.Equal(ours.Message, Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(numbers)).Message);
    }

    [Fact]
    public void An_unknown_analyzer_fails_when_the_estimator_is_made()
    {
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.Text.TfIdfVectors("F", "Text", new LexicalVectorOptions { Analyzer = "klingon" }));
        Assert.Contains("klingon", e.Message);
    }
}
