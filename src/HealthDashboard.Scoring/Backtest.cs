namespace HealthDashboard.Scoring;

/// <summary>
/// Runs a backtest over data already in memory (SCORING.md "Backtest"): scores the portfolio at each
/// evaluation time, each account with its own model of the set (segment and onboarding models as they
/// apply), and collects the pairs. The data is loaded once for the whole span; each time reads only its own
/// slice of usage rows.
/// </summary>
public static class Backtest
{
    /// <summary>
    /// The portfolio at each evaluation time with only the usage rows in (T - W, T], W being the longest window
    /// any model evaluated on the slices will have.
    /// </summary>
    /// <remarks>
    /// A usage row W or more days before T scores Recency 0, the same as never active, so H, grades and every
    /// indicator value of any model whose window is at most W are those of the full data (only the raw
    /// days-since-last-use, which no figure here reads, would differ).
    /// </remarks>
    public static IReadOnlyList<PortfolioData> Slice(PortfolioData data, IReadOnlyList<DateTime> times, int windowDays)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(times);
        var slices = new PortfolioData[times.Count];
        Parallel.For(0, times.Count, t => slices[t] = WindowOf(data, times[t], windowDays));
        return slices;
    }

    /// <summary>
    /// The window aggregates of each slice at its time for one window length: the part of a backtest that
    /// reads the data. Scoring them again under other weights, flags or thresholds reads nothing again.
    /// </summary>
    public static IReadOnlyList<WindowAggregates> Aggregate(IReadOnlyList<PortfolioData> slices, IReadOnlyList<DateTime> times, int windowDays)
    {
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(times);
        var result = new WindowAggregates[times.Count];
        // A month start after another on each core: one scratch per core for all of them.
        using var reuse = WindowAggregates.ReuseScratch();
        Parallel.For(0, times.Count, t => result[t] = WindowAggregates.Build(slices[t], times[t], windowDays));
        return result;
    }

    /// <summary>
    /// Scores every slice under <paramref name="models"/> and collects the pairs. <paramref name="aggregatesFor"/>
    /// gives cached aggregates (window days to one per time), or null to build them.
    /// </summary>
    public static BacktestSample Sample(
        IReadOnlyList<PortfolioData> slices, IReadOnlyList<DateTime> times, ScoringModelSet models, int horizonDays,
        Func<int, IReadOnlyList<WindowAggregates>>? aggregatesFor = null)
    {
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(models);
        var scores = new PortfolioScores[times.Count];
        using var reuse = WindowAggregates.ReuseScratch();
        Parallel.For(0, times.Count, t => scores[t] = Scorer.Score(slices[t], times[t], models,
            aggregatesFor is null ? null : window => aggregatesFor(window)[t]));
        var sample = new BacktestSample(horizonDays, models.Default.CustomIndicators.Select(c => c.Key).ToList());
        foreach (var scored in scores)
        {
            sample.Add(scored);
        }

        return sample;
    }

    /// <summary>The pairs of <paramref name="models"/> at <paramref name="times"/> over <paramref name="data"/>.</summary>
    public static BacktestSample Run(PortfolioData data, ScoringModelSet models, IReadOnlyList<DateTime> times, int horizonDays)
    {
        ArgumentNullException.ThrowIfNull(models);
        return Sample(Slice(data, times, models.MaxWindowDays), times, models, horizonDays);
    }

    /// <summary>The pairs of one model (no segment or onboarding model) at <paramref name="times"/> over <paramref name="data"/>.</summary>
    public static BacktestSample Run(PortfolioData data, ScoringModel model, IReadOnlyList<DateTime> times, int horizonDays) =>
        Run(data, ScoringModelSet.Of(model), times, horizonDays);

    /// <summary>The portfolio with only the usage rows in (T - W, T].</summary>
    private static PortfolioData WindowOf(PortfolioData data, DateTime time, int windowDays)
    {
        var usage = data.Usage;
        var from = PortfolioData.FirstAfter(usage, time.AddDays(-windowDays).Ticks);
        var to = PortfolioData.FirstAfter(usage, time.Ticks);
        if (from == 0 && to == usage.Length)
        {
            return data;
        }

        return new PortfolioData(data.Accounts, data.Users, data.EventTypeKeys, usage[from..to].ToArray(), data.Tickets, data.Surveys, data.Revenue, data.EventTypeNames, data.Overrides, data.Metrics);
    }

}
