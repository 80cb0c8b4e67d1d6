using HealthDashboard.Data;
using HealthDashboard.Scoring;

namespace HealthDashboard.Scores;

/// <summary>
/// One account on one snapshot day (00:00 UTC): what the <c>history</c> verb prints, the history API returns and
/// the account page charts. Indicator lists are in <see cref="Indicators.All"/> order, null where missing; the
/// custom indicators of the account's model are <see cref="Custom"/>.
/// </summary>
public sealed record SnapshotRow(
    DateTime Day,
    string AccountId,
    double Health,
    Grade Grade,
    Band Band,
    IReadOnlyList<double?> Values,
    IReadOnlyList<double?> Raw,
    double Mrr,
    int ModelVersion)
{
    /// <summary>One indicator's score, null when missing.</summary>
    public double? Value(Indicator indicator) => Values[(int)indicator];

    /// <summary>One indicator's raw value, null when missing.</summary>
    public double? RawValue(Indicator indicator) => Raw[(int)indicator];

    /// <summary>
    /// The custom indicators of the account's model that day, by key in the model's order: score (null when missing)
    /// and the metric reading. Empty when the model had none, or for a day stored before custom indicators were kept.
    /// </summary>
    public IReadOnlyDictionary<string, StoredCustomScore> Custom { get; init; } = SnapshotCustomScores.Empty;

    /// <summary>A custom indicator's score, null when missing or not in that day's model.</summary>
    public double? CustomValue(string key) => Custom.TryGetValue(key, out var custom) ? custom.Value : null;

    /// <summary>The row of local account <paramref name="account"/> of a portfolio scored at a snapshot day.</summary>
    public static SnapshotRow From(ScoredPortfolio scored, int account)
    {
        var scores = scored.Scores;
        return new SnapshotRow(
            scored.AsOf,
            scored.Data.Accounts[scored.Aggregates.Accounts[account]].Id,
            scores.Health[account],
            scores.Grades[account],
            scores.BandOf(account),
            [.. Indicators.All.Select(i => scores.Value(account, i))],
            [.. Indicators.All.Select(i => scores.RawValue(account, i))],
            scored.Aggregates.Mrr[account],
            scored.ModelVersionOf(account))
        {
            Custom = SnapshotCustomScores.Of(scores, account),
        };
    }

    /// <summary>The row of a stored snapshot.</summary>
    internal static SnapshotRow From(ScoreSnapshot s, string accountId) => new(
        s.Day, accountId, s.Health, (Grade)s.Grade, (Band)s.Band,
        [s.Engagement, s.Breadth, s.Depth, s.Frequency, s.Recency, s.Support, s.Sentiment, s.Growth],
        [s.EngagementRaw, s.BreadthRaw, s.DepthRaw, s.FrequencyRaw, s.RecencyRaw, s.SupportRaw, s.SentimentRaw, s.GrowthRaw],
        s.Mrr, s.ModelVersion)
    {
        Custom = SnapshotCustomScores.Read(s.CustomScores),
    };
}

/// <summary>Where the back-fill of the daily snapshots stands (shown to admins in the app bar).</summary>
/// <param name="Running">True while days are being scored.</param>
/// <param name="DaysDone">Days scored in the current (or last) run.</param>
/// <param name="DaysToDo">Days the current (or last) run had to score.</param>
/// <param name="FinishedAt">When the last run finished; null before the first.</param>
/// <param name="Error">Why the last run failed; null when it did not.</param>
/// <param name="Phase">What the run is doing now: loading and scoring a day, or writing it.</param>
/// <param name="Day">The snapshot day being scored or written.</param>
public sealed record BackfillStatus(bool Running, int DaysDone, int DaysToDo, DateTime? FinishedAt, string? Error, BackfillPhase Phase = BackfillPhase.Idle, DateTime? Day = null)
{
    /// <summary>Nothing run yet.</summary>
    public static BackfillStatus Idle { get; } = new(false, 0, 0, null, null);

    /// <summary>Share done, 0 to 1.</summary>
    public double Fraction => DaysToDo == 0 ? 1 : (double)DaysDone / DaysToDo;
}

/// <summary>
/// Where a back-fill run's time went. The writing runs beside the scoring (a week of days written while the next is
/// scored), so the parts add up to more than <see cref="Total"/>; <see cref="WaitingForWrites"/> is the writing (and
/// its pauses) the scoring had to wait for.
/// </summary>
public sealed record BackfillTimes
{
    /// <summary>The whole run, from the first scoring to the last write.</summary>
    public TimeSpan Total { get; init; }

    /// <summary>Loading the data and scoring the days.</summary>
    public TimeSpan Scoring { get; set; }

    /// <summary>Transactions of written days.</summary>
    public TimeSpan Writing { get; set; }

    /// <summary>Pauses left for other writers after each transaction (beyond the checkpoints run in them).</summary>
    public TimeSpan Pausing { get; set; }

    /// <summary>Copying the committed days from SQLite's WAL into the file, inside the pauses (no write lock held).</summary>
    public TimeSpan Checkpointing { get; set; }

    /// <summary>The scoring waiting for the previous write and its pause to end.</summary>
    public TimeSpan WaitingForWrites { get; set; }
}

/// <summary>The step a back-fill run is at.</summary>
public enum BackfillPhase
{
    /// <summary>Not running.</summary>
    Idle,

    /// <summary>Loading the data around a day (every few weeks of days) and scoring it.</summary>
    Scoring,

    /// <summary>Writing a scored day.</summary>
    Writing,
}
