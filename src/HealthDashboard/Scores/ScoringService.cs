using HealthDashboard.Scoring;

namespace HealthDashboard.Scores;

/// <summary>A portfolio scored at one as-of time under one model version.</summary>
/// <param name="ModelVersion">The saved version the model came from (0: an unsaved draft).</param>
public sealed record ScoredPortfolio(int ModelVersion, ScoringModel Model, WindowAggregates Aggregates, PortfolioScores Scores)
{
    public DateTime AsOf => Aggregates.AsOf;
    public PortfolioData Data => Aggregates.Data;
}

/// <summary>
/// The one way to score the store: load the window's data, aggregate, score with the pure core.
/// The command line, the API, exports and the cached <see cref="ScoreBoard"/> all go through it.
/// </summary>
public sealed class ScoringService(PortfolioLoader loader)
{
    /// <summary>Scores every account and user at <paramref name="asOf"/> under the newest saved model, or <paramref name="model"/>.</summary>
    public async Task<ScoredPortfolio> ScoreAtAsync(DateTime asOf, ScoringModel? model = null, CancellationToken cancellationToken = default)
    {
        asOf = DateTime.SpecifyKind(asOf, DateTimeKind.Utc);
        var version = 0;
        if (model is null)
        {
            (version, model) = await loader.LoadModelAsync(cancellationToken);
        }

        var data = await loader.LoadAsync(asOf.AddDays(-model.WindowDays), asOf, cancellationToken);
        var aggregates = WindowAggregates.Build(data, asOf, model.WindowDays);
        return new ScoredPortfolio(version, model, aggregates, Scorer.Score(aggregates, model));
    }
}
