using HealthDashboard.Scoring;

namespace HealthDashboard.Scores;

/// <summary>A portfolio scored at one as-of time under one set of saved models (default, segments, onboarding).</summary>
/// <param name="ModelVersion">
/// The newest saved version among the models that scored it (versions are one sequence over every model, so this
/// tells whether a save is in; 0: an unsaved draft). Each account's own model version is <see cref="ModelVersionOf"/>.
/// </param>
/// <param name="Model">The default model. Each account's own model is <see cref="ModelOf"/>.</param>
/// <param name="Aggregates">The default model's aggregates (its window); each account's own are <see cref="PortfolioScores.AggregatesOf"/>.</param>
public sealed record ScoredPortfolio(int ModelVersion, ScoringModel Model, WindowAggregates Aggregates, PortfolioScores Scores)
{
    public DateTime AsOf => Aggregates.AsOf;
    public PortfolioData Data => Aggregates.Data;

    /// <summary>Every model the scores were made with, and their saved versions.</summary>
    public ScoringModelSet Models => Scores.ModelSet;

    /// <summary>Which model scored a local account.</summary>
    public ModelKey ModelKeyOf(int localAccount) => Scores.ModelKeyOf(localAccount);

    /// <summary>The model that scored a local account (its weights and thresholds).</summary>
    public ScoringModel ModelOf(int localAccount) => Scores.ModelOf(localAccount);

    /// <summary>The saved version of the model that scored a local account (0: a draft).</summary>
    public int ModelVersionOf(int localAccount) => Scores.ModelSet.VersionOf(Scores.ModelKeyOf(localAccount));
}

/// <summary>
/// The one way to score the store: load the window's data, aggregate, score with the pure core.
/// The command line and the API call <see cref="ScoreAtAsync(DateTime, ScoringModelSet?, CancellationToken)"/>; the
/// cached <see cref="ScoreBoard"/> and the snapshots load a longer span once and score several as-of times from it
/// with <see cref="Score(PortfolioData, DateTime, ScoringModelSet, Func{int, WindowAggregates?}?)"/>.
/// </summary>
public sealed class ScoringService(PortfolioLoader loader)
{
    /// <summary>Scores every account and user at <paramref name="asOf"/> under the newest saved models, or <paramref name="model"/> alone.</summary>
    public Task<ScoredPortfolio> ScoreAtAsync(DateTime asOf, ScoringModel? model = null, CancellationToken cancellationToken = default) =>
        ScoreAtAsync(asOf, model is null ? null : ScoringModelSet.Of(model), cancellationToken);

    /// <summary>Scores every account and user at <paramref name="asOf"/> under <paramref name="models"/>, or the newest saved models.</summary>
    public async Task<ScoredPortfolio> ScoreAtAsync(DateTime asOf, ScoringModelSet? models, CancellationToken cancellationToken = default)
    {
        asOf = DateTime.SpecifyKind(asOf, DateTimeKind.Utc);
        models ??= await loader.LoadModelSetAsync(cancellationToken);
        // Exact at the window start of every model in use (their windows may differ), not only the longest.
        var edges = models.All.Select(m => m.Model.WindowDays).Distinct().SelectMany(w => PortfolioLoader.WindowEdges(asOf, w)).ToList();
        var data = await loader.LoadAsync(asOf.AddDays(-models.MaxWindowDays), asOf, edges, cancellationToken);
        return Score(data, asOf, models);
    }

    /// <summary>
    /// Scores data already loaded at <paramref name="asOf"/> with one model: SCORING.md's window, aggregates and composite.
    /// <paramref name="data"/> must hold the usage of the model's window before <paramref name="asOf"/>.
    /// </summary>
    public static ScoredPortfolio Score(PortfolioData data, DateTime asOf, ScoringModel model, int modelVersion) =>
        Score(data, asOf, ScoringModelSet.Of(model, modelVersion));

    /// <summary>
    /// A stored day's scores (<paramref name="snapshot"/>: its rows by account id) as a scored portfolio at
    /// <paramref name="day"/> over <paramref name="data"/>, which needs no usage (<see cref="Scorer.Restore"/>).
    /// </summary>
    public static ScoredPortfolio Restore(PortfolioData data, DateTime day, ScoringModelSet models, IReadOnlyDictionary<string, SnapshotRow> snapshot)
    {
        var scores = Scorer.Restore(data, day, models, id => snapshot.TryGetValue(id, out var row)
            ? new StoredAccountScores(row.Health, row.Grade, [.. row.Values.Select(v => v ?? double.NaN)], [.. row.Raw.Select(v => v ?? double.NaN)],
                row.Custom.Count == 0 ? null : row.Custom)
            : null);
        return new ScoredPortfolio(models.LatestVersion, models.Default, scores.Aggregates, scores);
    }

    /// <summary>
    /// Scores data already loaded at <paramref name="asOf"/> with every model of <paramref name="models"/>, each account
    /// with its own (SCORING.md "Segment models and the onboarding model"). <paramref name="data"/> must hold the usage
    /// of the longest window before <paramref name="asOf"/>.
    /// </summary>
    /// <param name="aggregatesFor">The aggregates of a window at <paramref name="asOf"/> when the caller has them (null: build them).</param>
    public static ScoredPortfolio Score(PortfolioData data, DateTime asOf, ScoringModelSet models, Func<int, WindowAggregates?>? aggregatesFor = null)
    {
        // Callers score one portfolio at a time (the back-fill its days in turn), so a build may use every core. The board
        // scores now and a month ago side by side only after an update, from advanced aggregates; an advance that declines
        // builds beside the other, sharing the cores: slower for that refresh, the same scores.
        var scores = Scorer.Score(data, asOf, models, aggregatesFor, WindowAggregates.AllCores);
        return new ScoredPortfolio(models.LatestVersion, models.Default, scores.Aggregates, scores);
    }
}
