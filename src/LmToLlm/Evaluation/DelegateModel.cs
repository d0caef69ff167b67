using LmToLlm.Retrieval;

namespace LmToLlm.Evaluation;

/// <summary>A registered model whose search is a function (what most factories in <see cref="RetrievalModels"/> build).</summary>
internal sealed class DelegateModel(string name, Func<IReadOnlyList<string>, int, CancellationToken, SearchHit[][]> search) : IRetrievalModel
{
    public string Name => name;

    public SearchHit[][] SearchMany(IReadOnlyList<string> queries, int k, CancellationToken cancellationToken) => search(queries, k, cancellationToken);
}
