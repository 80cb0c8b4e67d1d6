namespace HealthDashboard.Scoring;

/// <summary>
/// Runs a backtest over data already in memory (SCORING.md "Backtest"): scores the portfolio at each
/// evaluation time and collects the pairs. The data is loaded once for the whole span; each time reads
/// only its own window of usage rows.
/// </summary>
public static class Backtest
{
    /// <summary>
    /// The window aggregates of each evaluation time: the part of a backtest that reads the data. Scoring them
    /// under another model with the same window (<see cref="Sample(IReadOnlyList{WindowAggregates}, ScoringModel, int)"/>)
    /// reads nothing again, which is what keeps a backtest in the model editor fast.
    /// </summary>
    /// <remarks>
    /// Each time gets the usage rows of its window only, (T - W, T]: a usage row W or more days before T scores
    /// Recency 0, the same as never active, so H, grades and every indicator value are those of the full data
    /// (only the raw days-since-last-use, which no figure here reads, would differ).
    /// </remarks>
    public static IReadOnlyList<WindowAggregates> Aggregate(PortfolioData data, IReadOnlyList<DateTime> times, int windowDays)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(times);
        var result = new WindowAggregates[times.Count];
        Parallel.For(0, times.Count, t =>
        {
            var window = WindowOf(data, times[t], windowDays);
            result[t] = WindowAggregates.Build(window, times[t], windowDays);
        });
        return result;
    }

    /// <summary>Scores <paramref name="aggregates"/> under <paramref name="model"/> and collects the pairs.</summary>
    public static BacktestSample Sample(IReadOnlyList<WindowAggregates> aggregates, ScoringModel model, int horizonDays)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        ArgumentNullException.ThrowIfNull(model);
        var scores = new PortfolioScores[aggregates.Count];
        Parallel.For(0, aggregates.Count, t => scores[t] = Scorer.Score(aggregates[t], model));
        var sample = new BacktestSample(horizonDays);
        foreach (var scored in scores)
        {
            sample.Add(scored);
        }

        return sample;
    }

    /// <summary>The pairs of <paramref name="model"/> at <paramref name="times"/> over <paramref name="data"/>.</summary>
    public static BacktestSample Run(PortfolioData data, ScoringModel model, IReadOnlyList<DateTime> times, int horizonDays)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Sample(Aggregate(data, times, model.WindowDays), model, horizonDays);
    }

    /// <summary>The portfolio with only the usage rows in (T - W, T].</summary>
    private static PortfolioData WindowOf(PortfolioData data, DateTime time, int windowDays)
    {
        var usage = data.Usage;
        var from = UpperBound(usage, time.AddDays(-windowDays).Ticks);
        var to = UpperBound(usage, time.Ticks);
        if (from == 0 && to == usage.Length)
        {
            return data;
        }

        return new PortfolioData(data.Accounts, data.Users, data.EventTypeKeys, usage[from..to], data.Tickets, data.Surveys, data.Revenue, data.EventTypeNames);
    }

    private static int UpperBound(UsageRow[] rows, long ticks)
    {
        int lo = 0, hi = rows.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (rows[mid].Ticks <= ticks)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
