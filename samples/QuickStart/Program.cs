using LmToLlm.Corpora;
using LmToLlm.NGrams;
using LmToLlm.Retrieval;
using LmToLlm.Text;

// Index three documents with the `simple` analyzer and rank them with Lucene's BM25.
Document[] documents =
[
    new("d1", "Kneser-Ney", "Kneser-Ney smoothing discounts n-gram counts and backs off to shorter contexts."),
    new("d2", "BM25", "BM25 ranks documents by term frequency, inverse document frequency and document length."),
    new("d3", "Word2Vec", "Word2Vec learns word vectors from the contexts in which words occur."),
];
var index = InvertedIndex.Build(documents, Analyzer.Simple);
var bm25 = Bm25.Lucene(index, k1: 1.2f, b: 0.75f);
foreach (var hit in bm25.Search("word frequency in documents", k: 3))
    Console.WriteLine($"{index.DocumentId(hit.Document)}  {hit.Score:F4}");

// Train a bigram model with modified Kneser-Ney smoothing and measure the perplexity of a sentence.
string[] sentences = ["the cat sat on the mat", "the dog sat on the log", "the cat saw the dog", "a dog saw a cat"];
var counts = NGramCounts.FromLines(sentences, new NGramCountOptions { Order = 2 });
Console.WriteLine($"'the cat' occurs {counts.Count("the", "cat")} times in {counts.SentenceCount} sentences");
var model = NGramTrainer.Train(counts, new NGramTrainingOptions { Smoothing = Smoothing.ModifiedKneserNey, DiscountFallback = true });
var result = model.Perplexity(["the cat sat on the log"]);
Console.WriteLine($"perplexity {result.PerplexityIncludingOov:F2} over {result.Tokens} tokens");
