using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Bench.Synthetic;

/// <summary>The shared view over a synthetic portfolio, and the heap it takes (measured as it is built).</summary>
/// <param name="View">What the score board would publish: scores now and 30 days ago, sparklines, history.</param>
/// <param name="RetainedBytes">Growth of the heap after full collections across building the view (the scoring before it excluded).</param>
public sealed record SyntheticView(PortfolioView View, long RetainedBytes)
{
    /// <summary>
    /// Scores <paramref name="portfolio"/> now and 30 days earlier (the trend column) and builds the
    /// <see cref="PortfolioView"/> the pages share, with a seeded sparkline per account and a flat
    /// history, as <see cref="ScoreBoard.RefreshAsync"/> would from the database.
    /// </summary>
    public static SyntheticView Build(SyntheticPortfolio portfolio)
    {
        var scored = portfolio.ScoreInMemory();
        var monthAgo = ScoreMonthAgo(scored);

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var view = new PortfolioView(scored, monthAgo, Sparklines(scored), History());
        return new SyntheticView(view, GC.GetTotalMemory(forceFullCollection: true) - heapBefore);
    }

    /// <summary>The same data scored 30 days earlier, for the trend column (accounts new since then have none).</summary>
    private static ScoredPortfolio ScoreMonthAgo(ScoredPortfolio now)
    {
        var aggregates = WindowAggregates.Build(now.Data, now.AsOf.AddDays(-30), now.Model.WindowDays);
        return new ScoredPortfolio(now.ModelVersion, now.Model, aggregates, Scorer.Score(aggregates, now.Model));
    }

    /// <summary>A 30-day sparkline per account ending at its current H (a seeded random walk; the view shares them).</summary>
    private static Dictionary<string, IReadOnlyList<double>> Sparklines(ScoredPortfolio scored)
    {
        var random = new Random(7);
        var lines = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        for (var a = 0; a < scored.Scores.AccountCount; a++)
        {
            var line = new double[30];
            line[^1] = scored.Scores.Health[a];
            for (var d = line.Length - 2; d >= 0; d--)
            {
                line[d] = Math.Clamp(line[d + 1] + ((random.NextDouble() - 0.5) * 4), 1, 100);
            }

            lines[scored.Data.Accounts[scored.Aggregates.Accounts[a]].Id] = line;
        }

        return lines;
    }

    private static PortfolioDay[] History() =>
        [.. Enumerable.Range(0, SnapshotStore.DefaultHistoryDays + 1).Select(d => new PortfolioDay(PortfolioSpec.AsOf.AddDays(d - SnapshotStore.DefaultHistoryDays), 62, 5_000, 3_000, 2_000))];
}
