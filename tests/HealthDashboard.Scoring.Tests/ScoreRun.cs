namespace HealthDashboard.Scoring.Tests;

/// <summary>Runs the pure core the way the product does: aggregates at T over the model's window, then the scorer.</summary>
internal static class ScoreRun
{
    public static PortfolioScores Score(PortfolioData data, ScoringModel? model = null, DateTime? asOf = null)
    {
        model ??= ScoringModel.Default;
        return Scorer.Score(WindowAggregates.Build(data, asOf ?? PortfolioBuilder.T, model.WindowDays), model);
    }

    /// <summary>A model whose listed event types are key features (weight 1).</summary>
    public static ScoringModel WithKeyFeatures(this ScoringModel model, params string[] keys) =>
        keys.Aggregate(model, (m, key) => m.WithEventType(key, new EventTypeSettings(Weight: 1, KeyFeature: true)));

    /// <summary>The local index of a scored account; fails the test when the account is not scored.</summary>
    public static int Local(this PortfolioScores scores, string accountId)
    {
        var local = scores.Aggregates.LocalAccountIndex(accountId);
        Assert.True(local >= 0, $"Account {accountId} is not scored.");
        return local;
    }

    public static double? Value(this PortfolioScores scores, string accountId, Indicator indicator) =>
        scores.Value(scores.Local(accountId), indicator);

    public static double? Raw(this PortfolioScores scores, string accountId, Indicator indicator) =>
        scores.RawValue(scores.Local(accountId), indicator);

    public static double HealthOf(this PortfolioScores scores, string accountId) => scores.Health[scores.Local(accountId)];

    public static bool IsScored(this PortfolioScores scores, string accountId) => scores.Aggregates.LocalAccountIndex(accountId) >= 0;

    /// <summary>Sum of the indicator contributions of an account: H before clamping.</summary>
    public static double ContributionSum(this PortfolioScores scores, string accountId) =>
        Indicators.All.Sum(i => scores.Contribution(scores.Local(accountId), i));
}
