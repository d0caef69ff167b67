namespace LmToLlm.Contextual;

/// <summary>
/// A model that turns each text into one vector (a sentence embedding).
/// Input: texts. Output: one vector of <see cref="Dimensions"/> floats per text, in order.
/// </summary>
public interface ISentenceEmbedder
{
    /// <summary>The model's name; it keys the embedding cache, so two different models must not share one.</summary>
    string Name { get; }

    /// <summary>The vector length.</summary>
    int Dimensions { get; }

    /// <summary>Embeds <paramref name="texts"/>; vector i belongs to text i.</summary>
    float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
