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
/// The command line and the API call <see cref="ScoreAtAsync"/>; the cached <see cref="ScoreBoard"/> and the
/// snapshots load a longer span once and score several as-of times from it with <see cref="Score"/>.
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
        return Score(data, asOf, model, version);
    }

    /// <summary>
    /// Scores data already loaded at <paramref name="asOf"/>: SCORING.md's window, aggregates and composite.
    /// <paramref name="data"/> must hold the usage of the model's window before <paramref name="asOf"/>.
    /// </summary>
    public static ScoredPortfolio Score(PortfolioData data, DateTime asOf, ScoringModel model, int modelVersion)
    {
        var aggregates = WindowAggregates.Build(data, asOf, model.WindowDays);
        return new ScoredPortfolio(modelVersion, model, aggregates, Scorer.Score(aggregates, model));
    }
}
