using HealthDashboard.Bench.Synthetic;
using HealthDashboard.Scoring;

namespace HealthDashboard.Bench.Parts;

/// <summary>
/// Part 1: re-scoring every account and user from in-memory aggregates under a changed model, as the
/// model editor does on a slider move. The aggregates are built once; each timed run scores under a
/// model with one event weight changed (a different type and weight each run, made before timing).
/// </summary>
public sealed class RescoreBench : BenchPart
{
    public override int Number => 1;

    public override string Title => "re-score from aggregates";

    public override Task<IReadOnlyList<Figure>> RunAsync(Scale scale, TextWriter log)
    {
        var spec = scale.Portfolio;
        log.WriteLine($"  generating {spec.UsageRows:N0} usage rows in memory...");
        var portfolio = SyntheticPortfolio.Generate(spec);
        var data = portfolio.ToPortfolioData();

        WindowAggregates aggregates = null!;
        var heapBeforeAggregates = GC.GetTotalMemory(forceFullCollection: true);
        var buildAllCores = Timing.Measure(1, scale.SlowRuns, _ => WindowAggregates.Build(data, PortfolioSpec.AsOf, PortfolioSpec.WindowDays, WindowAggregates.AllCores));
        var build = Timing.Measure(1, scale.SlowRuns, _ => aggregates = WindowAggregates.Build(data, PortfolioSpec.AsOf, PortfolioSpec.WindowDays));
        // Only the last build is still reachable: the growth is one WindowAggregates.
        var aggregatesBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBeforeAggregates;

        var models = Enumerable.Range(0, scale.Warmups + scale.Runs).Select(portfolio.ModelAfterSliderMove).ToArray();

        var healthSum = 0.0;
        var rescore = Timing.Measure(scale.Warmups, scale.Runs, run => healthSum += Scorer.Score(aggregates, models[run]).Health[0]);
        log.WriteLine($"  (checksum {healthSum:0.00})");

        var size = $"{aggregates.Accounts.Length:N0} accounts, {aggregates.Users.Length:N0} users, {spec.EventTypes} event types";
        return Task.FromResult<IReadOnlyList<Figure>>(
        [
            new(1, $"Re-score {size} (changed event weight): median of {rescore.Count}", rescore.Median, "ms", Target.Under(10)),
            new(1, "Re-score: p95", rescore.P95, "ms"),
            new(1, $"WindowAggregates.Build over {data.Usage.Length:N0} in-window rows (one-time; median of {build.Count})", build.Median, "ms"),
            new(1, $"  the same on {WindowAggregates.AllCores} threads (AllCores, as the live scores build)", buildAllCores.Median, "ms"),
            new(1, "WindowAggregates retained size", aggregatesBytes / (1024.0 * 1024.0), "MB"),
        ]);
    }
}
