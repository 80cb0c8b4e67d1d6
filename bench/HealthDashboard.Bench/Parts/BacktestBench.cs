using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Scores;
using HealthDashboard.Scoring;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 14 (issue 14, "backtest"): a backtest of 10,000 accounts over 12 month starts, held in memory as the
/// backtest page and the model editor hold it (<see cref="BacktestHistory"/>). The synthetic portfolio's 30 days of
/// usage are repeated before each of the 12 month starts (a tenth of the scoring parts' rows per window, so a
/// year of usage fits in memory), and a fifth of the accounts churn, spread over the year. Timed: a full backtest
/// of the saved model (slicing, window aggregates of each time, scoring, figures), the editor's update after a
/// slider move (the aggregates kept, only re-scoring and figures), and suggest-weights (the fit on the first 8
/// times, AUCs on the last 4).
/// </summary>
public sealed class BacktestBench : BenchPart
{
    private const int Times = 12;

    public override int Number => 14;

    public override string Title => "backtest";

    public override Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var spec = scale.Portfolio with { UsageRows = scale.Portfolio.UsageRows / 10 };
        var portfolio = SyntheticPortfolio.Generate(spec);
        var times = Enumerable.Range(0, Times).Select(m => new DateTime(2025, 9, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(m)).ToArray();
        var data = YearOf(portfolio.ToPortfolioData(), times);
        var range = new BacktestRange(times, BacktestCalendar.DefaultHorizonDays, times[0].AddDays(-PortfolioSpec.WindowDays), times[^1].AddDays(BacktestCalendar.DefaultHorizonDays));
        var model = portfolio.Model;
        log.WriteLine($"  ({data.Accounts.Count:N0} accounts, {data.Usage.Length:N0} usage rows over {Times} month starts)");

        var full = Timing.Measure(1, scale.SlowRuns, _ => new BacktestHistory(data, range, PortfolioSpec.WindowDays).Evaluate(model));
        var history = new BacktestHistory(data, range, PortfolioSpec.WindowDays);
        var figures = history.Evaluate(model).Figures;
        log.WriteLine($"  ({figures.Pairs:N0} pairs, {figures.Churned:N0} churned, AUC {figures.Auc:0.000})");
        var drafts = Enumerable.Range(1, scale.Warmups + scale.Runs).Select(portfolio.ModelAfterSliderMove).ToArray();
        var update = Timing.Measure(scale.Warmups, scale.Runs, run => history.Evaluate(drafts[run]));
        WeightSuggestion? suggestion = null;
        var suggest = Timing.Measure(0, 1, _ => suggestion = history.Suggest(model));
        log.WriteLine($"  (suggestion: hold-out AUC {suggestion!.HoldoutAuc:0.000} against {suggestion.CurrentHoldoutAuc:0.000} now)");

        return Task.FromResult<IReadOnlyList<Figure>>(
        [
            new(14, $"Backtest, {data.Accounts.Count:N0} accounts x {Times} month starts, in memory: median of {full.Count}", full.Median, "ms", Target.Under(2000)),
            new(14, "Backtest in the editor after a slider move (aggregates kept): median", update.Median, "ms", Target.Under(300)),
            new(14, "Backtest in the editor: p95", update.P95, "ms"),
            new(14, "suggest-weights (fit on 8 times, hold-out on 4)", suggest.Median, "ms", Target.Under(30_000)),
        ]);
    }

    /// <summary>
    /// The portfolio with its window of usage repeated before each evaluation time, and a fifth of the accounts
    /// churned on a day spread over the year (seeded).
    /// </summary>
    private static PortfolioData YearOf(PortfolioData window, DateTime[] times)
    {
        var random = new Random(14);
        var accounts = window.Accounts.Select(a => random.NextDouble() < 0.2
            ? a with { ChurnedAt = times[0].AddDays(random.NextDouble() * 400), CreatedAt = a.CreatedAt < times[0].AddDays(-60) ? a.CreatedAt : times[0].AddDays(-60) }
            : a with { ChurnedAt = null }).ToList();
        var usage = new UsageRow[window.Usage.Length * times.Length];
        var at = 0;
        foreach (var time in times)
        {
            var shift = (time - PortfolioSpec.AsOf).Ticks;
            foreach (var row in window.Usage)
            {
                usage[at++] = row with { Ticks = row.Ticks + shift };
            }
        }

        // Windows before a short month overlap the one before: order by time again.
        var keys = Array.ConvertAll(usage, r => r.Ticks);
        Array.Sort(keys, usage);
        return new PortfolioData(accounts, window.Users, window.EventTypeKeys, usage, window.Tickets, window.Surveys, window.Revenue, window.EventTypeNames);
    }
}
